#!/usr/bin/env bash
# Builds local stand-ins for the images the lessons use, for machines that
# cannot reach a registry (CI, the test environment). Each image is built only
# when `docker image inspect NAME` fails: a real user pulls the real one, and
# an image already present (real or stand-in) is left alone. Never pulls.
#
# Usage: scripts/standin-images.sh [NAME...]
#   NAME is one of: busybox:1.36 httpd:2.4 debian:bookworm-slim
#   (default: all). httpd:2.4 is built FROM busybox:1.36, which is built
#   first when absent.
#
# Prints one line per image on stdout: "present NAME" or "built NAME (Ns)".
# Build logs go to stderr only when a step fails.
#
# Environment:
#   STANDIN_DEBIAN_MIRROR  Debian mirror URI for mmdebstrap; by default it is
#                          read from this machine's apt sources.
set -euo pipefail

ALL_IMAGES=(busybox:1.36 httpd:2.4 debian:bookworm-slim)
STD_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

die() {
	echo "standin-images: $*" >&2
	exit 1
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/standin-images.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# run LOGNAME CMD...: runs CMD with its output in a log file; on failure the
# log is copied to stderr and the script exits.
run() {
	local log="$WORK/$1.log"
	shift
	if ! "$@" >>"$log" 2>&1; then
		echo "standin-images: failed: $*" >&2
		tail -n 80 "$log" >&2
		exit 1
	fi
}

APT_UPDATED=0
apt_install() {
	if [ "$APT_UPDATED" = 0 ]; then
		run apt apt-get update
		APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive run apt apt-get install -y --no-install-recommends "$@"
}

have_image() {
	docker image inspect "$1" >/dev/null 2>&1
}

# ---------------------------------------------------------------- busybox:1.36

# static_busybox prints the path of the statically linked busybox from Debian's
# busybox-static package, installing the package when it is absent (Debian's
# dynamically linked `busybox` package would not run in an empty image).
static_busybox() {
	if [ "$(dpkg-query -W -f='${Status}' busybox-static 2>/dev/null)" != "install ok installed" ]; then
		apt_install busybox-static
	fi
	local bb
	bb=$(dpkg-query -L busybox-static | grep -m1 '/bin/busybox$') ||
		die "busybox-static ships no bin/busybox"
	echo "$bb"
}

build_busybox() {
	local name=$1 bb root
	bb=$(static_busybox)
	root="$WORK/busybox-root"
	mkdir -p "$root"/{bin,dev,etc,home,proc,root,sys,tmp,usr/sbin,var/spool/mail,var/www}
	chmod 1777 "$root/tmp"
	chmod 700 "$root/root"
	cp "$bb" "$root/bin/busybox"
	chmod 755 "$root/bin/busybox"
	local applet
	for applet in $("$root/bin/busybox" --list); do
		[ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
	done
	cat >"$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/home:/bin/false
PASSWD
	cat >"$root/etc/group" <<'GROUP'
root:x:0:
nobody:x:65534:
GROUP
	chmod 644 "$root/etc/passwd" "$root/etc/group"
	tar -C "$root" --numeric-owner --owner=0 --group=0 -cf "$WORK/busybox.tar" .
	run "$name" docker import \
		-m "dockdojo stand-in: busybox-static $("$root/bin/busybox" 2>&1 | head -n1 | awk '{print $2}')" \
		-c "ENV PATH=$STD_PATH" \
		-c 'CMD ["sh"]' \
		"$WORK/busybox.tar" "$name"
}

# ------------------------------------------------------------------- httpd:2.4

# Stand-in for the official Apache image where lessons rely on it: document
# root /usr/local/apache2/htdocs/ with the default "It works!" page, port 80,
# default command httpd-foreground, working directory /usr/local/apache2.
# The server is busybox httpd; there is no Apache configuration (conf/).
build_httpd() {
	local name=$1 ctx="$WORK/httpd-context"
	mkdir -p "$ctx"
	# busybox httpd ignores SIGTERM as PID 1 (the kernel drops signals that PID 1
	# does not handle), so a plain exec would make `docker stop` wait its full
	# timeout. The shell traps TERM/INT and exits at once; its child, the
	# server, dies with the container's PID namespace.
	cat >"$ctx/httpd-foreground" <<'SCRIPT'
#!/bin/sh
# dockdojo stand-in for the official httpd image's httpd-foreground.
trap 'exit 0' TERM INT
busybox httpd -f -v -p 80 -h /usr/local/apache2/htdocs "$@" &
wait $!
SCRIPT
	chmod 755 "$ctx/httpd-foreground"
	printf '<html><body><h1>It works!</h1></body></html>\n' >"$ctx/index.html"
	cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM busybox:1.36
ENV HTTPD_PREFIX=/usr/local/apache2
ENV PATH=/usr/local/apache2/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /usr/local/apache2
COPY httpd-foreground /usr/local/bin/httpd-foreground
COPY index.html /usr/local/apache2/htdocs/index.html
EXPOSE 80/tcp
CMD ["httpd-foreground"]
DOCKERFILE
	DOCKER_BUILDKIT=0 run "$name" docker build --pull=false -t "$name" "$ctx"
}

# -------------------------------------------------------- debian:bookworm-slim

# debian_mirror prints the Debian archive URI named by this machine's apt
# sources: preferably the entry for suite bookworm, else any entry for a
# release suite (not -security), so a machine on another release still works.
debian_mirror() {
	if [ -n "${STANDIN_DEBIAN_MIRROR:-}" ]; then
		echo "$STANDIN_DEBIAN_MIRROR"
		return
	fi
	local want files=() f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && files+=("$f")
	done
	local lists=()
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] && lists+=("$f")
	done
	for want in '^bookworm$' '^[a-z]+$'; do
		local uri=""
		if [ ${#files[@]} -gt 0 ]; then
			# deb822: stanzas separated by blank lines; fields Types, URIs, Suites, Enabled.
			uri=$(awk -v want="$want" '
				function flush() {
					if (!found && types ~ /(^| )deb( |$)/ && enabled != "no" && uris != "") {
						n = split(suites, s, " ")
						for (i = 1; i <= n; i++) if (s[i] ~ want) {
							split(uris, u, " "); print u[1]; found = 1; exit
						}
					}
					types = ""; uris = ""; suites = ""; enabled = ""
				}
				/^[ \t]*#/ { next }
				/^[ \t]*$/ { flush(); next }
				{
					line = $0; key = tolower(line); sub(/:.*/, "", key)
					val = line; sub(/^[^:]*:[ \t]*/, "", val)
					if (key == "types") types = val
					else if (key == "uris") uris = val
					else if (key == "suites") suites = val
					else if (key == "enabled") enabled = tolower(val)
				}
				END { flush() }
			' "${files[@]}")
		fi
		if [ -z "$uri" ] && [ ${#lists[@]} -gt 0 ]; then
			# One-line style: deb [options] URI SUITE COMPONENT...
			uri=$(sed -e 's/#.*//' -e 's/\[[^]]*\]//' "${lists[@]}" |
				awk -v want="$want" '$1 == "deb" && $3 ~ want { print $2; exit }')
		fi
		if [ -n "$uri" ]; then
			echo "$uri"
			return
		fi
	done
	die "no Debian mirror found in /etc/apt/sources.list{,.d/}; set STANDIN_DEBIAN_MIRROR"
}

build_debian() {
	local name=$1 mirror
	command -v mmdebstrap >/dev/null 2>&1 || apt_install mmdebstrap
	mirror=$(debian_mirror)
	# Merged /usr via directory symlinks as debootstrap (and so the official
	# image) does it; without the hook, mmdebstrap installs the usrmerge
	# package, which drags perl (~50 MB) into the image.
	local hooks=()
	if [ -d /usr/share/mmdebstrap/hooks/merged-usr ]; then
		hooks=(--hook-dir=/usr/share/mmdebstrap/hooks/merged-usr)
	fi
	# Like the official -slim images: no man pages, docs (but copyright files),
	# info pages or translations.
	run "$name" mmdebstrap --variant=minbase --format=tar "${hooks[@]}" \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-include=/usr/share/doc/*/copyright' \
		--dpkgopt='path-exclude=/usr/share/info/*' \
		--dpkgopt='path-exclude=/usr/share/groff/*' \
		--dpkgopt='path-exclude=/usr/share/lintian/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		bookworm "$WORK/debian.tar" "$mirror"
	run "$name" docker import \
		-m "dockdojo stand-in: mmdebstrap --variant=minbase bookworm $mirror" \
		-c "ENV PATH=$STD_PATH" \
		-c 'CMD ["bash"]' \
		"$WORK/debian.tar" "$name"
}

# ------------------------------------------------------------------------ main

ensure() {
	local name=$1 start
	if have_image "$name"; then
		echo "present $name"
		return
	fi
	start=$SECONDS
	case "$name" in
	busybox:1.36) build_busybox "$name" ;;
	httpd:2.4) build_httpd "$name" ;;
	debian:bookworm-slim) build_debian "$name" ;;
	esac
	have_image "$name" || die "$name: built, but docker image inspect fails"
	echo "built $name ($((SECONDS - start))s)"
}

command -v docker >/dev/null 2>&1 || die "docker command not found"
docker info >/dev/null 2>&1 || die "docker engine not reachable (docker info fails)"

if [ $# -eq 0 ]; then
	set -- "${ALL_IMAGES[@]}"
fi
for name in "$@"; do
	case " ${ALL_IMAGES[*]} " in
	*" $name "*) ;;
	*) die "unknown image $name (known: ${ALL_IMAGES[*]})" ;;
	esac
done

declare -A done_images=()
for name in "$@"; do
	[ -z "${done_images[$name]:-}" ] || continue
	if [ "$name" = httpd:2.4 ] && [ -z "${done_images[busybox:1.36]:-}" ] && ! have_image busybox:1.36; then
		ensure busybox:1.36
		done_images[busybox:1.36]=1
	fi
	ensure "$name"
	done_images[$name]=1
done

#!/usr/bin/env bash
# Builds local stand-ins for the images the lessons use, for machines that
# cannot reach a registry (CI, the test environment). Each image is built only
# when `docker image inspect NAME` fails, or when it is a stand-in this script
# built before a fix (see stale): a real user pulls the real one, and any
# other image already present (real or stand-in) is left alone. Never pulls.
#
# Usage: scripts/standin-images.sh [NAME...]
#   NAME is one of: busybox:1.36 httpd:2.4 debian:bookworm-slim
#   python:2.7-slim itzg/minecraft-server:2024.10.2 4km3/dnsmasq:2.90-r3
#   (default: all). httpd:2.4 and itzg/minecraft-server are built FROM
#   busybox:1.36, which is built first when absent.
#
# What each stand-in matches of the real image, and what it does not, is in
# docs/images.md.
#
# Prints one line per image on stdout: "present NAME", "built NAME (Ns)", or
# "rebuilt NAME (Ns)" for a stand-in this script built before a fix it now
# makes (see stale).
# Build logs go to stderr only when a step fails.
#
# Environment:
#   STANDIN_DEBIAN_MIRROR  Debian mirror URI for mmdebstrap; by default it is
#                          read from this machine's apt sources.
set -euo pipefail

ALL_IMAGES=(busybox:1.36 httpd:2.4 debian:bookworm-slim python:2.7-slim
	itzg/minecraft-server:2024.10.2 4km3/dnsmasq:2.90-r3)
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
	local log="$WORK/${1//\//_}.log"
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

# stale NAME reports whether NAME is a stand-in of this script built before
# a fix it now makes: one whose busybox wget crashes on -T. A real image
# (no /bin/busybox, or a wget that does not crash) is never stale.
stale() {
	case "$1" in
	busybox:1.36 | httpd:2.4 | itzg/minecraft-server:*) ;;
	*) return 1 ;;
	esac
	local rc=0
	docker run --rm --network none --entrypoint /bin/busybox "$1" \
		wget -q -T 1 -O /dev/null http://127.0.0.1:1/ >/dev/null 2>&1 || rc=$?
	[ "$rc" -ge 128 ] && [ "$rc" -ne 255 ]
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

# wget_crashes BUSYBOX reports whether that busybox's wget crashes on -T.
# Debian builds busybox without wget's timeout (FEATURE_WGET_TIMEOUT), yet
# -T stays in wget's options, parsed as a number written through a null
# pointer: `wget -T 3 URL` dies of a segmentation fault (exit 139), which a
# check that expects "no answer" would take for one. Nothing is fetched:
# port 1 of this machine refuses the connection.
wget_crashes() {
	local rc=0
	# bash says "Segmentation fault" itself, on the group's stderr.
	{ "$1" wget -q -T 1 -O /dev/null http://127.0.0.1:1/ >/dev/null 2>&1; } 2>/dev/null || rc=$?
	[ "$rc" -ge 128 ]
}

# fix_wget_timeout BUSYBOX makes that busybox's wget take -T N as a string,
# which it then ignores, as it ignores -t: the one "+" (a numeric option)
# after "T:" is cut from wget's option string, whose rest moves up a byte.
fix_wget_timeout() {
	perl -0777 -i -pe '
		my $n = () = /\^cqSO:o:P:Y:U:T:\+t:n::\0[^\0]*\0/g;
		die "wget option string found $n times, not once\n" unless $n == 1;
		s/(\^cqSO:o:P:Y:U:T:)\+(t:n::\0[^\0]*\0)/$1$2\0/;
	' "$1" || die "cannot fix wget -T in $1"
	! wget_crashes "$1" || die "wget -T still crashes in $1"
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
	if wget_crashes "$root/bin/busybox"; then
		fix_wget_timeout "$root/bin/busybox"
	fi
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

# ---------------------------------------------------------- Debian root trees

# debian_mirror SUITE prints the Debian archive URI named by this machine's
# apt sources: preferably the entry for SUITE, else any entry for a release
# suite (not -security), so a machine on another release still works (the
# same archive serves bookworm and bullseye).
debian_mirror() {
	local suite=$1
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
	for want in "^$suite\$" '^[a-z]+$'; do
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

# debian_rootfs LOG SUITE TARBALL [MMDEBSTRAP-OPTION...] writes a minbase root
# tree of SUITE as a tarball, trimmed like the official -slim images (no man
# pages, docs but copyright files, info pages or translations). The mirror is
# the one this machine's apt sources name, whatever SUITE is.
debian_rootfs() {
	local log=$1 suite=$2 out=$3 mirror
	shift 3
	command -v mmdebstrap >/dev/null 2>&1 || apt_install mmdebstrap
	mirror=$(debian_mirror "$suite")
	# bookworm: merged /usr via directory symlinks as debootstrap (and so the
	# official image) does it; without the hook, mmdebstrap installs the
	# usrmerge package, which drags perl (~50 MB) into the image. Older
	# suites have no usr-is-merged package for the hook to install, and
	# need none: nothing there depends on usrmerge.
	local hooks=()
	if [ "$suite" = bookworm ] && [ -d /usr/share/mmdebstrap/hooks/merged-usr ]; then
		hooks=(--hook-dir=/usr/share/mmdebstrap/hooks/merged-usr)
	fi
	run "$log" mmdebstrap --variant=minbase --format=tar "${hooks[@]}" \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-include=/usr/share/doc/*/copyright' \
		--dpkgopt='path-exclude=/usr/share/info/*' \
		--dpkgopt='path-exclude=/usr/share/groff/*' \
		--dpkgopt='path-exclude=/usr/share/lintian/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		"$@" \
		"$suite" "$out" "$mirror"
	echo "$mirror" >"$out.mirror"
}

# -------------------------------------------------------- debian:bookworm-slim

build_debian() {
	local name=$1
	debian_rootfs "$name" bookworm "$WORK/debian.tar"
	run "$name" docker import \
		-m "dockdojo stand-in: mmdebstrap --variant=minbase bookworm $(cat "$WORK/debian.tar.mirror")" \
		-c "ENV PATH=$STD_PATH" \
		-c 'CMD ["bash"]' \
		"$WORK/debian.tar" "$name"
}

# ------------------------------------------------------------- python:2.7-slim

# Stand-in for the official python:2.7-slim (Python 2.7.18 built from source
# into /usr/local on Debian buster): Debian bullseye's own Python 2.7.18 with
# its full standard library, and the same names on PATH as the real image's
# `make install` leaves in /usr/local/bin: python2.7, python2 -> python2.7,
# python -> python2. Default command python2; no pip (it needs the network).
build_python() {
	local name=$1 ver
	debian_rootfs "$name" bullseye "$WORK/python.tar" \
		--include=python2.7-minimal,libpython2.7-stdlib \
		--customize-hook='ln -s /usr/bin/python2.7 "$1/usr/local/bin/python2.7"' \
		--customize-hook='ln -s python2.7 "$1/usr/local/bin/python2"' \
		--customize-hook='ln -s python2 "$1/usr/local/bin/python"' \
		--customize-hook="dpkg-query --admindir=\"\$1/var/lib/dpkg\" -W -f='\${Version}' python2.7-minimal >'$WORK/python.version'"
	ver=$(cat "$WORK/python.version")
	ver=${ver%%-*} # 2.7.18-8+deb11u1 -> 2.7.18
	run "$name" docker import \
		-m "dockdojo stand-in: mmdebstrap --variant=minbase bullseye + python2.7 $(cat "$WORK/python.tar.mirror")" \
		-c "ENV PATH=/usr/local/bin:$STD_PATH" \
		-c 'ENV LANG=C.UTF-8' \
		-c 'ENV PYTHONIOENCODING=UTF-8' \
		-c "ENV PYTHON_VERSION=$ver" \
		-c 'CMD ["python2"]' \
		"$WORK/python.tar" "$name"
}

# ------------------------------------------------ itzg/minecraft-server:2024.10.2

# Stand-in for itzg/minecraft-server where lessons rely on it: it refuses to
# start without EULA=TRUE (same message, exit 1), keeps its files in /data (a
# volume; eula.txt, server.properties with server-port and motd), logs the
# vanilla server's "Done (...)! For help, type "help"" once it listens on
# 25565/tcp, and stops at once on SIGTERM. It downloads nothing: there is no
# game, only a busybox nc that accepts connections and closes them.
build_minecraft() {
	local name=$1 ctx="$WORK/minecraft-context"
	mkdir -p "$ctx"
	cat >"$ctx/start" <<'SCRIPT'
#!/bin/sh
# dockdojo stand-in for itzg/minecraft-server's /start. No game is downloaded
# or run: this only behaves like the image where dockdojo's lessons look.
: "${EULA:=}" "${TYPE:=VANILLA}" "${VERSION:=LATEST}" "${SERVER_PORT:=25565}"
: "${UID:=1000}" "${GID:=1000}"
MC_VERSION=1.21.1

log() { echo "[init] $*"; }
logError() { echo "[init] ERROR: $*" >&2; }
isTrue() {
	case $(echo "$1" | tr 'A-Z' 'a-z') in
	true | on) return 0 ;;
	*) return 1 ;;
	esac
}
server() {
	line="[$(date +%H:%M:%S)] [Server thread/INFO]: $*"
	echo "$line"
	echo "$line" >>/data/logs/latest.log 2>/dev/null || true
}
# Files the real server writes belong to UID:GID (it runs as that user).
own() { chown "$UID:$GID" "$@" 2>/dev/null || true; }

cd /data || exit 1
log "Running as uid=$(id -u) gid=$(id -g) with /data as '$(ls -lnd /data)'"
log "Image info: dockdojo stand-in for itzg/minecraft-server:2024.10.2 (no game is downloaded)"

if [ ! -e /data/eula.txt ]; then
	if ! isTrue "$EULA"; then
		echo "[init] " >&2
		logError "Please accept the Minecraft EULA at"
		logError "  https://account.mojang.com/documents/minecraft_eula"
		logError "by adding the following immediately after 'docker run':"
		logError "  -e EULA=TRUE"
		echo "[init] " >&2
		exit 1
	fi
	if ! printf '# Generated via Docker\n# %s\neula=true\n' "$(date)" >/data/eula.txt; then
		log "ERROR: unable to write eula to /data. Please make sure attached directory is writable by uid=${UID}"
		exit 2
	fi
	own /data/eula.txt
fi

log "Resolving type given $TYPE"
log "Resolved version given $VERSION into $MC_VERSION"

props=/data/server.properties
setProp() {
	if grep -q "^$1=" "$props"; then
		log "Setting $1 to '$2' in $props"
		sed -i "s|^$1=.*|$1=$(printf '%s' "$2" | sed 's/[|&\\]/\\&/g')|" "$props"
	else
		echo "$1=$2" >>"$props"
	fi
}
if [ ! -e "$props" ]; then
	log "Creating server.properties in $props"
	t=$(echo "$TYPE" | tr 'A-Z' 'a-z')
	label=$(echo "$t" | cut -c1 | tr 'a-z' 'A-Z')$(echo "$t" | cut -c2-)
	cat >"$props" <<PROPS
#Minecraft server properties
#$(date)
difficulty=easy
enable-rcon=false
gamemode=survival
level-name=world
max-players=20
motd=${MOTD:-A $label Minecraft Server powered by Docker}
online-mode=true
pvp=true
server-ip=
server-port=$SERVER_PORT
PROPS
	own "$props"
else
	[ -z "${MOTD:-}" ] || setProp motd "$MOTD"
	setProp server-port "$SERVER_PORT"
fi
port=$(sed -n 's/^server-port=//p' "$props" | tail -n1)
case $port in '' | *[!0-9]*) port=25565 ;; esac

mkdir -p /data/logs /data/world && own /data/logs /data/world
: >/data/logs/latest.log && own /data/logs/latest.log

if ! grep -qi '^eula=true' /data/eula.txt; then
	server "Failed to load eula.txt"
	server "You need to agree to the EULA in order to run the server. Go to eula.txt for more info."
	exit 1
fi

log "Starting the Minecraft server..."
server "Starting minecraft server version $MC_VERSION"
server "Loading properties"
server "Default game type: SURVIVAL"
server "Starting Minecraft server on *:$port"

# docker stop sends TERM; PID 1 gets only signals it handles, so trap them
# and stop at once (the real server saves the world and exits 0).
pid=
stop() {
	server "Stopping server"
	server "Saving worlds"
	[ -z "$pid" ] || kill "$pid" 2>/dev/null
	exit 0
}
trap stop TERM INT
start=$(cut -d' ' -f1 /proc/uptime)
# -ll: keep listening after each connection; -e: the "game" closes it.
nc -ll -p "$port" -e true &
pid=$!
hexport=$(printf ':%04X ' "$port")
i=0
until grep -q "$hexport[0-9A-F:]* 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null; do
	i=$((i + 1))
	if [ "$i" -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
		server "**** FAILED TO BIND TO PORT!"
		exit 1
	fi
	sleep 0.1
done
server "Preparing level \"world\""
took=$(awk -v s="$start" '{ printf "%.3f", $1 - s }' /proc/uptime)
server "Done (${took}s)! For help, type \"help\""
wait "$pid"
SCRIPT
	# mc-health: the real image's health check asks the server for its status;
	# this one only looks for the listening socket.
	cat >"$ctx/mc-health" <<'SCRIPT'
#!/bin/sh
# dockdojo stand-in for itzg/minecraft-server's mc-health.
port=$(sed -n 's/^server-port=//p' /data/server.properties 2>/dev/null | tail -n1)
hexport=$(printf ':%04X ' "${port:-25565}")
grep -q "$hexport[0-9A-F:]* 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null
SCRIPT
	chmod 755 "$ctx/start" "$ctx/mc-health"
	cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM busybox:1.36
COPY start /start
COPY mc-health /usr/local/bin/mc-health
RUN mkdir -m 777 /data && ln -s /usr/local/bin/mc-health /health.sh
EXPOSE 25565
VOLUME ["/data"]
WORKDIR /data
STOPSIGNAL SIGTERM
ENV TYPE=VANILLA VERSION=LATEST EULA="" UID=1000 GID=1000
ENTRYPOINT ["/start"]
HEALTHCHECK --start-period=2m --retries=2 --interval=30s CMD mc-health
DOCKERFILE
	DOCKER_BUILDKIT=0 run "$name" docker build --pull=false -t "$name" "$ctx"
}

# ------------------------------------------------------ 4km3/dnsmasq:2.90-r3

# Stand-in for 4km3/dnsmasq (Alpine + dnsmasq 2.90): Debian bookworm's
# dnsmasq 2.90, ENTRYPOINT ["dnsmasq","-k"] (so `docker run IMAGE --opt`
# appends dnsmasq options), no CMD, EXPOSE 53/tcp 53/udp, and like Alpine's
# package an /etc/dnsmasq.conf that reads /etc/dnsmasq.d/*.conf.
build_dnsmasq() {
	local name=$1
	debian_rootfs "$name" bookworm "$WORK/dnsmasq.tar" \
		--include=dnsmasq-base \
		--customize-hook='mkdir -p "$1/etc/dnsmasq.d"' \
		--customize-hook='printf "%s\n" "# dockdojo stand-in for 4km3/dnsmasq: options come from the command line" "conf-dir=/etc/dnsmasq.d/,*.conf" >"$1/etc/dnsmasq.conf"'
	run "$name" docker import \
		-m "dockdojo stand-in: mmdebstrap --variant=minbase bookworm + dnsmasq-base $(cat "$WORK/dnsmasq.tar.mirror")" \
		-c "ENV PATH=$STD_PATH" \
		-c 'EXPOSE 53/tcp' \
		-c 'EXPOSE 53/udp' \
		-c 'ENTRYPOINT ["dnsmasq", "-k"]' \
		"$WORK/dnsmasq.tar" "$name"
}

# ------------------------------------------------------------------------ main

# base_image NAME prints the image NAME's stand-in is built FROM, if any.
base_image() {
	case "$1" in
	httpd:2.4 | itzg/minecraft-server:*) echo busybox:1.36 ;;
	esac
}

ensure() {
	local name=$1 start verb=built
	if have_image "$name"; then
		if ! stale "$name"; then
			echo "present $name"
			return
		fi
		verb=rebuilt
	fi
	start=$SECONDS
	case "$name" in
	busybox:1.36) build_busybox "$name" ;;
	httpd:2.4) build_httpd "$name" ;;
	debian:bookworm-slim) build_debian "$name" ;;
	python:2.7-slim) build_python "$name" ;;
	itzg/minecraft-server:2024.10.2) build_minecraft "$name" ;;
	4km3/dnsmasq:2.90-r3) build_dnsmasq "$name" ;;
	esac
	have_image "$name" || die "$name: built, but docker image inspect fails"
	echo "$verb $name ($((SECONDS - start))s)"
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
	base=$(base_image "$name")
	if [ -n "$base" ] && [ -z "${done_images[$base]:-}" ] && { ! have_image "$base" || stale "$base"; }; then
		ensure "$base"
		done_images[$base]=1
	fi
	ensure "$name"
	done_images[$name]=1
done

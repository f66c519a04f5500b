#!/bin/sh
# Installs dockdojo on Linux (also inside WSL 2) or macOS, without sudo:
#
#   curl -fsSL https://github.com/dockdojo/dockdojo/releases/latest/download/install.sh | sh
#
# It reads the release's SHA256SUMS, picks the archive for this machine's
# system and processor, downloads it, checks its SHA-256, and puts dockdojo
# in ~/.local/bin. Nothing is installed when a check fails.
#
# Settings, as environment variables or as options (`| sh -s -- --dir DIR`):
#
#   DOCKDOJO_BASE_URL     --base-url URL  the folder of the release's files
#                                         (default: the latest release on GitHub;
#                                         a classroom serves http://HOST:PORT/download)
#   DOCKDOJO_VERSION      --version V     that release of GitHub's, e.g. v1.2.3
#   DOCKDOJO_INSTALL_DIR  --dir DIR       where dockdojo goes (default ~/.local/bin)
#
# Needs: uname, curl or wget, tar, and sha256sum, shasum or openssl.

set -eu

# Everything is in functions, run on the last line: a download cut short
# runs nothing.

die() {
	printf 'dockdojo install: %s\n' "$*" >&2
	exit 1
}

usage() {
	cat <<'EOF'
usage: install.sh [--base-url URL] [--version V] [--dir DIR]
  --base-url URL  the folder of the release's files (DOCKDOJO_BASE_URL);
                  default: the latest release on GitHub
  --version V     that release on GitHub, e.g. v1.2.3 (DOCKDOJO_VERSION)
  --dir DIR       where dockdojo goes (DOCKDOJO_INSTALL_DIR); default ~/.local/bin
EOF
}

has() {
	command -v "$1" >/dev/null 2>&1
}

# platform prints "os arch" in the release's words.
platform() {
	sys=$(uname -s)
	case $sys in
	Linux) os=linux ;;
	Darwin) os=darwin ;;
	MINGW* | MSYS* | CYGWIN* | Windows_NT)
		die "this is Windows: run dockdojo inside WSL 2 (and this script there), or install it from PowerShell with: irm $base/install.ps1 | iex" ;;
	*)
		die "dockdojo is not released for $sys; with Go 1.26 or newer: go install github.com/dockdojo/dockdojo/cmd/dockdojo@latest" ;;
	esac
	machine=$(uname -m)
	case $machine in
	x86_64 | amd64) arch=amd64 ;;
	aarch64 | arm64 | armv8*) arch=arm64 ;;
	*)
		die "dockdojo is not released for $machine processors ($sys); with Go 1.26 or newer: go install github.com/dockdojo/dockdojo/cmd/dockdojo@latest" ;;
	esac
	# A terminal running under Rosetta 2 on Apple Silicon says x86_64:
	# the arm64 binary is the one to use.
	if [ "$os" = darwin ] && [ "$arch" = amd64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
		arch=arm64
	fi
	echo "$os $arch"
}

# fetch URL FILE
fetch() {
	if has curl; then
		curl -fsSL --proto '=http,https' --connect-timeout 15 --speed-limit 1024 --speed-time 60 --retry 2 -o "$2" "$1"
	elif has wget; then
		wget -q --timeout=60 --tries=3 -O "$2" "$1"
	else
		die "neither curl nor wget is installed; install one of them and try again"
	fi
}

# sha256 FILE prints the file's SHA-256 in lowercase hex.
sha256() {
	if has sha256sum; then
		sum=$(sha256sum "$1")
	elif has shasum; then
		sum=$(shasum -a 256 "$1")
	elif has openssl; then
		sum=$(openssl dgst -sha256 -r "$1")
	else
		die "cannot check the download: none of sha256sum, shasum or openssl is installed"
	fi
	printf '%s\n' "${sum%% *}" | tr 'A-F' 'a-f'
}

main() {
	base=${DOCKDOJO_BASE_URL:-}
	version=${DOCKDOJO_VERSION:-}
	dir=${DOCKDOJO_INSTALL_DIR:-}
	while [ $# -gt 0 ]; do
		case $1 in
		--base-url) [ $# -ge 2 ] || die "--base-url needs a URL"; base=$2; shift 2 ;;
		--base-url=*) base=${1#*=}; shift ;;
		--version) [ $# -ge 2 ] || die "--version needs a version, e.g. v1.2.3"; version=$2; shift 2 ;;
		--version=*) version=${1#*=}; shift ;;
		--dir) [ $# -ge 2 ] || die "--dir needs a folder"; dir=$2; shift 2 ;;
		--dir=*) dir=${1#*=}; shift ;;
		-h | --help)
			usage
			exit 0
			;;
		*) die "unknown option $1 (options: --base-url URL, --version V, --dir DIR)" ;;
		esac
	done
	releases=https://github.com/dockdojo/dockdojo/releases
	if [ -n "$base" ] && [ -n "$version" ]; then
		die "--version picks a release on GitHub; a --base-url folder holds one release already: give one of them"
	elif [ -n "$version" ]; then
		base=$releases/download/$version
	elif [ -z "$base" ]; then
		base=$releases/latest/download
	fi
	base=${base%/}
	if [ -z "$dir" ]; then
		[ -n "${HOME:-}" ] || die "HOME is not set: choose a folder with --dir DIR"
		dir=$HOME/.local/bin
	fi

	plat=$(platform) || exit 1
	os=${plat% *} arch=${plat#* }

	tmp=$(mktemp -d 2>/dev/null || mktemp -d -t dockdojo)
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 130' INT TERM

	fetch "$base/SHA256SUMS" "$tmp/SHA256SUMS" ||
		die "could not download $base/SHA256SUMS; is the address right, and is this machine online (or on the classroom's network)?"
	# "HASH  dockdojo_VERSION_OS_ARCH.tar.gz", as sha256sum writes it.
	line=$(tr -d '\r' <"$tmp/SHA256SUMS" | grep -E "^[0-9A-Fa-f]{64} [ *]dockdojo_[A-Za-z0-9.+-]+_${os}_${arch}\.tar\.gz\$" | head -n 1)
	[ -n "$line" ] || die "$base/SHA256SUMS names no dockdojo archive for $os/$arch"
	want=$(printf '%s\n' "${line%% *}" | tr 'A-F' 'a-f')
	name=${line##* }
	name=${name#\*}
	release=${name#dockdojo_}
	release=${release%%_*}

	echo "Downloading dockdojo $release for $os/$arch from $base ..."
	fetch "$base/$name" "$tmp/$name" || die "could not download $base/$name"
	got=$(sha256 "$tmp/$name")
	if [ "$got" != "$want" ]; then
		die "$name is not the file the release lists: its SHA-256 is
  $got, where $base/SHA256SUMS says
  $want.
Nothing was installed. The download was damaged or changed on its way; try again, and if it happens again, tell whoever runs $base."
	fi

	mkdir "$tmp/x"
	tar -xzf "$tmp/$name" -C "$tmp/x" dockdojo || die "could not unpack $name"
	[ -f "$tmp/x/dockdojo" ] || die "$name holds no dockdojo binary"
	mkdir -p "$dir" || die "cannot create $dir; choose another folder with --dir DIR"
	# Copy beside the old binary, then rename over it: a dockdojo that is
	# running meanwhile keeps working, and no half-written file is left.
	new=$dir/.dockdojo.new.$$
	if ! { cp "$tmp/x/dockdojo" "$new" && chmod 755 "$new" && mv -f "$new" "$dir/dockdojo"; }; then
		rm -f "$new"
		die "could not write $dir/dockdojo; choose another folder with --dir DIR"
	fi

	echo "Installed dockdojo $release ($os/$arch) as $dir/dockdojo."
	case ":${PATH:-}:" in
	*":$dir:"*)
		echo "Start with: dockdojo   (dockdojo doctor checks that Docker is ready)"
		;;
	*)
		# shellcheck disable=SC2088 # the file names are shown, not used
		case ${SHELL:-} in
		*/zsh) rc='~/.zshrc' ;;
		*/bash) if [ "$os" = darwin ]; then rc='~/.bash_profile'; else rc='~/.bashrc'; fi ;;
		*) rc="your shell's startup file (~/.profile)" ;;
		esac
		echo
		echo "$dir is not on your PATH. Add this line to $rc:"
		echo "  export PATH=\"$dir:\$PATH\""
		echo "then open a new terminal and type: dockdojo"
		echo "Until then: $dir/dockdojo"
		;;
	esac
}

main "$@"

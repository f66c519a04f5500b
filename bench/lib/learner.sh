# Sourced by every benchmark once it has set $bench and $root: a work
# folder removed on exit, the dockdojo binary under test ($dd), where
# hyperfine's JSON goes ($out), and a learner of its own.
work=$(mktemp -d "${TMPDIR:-/tmp}/dockdojo-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
out=${OUT:-$work/results}
mkdir -p "$out"
# DOCKDOJO is the binary to measure; by default, one built from this tree.
dd=${DOCKDOJO:-}
if [ -z "$dd" ]; then
	dd=$work/dockdojo
	(cd "$root" && go build -o "$dd" ./cmd/dockdojo)
fi
# Progress, settings, cache and workspaces in the work folder, so that
# nothing is shared with the one who runs the benchmark, and the built-in
# course alone unless the benchmark names lesson folders itself.
export HOME=$work/home XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache
export DOCKDOJO_WORKSPACE=$work/ws
unset DOCKDOJO_LESSONS DOCKDOJO_REPLACE
mkdir -p "$HOME"

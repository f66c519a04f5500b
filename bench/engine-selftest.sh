#!/usr/bin/env bash
# P5: the whole-course self-test, wall time and peak memory, as `dockdojo
# selftest` runs it (exercises side by side where they cannot meet).
#
#   bench/engine-selftest.sh [selftest flags, e.g. --parallel 1]
#
# DOCKDOJO and OUT as in engine-check.sh; it runs once (it takes minutes).
. "$(dirname "$0")/lib/engine.sh"

/usr/bin/time -f '%e %M' -o "$out/selftest.time" "$dd" selftest "$@" >"$out/selftest.out" 2>&1 || {
	cat "$out/selftest.out" >&2
	exit 1
}
read -r wall rss <"$out/selftest.time"
echo "| what | wall | peak RSS |"
echo "|---|---|---|"
printf '| whole-course self-test %s | %s s | %s MB |\n' "$*" "$wall" "$((rss / 1024))"

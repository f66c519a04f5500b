#!/usr/bin/env bash
# P3 and P6 of the course commands, and startup: `dockdojo version`, `list`
# of the built-in course, `list` of synthetic courses of 100 to 3,000
# lessons (bench/gencourse) with the course cache warm and cold (and, for
# 1,000 lessons, after an edit of every lesson), peak RSS,
# and package initialisation (GODEBUG=inittrace=1). Prints Markdown. No
# Docker engine is needed: none of these commands asks it anything.
#
#   bench/load.sh
#
# DOCKDOJO=binary measures that build (default: one built from this tree);
# RUNS=N runs each command N times (default 20); SIZES="100 1000" picks the
# course sizes (default 100 300 1000 3000); OUT=dir keeps hyperfine's JSON.
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench")
runs=${RUNS:-20}
sizes=${SIZES:-100 300 1000 3000}
. "$bench/lib/learner.sh"

# time NAME JSON [hyperfine options] COMMAND: one row of medians.
time_row() {
	local name=$1 json=$out/$2.json log=$out/$2.log
	shift 2
	hyperfine -N --style none --warmup 3 --runs "$runs" --export-json "$json" "$@" >/dev/null 2>"$log"
	# hyperfine warns of outliers when other work disturbed the runs.
	if grep -q outliers "$log"; then name="$name (outliers)"; fi
	jq -r --arg name "$name" '.results[0] |
		"| \($name) | \(.median * 1000 | round) ms | \(.mean * 1000 | round) ± \(.stddev * 1000 | round) ms | \(.user * 1000 | round) ms | \(.system * 1000 | round) ms |"' "$json"
}

# peak NAME COMMAND...: the highest peak RSS of 5 runs, in MB. COLD=1
# empties the course cache before each run; EDIT=DIR loads the course once,
# then edits every lesson file of DIR (a line added) before each run.
peak() {
	local name=$1 kb max=0
	shift
	for _ in 1 2 3 4 5; do
		[ -z "${COLD:-}" ] || rm -rf "$XDG_CACHE_HOME"
		if [ -n "${EDIT:-}" ]; then
			"$@" >/dev/null 2>&1
			find "$EDIT" -name '*.md' -exec sh -c 'echo >> "$1"' _ {} \;
		fi
		/usr/bin/time -o "$work/rss" -f %M "$@" >/dev/null 2>&1
		kb=$(tail -1 "$work/rss")
		[ "$kb" -gt "$max" ] && max=$kb
	done
	echo "| $name | $((max / 1024)) MB |"
}

for n in $sizes; do
	(cd "$root" && go run ./bench/gencourse -n "$n" -o "$work/course-$n")
done

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr); $(date -u +%Y-%m-%d)."
echo "Binary: ${BENCH_LABEL:-${DOCKDOJO:-built from $(cd "$root" && git describe --always --dirty)}}."
echo
echo "| what | median | mean ± σ | user | system |"
echo "|---|---|---|---|---|"
time_row "version" version "$dd version"
time_row "list, built-in course (11 lessons)" list-builtin "$dd list"
for n in $sizes; do
	time_row "list, $n lessons" "list-$n" "$dd --replace --lessons $work/course-$n list"
done
for n in $sizes; do
	[ "$n" = 1000 ] || continue
	time_row "list, $n lessons, cache cold" "list-$n-cold" --prepare "rm -rf $XDG_CACHE_HOME" "$dd --replace --lessons $work/course-$n list"
done
echo
echo "| peak RSS | |"
echo "|---|---|"
peak "list, built-in course" "$dd" list
for n in $sizes; do
	[ "$n" -le 1000 ] || continue
	peak "list, $n lessons" "$dd" --replace --lessons "$work/course-$n" list
	[ "$n" != 1000 ] || COLD=1 peak "list, $n lessons, cache cold" "$dd" --replace --lessons "$work/course-$n" list
	if [ "$n" = 1000 ]; then
		cp -r "$work/course-$n" "$work/edited-$n"
		EDIT=$work/edited-$n peak "list, $n lessons, after an edit of every lesson" "$dd" --replace --lessons "$work/edited-$n" list
	fi
done
echo
echo "Package initialisation of \`dockdojo version\` (mean of 20 runs, GODEBUG=inittrace=1):"
echo
for _ in $(seq 20); do GODEBUG=inittrace=1 "$dd" version 2>&1 >/dev/null; done |
	awk '{ms[$2] += $5; t += $5} END {
		printf "%.1f all packages\n", t / 20
		for (p in ms) if (ms[p] / 20 >= 1) printf "%.1f %s\n", ms[p] / 20, p
	}' | sort -rn | awk '{printf "- %s: %s ms\n", $2 == "all" ? "all packages" : $2, $1}'

#!/usr/bin/env bash
# P1: `dockdojo check` of each host exercise, solved, against a shell script
# of the same checks (bench/sh/LESSON-EXERCISE.sh: one docker CLI call per
# check, as other courses check). Prints a Markdown table of medians.
#
#   bench/engine-check.sh [LESSON/EXERCISE...]   (default: every script in bench/sh)
#
# DOCKDOJO=binary measures that build (default: one built from this tree);
# RUNS=N runs each command N times (default 10); OUT=dir keeps hyperfine's JSON.
# BEFORE=binary times that build too, in the same runs, for a paired
# before-and-after table.
. "$(dirname "$0")/lib/engine.sh"

exercises=("$@")
if [ ${#exercises[@]} -eq 0 ]; then
	for f in "$bench"/sh/*-*.sh; do
		n=$(basename "$f" .sh)
		# LESSON-EXERCISE: the lesson is the longest prefix that is a lesson folder.
		for l in "$root"/content/course/*/; do
			l=$(basename "$l")
			case $n in "$l"-*) exercises+=("$l/${n#"$l"-}") ;; esac
		done
	done
fi

if [ -n "${BEFORE:-}" ]; then
	echo "| exercise | shell script | before | ratio | after | ratio |"
	echo "|---|---|---|---|---|---|"
else
	echo "| exercise | dockdojo check | shell script | ratio |"
	echo "|---|---|---|---|"
fi
for ex in "${exercises[@]}"; do
	name=${ex/\//-}
	dir=$DOCKDOJO_WORKSPACE/$ex
	if ! solve "$ex" || ! sh "$bench/sh/$name.sh" "$dir"; then
		echo "| $ex | (not solved, or the shell script does not pass) | | |"
		"$dd" reset --yes "$ex" >/dev/null
		continue
	fi
	before=()
	[ -n "${BEFORE:-}" ] && before=("$BEFORE check $ex")
	hyperfine -N --style none --warmup 2 --runs "$runs" --export-json "$out/check-$name.json" \
		"$dd check $ex" "sh $bench/sh/$name.sh $dir" "${before[@]}" >/dev/null
	if [ -n "${BEFORE:-}" ]; then
		paired "$ex" "$out/check-$name.json"
	else
		row "$ex" "$out/check-$name.json"
	fi
	"$dd" reset --yes "$ex" >/dev/null
done

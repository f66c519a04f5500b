# Sourced by the engine benchmarks (bench/engine-*.sh): the dockdojo binary
# under test, an isolated learner home, and hyperfine's medians.
set -euo pipefail
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=$(dirname "$bench")
runs=${RUNS:-10}
# The engine tests' lock: the course's names and host ports are shared, so a
# benchmark and a test run (or two benchmarks) wait for each other.
exec 9>"${TMPDIR:-/tmp}/dockdojo-engine-tests.lock"
flock 9
. "$bench/lib/learner.sh"

# median FILE N: the median of the Nth command of a hyperfine JSON, in ms.
median() { jq -r ".results[$2].median * 1000 | round" "$1"; }
# row NAME FILE: a Markdown row, the first command against the second.
row() {
	a=$(median "$2" 0) b=$(median "$2" 1)
	printf '| %s | %s ms | %s ms | %s× |\n' "$1" "$a" "$b" "$(awk "BEGIN { printf \"%.2f\", $a / $b }")"
}

# paired NAME FILE: a Markdown row of a run of after, the shell script and
# before: the script's time, then each build's and its ratio to the script.
paired() {
	a=$(median "$2" 0) s=$(median "$2" 1) b=$(median "$2" 2)
	printf '| %s | %s ms | %s ms | %s× | %s ms | %s× |\n' "$1" "$s" "$b" \
		"$(awk "BEGIN { printf \"%.2f\", $b / $s }")" "$a" "$(awk "BEGIN { printf \"%.2f\", $a / $s }")"
}

# solve EXERCISE: start it fresh, run its reference solution in its
# workspace, and wait until its checks pass (a server may need a moment).
solve() {
	"$dd" reset --yes "$1" >/dev/null 2>&1 || true
	"$dd" start "$1" >/dev/null
	local dir=$DOCKDOJO_WORKSPACE/$1
	"$dd" solution --yes "$1" | tail -n +3 >"$work/solution.sh"
	(cd "$dir" && DOJO_WORKSPACE=$dir DOJO_EXERCISE=$1 DOJO_SANDBOX=dockdojo-${1/\//-} sh -e "$work/solution.sh" >/dev/null)
	for _ in $(seq 60); do
		"$dd" check "$1" >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	echo "$1: the checks do not pass after its solution" >&2
	return 1
}

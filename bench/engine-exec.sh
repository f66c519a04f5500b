#!/usr/bin/env bash
# P1's floor: what the engine itself takes for the execs a check makes in a
# running container. One `docker exec`, two one after the other, and two at
# once, in a busybox container of the benchmark's own. When two at once take
# as long as two in turn, the engine runs a container's execs one at a
# time, and a check that looks inside a container twice cannot take less
# than two execs, however it is written.
#
#   bench/engine-exec.sh      (RUNS and OUT as in engine-check.sh)
. "$(dirname "$0")/lib/engine.sh"

name=dockdojo-bench-exec-$$
docker run -d --name "$name" busybox:1.36 sh -c 'echo note > /root/note.txt; exec sleep 3600' >/dev/null
trap 'docker rm -f "$name" >/dev/null; rm -rf "$work"' EXIT
one="docker exec $name true"
hyperfine -N --style none --warmup 3 --runs "$runs" --export-json "$out/exec.json" \
	"$one" "sh -c '$one; $one'" "sh -c '$one & $one & wait'" "docker inspect $name" "docker cp $name:/root/note.txt -" >/dev/null
echo "| what | median |"
echo "|---|---|"
i=0
for what in "one exec" "two execs, one after the other" "two execs at once" "one inspect" "one docker cp of a file"; do
	printf '| %s | %s ms |\n' "$what" "$(median "$out/exec.json" $i)"
	i=$((i + 1))
done

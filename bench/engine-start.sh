#!/usr/bin/env bash
# P2: `dockdojo start` of a shell exercise against `docker run -d` of the
# same image and command, each from nothing (the one before removed).
#
#   bench/engine-start.sh [LESSON/EXERCISE]   (default first-run/inside-the-box)
#
# IMAGE is the exercise's sandbox image (default debian:bookworm-slim, that
# of first-run/inside-the-box); DOCKDOJO, RUNS and OUT as in engine-check.sh.
. "$(dirname "$0")/lib/engine.sh"

ex=${1:-first-run/inside-the-box}
image=${IMAGE:-debian:bookworm-slim}
name=dojo-bench-start
echo "| what | dockdojo start | docker run -d $image | ratio |"
echo "|---|---|---|---|"
hyperfine -N --style none --warmup 2 --runs "$runs" --export-json "$out/start.json" \
	--prepare "$dd reset --yes $ex" "$dd start $ex" \
	--prepare "docker rm -f $name" "docker run -d --name $name $image sleep 3600" >/dev/null
row "start $ex" "$out/start.json"
"$dd" reset --yes "$ex" >/dev/null
docker rm -f "$name" >/dev/null

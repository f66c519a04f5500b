#!/usr/bin/env bash
# How often a learner's `docker network rm` fails with "has active
# endpoints" because watch's own probes are on the network: the wrong
# attempt of things-to-try/dns-server (the network made without --subnet)
# under `dockdojo watch`, then, WAIT seconds later, the fix the check's
# message gives, typed in one line: `docker rm -f …; docker network rm …`.
#
#   bench/watch-network-rm.sh [TRIES]   (default 10)
#
# DOCKDOJO=binary measures that build (default: one built from this tree);
# WAIT=seconds between the attempt and the fix (default 8: a learner reads
# the verdict first). Prints how many of the tries the network rm failed.
. "$(dirname "$0")/lib/engine.sh"

tries=${1:-10}
ex=things-to-try/dns-server
net=dojo-try-dns-net
"$dd" start "$ex" >/dev/null
"$dd" watch "$ex" >"$work/watch.log" 2>&1 &
watch=$!
trap 'kill $watch 2>/dev/null; "$dd" reset --yes "$ex" >/dev/null 2>&1; rm -rf "$work"' EXIT
sleep 2
failed=0
for _ in $(seq "$tries"); do
	docker network create "$net" >/dev/null
	docker run -d --name dojo-try-dns --network "$net" 4km3/dnsmasq:2.90-r3 --address=/dojo.test/10.1.2.3 >/dev/null
	docker run -d --name dojo-try-dns-client --network "$net" busybox:1.36 sleep 3600 >/dev/null
	sleep "${WAIT:-8}"
	docker rm -f dojo-try-dns dojo-try-dns-client >/dev/null
	docker network rm "$net" >/dev/null 2>&1 || failed=$((failed + 1))
	# What is left when it failed: removed for the next try, with a deadline.
	for _ in $(seq 50); do
		docker network inspect "$net" >/dev/null 2>&1 || break
		docker network rm "$net" >/dev/null 2>&1 || sleep 0.2
	done
	sleep 1
done
echo "network rm failed $failed of $tries (WAIT=${WAIT:-8} s)"

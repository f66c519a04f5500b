#!/bin/sh
# monitor: every 5 seconds, asks the web service for its page and
# writes what it found to /status/status.txt (and to its log).
url=${WEB_URL:-http://web/}

# Stop at once on `docker compose down` or `docker stop`: a shell
# that runs as a container's first process ignores their signal
# unless it traps it.
trap 'exit 0' TERM INT

while true; do
	if wget -q -O /dev/null "$url"; then
		echo "$(date +%H:%M:%S) web is up"
	else
		echo "$(date +%H:%M:%S) web is down: no answer from $url"
	fi | tee /status/status.txt
	sleep 5 &
	wait $!
done

. "$(dirname "$0")/lib.sh"
net dojo-try-dns-net bridge
docker network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{end}}' dojo-try-dns-net | grep -qw 10.234.53.0/24
running dojo-try-dns
on_net dojo-try-dns dojo-try-dns-net
docker run --rm --network dojo-try-dns-net busybox:1.36 sh -c 'timeout 3 nslookup dojo.test 10.234.53.53' | grep -qF 10.1.2.3
running dojo-try-dns-client
on_net dojo-try-dns-client dojo-try-dns-net
docker exec dojo-try-dns-client nslookup dojo.test | awk '/^Name:/ {a=1} a && /^Address/ {print $NF}' | grep -qx 10.1.2.3

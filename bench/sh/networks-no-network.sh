. "$(dirname "$0")/lib.sh"
running dojo-net-alone
on_net dojo-net-alone none
[ -z "$(docker exec dojo-net-alone ip route)" ]

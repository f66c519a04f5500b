. "$(dirname "$0")/lib.sh"
net dojo-net-lan bridge
running dojo-net-ping
running dojo-net-pong
on_net dojo-net-ping dojo-net-lan
on_net dojo-net-pong dojo-net-lan
resolves dojo-net-ping dojo-net-pong
resolves dojo-net-pong dojo-net-ping

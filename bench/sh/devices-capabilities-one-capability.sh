. "$(dirname "$0")/lib.sh"
cap dojo-cap-net NET_ADMIN
running dojo-cap-net
exec_has dojo-cap-net 'inet 192.0.2.10/32' ip addr show lo
exec_has dojo-cap-net 'no SYS_ADMIN' sh -c 'hostname "$(hostname)" 2>/dev/null && echo has SYS_ADMIN || echo no SYS_ADMIN'

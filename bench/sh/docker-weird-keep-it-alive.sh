. "$(dirname "$0")/lib.sh"
running dojo-weird-debian
[ "$(docker exec dojo-weird-debian cat /proc/1/comm)" = bash ]
exec_has dojo-weird-debian /dev/pts/ readlink /proc/1/fd/0

. "$(dirname "$0")/lib.sh"
running dojo-weird-conf
mounted dojo-weird-conf bind /etc/dojo.conf
exec_ok dojo-weird-conf cat /etc/dojo.conf
docker inspect -f '{{range .Mounts}}{{.Source}} {{.Destination}}{{"\n"}}{{end}}' dojo-weird-conf | grep -qx "$ws/dojo.conf /etc/dojo.conf"

. "$(dirname "$0")/lib.sh"
running dojo-weird-conf
mounted dojo-weird-conf bind /etc/dojo.conf
exec_has dojo-weird-conf 'greeting = welcome to the dojo' cat /etc/dojo.conf

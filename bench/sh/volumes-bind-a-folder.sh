. "$(dirname "$0")/lib.sh"
running dojo-vol-bind
mounted dojo-vol-bind bind /shared
exec_ok dojo-vol-bind ls /shared/README.txt
exec_has dojo-vol-bind 'hello from the host' cat /shared/hello.txt

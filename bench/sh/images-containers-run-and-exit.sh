. "$(dirname "$0")/lib.sh"
exists dojo-ic-hello
state dojo-ic-hello exited 0
logs_has dojo-ic-hello 'hello from dojo'

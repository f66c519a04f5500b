#!/bin/sh
# greet NAME...: says hello to everyone it is given.
if [ $# -eq 0 ]; then
	echo "greet: whom should I greet? Give me a name." >&2
	exit 2
fi
for name in "$@"; do
	echo "Hello, $name!"
done

. "$(dirname "$0")/lib.sh"
device dojo-cap-dev /dev/null /dev/dojo-null
running dojo-cap-dev

. "$(dirname "$0")/lib.sh"
exists dojo-ic-later
status dojo-ic-later created

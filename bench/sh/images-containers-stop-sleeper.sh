. "$(dirname "$0")/lib.sh"
exists dojo-ic-sleeper
state dojo-ic-sleeper exited 137

. "$(dirname "$0")/lib.sh"
running dojo-try-mc
env_is dojo-try-mc EULA=TRUE
port dojo-try-mc 25565/tcp 25565
vol_mount dojo-try-mc dojo-try-mc-data /data
vol_file dojo-try-mc-data eula.txt eula=true
logs_has dojo-try-mc 'For help, type "help"'

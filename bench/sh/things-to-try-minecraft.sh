. "$(dirname "$0")/lib.sh"
running dojo-try-mc
docker inspect -f '{{join .Config.Env "\n"}}' dojo-try-mc | grep -q '^EULA='
exec_re dojo-try-mc '^true$' sh -c 'echo "$EULA" | tr A-Z a-z'
port dojo-try-mc 25565/tcp 25565
vol_mount dojo-try-mc dojo-try-mc-data /data
vol_file dojo-try-mc-data eula.txt eula=true
logs_has dojo-try-mc 'For help, type "help"'

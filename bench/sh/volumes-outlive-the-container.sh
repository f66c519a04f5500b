. "$(dirname "$0")/lib.sh"
vol dojo-vol-data
vol_file dojo-vol-data note.txt 'still here'
absent dojo-vol-writer
running dojo-vol-reader
vol_mount dojo-vol-reader dojo-vol-data /data
exec_has dojo-vol-reader 'still here' cat /data/note.txt

. "$(dirname "$0")/lib.sh"
running dojo-ic-box
exec_re dojo-ic-box '^12\.' cat /etc/debian_version
exec_has dojo-ic-box 'dojo was here' cat /root/visited.txt

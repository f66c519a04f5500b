. "$(dirname "$0")/lib.sh"
net dojo-net-front bridge
running dojo-net-site
on_net dojo-net-site dojo-net-front
port dojo-net-site 80/tcp 8090
http_has "$(url dojo-net-site 80/tcp)/" 'It works!'

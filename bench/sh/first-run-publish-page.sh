. "$(dirname "$0")/lib.sh"
exists dojo-web
running dojo-web
port dojo-web 80/tcp 8080
http_file "$(url dojo-web 80/tcp)/" "$ws/site/index.html"

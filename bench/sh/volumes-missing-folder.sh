. "$(dirname "$0")/lib.sh"
running dojo-vol-site
port dojo-vol-site 80/tcp 8095
mounted dojo-vol-site bind /usr/local/apache2/htdocs
exec_ok dojo-vol-site ls /usr/local/apache2/htdocs/index.html
http_file "$(url dojo-vol-site 80/tcp)/" "$ws/www/index.html"

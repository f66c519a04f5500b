package exercisecmd

import "testing"

// TestIsCommand tells a hint that is a line to type, printed whole, from a
// sentence, wrapped at its spaces.
func TestIsCommand(t *testing.T) {
	for _, tt := range []struct {
		hint string
		want bool
	}{
		{`docker run -d --name dojo-web -p 8080:80 -v "$PWD/site":/usr/local/apache2/htdocs:ro httpd:2.4`, true},
		{"docker network create --subnet 10.234.53.0/24 dojo-try-dns-net; docker run -d --name dojo-try-dns --network dojo-try-dns-net --ip 10.234.53.53 4km3/dnsmasq:2.90-r3 --address=/dojo.test/10.1.2.3", true},
		{"docker run -d --name dojo-cap-net --cap-add NET_ADMIN busybox:1.36 sh -c 'ip addr add 192.0.2.10/32 dev lo && sleep 3600'", true},
		{`docker run -d --name dojo-weird-conf --mount type=bind,source="$PWD/dojo.conf",target=/etc/dojo.conf,readonly busybox:1.36 sleep 3600`, true},
		{"docker cp dojo-ic-box:/root/visited.txt .", true},
		{`cat /etc/debian_version > /root/debian.txt; dpkg -S "$(command -v head)" | cut -d: -f1 >> /root/debian.txt`, true},
		{"RUN apt-get install -y /tmp/dojo-motd_1.0_all.deb", true},
		{"Work in the exercise's workspace folder (`dockdojo start` prints it).", false},
		{"docker create takes the same options as docker run, such as --name.", false},
		{"docker run -d --name dojo-ic-sleeper busybox:1.36 sleep 3600, then `docker ps` to see it running.", false},
		{"docker run -d --name dojo-net-ping --network dojo-net-lan busybox:1.36 sleep 3600 (and the same for dojo-net-pong)", false},
		{"docker stop dojo-ic-sleeper waits up to 10 seconds before it kills the container; `docker ps -a` then shows Exited (137).", false},
		{"apt-get takes the same `install -y` and the same path as apt did.", false},
		{`/etc/os-release is a list of KEY="value" lines; PRETTY_NAME is the one you want.`, false},
		{"-i keeps its input open and -t gives it a terminal; combine them with -d as one flag: -dit.", false},
		{`ports and volumes take lists of "HOST:CONTAINER" strings, and a volume's host path may be relative to the compose.yaml.`, false},
		{"A plain name before the colon of -v makes a named volume", false},
		{"docker run\ndocker ps", false},
		{"ports and networks look like web's; the build is one line, `build: ./monitor`", false},
		{"echo 'it is open", false},
	} {
		if got := isCommand(tt.hint); got != tt.want {
			t.Errorf("isCommand(%q) = %v, want %v", tt.hint, got, tt.want)
		}
	}
}

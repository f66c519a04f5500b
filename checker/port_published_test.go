package checker

import "testing"

func TestPortPublished(t *testing.T) {
	runFakeCases(t, []fakeCase{
		{name: "port on wrong host port", spec: &PortPublished{Container: "dojo-web", Port: "80", HostPort: "8080"}, want: "is published on host port 8081, expected 8080"},
		{name: "port not published", spec: &PortPublished{Container: "dojo-web", Port: "443/tcp"}, want: "port 443/tcp of dojo-web is not published; it publishes port 80/tcp on host port 8081 (`-p 8081:80`). Ports are published when a container is made: remove it (`docker rm -f dojo-web`) and run it again with `-p HOST:443`"},
		{name: "port any host port", spec: &PortPublished{Container: "dojo-web", Port: "80"}},
		{name: "the way again keeps the address asked for", spec: &PortPublished{Container: "dojo-web", Port: "80", HostPort: "8080", HostIP: "127.0.0.1"},
			want: "is published on host port 8081, expected 8080. Ports are published when a container is made: remove it (`docker rm -f dojo-web`) and run it again with `-p 127.0.0.1:8080:80`"},
		{name: "Compose made it: the way again is the compose file", spec: &PortPublished{Container: "dojo-cmp", Port: "80", HostPort: "8110"},
			want: "port 80/tcp of dojo-cmp is not published; it publishes port 8110/tcp on host port 80 (`-p 80:8110`). Ports are published when a container is made: make its service's `ports:` in the compose file read \"8110:80\", and run `docker compose up -d` again in its folder"},
	})
}

func TestPortsInRange(t *testing.T) {
	runValidateCases(t, []validateCase{
		{"a container port out of range", &PortPublished{Container: "a", Port: "99999"}, []string{"port: from 1 to 65535"}},
		{"a host port out of range", &PortPublished{Container: "a", Port: "80/udp", HostPort: "70000"}, []string{"host_port: from 1 to 65535"}},
		{"port 0", &HTTPGet{Container: "a", Port: "0"}, []string{"port: from 1 to 65535"}},
		{"exposed port out of range", &ImageConfig{Image: "dojo-app:1.0", ExposedPorts: []string{"65536/tcp"}}, []string{"exposed_ports: from 1 to 65535"}},
		{"the highest port", &PortPublished{Container: "a", Port: "65535/tcp", HostPort: "65535"}, nil},
	})
}

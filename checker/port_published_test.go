package checker

import "testing"

func TestPortPublished(t *testing.T) {
	runFakeCases(t, []fakeCase{
		{name: "port on wrong host port", spec: &PortPublished{Container: "dojo-web", Port: "80", HostPort: "8080"}, want: "is published on host port 8081, expected 8080"},
		{name: "port not published", spec: &PortPublished{Container: "dojo-web", Port: "443/tcp"}, want: "port 443/tcp of dojo-web is not published; found 80/tcp -> 8081"},
		{name: "port any host port", spec: &PortPublished{Container: "dojo-web", Port: "80"}},
	})
}

package sandbox

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckBindSource(t *testing.T) {
	dir := t.TempDir()
	// A symlink with an innocent name that leads to a socket.
	sock := filepath.Join(dir, "engine", "docker.sock")
	if err := os.MkdirAll(filepath.Dir(sock), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sock, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "innocent")
	if err := os.Symlink(sock, link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		src     string
		extra   []string
		wantErr string // substring; "" means allowed
	}{
		{name: "workspace", src: filepath.Join(dir, "workspace")},
		{name: "relative", src: "workspace", wantErr: "must be an absolute host path"},
		{name: "dot relative", src: "./docker", wantErr: "must be an absolute host path"},
		{name: "the socket", src: "/var/run/docker.sock", wantErr: "Docker socket"},
		{name: "socket under run", src: "/run/docker.sock", wantErr: "Docker socket"},
		{name: "unclean path to the socket", src: "/var/run/../run/./docker.sock", wantErr: "Docker socket"},
		{name: "any docker.sock", src: "/home/me/.docker/run/docker.sock", wantErr: "Docker socket"},
		{name: "inside a docker.sock path", src: "/srv/docker.sock/x", wantErr: "Docker socket"},
		{name: "docker dir under /var/run", src: "/var/run/docker", wantErr: "Docker socket"},
		{name: "inside docker dir under /run", src: "/run/docker/netns", wantErr: "Docker socket"},
		{name: "dockerd pid under /run", src: "/run/dockerd.pid", wantErr: "Docker socket"},
		{name: "the socket's directory", src: "/var/run", wantErr: "Docker socket"},
		{name: "the root", src: "/", wantErr: "Docker socket"},
		{name: "the engine's own socket dir", src: "/srv/engine", extra: []string{"/srv/engine/api.sock"}, wantErr: "Docker socket"},
		{name: "symlink to the socket", src: link, wantErr: "Docker socket"},
		{name: "unrelated run dir", src: "/run/user"},
		{name: "docker-ish name elsewhere", src: "/home/me/docker-lesson"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkBindSource(tt.src, tt.extra)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("checkBindSource(%q) = %v, want allowed", tt.src, err)
			case tt.wantErr != "" && err == nil:
				t.Errorf("checkBindSource(%q) allowed, want refusal", tt.src)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Errorf("checkBindSource(%q) = %v, want it to mention %q", tt.src, err, tt.wantErr)
			}
		})
	}
}

func TestImageMatches(t *testing.T) {
	const id = "sha256:05392c4baa23aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	tags := []string{"busybox:1.36", "registry.example.com/team/tool:v1"}
	digests := []string{"busybox@sha256:1111111111111111111111111111111111111111111111111111111111111111"}
	tests := []struct {
		ref  string
		want bool
	}{
		{"busybox:1.36", true},
		{"docker.io/library/busybox:1.36", true},
		{"busybox", false}, // means busybox:latest
		{"busybox:1.3", false},
		{"registry.example.com/team/tool:v1", true},
		{"tool:v1", false},
		{"busybox@sha256:1111111111111111111111111111111111111111111111111111111111111111", true},
		{"busybox@sha256:2222222222222222222222222222222222222222222222222222222222222222", false},
		{id, true},
		{strings.TrimPrefix(id, "sha256:"), true},
		{"05392c4baa23", false}, // an ID prefix is not a name
	}
	for _, tt := range tests {
		got, err := imageMatches(tt.ref, id, tags, digests)
		if err != nil || got != tt.want {
			t.Errorf("imageMatches(%q) = %v, %v; want %v", tt.ref, got, err, tt.want)
		}
	}
}

func TestPortBindings(t *testing.T) {
	exposed, bindings, err := portBindings(map[string]string{"80/tcp": "8080", "53/udp": "", "443": "8443"})
	if err != nil {
		t.Fatal(err)
	}
	if len(exposed) != 3 {
		t.Errorf("exposed = %v, want 3 ports", exposed)
	}
	for p, bs := range bindings {
		if len(bs) != 1 || bs[0].HostIP != "127.0.0.1" {
			t.Errorf("binding for %s = %+v, want one on 127.0.0.1", p, bs)
		}
	}
	if got := bindings["443/tcp"]; len(got) != 1 || got[0].HostPort != "8443" {
		t.Errorf("443 without a protocol = %+v, want 443/tcp -> 8443", got)
	}
	for _, bad := range []map[string]string{{"web": "80"}, {"80/tcp": "eighty"}, {"": "80"}} {
		if _, _, err := portBindings(bad); err == nil {
			t.Errorf("portBindings(%v) accepted, want an error", bad)
		}
	}
}

func TestPortInUse(t *testing.T) {
	for _, tt := range []struct {
		msg, port string
		ok        bool
	}{
		{"driver failed programming external connectivity on endpoint dojo-web (3f2a): Bind for 0.0.0.0:8080 failed: port is already allocated", "8080", true},
		{"driver failed programming external connectivity on endpoint dojo-web (3f2a): Error starting userland proxy: listen tcp4 0.0.0.0:8081: bind: address already in use", "8081", true},
		{"Ports are not available: exposing port TCP 0.0.0.0:8082 -> 0.0.0.0:0: listen tcp 0.0.0.0:8082: bind: address already in use", "8082", true},
		{"Error starting userland proxy: listen tcp6 [::]:8083: bind: address already in use", "8083", true},
		{"OCI runtime create failed: exec: \"nosuch\": executable file not found in $PATH", "", false},
		{"", "", false},
	} {
		if port, ok := PortInUse(tt.msg); port != tt.port || ok != tt.ok {
			t.Errorf("PortInUse(%q) = %q, %v; want %q, %v", tt.msg, port, ok, tt.port, tt.ok)
		}
	}
}

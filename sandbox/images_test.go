package sandbox

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/docker/docker/client"
)

func TestNormalizeImage(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"busybox", "busybox:latest", ""},
		{"busybox:1.36", "busybox:1.36", ""},
		{"docker.io/library/busybox:1.36", "busybox:1.36", ""},
		{"itzg/minecraft-server:2024.10.2", "itzg/minecraft-server:2024.10.2", ""},
		{"localhost:5000/x", "localhost:5000/x:latest", ""},
		{"Busybox:1.36", "", "not a valid image reference"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeImage(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("NormalizeImage(%q) = %q, %v; want an error with %q", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("NormalizeImage(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestMirrorRef(t *testing.T) {
	const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	tests := []struct {
		name, ref, mirror, want string
		ok                      bool
		err                     string
	}{
		{"official image", "busybox:1.36", "10.0.0.5:5000", "10.0.0.5:5000/library/busybox:1.36", true, ""},
		{"no tag means latest", "busybox", "registry.lan", "registry.lan/library/busybox:latest", true, ""},
		{"user image", "itzg/minecraft-server:2024.10.2", "127.0.0.1:5000", "127.0.0.1:5000/itzg/minecraft-server:2024.10.2", true, ""},
		{"written in full", "docker.io/library/httpd:2.4", "localhost:5000", "localhost:5000/library/httpd:2.4", true, ""},
		{"other registry is pulled as named", "ghcr.io/acme/tool:1", "10.0.0.5:5000", "ghcr.io/acme/tool:1", false, ""},
		{"digest is pulled as named", "busybox@" + digest, "10.0.0.5:5000", "busybox@" + digest, false, ""},
		{"scheme refused", "busybox:1.36", "http://10.0.0.5:5000", "", false, "without a scheme"},
		{"path refused", "busybox:1.36", "10.0.0.5:5000/mirror", "", false, "HOST or HOST:PORT"},
		{"bare name is a hub name", "busybox:1.36", "teacher", "", false, "add the port"},
		{"bad image", "Bad:1", "10.0.0.5:5000", "", false, "not a valid image reference"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := MirrorRef(tt.ref, tt.mirror)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("MirrorRef(%q, %q) = %q, %v, %v; want an error with %q", tt.ref, tt.mirror, got, ok, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want || ok != tt.ok {
				t.Errorf("MirrorRef(%q, %q) = %q, %v, %v; want %q, %v", tt.ref, tt.mirror, got, ok, err, tt.want, tt.ok)
			}
		})
	}
}

// TestNamedImage: an image the learner builds is named by NAME[:TAG]; an ID,
// a short hex ID and a digest name whatever image has them, and are refused
// as such, and an invalid reference says why the parser refused it.
func TestNamedImage(t *testing.T) {
	const hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	tests := []struct {
		ref  string
		want error  // nil: allowed, unless err is set
		err  string // in the error of an invalid reference
	}{
		{ref: "dojo-app:1.0"},
		{ref: "dojo-app"},
		{ref: "registry.lan:5000/team/dojo-app:1.0"},
		{ref: "a1b2c3d4e5f6:1.0"}, // a tag: the engine reads it as a name
		{ref: "cafe-app"},
		{ref: "sha256:" + hex64, want: ErrImageID},
		{ref: hex64, want: ErrImageID},
		{ref: "a1b2c3d4e5f6", want: ErrImageID},
		{ref: "sha256:a1b2c3", want: ErrImageID},
		{ref: "sha512:" + hex64 + hex64, want: ErrImageID},
		{ref: "dojo-app@sha256:" + hex64, want: ErrImageDigest},
		{ref: "dojo-app:1.0@sha256:" + hex64, want: ErrImageDigest},
		{ref: "Bad Name", err: "invalid reference format"},
		{ref: "UPPER:case", err: "must be lowercase"},
		{ref: "x::y", err: "invalid reference format"},
		{ref: "", err: "invalid reference format"},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			err := NamedImage(tt.ref)
			switch {
			case tt.err != "":
				if err == nil || !strings.Contains(err.Error(), "is not a valid image reference: ") || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("NamedImage(%q) = %v; want an invalid reference, %q", tt.ref, err, tt.err)
				}
			case !errors.Is(err, tt.want) || (tt.want == nil && err != nil):
				t.Errorf("NamedImage(%q) = %v; want %v", tt.ref, err, tt.want)
			}
		})
	}
}

// TestRemoveImageRefusesIDs: RemoveImage of an ID or a digest is refused
// before the engine is asked anything, so no image goes, whichever it is.
func TestRemoveImageRefusesIDs(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the engine was asked %s %s", r.Method, r.URL.Path)
		http.Error(w, `{"message":"no"}`, http.StatusInternalServerError)
	}))
	defer srv.Close()
	cli, err := client.NewClientWithOpts(client.WithHost("tcp://"+srv.Listener.Addr().String()), client.WithVersion("1.41"))
	if err != nil {
		t.Fatal(err)
	}
	e := &Engine{cli: cli, ep: Endpoint{Host: srv.URL}}
	const hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	for _, ref := range []string{"sha256:" + hex64, hex64, "a1b2c3d4e5f6", "busybox@sha256:" + hex64} {
		err := e.RemoveImage(context.Background(), ref)
		if err == nil || errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "refuse to remove the image") {
			t.Errorf("RemoveImage(%q) = %v; want it refused", ref, err)
		}
	}
}

// TestFollowPull feeds a recorded pull stream and checks the progress it
// reports and the error a failed pull ends with.
func TestFollowPull(t *testing.T) {
	stream := `{"status":"Pulling from library/httpd","id":"2.4"}
{"status":"Already exists","progressDetail":{},"id":"aaa"}
{"status":"Pulling fs layer","progressDetail":{},"id":"bbb"}
{"status":"Downloading","progressDetail":{"current":100,"total":400},"progress":"[==>  ]","id":"bbb"}
{"status":"Download complete","progressDetail":{},"id":"bbb"}
{"status":"Extracting","progressDetail":{"current":400,"total":400},"id":"bbb"}
{"status":"Pull complete","progressDetail":{},"id":"bbb"}
{"status":"Digest: sha256:abc"}
{"status":"Status: Downloaded newer image for httpd:2.4"}
`
	var events []PullEvent
	if err := followPull(strings.NewReader(stream), "httpd:2.4", func(e PullEvent) { events = append(events, e) }); err != nil {
		t.Fatal(err)
	}
	if len(events) != 9 {
		t.Fatalf("got %d events, want 9: %+v", len(events), events)
	}
	if e := events[3]; e.Layers != 2 || e.Done != 1 || e.Current != 100 || e.Total != 400 || e.Status != "Downloading" {
		t.Errorf("while downloading: %+v", e)
	}
	if e := events[len(events)-1]; e.Ref != "httpd:2.4" || e.Layers != 2 || e.Done != 2 || e.Current != 400 || e.Total != 400 {
		t.Errorf("at the end: %+v", e)
	}

	failed := `{"status":"Pulling from library/nope","id":"1"}
{"errorDetail":{"message":"manifest for nope:1 not found"},"error":"manifest for nope:1 not found"}
`
	err := followPull(strings.NewReader(failed), "nope:1", nil)
	if err == nil || !strings.Contains(err.Error(), "manifest for nope:1 not found") {
		t.Errorf("failed pull: err = %v", err)
	}
}

func TestDetectKind(t *testing.T) {
	tests := []struct {
		name     string
		hints    KindHints
		kind     string
		rootless bool
	}{
		{"Debian engine", KindHints{OperatingSystem: "Debian GNU/Linux 12 (bookworm)", SecurityOptions: []string{"name=seccomp,profile=default"}, Components: []string{"Engine", "containerd", "runc", "docker-init"}}, KindDockerEngine, false},
		{"rootless", KindHints{OperatingSystem: "Ubuntu 24.04 LTS", SecurityOptions: []string{"name=seccomp,profile=builtin", "name=rootless", "name=cgroupns"}}, KindDockerEngine, true},
		{"Docker Desktop", KindHints{OperatingSystem: "Docker Desktop", Platform: "Docker Desktop 4.34.0 (165256)", SecurityOptions: []string{"name=seccomp,profile=unconfined", "name=cgroupns"}}, KindDockerDesktop, false},
		{"Podman", KindHints{OperatingSystem: "fedora", Platform: "linux/amd64/fedora-40", Components: []string{"Podman Engine", "Conmon", "OCI Runtime (crun)"}, SecurityOptions: []string{"name=seccomp,profile=default", "name=rootless"}}, KindPodman, true},
		{"nothing said", KindHints{}, KindDockerEngine, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, rootless := DetectKind(tt.hints)
			if kind != tt.kind || rootless != tt.rootless {
				t.Errorf("DetectKind = %q, %v; want %q, %v", kind, rootless, tt.kind, tt.rootless)
			}
		})
	}
}

func TestNormalizeArch(t *testing.T) {
	for in, want := range map[string]string{"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64", "s390x": "s390x"} {
		if got := NormalizeArch(in); got != want {
			t.Errorf("NormalizeArch(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSocketPath(t *testing.T) {
	for host, want := range map[string]string{
		"unix:///var/run/docker.sock": "/var/run/docker.sock",
		"tcp://10.0.0.1:2376":         "",
		"npipe:////./pipe/docker":     "",
	} {
		if got := SocketPath(Endpoint{Host: host}); got != want {
			t.Errorf("SocketPath(%q) = %q, want %q", host, got, want)
		}
	}
}

package exercise

import (
	"context"
	"net"
	"net/http"
	"net/http/httputil"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// recordingEngine is an engine connection whose requests pass through a
// proxy that notes each one's method and path, for tests of what a command
// asks the engine.
func recordingEngine(t *testing.T) (*sandbox.Engine, func() []string) {
	t.Helper()
	sandboxtest.Engine(t) // fails in CI, skips elsewhere, without an engine
	home, _ := os.UserHomeDir()
	ep, err := sandbox.Resolve(os.Getenv, home)
	if err != nil {
		t.Fatal(err)
	}
	real, ok := strings.CutPrefix(ep.Host, "unix://")
	if !ok {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the engine is at %s; this test records requests on a unix socket only", ep.Host)
		}
		t.Skipf("the engine is at %s; this test records requests on a unix socket only: run it against a local engine", ep.Host)
	}
	var mu sync.Mutex
	var seen []string
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			mu.Lock()
			seen = append(seen, r.In.Method+" "+r.In.URL.Path)
			mu.Unlock()
			r.Out.URL.Scheme, r.Out.URL.Host = "http", "docker"
		},
		Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", real)
		}},
	}
	sock := filepath.Join(t.TempDir(), "engine.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: proxy, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	getenv := func(k string) string {
		if k == "DOCKER_HOST" {
			return "unix://" + sock
		}
		return os.Getenv(k)
	}
	eng, err := sandbox.Connect(context.Background(), getenv, home)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = eng.Close() })
	return eng, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(seen)
	}
}

// TestStartAndResetListImagesOnlyForAnExerciseThatBuilds keeps the image
// list, the engine's costliest, out of the start and reset of an exercise
// whose checks build nothing, and in those of one that builds.
func TestStartAndResetListImagesOnlyForAnExerciseThatBuilds(t *testing.T) {
	eng, seen := recordingEngine(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	listsImages := func() bool {
		return slices.ContainsFunc(seen(), func(r string) bool { return strings.HasSuffix(r, "/images/json") })
	}

	ex := load(t)
	resetWhenDone(t, eng, ex)
	if _, err := Start(ctx, eng, ex, t.TempDir(), Output{W: os.Stderr}); err != nil {
		t.Fatal(err)
	}
	if _, err := Reset(ctx, eng, ex, func([]Object) (bool, error) { return true, nil }); err != nil {
		t.Fatal(err)
	}
	if len(seen()) == 0 {
		t.Fatal("no request passed the recording proxy: this test could not see an image list either")
	}
	if listsImages() {
		t.Errorf("start and reset of %s, whose checks build nothing, listed images:\n%s", ex.Key(), strings.Join(seen(), "\n"))
	}

	builds := firstExercise(t, fstest.MapFS{"built/lesson.md": {Data: []byte(strings.NewReplacer(
		"id: extest", "id: built",
		"checks:\n", "checks:\n  - kind: image_run\n    title: the workspace builds\n    build: .\n",
	).Replace(lesson))}, "built/starter.txt": {Data: []byte("starter\n")}})
	if _, err := Reset(ctx, eng, builds, func([]Object) (bool, error) { return true, nil }); err != nil {
		t.Fatal(err)
	}
	if !listsImages() {
		t.Errorf("reset of %s, whose check builds its workspace, did not list the images it may have built", builds.Key())
	}
}

package sandboxtest

import (
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// StallingEngine serves a fake engine on a unix socket of its own: it
// answers /_ping and /version as a Docker 20.10 engine does, and then never
// answers anything else, as a wedged engine (a Docker Desktop VM that hangs,
// a daemon stuck on a lock) does. It returns the socket as a DOCKER_HOST
// value. The server stops when the test ends.
func StallingEngine(t testing.TB) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "stalling.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Api-Version", "1.41")
		w.Header().Set("Ostype", "linux")
		switch {
		case strings.HasSuffix(r.URL.Path, "/_ping"):
			_, _ = w.Write([]byte("OK"))
		case strings.HasSuffix(r.URL.Path, "/version"):
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"Version":"20.10.24","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64"}`))
		default:
			select { // never answers
			case <-stop:
			case <-r.Context().Done():
			}
		}
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		close(stop)
		_ = srv.Close()
	})
	return "unix://" + sock
}

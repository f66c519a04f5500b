package sandboxtest

import (
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// StallingEngine serves a fake engine on a unix socket of its own: it
// answers /_ping and /version as a Docker 20.10 engine does, and then never
// answers anything else, as a wedged engine (a Docker Desktop VM that hangs,
// a daemon stuck on a lock every request takes) does. It returns the socket
// as a DOCKER_HOST value. The server stops when the test ends.
func StallingEngine(t testing.TB) string {
	t.Helper()
	return fakeEngine(t, func(w http.ResponseWriter, r *http.Request, stop <-chan struct{}) {
		select { // never answers
		case <-stop:
		case <-r.Context().Done():
		}
	})
}

// BusyEngine serves a fake engine that is well but busy with a container,
// as an engine is while it starts or stops one on a loaded machine: it
// answers /_ping, /version and the list of containers at once, and the
// inspect of any container only after hold (the container lock), with a
// running container of that name.
func BusyEngine(t testing.TB, hold time.Duration) string {
	t.Helper()
	return fakeEngine(t, func(w http.ResponseWriter, r *http.Request, stop <-chan struct{}) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/containers/json") {
			_, _ = w.Write([]byte("[]"))
			return
		}
		name, ok := strings.CutSuffix(r.URL.Path[strings.Index(r.URL.Path, "/containers/")+len("/containers/"):], "/json")
		if !ok || !strings.Contains(r.URL.Path, "/containers/") {
			w.WriteHeader(http.StatusNotImplemented)
			return
		}
		select {
		case <-time.After(hold):
		case <-stop:
			return
		case <-r.Context().Done():
			return
		}
		fmt.Fprintf(w, `{"Id":"f00d","Name":"/%s","Created":"2026-12-03T12:00:00Z","State":{"Status":"running","Running":true},"Config":{},"HostConfig":{}}`, name)
	})
}

// SlowCreateEngine serves a fake engine that takes hold to create a
// container, and creates it even when the client has given up meanwhile,
// as an engine does: the request is its to finish. It answers the list of
// containers, a start and a removal at once. seen lists the requests it was sent, as "METHOD
// path" with the API version left out, in order.
func SlowCreateEngine(t testing.TB, hold time.Duration) (host string, seen func() []string) {
	t.Helper()
	var mu sync.Mutex
	var got []string
	host = fakeEngine(t, func(w http.ResponseWriter, r *http.Request, stop <-chan struct{}) {
		path := r.URL.Path
		if i := strings.Index(path[1:], "/"); strings.HasPrefix(path, "/v") && i > 0 {
			path = path[i+1:]
		}
		mu.Lock()
		got = append(got, r.Method+" "+path)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodPost && strings.HasSuffix(path, "/containers/create"):
			select {
			case <-time.After(hold):
			case <-stop:
				return
			}
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte(`{"Id":"f00d","Warnings":[]}`))
		case r.Method == http.MethodGet && strings.HasSuffix(path, "/containers/json"):
			_, _ = w.Write([]byte("[]"))
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	})
	return host, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), got...)
	}
}

// OfflineEngine serves a fake engine on a machine without internet: it
// has no image, and a pull fails as an engine's does when no registry can
// be reached (the name of Docker Hub does not resolve).
func OfflineEngine(t testing.TB) string {
	t.Helper()
	return fakeEngine(t, func(w http.ResponseWriter, r *http.Request, stop <-chan struct{}) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/images/create"):
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"message":"Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io on 127.0.0.53:53: no such host"}`))
		case strings.Contains(r.URL.Path, "/images/"):
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"message":"No such image: busybox:1.36"}`))
		default:
			w.WriteHeader(http.StatusNotImplemented)
		}
	})
}

// fakeEngine serves /_ping and /version as a Docker 20.10 engine does, and
// every other request with rest, on a unix socket of its own; it returns
// the socket as a DOCKER_HOST value.
func fakeEngine(t testing.TB, rest func(w http.ResponseWriter, r *http.Request, stop <-chan struct{})) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "engine.sock")
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
			rest(w, r, stop)
		}
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		close(stop)
		_ = srv.Close()
	})
	return "unix://" + sock
}

package checker

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// TestHTTPGetWhileTheServerStarts asks, right after `docker run -d`, servers
// that are not listening yet: one that listens after a while is waited for,
// one that never listens is reported once Warmup is over, and one that dies
// first is reported as stopped.
func TestHTTPGetWhileTheServerStarts(t *testing.T) {
	eng, labels, ctx := onEngine(t, 2*time.Minute)
	id := suffix()
	serve := "mkdir -p /www && echo dojo-hello > /www/index.html && sleep 2 && exec httpd -f -p 8080 -h /www"
	tests := []struct {
		name, script, want string
	}{
		{"listens after two seconds", serve, ""},
		{"never listens", "exec sleep 300", "nothing answered at"},
		{"dies before it listens", "sleep 2; exit 3", "stopped before it answered at"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := "dojotest-http-" + id + "-" + string(rune('a'+i))
			docker(t, labels, "run", "-d", "--name", name, "-p", "127.0.0.1:"+sandboxtest.FreePort(t)+":8080", "busybox:1.36", "sh", "-c", tt.script)
			res, err := runAll(ctx, Env{Target: eng}, []Check{{Spec: &HTTPGet{Container: name, Port: "8080", BodyContains: "dojo-hello"}}})
			if err != nil {
				t.Fatal(err)
			}
			judge(t, res.Outcomes[0], tt.want)
		})
	}
}

func TestNotListening(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{&url.Error{Op: "Get", URL: "http://127.0.0.1:1/", Err: &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}, true},
		{&url.Error{Op: "Get", URL: "http://127.0.0.1:1/", Err: io.EOF}, true},
		{&url.Error{Op: "Get", URL: "http://127.0.0.1:1/", Err: errors.New("http: server closed idle connection")}, true},
		{&url.Error{Op: "Get", URL: "http://127.0.0.1:1/", Err: context.DeadlineExceeded}, false},
	} {
		if got := notListening(tt.err); got != tt.want {
			t.Errorf("notListening(%v) = %v; want %v", tt.err, got, tt.want)
		}
	}
}

// TestPagePath: an http_get path names a page on the container's server,
// never another host.
func TestPagePath(t *testing.T) {
	for _, p := range []string{"", "/", "/index.html", "/api?q=1", "/a%20b/", "/@me"} {
		if _, err := pagePath(p); err != nil {
			t.Errorf("pagePath(%q): %v", p, err)
		}
	}
	for _, p := range []string{"@127.0.0.1:18999/secret.txt", "index.html", "//other/x", "http://other/", "/x#top", "/a b", ":80/x"} {
		if _, err := pagePath(p); err == nil || !strings.Contains(err.Error(), "starting with one /") {
			t.Errorf("pagePath(%q) = %v, want it refused", p, err)
		}
	}
}

// hostTarget is a fake engine whose published ports are on loopback.
type hostTarget struct{ fakeTarget }

func (hostTarget) HostAddress() string { return "127.0.0.1" }

// TestHTTPGetAsksOnlyTheBinding: whatever the path says and wherever the
// server redirects, the check asks only the container's own published
// port, and shows nothing of another server.
func TestHTTPGetAsksOnlyTheBinding(t *testing.T) {
	asked := make(chan string, 10)
	secret := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked <- r.URL.Path
		io.WriteString(w, "TOP-SECRET")
	}))
	defer secret.Close()
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, secret.URL+"/secret.txt", http.StatusFound)
		case "/dir":
			http.Redirect(w, r, "/dir/", http.StatusMovedPermanently)
		default:
			io.WriteString(w, "page "+r.URL.Path)
		}
	}))
	defer web.Close()
	_, port, _ := net.SplitHostPort(web.Listener.Addr().String())
	_, secretPort, _ := net.SplitHostPort(secret.Listener.Addr().String())
	env := Env{Target: hostTarget{fakeTarget{containers: map[string]sandbox.Container{
		"web": {Name: "web", Running: true, Ports: map[string][]sandbox.Binding{"80/tcp": {{HostIP: "127.0.0.1", HostPort: port}}}},
	}}}}

	for _, tc := range []struct {
		path, want string
	}{
		{"/dir", ""}, // a redirect on the same server is followed
		{"/away", "answered 302 Found, expected 200 OK: it sends you to " + secret.URL + "/secret.txt, which the check does not follow"},
	} {
		msg, err := (&HTTPGet{Container: "web", Port: "80", Path: tc.path, BodyContains: "page"}).Run(context.Background(), env)
		if err != nil || (tc.want == "" && msg != "") || !strings.Contains(msg, tc.want) || strings.Contains(msg, "TOP-SECRET") {
			t.Errorf("path %s: %q, %v; want %q", tc.path, msg, err, tc.want)
		}
	}
	// A path that names another host, had lint let it through, is an
	// error, and asks no one.
	if msg, err := (&HTTPGet{Container: "web", Port: "80", Path: "@127.0.0.1:" + secretPort + "/secret.txt"}).Run(context.Background(), env); err == nil {
		t.Errorf("a path naming another host gave the verdict %q", msg)
	}
	select {
	case p := <-asked:
		t.Errorf("the other server was asked for %s", p)
	default:
	}
}

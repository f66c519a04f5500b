package checker

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"
	"time"

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

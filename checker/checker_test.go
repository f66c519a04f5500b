package checker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
)

// fakeTarget embeds the interface and overrides what a test needs.
type fakeTarget struct {
	Target
	containers map[string]sandbox.Container
	exec       sandbox.ExecResult
	err        error
}

func (f fakeTarget) InspectContainer(_ context.Context, name string) (sandbox.Container, error) {
	if f.err != nil {
		return sandbox.Container{}, f.err
	}
	c, ok := f.containers[name]
	if !ok {
		return c, fmt.Errorf("container %s: %w", name, sandbox.ErrNotFound)
	}
	return c, nil
}

func (f fakeTarget) Exec(context.Context, string, []string) (sandbox.ExecResult, error) {
	return f.exec, nil
}

func TestUnreachableEngineIsAnError(t *testing.T) {
	target := fakeTarget{err: fmt.Errorf("ping: %w", sandbox.ErrUnreachable)}
	_, err := Run(context.Background(), Env{Target: target}, []lessons.Check{{Kind: "container_running", Container: "dojo-web"}})
	if !errors.Is(err, sandbox.ErrUnreachable) {
		t.Fatalf("Run = %v; want an error wrapping ErrUnreachable", err)
	}
}

func TestMessages(t *testing.T) {
	exit1 := 1
	web := sandbox.Container{Name: "dojo-web", Running: true, State: "running",
		Ports: map[string][]sandbox.Binding{"80/tcp": {{HostIP: "0.0.0.0", HostPort: "8081"}, {HostIP: "::", HostPort: "8081"}}}}
	stopped := sandbox.Container{Name: "dojo-old", State: "exited", ExitCode: 137}
	tests := []struct {
		name  string
		check lessons.Check
		exec  sandbox.ExecResult
		want  string // "" means the check passes
	}{
		{"missing container", lessons.Check{Kind: "container_exists", Container: "dojo-web-2"}, sandbox.ExecResult{}, "there is no container named dojo-web-2"},
		{"running", lessons.Check{Kind: "container_running", Container: "dojo-web"}, sandbox.ExecResult{}, ""},
		{"stopped", lessons.Check{Kind: "container_running", Container: "dojo-old"}, sandbox.ExecResult{}, "exists but is not running: it is exited with exit code 137"},
		{"port on wrong host port", lessons.Check{Kind: "port_published", Container: "dojo-web", Port: "80", HostPort: "8080"}, sandbox.ExecResult{}, "is published on host port 8081, expected 8080"},
		{"port not published", lessons.Check{Kind: "port_published", Container: "dojo-web", Port: "443/tcp"}, sandbox.ExecResult{}, "port 443/tcp of dojo-web is not published; found 80/tcp -> 8081"},
		{"port any host port", lessons.Check{Kind: "port_published", Container: "dojo-web", Port: "80"}, sandbox.ExecResult{}, ""},
		{"exec exit code", lessons.Check{Kind: "exec", Container: "dojo-web", Command: []string{"cat", "/x"}}, sandbox.ExecResult{ExitCode: 1, Stderr: "cat: /x: No such file or directory"}, "`cat /x` exited with 1, expected 0; it said: \"cat: /x: No such file or directory\""},
		{"exec expected failure", lessons.Check{Kind: "exec", Container: "dojo-web", Command: []string{"false"}, ExitCode: &exit1}, sandbox.ExecResult{ExitCode: 1}, ""},
		{"exec empty output", lessons.Check{Kind: "exec", Container: "dojo-web", Command: []string{"cat", "/x"}, OutputContains: "Debian"}, sandbox.ExecResult{}, "printed nothing; expected output containing \"Debian\""},
		{"exec wrong output", lessons.Check{Kind: "exec", Container: "dojo-web", Command: []string{"cat", "/x"}, OutputMatches: `^Debian`}, sandbox.ExecResult{Stdout: "Ubuntu\n"}, "printed \"Ubuntu\"; expected output matching ^Debian"},
		{"exec in privileged container", lessons.Check{Kind: "exec", Container: "dojo-root", Command: []string{"true"}}, sandbox.ExecResult{}, "will not run a lesson's command inside dojo-root: it is privileged"},
		{"exec in container with the socket", lessons.Check{Kind: "exec", Container: "dojo-sock", Command: []string{"true"}}, sandbox.ExecResult{}, "it holds the Docker socket"},
		{"exec in stopped container", lessons.Check{Kind: "exec", Container: "dojo-old", Command: []string{"true"}}, sandbox.ExecResult{}, "container dojo-old is not running"},
		{"exec without sandbox running", lessons.Check{Kind: "exec", Command: []string{"true"}}, sandbox.ExecResult{}, "start it with `dockdojo start first-run/x`"},
		{"explain is added", lessons.Check{Kind: "container_exists", Container: "nope", Explain: "Run it with docker run."}, sandbox.ExecResult{}, "\nRun it with docker run."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := sandbox.Container{Name: "dojo-root", Running: true, Privileged: true}
			sock := sandbox.Container{Name: "dojo-sock", Running: true, Mounts: []sandbox.Mount{{Type: "bind", Source: "/var/run/docker.sock", Destination: "/var/run/docker.sock"}}}
			target := fakeTarget{containers: map[string]sandbox.Container{"dojo-web": web, "dojo-old": stopped, "dojo-root": root, "dojo-sock": sock}, exec: tt.exec}
			env := Env{Target: target, Sandbox: "dockdojo-sbx", Exercise: "first-run/x"}
			res, err := Run(context.Background(), env, []lessons.Check{tt.check})
			if err != nil {
				t.Fatal(err)
			}
			o := res.Outcomes[0]
			if tt.want == "" {
				if !o.Passed {
					t.Fatalf("check failed: %s", o.Message)
				}
				return
			}
			if o.Passed {
				t.Fatalf("check passed; want a failure saying %q", tt.want)
			}
			if !strings.Contains(o.Message, tt.want) {
				t.Errorf("message = %q; want it to contain %q", o.Message, tt.want)
			}
		})
	}
}

func TestLookedUp(t *testing.T) {
	tests := []struct {
		name, out string
		want      []string
	}{
		{"new busybox", "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nNon-authoritative answer:\nName:\tdojo-db\nAddress: 172.18.0.3\n", []string{"172.18.0.3"}},
		{"old busybox", "Server:    127.0.0.11\nAddress 1: 127.0.0.11\n\nName:      dojo-db\nAddress 1: 172.18.0.3 dojo-db.dojo-net\n", []string{"172.18.0.3"}},
		{"not found", "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\n** server can't find dojo-db: NXDOMAIN\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lookedUp(tt.out)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("lookedUp = %v; want %v", got, tt.want)
			}
		})
	}
}

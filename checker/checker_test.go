package checker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dockdojo/dockdojo/sandbox"
)

// fakeTarget embeds the interface and overrides what a test needs.
type fakeTarget struct {
	Target
	containers map[string]sandbox.Container
	images     map[string]sandbox.Image // by tag, as `docker image ls` writes it
	exec       sandbox.ExecResult
	err        error
	// files are what a copy out of a container finds ("container:/path");
	// any other path is a link, which a check reads with cat (exec).
	files map[string]sandbox.FileRead
}

func (f fakeTarget) ContainerFile(_ context.Context, name, p string) (sandbox.FileRead, error) {
	if r, ok := f.files[name+":"+p]; ok {
		return r, nil
	}
	return sandbox.FileRead{Unread: true}, nil
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

func (f fakeTarget) Names(_ context.Context, kind string) ([]string, error) {
	var names []string
	switch kind {
	case "container":
		for n := range f.containers {
			names = append(names, n)
		}
	case "image":
		for n := range f.images {
			names = append(names, n)
		}
	}
	return names, nil
}

func (f fakeTarget) InspectImage(_ context.Context, ref string) (sandbox.Image, error) {
	if im, ok := f.images[ref]; ok {
		return im, nil
	}
	return sandbox.Image{}, fmt.Errorf("image %s: %w", ref, sandbox.ErrNotFound)
}

func (f fakeTarget) PortHolders(context.Context, string) ([]string, error) { return nil, nil }

func (f fakeTarget) Exec(context.Context, string, []string) (sandbox.ExecResult, error) {
	return f.exec, nil
}

func TestUnreachableEngineIsAnError(t *testing.T) {
	target := fakeTarget{err: fmt.Errorf("ping: %w", sandbox.ErrUnreachable)}
	_, err := runAll(context.Background(), Env{Target: target}, []Check{{Kind: "container_running", Spec: &ContainerRunning{ContainerExists: ContainerExists{Container: "dojo-web"}}}})
	if !errors.Is(err, sandbox.ErrUnreachable) {
		t.Fatalf("Run = %v; want an error wrapping ErrUnreachable", err)
	}
}

func TestOutcomeCarriesKindTitleAndExplain(t *testing.T) {
	target := fakeTarget{containers: map[string]sandbox.Container{}}
	res, err := runAll(context.Background(), Env{Target: target}, []Check{
		{Kind: "container_exists", Spec: &ContainerExists{Container: "nope"}, Explain: "Run it with docker run."},
		{Kind: "no_such_kind", Pos: "lesson.md:3:5"},
	})
	if err != nil {
		t.Fatal(err)
	}
	o := res.Outcomes[0]
	if o.Kind != "container_exists" || o.Title != "container nope exists" || o.Passed {
		t.Errorf("outcome = %+v; want the kind, the spec's title and a failure", o)
	}
	if want := "there is no container named nope (`docker ps -a` lists yours)\nRun it with docker run."; o.Message != want {
		t.Errorf("message = %q; want %q", o.Message, want)
	}
	if o := res.Outcomes[1]; o.Passed || !strings.Contains(o.Message, `lesson.md:3:5: unknown check kind "no_such_kind"`) {
		t.Errorf("a check of no known kind: %+v", o)
	}
}

// fakeCase is one check run against fakeTarget: want is "" when it must
// pass, or a part of the message it must fail with.
type fakeCase struct {
	name string
	spec Spec
	exec sandbox.ExecResult
	want string
}

// runFakeCases runs each case against the same few containers: dojo-web
// runs and publishes 80 on 8081, dojo-old exited with 137, dojo-root is
// privileged, dojo-sock holds the Docker socket, and Docker Compose made
// dojo-cmp, which publishes 8110 on 80 (the ports of "80:8110"); dojo-bad
// was made with a device there is not, and never started.
func runFakeCases(t *testing.T, tests []fakeCase) {
	t.Helper()
	web := sandbox.Container{Name: "dojo-web", Running: true, State: "running",
		Ports: map[string][]sandbox.Binding{"80/tcp": {{HostIP: "0.0.0.0", HostPort: "8081"}, {HostIP: "::", HostPort: "8081"}}}}
	stopped := sandbox.Container{Name: "dojo-old", State: "exited", ExitCode: 137}
	root := sandbox.Container{Name: "dojo-root", Running: true, Privileged: true}
	sock := sandbox.Container{Name: "dojo-sock", Running: true, Mounts: []sandbox.Mount{{Type: "bind", Source: "/var/run/docker.sock", Destination: "/var/run/docker.sock"}}}
	admin := sandbox.Container{Name: "dojo-admin", Running: true, CapAdd: []string{"CAP_NET_ADMIN", "CAP_SYS_ADMIN"}}
	done := sandbox.Container{Name: "dojo-done", State: "exited", ExitCode: 0}
	composed := sandbox.Container{Name: "dojo-cmp", Running: true, State: "running", Labels: map[string]string{ComposeProjectLabel: "site"},
		Ports: map[string][]sandbox.Binding{"8110/tcp": {{HostIP: "0.0.0.0", HostPort: "80"}}}}
	shell := sandbox.Container{Name: "dojo-shell", State: "exited", Command: []string{"bash"}}
	leftShell := sandbox.Container{Name: "dojo-left", State: "exited", Command: []string{"/bin/sh"}, OpenStdin: true, Tty: true}
	badDevice := sandbox.Container{Name: "dojo-bad", State: "created", StateError: `error gathering device information while adding custom device "/dev/nope": no such file or directory`}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := fakeTarget{containers: map[string]sandbox.Container{"dojo-web": web, "dojo-old": stopped, "dojo-root": root, "dojo-sock": sock, "dojo-admin": admin, "dojo-done": done, "dojo-cmp": composed, "dojo-bad": badDevice, "dojo-shell": shell, "dojo-left": leftShell}, exec: tt.exec}
			env := Env{Target: target, Sandbox: "dockdojo-sbx", Exercise: "first-run/x"}
			res, err := runAll(context.Background(), env, []Check{{Spec: tt.spec}})
			if err != nil {
				t.Fatal(err)
			}
			judge(t, res.Outcomes[0], tt.want)
		})
	}
}

// judge fails the test when the outcome is not what want says: "" for a
// pass, or a part of the failure's message.
func judge(t *testing.T, o Outcome, want string) {
	t.Helper()
	switch {
	case want == "" && !o.Passed:
		t.Fatalf("check failed: %s", o.Message)
	case want != "" && o.Passed:
		t.Fatalf("check passed; want a failure saying %q", want)
	case want != "" && !strings.Contains(o.Message, want):
		t.Errorf("message = %q; want it to contain %q", o.Message, want)
	}
}

func TestResultCounts(t *testing.T) {
	r := Result{Outcomes: []Outcome{{Passed: true}, {Passed: false, Message: "no"}, {Passed: true}}}
	if n := r.NumPassed(); n != 2 {
		t.Errorf("NumPassed = %d, want 2", n)
	}
	if r.Passed() || r.FirstFailure() != &r.Outcomes[1] {
		t.Errorf("Passed = %v, FirstFailure = %v; want false and the second outcome", r.Passed(), r.FirstFailure())
	}
}

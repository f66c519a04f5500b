package checker

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
)

func TestContainerRunning(t *testing.T) {
	runFakeCases(t, []fakeCase{
		{name: "made with what cannot start: made again, not started again", spec: &ContainerRunning{ContainerExists: ContainerExists{Container: "dojo-bad"}},
			want: "it could not start: error gathering device information while adding custom device \"/dev/nope\": no such file or directory. What a container was made with cannot change: remove it (`docker rm dojo-bad`) and run it again with that fixed"},
		{name: "running", spec: &ContainerRunning{ContainerExists: ContainerExists{Container: "dojo-web"}}},
		{name: "stopped", spec: &ContainerRunning{ContainerExists: ContainerExists{Container: "dojo-old"}}, want: "exists but is not running: it is exited with exit code 137"},
		// Started again, a shell with no input ends again at once; -dit
		// keeps the shell, another command replaces it: lessons teach both.
		{name: "a shell run without -i or -t", spec: &ContainerRunning{ContainerExists: ContainerExists{Container: "dojo-shell"}},
			want: "it is exited with exit code 0, because its command, the shell bash, ends when its input does, and without -i or -t it has none: it ends at once each time it starts. Remove it (`docker rm dojo-shell`) and run a new one with -dit, which gives the shell an open input and a terminal to wait on, or with another command that keeps running"},
		{name: "a shell left with exit", spec: &ContainerRunning{ContainerExists: ContainerExists{Container: "dojo-left"}},
			want: "it is exited with exit code 0 (`docker logs dojo-left` shows what it printed); `docker start dojo-left` starts it again"},
	})
}

// TestExitAtOnceIsNeverRunning checks right after `docker run -d`, as a
// learner would, a container whose command exits at once (busybox with no
// command): in its first milliseconds the engine says it runs, and the
// check must never believe it.
func TestExitAtOnceIsNeverRunning(t *testing.T) {
	eng, labels, ctx := onEngine(t, 3*time.Minute)
	name := "dojotest-exits-" + suffix()
	env := Env{Target: eng, Labels: labels}
	for i := range 20 {
		docker(t, labels, "run", "-d", "--name", name, "busybox:1.36")
		res, err := runAll(ctx, env, []Check{
			{Spec: &ContainerRunning{ContainerExists: ContainerExists{Container: name}}},
			{Spec: &ContainerState{Container: name, State: "exited", ExitCode: new(int)}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if o := res.Outcomes[0]; o.Passed || !strings.Contains(o.Message, "exists but is not running: it is exited with exit code 0, because its command, the shell sh,") {
			t.Errorf("run %d: container_running right after docker run: passed=%v %q", i+1, o.Passed, o.Message)
		}
		if o := res.Outcomes[1]; !o.Passed {
			t.Errorf("run %d: container_state exited: %s", i+1, o.Message)
		}
		docker(t, labels, "rm", "-f", name)
	}
}

// TestRestartLoopIsNotRunning checks a container that exits at once under a
// restart policy: the engine keeps starting it, and it never runs.
func TestRestartLoopIsNotRunning(t *testing.T) {
	eng, labels, ctx := onEngine(t, 3*time.Minute)
	name := "dojotest-restarts-" + suffix()
	docker(t, labels, "run", "-d", "--restart", "always", "--name", name, "busybox:1.36")
	env := Env{Target: eng, Labels: labels}
	for i := range 10 {
		res, err := runAll(ctx, env, []Check{{Spec: &ContainerRunning{ContainerExists: ContainerExists{Container: name}}}})
		if err != nil {
			t.Fatal(err)
		}
		if o := res.Outcomes[0]; o.Passed || !strings.Contains(o.Message, "is not running") {
			t.Errorf("check %d of a container in a restart loop: passed=%v %q", i+1, o.Passed, o.Message)
		}
	}
}

// countingTarget counts the waits of the checks it serves.
type countingTarget struct {
	Target
	waits int
}

func (c *countingTarget) WaitStopped(ctx context.Context, name string) error {
	c.waits++
	return c.Target.WaitStopped(ctx, name)
}

// TestYoungContainerIsWaitedForOnce checks a container that keeps running:
// while it is young the first check waits for it, the next ones do not, and
// once it is Settle old nothing waits.
func TestYoungContainerIsWaitedForOnce(t *testing.T) {
	eng, labels, ctx := onEngine(t, time.Minute)
	name := "dojotest-stays-" + suffix()
	docker(t, labels, "run", "-d", "--name", name, "busybox:1.36", "sleep", "300")
	target := &countingTarget{Target: eng}
	running := Check{Spec: &ContainerRunning{ContainerExists: ContainerExists{Container: name}}}
	res, err := runAll(ctx, Env{Target: target}, []Check{running, running})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed() || target.waits != 1 {
		t.Errorf("a young running container: passed=%v after %d waits; want a pass after one wait", res.Passed(), target.waits)
	}
	ct, err := eng.InspectContainer(ctx, name)
	must(t, err)
	time.Sleep(time.Until(ct.StartedAt.Add(Settle))) // until it is no longer young
	target.waits = 0
	res, err = runAll(ctx, Env{Target: target}, []Check{running})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed() || target.waits != 0 {
		t.Errorf("a settled running container: passed=%v after %d waits; want a pass without waiting", res.Passed(), target.waits)
	}
}

// TestContainerOfAnOlderBuild: a container made from the tag asked for,
// which names a newer build since, was made from an older build of it,
// not from "another image" with the same name.
func TestContainerOfAnOlderBuild(t *testing.T) {
	eng, labels, ctx := onEngine(t, 2*time.Minute)
	id := suffix()
	image, name := "dojotest-rebuilt-"+id+":2.0", "dojotest-rebuilt-"+id
	dir := t.TempDir()
	build := func(version string) {
		must(t, os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM busybox:1.36\nLABEL version="+version+"\n"), 0o644))
		docker(t, labels, "build", "-q", "-t", image, dir)
		im, err := eng.InspectImage(ctx, image)
		must(t, err)
		t.Cleanup(func() { _ = exec.Command("docker", "rmi", im.ID).Run() })
	}
	build("1")
	docker(t, labels, "run", "-d", "--name", name, image, "sleep", "300")
	t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", name).Run() })
	first, err := eng.InspectImage(ctx, image)
	must(t, err)
	build("2")

	res, err := runAll(ctx, Env{Target: eng, Labels: labels}, []Check{
		{Spec: &ContainerRunning{ContainerExists: ContainerExists{Container: name, Image: image}}},
		{Spec: &ContainerExists{Container: name, Image: image}},
	})
	must(t, err)
	want := fmt.Sprintf("container %s was made from an older build of %s (built at %s), and a container keeps the image it was made from: remove it (`docker rm -f %s`) and run it again from the new %s", name, image, first.Built.Local().Format("15:04:05"), name, image)
	for i, o := range res.Outcomes {
		if o.Passed || o.Message != want {
			t.Errorf("check %d of a container of the older build: passed=%v %q; want %q", i+1, o.Passed, o.Message, want)
		}
	}
}

// TestStoppedWithRmIsGone checks right after `docker stop` a container run
// with --rm, as a learner who added --rm would: the engine removes it in
// the moments after, and in those moments it is still there, exited. It
// must never count as an existing, exited container, and it counts as
// absent.
func TestStoppedWithRmIsGone(t *testing.T) {
	eng, labels, ctx := onEngine(t, 3*time.Minute)
	name := "dojotest-rm-" + suffix()
	env := Env{Target: eng, Labels: labels}
	for i := range 10 {
		docker(t, labels, "run", "-d", "--rm", "--name", name, "busybox:1.36", "sleep", "3600")
		docker(t, labels, "stop", "-t", "0", name)
		res, err := runAll(ctx, env, []Check{
			{Spec: &ContainerExists{Container: name}},
			{Spec: &ContainerState{Container: name, State: "exited"}},
			{Spec: &ContainerState{Container: name, State: "absent"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range res.Outcomes[:2] {
			if o.Passed || !strings.Contains(o.Message, "there is no container named") && !strings.Contains(o.Message, "was run with --rm") {
				t.Errorf("run %d: %s right after docker stop of a --rm container: passed=%v %q", i+1, o.Title, o.Passed, o.Message)
			}
		}
		if o := res.Outcomes[2]; !o.Passed {
			t.Errorf("run %d: absent right after docker stop of a --rm container: %s", i+1, o.Message)
		}
		if err := eng.RemoveContainer(ctx, name); err != nil && !errors.Is(err, sandbox.ErrNotFound) {
			t.Fatalf("run %d: remove a --rm container as it goes: %v", i+1, err)
		}
	}
}

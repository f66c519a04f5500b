package checker

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
)

// TestCommandsHaveADeadline runs commands that never end, as a learner's
// mistake can make them: a `cat` of a named pipe, a long sleep, a probe
// script that waits. Each check fails within its timeout and a little
// grace, says so, and leaves nothing running.
func TestCommandsHaveADeadline(t *testing.T) {
	eng, labels, ctx := onEngine(t, 3*time.Minute)
	id := suffix()
	box := "dojotest-deadline-" + id
	startContainer(t, eng, sandbox.ContainerSpec{Name: box, Image: "busybox:1.36", Labels: labels})
	if _, err := eng.Exec(ctx, box, []string{"mkfifo", "/root/where-am-i.txt"}); err != nil {
		t.Fatal(err)
	}
	// The same busybox without its `sh`, which Exec kills an overrunning
	// command through.
	ws := t.TempDir()
	must(t, os.WriteFile(filepath.Join(ws, "Dockerfile"), []byte("FROM busybox:1.36\nRUN rm /bin/sh\n"), 0o644))
	bare := "dojotest-deadline-bare-" + id
	tag := "dojotest-no-sh:" + id
	must(t, eng.Build(ctx, ws, ".", "Dockerfile", tag, labels))
	startContainer(t, eng, sandbox.ContainerSpec{Name: bare, Image: tag, Cmd: []string{"sleep", "3600"}, Labels: labels})

	env := Env{Target: eng, Labels: labels, Sandbox: box}
	for _, tt := range []struct {
		name string
		spec Spec
		want string
		left string // a process that must not be left running in box
	}{
		{"cat of a named pipe", &Exec{Command: []string{"cat", "/root/where-am-i.txt"}, Timeout: Timeout{2}},
			"`cat /root/where-am-i.txt` did not finish within 2 s, so dockdojo stopped it", "cat /root/where-am-i.txt"},
		{"a long sleep", &Exec{Container: box, Command: []string{"sleep", "100000"}, Timeout: Timeout{1}},
			"`sleep 100000` did not finish within 1 s, so dockdojo stopped it", "sleep 100000"},
		{"no sh", &Exec{Container: bare, Command: []string{"sleep", "100001"}, Timeout: Timeout{1}},
			"`sleep 100001` did not finish within 1 s; dockdojo could not stop it", ""},
		{"a script that waits", &Script{Script: "sleep 100", Timeout: Timeout{1}},
			"the check's script did not finish within 1 s, so dockdojo stopped it", ""},
		{"an image that waits", &ImageRun{Image: "busybox:1.36", Command: []string{"sleep", "100"}, Timeout: Timeout{1}},
			"image busybox:1.36 run with `sleep 100` did not finish within 1 s", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			res, err := runAll(ctx, env, []Check{{Spec: tt.spec}})
			took := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			judge(t, res.Outcomes[0], tt.want)
			if took > 10*time.Second {
				t.Errorf("the check took %s", took.Round(time.Millisecond))
			}
			if tt.left == "" {
				return
			}
			ps, err := eng.Exec(ctx, box, []string{"ps", "-o", "args"})
			must(t, err)
			if strings.Contains(ps.Stdout, tt.left) {
				t.Errorf("%q still runs in %s after its check:\n%s", tt.left, box, ps.Stdout)
			}
		})
	}
}

// countingBuilds counts the builds of the checks it serves.
type countingBuilds struct {
	Target
	builds int
}

func (c *countingBuilds) Build(ctx context.Context, top, dir, dockerfile, tag string, labels map[string]string) error {
	c.builds++
	return c.Target.Build(ctx, top, dir, dockerfile, tag, labels)
}

// TestOneBuildPerRun: two image_run checks of one folder build it once,
// and a build that fails shows what it said once.
func TestOneBuildPerRun(t *testing.T) {
	eng, labels, ctx := onEngine(t, 3*time.Minute)
	ws := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(ws, "ok"), 0o755))
	must(t, os.MkdirAll(filepath.Join(ws, "broken"), 0o755))
	must(t, os.WriteFile(filepath.Join(ws, "ok", "Dockerfile"), []byte("FROM busybox:1.36\nCMD [\"echo\", \"once\"]\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(ws, "broken", "Dockerfile"), []byte("FROM busybox:1.36\nRUN echo building; exit 7\n"), 0o644))
	target := &countingBuilds{Target: eng}
	env := Env{Target: target, Workspace: ws, Labels: labels, Exercise: "test/once-" + suffix()}

	res, err := runAll(ctx, env, []Check{
		{Spec: &ImageRun{Build: "ok", Output: Output{OutputContains: "once"}}},
		{Spec: &ImageRun{Build: "ok", Command: []string{"echo", "twice"}, Output: Output{OutputContains: "twice"}}},
	})
	must(t, err)
	if !res.Passed() || target.builds != 1 {
		t.Errorf("two checks of one build: passed=%v after %d builds; want a pass after one build: %+v", res.Passed(), target.builds, res.Outcomes)
	}

	target.builds = 0
	res, err = runAll(ctx, env, []Check{{Spec: &ImageRun{Build: "broken"}}, {Spec: &ImageRun{Build: "broken", Command: []string{"true"}}}})
	must(t, err)
	if target.builds != 1 {
		t.Errorf("two checks of a failing build: %d builds, want 1", target.builds)
	}
	first, second := res.Outcomes[0].Message, res.Outcomes[1].Message
	if strings.Count(first+second, "the build said") != 1 || !strings.Contains(first, "building") {
		t.Errorf("the build's output is not shown once, with the first check:\n%s\n---\n%s", first, second)
	}
	if !strings.Contains(second, "does not build (its output is shown above)") {
		t.Errorf("the second check of a failing build says %q", second)
	}
}

// TestNoBuildOutOfTheWorkspace: a build folder that is a link out of the
// workspace is not sent to the engine, and a build's output is shown, not
// obeyed by the terminal.
func TestNoBuildOutOfTheWorkspace(t *testing.T) {
	eng, labels, ctx := onEngine(t, 3*time.Minute)
	ws, outside := t.TempDir(), t.TempDir()
	must(t, os.MkdirAll(filepath.Join(outside, "app"), 0o755))
	must(t, os.WriteFile(filepath.Join(outside, "app", "Dockerfile"), []byte("FROM busybox:1.36\nCMD [\"echo\", \"outside\"]\n"), 0o644))
	must(t, os.Symlink(outside, filepath.Join(ws, "away")))
	must(t, os.MkdirAll(filepath.Join(ws, "loud"), 0o755))
	must(t, os.WriteFile(filepath.Join(ws, "loud", "Dockerfile"), []byte("FROM busybox:1.36\nRUN printf '\\033]0;TITLE\\007'; exit 1\n"), 0o644))
	target := &countingBuilds{Target: eng}
	env := Env{Target: target, Workspace: ws, Labels: labels, Exercise: "test/away-" + suffix()}
	res, err := runAll(ctx, env, []Check{{Spec: &ImageRun{Build: "away/app", Output: Output{OutputContains: "outside"}}}})
	must(t, err)
	if o := res.Outcomes[0]; o.Passed || !strings.Contains(o.Message, "away/app in your workspace is a link that leads out of the workspace") || target.builds != 0 {
		t.Errorf("a build folder linked out of the workspace: passed=%v after %d builds: %q", o.Passed, target.builds, o.Message)
	}
	res, err = runAll(ctx, env, []Check{{Spec: &ImageRun{Build: "loud"}}})
	must(t, err)
	if o := res.Outcomes[0]; o.Passed || strings.ContainsRune(o.Message, 0x1b) || strings.ContainsRune(o.Message, 0x07) || !strings.Contains(o.Message, "does not build") {
		t.Errorf("a build that prints escape sequences: passed=%v, %q", o.Passed, o.Message)
	}
}

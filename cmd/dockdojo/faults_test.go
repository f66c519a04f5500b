package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/cmd/internal/clitest"
	"github.com/dockdojo/dockdojo/progress"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// The fault-injection suite: what a tester breaking dockdojo would try.
// Each test asserts the exit code, a time bound where there is one, and
// that nothing is lost. docs/reliability.md lists the promises and names
// these tests.

// learnerCmd runs the built binary as the learner of env, in dir.
type learnerCmd struct {
	bin, dir string
	env      []string
}

func (l learnerCmd) cmd(args ...string) *exec.Cmd {
	c := exec.Command(l.bin, args...)
	c.Env, c.Dir = l.env, l.dir
	return c
}

// run runs dockdojo and returns its exit code and output.
func (l learnerCmd) run(args ...string) (int, string) {
	out, err := l.cmd(args...).CombinedOutput()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			return -1, err.Error()
		}
		code = ee.ExitCode()
	}
	return code, string(out)
}

// manyPasses is a lesson of n exercises that always pass where the probe
// image is (its checks look only at images).
func manyPasses(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("---\nformat_version: 1\nid: many\ntitle: Many\nsummary: Passes.\n---\n\n# Many\n")
	for i := range n {
		fmt.Fprintf(&b, "\n```exercise\nid: pass-%02d\ntitle: Pass %d\ngoal: Nothing to do.\nflavour: host\nchecks:\n  - kind: image_exists\n    image: busybox:1.36\nhints: [None.]\nsolution: \"true\"\n```\n", i, i)
	}
	dir := filepath.Join(t.TempDir(), "many")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "many.md"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestParallelChecksRecordEveryCompletion is watch in one terminal and check
// in another, twenty times over: 20 checks of passing exercises at once,
// and every completion is in the progress file.
func TestParallelChecksRecordEveryCompletion(t *testing.T) {
	useEngine(t, false)
	const n = 20
	dir := t.TempDir()
	l := learnerCmd{bin: buildDockdojo(t), dir: dir, env: append(clitest.LearnerEnv(dir), "DOCKDOJO_LESSONS="+manyPasses(t, n))}
	var wg sync.WaitGroup
	codes := make([]int, n)
	outs := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], outs[i] = l.run("check", fmt.Sprintf("many/pass-%02d", i))
		}()
	}
	wg.Wait()
	for i := range n {
		if codes[i] != 0 || !strings.Contains(outs[i], "is complete") {
			t.Errorf("check many/pass-%02d: exit %d\n%s", i, codes[i], outs[i])
		}
	}
	st, _, err := progress.Load(filepath.Join(dir, "state", "dockdojo", "progress.json"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if key := fmt.Sprintf("many/pass-%02d", i); !st.Exercises[key].Done() {
			t.Errorf("%s printed that it is complete, but the progress file lost it", key)
		}
	}
}

// TestVerdictShownWhenProgressCannotBeSaved: a read-only state folder. The
// learner still sees the verdict, then a warning that it was not recorded;
// the old progress file is as it was.
func TestVerdictShownWhenProgressCannotBeSaved(t *testing.T) {
	useEngine(t, false)
	dir := t.TempDir()
	env := append(clitest.LearnerEnv(dir), "DOCKDOJO_LESSONS="+manyPasses(t, 1))
	// XDG_STATE_HOME/dockdojo is a file: nothing can be saved under it.
	state := filepath.Join(dir, "state")
	if err := os.MkdirAll(state, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(state, "dockdojo"), []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	l := learnerCmd{bin: buildDockdojo(t), dir: dir, env: env}
	code, out := l.run("check", "many/pass-00")
	if code != 0 {
		t.Fatalf("check with an unwritable state folder: exit %d, want 0 (the exercise passes)\n%s", code, out)
	}
	verdict, warning := strings.Index(out, "Well done: many/pass-00 is complete."), strings.Index(out, "warning: this was not recorded in your progress")
	if verdict < 0 || warning < verdict {
		t.Errorf("want the verdict, then a warning that it was not recorded:\n%s", out)
	}
	if data, _ := os.ReadFile(filepath.Join(state, "dockdojo")); string(data) != "not a folder" {
		t.Errorf("the file in the way was changed: %q", data)
	}
}

// TestParallelStarts: five starts of one exercise at once. One starts it;
// the others wait for it and say it is already started; there is one
// sandbox, and no raw engine error.
func TestParallelStarts(t *testing.T) {
	useEngine(t, true)
	dir := t.TempDir()
	l := learnerCmd{bin: buildDockdojo(t), dir: dir, env: clitest.LearnerEnv(dir)}
	const key = "first-run/inside-the-box"
	t.Cleanup(func() { l.run("reset", "--yes", key) })
	const n = 5
	var wg sync.WaitGroup
	codes := make([]int, n)
	outs := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], outs[i] = l.run("start", key)
		}()
	}
	wg.Wait()
	started, already := 0, 0
	for i := range n {
		switch {
		case codes[i] != 0 || strings.Contains(outs[i], "Conflict"):
			t.Errorf("start %d: exit %d\n%s", i, codes[i], outs[i])
		case strings.Contains(outs[i], "Started "+key):
			started++
		case strings.Contains(outs[i], key+" is already started"):
			already++
		default:
			t.Errorf("start %d says neither started nor already started:\n%s", i, outs[i])
		}
	}
	if started != 1 || already != n-1 {
		t.Errorf("%d starts started it and %d said it was already started; want 1 and %d", started, already, n-1)
	}
	out, err := exec.Command("docker", "ps", "--quiet", "--filter", "label=io.dockdojo.exercise="+key).Output()
	if err != nil {
		t.Fatal(err)
	}
	if ids := strings.Fields(string(out)); len(ids) != 1 {
		t.Errorf("after the starts, %d sandboxes run, want one: %v", len(ids), ids)
	}
}

// TestSilentEngineAnswersWithinTwoSeconds: an engine socket that accepts
// connections and never answers. Every command that needs the engine says
// so with exit 4 and the remedy within two seconds, the whole process
// counted.
func TestSilentEngineAnswersWithinTwoSeconds(t *testing.T) {
	dir := t.TempDir()
	sock := filepath.Join(dir, "silent.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, never answered
		}
	}()
	l := learnerCmd{bin: buildDockdojo(t), dir: dir, env: append(clitest.LearnerEnv(dir), "DOCKER_HOST=unix://"+sock)}
	for _, args := range [][]string{{"check", "first-run/publish-page"}, {"start", "first-run/publish-page"}, {"clean"}, {"reset", "--yes", "first-run/publish-page"}} {
		l.givesUp(t, args, 2*time.Second, "did not answer within", "Start Docker")
	}
}

// givesUp runs dockdojo with args against an engine that does not answer,
// and asserts that it exits 4 within limit and says each of want.
func (l learnerCmd) givesUp(t *testing.T, args []string, limit time.Duration, want ...string) {
	t.Helper()
	start := time.Now()
	code, out := l.run(args...)
	took := time.Since(start)
	if code != 4 {
		t.Errorf("%s with an engine that does not answer: exit %d, want 4\n%s", strings.Join(args, " "), code, out)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("%s with an engine that does not answer does not say %q:\n%s", strings.Join(args, " "), w, out)
		}
	}
	if took >= limit {
		t.Errorf("%s with an engine that does not answer took %s, want under %s", strings.Join(args, " "), took.Round(time.Millisecond), limit)
	}
}

// TestStallingEngineAnswersWithinFiveSeconds: an engine that answers its
// ping and version and then never answers again (a wedged engine). Every
// command that needs it gives up with exit 4 and the remedy within five
// seconds, the whole process counted.
func TestStallingEngineAnswersWithinFiveSeconds(t *testing.T) {
	dir := t.TempDir()
	l := learnerCmd{bin: buildDockdojo(t), dir: dir, env: append(clitest.LearnerEnv(dir), "DOCKER_HOST="+sandboxtest.StallingEngine(t))}
	const key = "first-run/publish-page"
	for _, args := range [][]string{{"check", key}, {"start", key}, {"watch", key}, {"reset", "--yes", key}, {"clean"}} {
		t.Run(args[0], func(t *testing.T) {
			t.Parallel()
			l.givesUp(t, args, 5*time.Second, "did not answer within 3s", "restart it")
		})
	}
}

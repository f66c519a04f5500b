package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/classroom"
	"github.com/dockdojo/dockdojo/cmd/internal/clitest"
	"github.com/dockdojo/dockdojo/internal/syncio"
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

// newLearner is dockdojo built for the test, run by a learner whose home
// is dir, with env added to the learner's environment.
func newLearner(t *testing.T, dir string, env ...string) learnerCmd {
	return learnerCmd{bin: buildDockdojo(t), dir: dir, env: append(clitest.LearnerEnv(dir), env...)}
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

// runAtOnce runs n dockdojo commands at the same time, the i-th with
// args(i), and returns their exit codes and outputs.
func (l learnerCmd) runAtOnce(n int, args func(i int) []string) (codes []int, outs []string) {
	codes, outs = make([]int, n), make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], outs[i] = l.run(args(i)...)
		}()
	}
	wg.Wait()
	return codes, outs
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
	l := newLearner(t, dir, "DOCKDOJO_LESSONS="+manyPasses(t, n))
	codes, outs := l.runAtOnce(n, func(i int) []string { return []string{"check", fmt.Sprintf("many/pass-%02d", i)} })
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
// learner still sees the verdict, a hint, the solution, each then a
// warning that it was not recorded; the old progress file is as it was.
func TestVerdictShownWhenProgressCannotBeSaved(t *testing.T) {
	useEngine(t, false)
	dir := t.TempDir()
	// XDG_STATE_HOME/dockdojo is a file: nothing can be saved under it.
	state := filepath.Join(dir, "state")
	if err := os.MkdirAll(state, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(state, "dockdojo"), []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	l := newLearner(t, dir, "DOCKDOJO_LESSONS="+manyPasses(t, 1))
	l.checkPassesUnrecorded(t, "many/pass-00", "with an unwritable state folder")
	// A hint and the solution are shown all the same, then the warning.
	for _, tt := range []struct {
		args  []string
		shown string
	}{
		{[]string{"hint", "many/pass-00"}, "Hint 1 of "},
		{[]string{"solution", "--yes", "many/pass-00"}, "Solution of many/pass-00"},
	} {
		code, out := l.run(tt.args...)
		shown, warning := strings.Index(out, tt.shown), strings.Index(out, "warning: this was not recorded in your progress")
		if code != 0 || shown < 0 || warning < shown {
			t.Errorf("%s with an unwritable state folder: exit %d; want %q, then a warning that it was not recorded:\n%s", strings.Join(tt.args, " "), code, tt.shown, out)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(state, "dockdojo")); string(data) != "not a folder" {
		t.Errorf("the file in the way was changed: %q", data)
	}
}

// checkPassesUnrecorded checks exercise key, which passes, where its
// progress cannot be saved (said by where, e.g. "on a full disk"): the
// check exits 0 and shows its verdict, then warns that it was not
// recorded.
func (l learnerCmd) checkPassesUnrecorded(t *testing.T, key, where string) {
	t.Helper()
	code, out := l.run("check", key)
	if code != 0 {
		t.Fatalf("check %s: exit %d, want 0 (the exercise passes)\n%s", where, code, out)
	}
	verdict, warning := strings.Index(out, "Well done: "+key+" is complete."), strings.Index(out, "warning: this was not recorded in your progress")
	if verdict < 0 || warning < verdict {
		t.Errorf("want the verdict, then a warning that it was not recorded:\n%s", out)
	}
}

// TestParallelStarts: five starts of one exercise at once. One starts it;
// the others wait for it and say it is already started; there is one
// sandbox, and no raw engine error.
func TestParallelStarts(t *testing.T) {
	useEngine(t, true)
	dir := t.TempDir()
	l := newLearner(t, dir)
	const key = "first-run/inside-the-box"
	t.Cleanup(func() { l.run("reset", "--yes", key) })
	const n = 5
	codes, outs := l.runAtOnce(n, func(int) []string { return []string{"start", key} })
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
	l := newLearner(t, dir, "DOCKER_HOST=unix://"+sock)
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
	l := newLearner(t, dir, "DOCKER_HOST="+sandboxtest.StallingEngine(t))
	const key = "first-run/publish-page"
	for _, args := range [][]string{{"check", key}, {"start", key}, {"watch", key}, {"reset", "--yes", key}, {"clean"}} {
		t.Run(args[0], func(t *testing.T) {
			t.Parallel()
			l.givesUp(t, args, 5*time.Second, "did not answer within 3s", "restart it")
		})
	}
}

// TestEngineWedgedDuringAChange: the engine stops answering altogether
// while it is asked to change something (make the sandbox, start it,
// remove the one an earlier start made). A change is given up on as soon
// as the engine does not list its containers either, as a read is, and
// the clean-up after it does not wait for the engine again: exit 4 with
// the remedy within five seconds, the whole process counted.
func TestEngineWedgedDuringAChange(t *testing.T) {
	useEngine(t, true)
	const key = "first-run/inside-the-box"
	for _, tc := range []struct {
		name  string
		wedge string
		args  []string
		again bool // a sandbox of an earlier start is there
	}{
		{"create", "/containers/create", []string{"start", key}, false},
		{"start", "/start HTTP", []string{"start", key}, false},
		{"replace", "DELETE /", []string{"start", "--yes", key}, true},
		{"reset", "DELETE /", []string{"reset", "--yes", key}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A new learner: what an earlier case left would be
			// another dockdojo user's sandbox to them.
			removeLeftovers()
			p := newEngineProxy(t, "", 0)
			l := newLearner(t, t.TempDir(), "DOCKER_HOST=unix://"+p.sock)
			if tc.again {
				if code, out := l.run("start", key); code != 0 {
					t.Fatalf("start: exit %d\n%s", code, out)
				}
			}
			p.mu.Lock()
			p.wedge = []byte(tc.wedge)
			p.mu.Unlock()
			l.givesUp(t, tc.args, 5*time.Second, "did not answer within 3s", "restart it")
			p.kill()
		})
	}
	removeLeftovers()
}

// TestEngineDiesDuringStart: the engine goes away as the sandbox starts.
// start says so with exit 4 and the remedy within seconds; the workspace
// it seeded is kept.
func TestEngineDiesDuringStart(t *testing.T) {
	useEngine(t, true)
	p := newEngineProxy(t, "/start HTTP", 1)
	l := newLearner(t, t.TempDir(), "DOCKER_HOST=unix://"+p.sock)
	start := time.Now()
	code, out := l.run("start", "first-run/inside-the-box")
	if took := time.Since(start); code != 4 || !strings.Contains(out, "Start Docker") || took > 10*time.Second {
		t.Errorf("start while the engine dies: exit %d after %s, want 4 with the remedy within 10s\n%s", code, took.Round(time.Millisecond), out)
	}
	if strings.Contains(out, "goroutine") || strings.Contains(out, "panic") {
		t.Errorf("a crash:\n%s", out)
	}
}

// TestEngineDiesDuringSelftest: the engine goes away in the middle of a
// self-test. It stops there (it does not run every script against a dead
// engine), with a FAIL line for the exercise, the summary and exit 4.
func TestEngineDiesDuringSelftest(t *testing.T) {
	useEngine(t, true)
	p := newEngineProxy(t, "/containers/create", 2)
	l := newLearner(t, t.TempDir(), "DOCKER_HOST=unix://"+p.sock)
	start := time.Now()
	code, out := l.run("selftest", "first-run/inside-the-box", "first-run/publish-page")
	took := time.Since(start)
	if code != 4 || !strings.Contains(out, "FAIL  first-run/inside-the-box") || !strings.Contains(out, "0 passed, 1 failed") || !strings.Contains(out, "Start Docker") {
		t.Errorf("self-test while the engine dies: exit %d\n%s", code, out)
	}
	if strings.Contains(out, "first-run/publish-page") {
		t.Errorf("the self-test went on to the next exercise against a dead engine:\n%s", out)
	}
	if took > time.Minute {
		t.Errorf("the self-test took %s to give up on a dead engine", took.Round(time.Second))
	}
}

// TestEngineDiesDuringWatch: the engine goes away while watch listens to
// its events (the stream dies in the middle). watch ends with exit 4 and
// the remedy within seconds instead of waiting forever.
func TestEngineDiesDuringWatch(t *testing.T) {
	useEngine(t, true)
	p := newEngineProxy(t, "", 0)
	l := newLearner(t, t.TempDir(), "DOCKER_HOST=unix://"+p.sock)
	r := l.start(t, "watch", "--poll", "0", "first-run/publish-page")
	r.waitFor("Watching first-run/publish-page")
	p.kill()
	r.expectExit(4, 10*time.Second, "the engine died")
	if !strings.Contains(r.out.String(), "Start Docker") {
		t.Errorf("watch does not say how to get the engine back:\n%s", r.out.String())
	}
}

// running is a dockdojo process under way, its output read as it comes.
type running struct {
	t      *testing.T
	name   string
	cmd    *exec.Cmd
	out    *syncio.Buffer
	exited chan error
}

// start starts dockdojo with args in the background.
func (l learnerCmd) start(t *testing.T, args ...string) *running {
	t.Helper()
	r := &running{t: t, name: args[0], cmd: l.cmd(args...), out: &syncio.Buffer{}, exited: make(chan error, 1)}
	r.cmd.Stdout, r.cmd.Stderr = r.out, r.out
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.exited <- r.cmd.Wait() }()
	t.Cleanup(func() { _ = r.cmd.Process.Kill() })
	return r
}

// waitFor waits until the output contains text, failing after 30 s or
// when the process ends first.
func (r *running) waitFor(text string) {
	r.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(r.out.String(), text) {
		select {
		case err := <-r.exited:
			r.t.Fatalf("%s ended (%v) before printing %q:\n%s", r.name, err, text, r.out.String())
		default:
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("%s did not print %q within 30s:\n%s", r.name, text, r.out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// expectExit waits at most within for the process to end with code.
func (r *running) expectExit(code int, within time.Duration, after string) {
	r.t.Helper()
	select {
	case err := <-r.exited:
		got := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			got = ee.ExitCode()
		} else if err != nil {
			got = -1
		}
		if got != code {
			r.t.Errorf("%s after %s: exit %d (%v), want %d\n%s", r.name, after, got, err, code, r.out.String())
		}
	case <-time.After(within):
		_ = r.cmd.Process.Kill()
		r.t.Errorf("%s did not end within %s of %s:\n%s", r.name, within, after, r.out.String())
	}
}

// TestSignalsEndCommandsCleanly: SIGINT and SIGTERM sent while watch and
// selftest run end them with exit 130, promptly, and the progress file is
// whole afterwards.
func TestSignalsEndCommandsCleanly(t *testing.T) {
	useEngine(t, true)
	dir := t.TempDir()
	l := newLearner(t, dir)
	// Something in the progress file that must survive.
	if code, out := l.run("hint", "first-run/publish-page"); code != 0 {
		t.Fatalf("hint: exit %d\n%s", code, out)
	}
	for _, tc := range []struct {
		args  []string
		ready string // printed once the command is under way
	}{
		{[]string{"watch", "first-run/publish-page"}, "Watching first-run/publish-page"},
		{[]string{"selftest", "first-run/inside-the-box"}, "Self-testing 1 exercise"},
	} {
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
			r := l.start(t, tc.args...)
			r.waitFor(tc.ready)
			if err := r.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			r.expectExit(130, 30*time.Second, sig.String())
		}
	}
	st, _, err := progress.Load(filepath.Join(dir, "state", "dockdojo", "progress.json"))
	if err != nil || st.Exercises["first-run/publish-page"].Hints != 1 {
		t.Errorf("the progress file after the signals: %v %+v", err, st)
	}
	l.run("reset", "--yes", "first-run/inside-the-box")
}

// TestClassroomSurvivesKill9: the classroom server killed with SIGKILL
// while learners post. Served again on the same data, it opens its
// database, knows every learner, and has every event it acknowledged.
func TestClassroomSurvivesKill9(t *testing.T) {
	bin := buildDockdojo(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "classroom")
	env := clitest.LearnerEnv(dir)
	server := exec.Command(bin, "classroom", "serve", "--addr", "127.0.0.1:0", "--data", data)
	server.Env, server.Dir = env, dir
	var out syncio.Buffer
	server.Stdout, server.Stderr = &out, &out
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = server.Process.Kill() })
	join := regexp.MustCompile(`dockdojo join (http://127\.0\.0\.1:\d+) ([A-Z]{6})\n`)
	var m []string
	for deadline := time.Now().Add(20 * time.Second); m == nil; time.Sleep(20 * time.Millisecond) {
		if m = join.FindStringSubmatch(out.String()); m == nil && time.Now().After(deadline) {
			t.Fatalf("classroom serve did not open:\n%s", out.String())
		}
	}

	// Four learners post hints, ten events a post, as fast as the server
	// lets them; the server dies under them.
	const learners = 4
	var mu sync.Mutex
	acked := map[string]int{}
	total := func() int {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, a := range acked {
			n += a
		}
		return n
	}
	var wg sync.WaitGroup
	for i := range learners {
		name := fmt.Sprintf("learner-%d", i)
		cfg, err := classroom.Join(context.Background(), &http.Client{}, m[1], m[2], name, "")
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := classroom.Queue{Dir: filepath.Join(dir, "queue-"+name)}
			for {
				for range 10 {
					if err := q.Add(classroom.Event{ID: classroom.NewEventID(), Kind: classroom.KindHint, Exercise: "first-run/publish-page", Hint: 1, At: time.Now().UTC()}); err != nil {
						return
					}
				}
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				sent, err := classroom.Sender{Config: cfg, Queue: q}.Flush(ctx)
				cancel()
				mu.Lock()
				acked[name] += sent
				mu.Unlock()
				if err != nil {
					return // the server is gone, or says to slow down
				}
			}
		}()
	}
	for deadline := time.Now().Add(10 * time.Second); total() < 300 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	if err := server.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_, _ = server.Process.Wait()
	wg.Wait()
	if total() == 0 {
		t.Fatal("no event was acknowledged before the kill")
	}

	l := learnerCmd{bin: bin, dir: dir, env: env}
	code, csv := l.run("classroom", "export", "--events", "--data", data)
	if code != 0 {
		t.Fatalf("export after the kill: exit %d\n%s", code, csv)
	}
	rows := map[string]int{}
	for _, line := range strings.Split(csv, "\n")[1:] {
		if name, _, ok := strings.Cut(line, ","); ok {
			rows[name]++
		}
	}
	for name, n := range acked {
		if rows[name] < n {
			t.Errorf("%s: the server acknowledged %d events and has %d after the kill", name, n, rows[name])
		}
	}
	t.Logf("acknowledged before the kill: %v; kept: %v", acked, rows)
}

// TestSignalsDuringStartAndCheck: a start and a check held up by an engine
// that stopped answering in the middle (the request to start the sandbox,
// the inspection of a container) end at SIGINT or SIGTERM with exit 130,
// promptly: within 3 s, even when the engine holds the removal of the
// container the start made too (the clean-up after the signal gives up).
func TestSignalsDuringStartAndCheck(t *testing.T) {
	useEngine(t, true)
	for _, tc := range []struct {
		args  []string
		stall []string
	}{
		{[]string{"start", "first-run/inside-the-box"}, []string{"/start HTTP"}},
		{[]string{"start", "first-run/inside-the-box"}, []string{"/start HTTP", "DELETE /"}},
		{[]string{"check", "first-run/publish-page"}, []string{"/containers/dojo-web/json"}},
	} {
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
			// Each learner is new: the sandbox an earlier one's start
			// left would be another dockdojo user's to it.
			removeLeftovers()
			p := newEngineProxy(t, "", 0)
			for _, s := range tc.stall {
				p.stall = append(p.stall, []byte(s))
			}
			l := newLearner(t, t.TempDir(), "DOCKER_HOST=unix://"+p.sock)
			r := l.start(t, tc.args...)
			select {
			case <-p.stalled:
			case err := <-r.exited:
				t.Fatalf("%s ended before the engine stalled: %v\n%s", tc.args[0], err, r.out.String())
			case <-time.After(30 * time.Second):
				t.Fatalf("%s never reached %q", tc.args[0], tc.stall)
			}
			if err := r.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			r.expectExit(130, 3*time.Second, sig.String())
			p.kill()
		}
	}
	removeLeftovers()
}

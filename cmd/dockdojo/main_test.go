package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/dockdojo/dockdojo/cmd/internal/clitest"
	"github.com/dockdojo/dockdojo/cmd/internal/factory"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/cmd/internal/root"
	"github.com/dockdojo/dockdojo/doctor"
	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// TestMain lets the test binary act as dockdojo itself: testscript puts a
// copy of it named dockdojo on the scripts' PATH, and running that copy runs
// what main does.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"dockdojo": func() {
			home, _ := os.UserHomeDir()
			os.Exit(root.Main(os.Args[1:], factory.New(iostreams.System(), os.Getenv, home)))
		},
	})
}

// inCI reports whether a missing engine must fail the tests instead of
// skipping them.
func inCI() bool { return os.Getenv("CI") == "true" }

// engineErr is why the Docker engine cannot be reached, nil when it answers.
// It is asked once, the way dockdojo itself finds the engine.
var engineErr = sync.OnceValue(func() error {
	home, _ := os.UserHomeDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	eng, err := sandbox.Connect(ctx, os.Getenv, home)
	if err != nil {
		return err
	}
	return eng.Close()
})

// requireEngine skips a test that needs the engine when there is none, and
// fails it in CI, where the engine is part of the job.
func requireEngine(t *testing.T) {
	t.Helper()
	err := engineErr()
	switch {
	case err == nil:
	case inCI():
		t.Fatalf("CI=true but the Docker engine cannot be reached: %v", err)
	default:
		t.Skipf("no Docker engine: %v", err)
	}
}

// engineMu serialises everything that uses the engine: the scripts and tests
// share the names the lesson asks for (dojo-web, host port 8080, the
// sandbox of inside-the-box), and `dockdojo clean` removes every sandbox.
var engineMu sync.Mutex

// usesDocker matches a script line guarded by the [docker] condition.
var usesDocker = regexp.MustCompile(`(?m)^\s*\[!?docker\]`)

// TestScripts runs the end-to-end scripts in testdata against the real binary.
// Scripts that need the engine guard their lines with [docker] (usually
// `[!docker] skip` at the top).
func TestScripts(t *testing.T) {
	if engineErr() == nil {
		// Scripts run `dockdojo clean`, which removes every dockdojo
		// object: no other package's tests may use the engine meanwhile.
		sandboxtest.Exclusive(t)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata",
		Setup:               setupScript,
		Condition:           condition,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode":  cmdExitcode,
			"waitcheck": cmdWaitcheck,
			"validjson": cmdValidJSON,
			"glob":      cmdGlob,
			"listen":    cmdListen,
		},
	})
}

// setupScript gives each script a home, state and workspace of its own under
// $WORK, and the variables that tell it (and the docker CLI it may run) where
// the engine is. A script that uses the engine holds engineMu for its whole
// run, and what it may leave behind is removed before and after it.
func setupScript(env *testscript.Env) error {
	work := env.WorkDir
	for _, kv := range append(clitest.LearnerEnv(work), "NO_COLOR=1") {
		if k, v, _ := strings.Cut(kv, "="); k != "PATH" {
			env.Setenv(k, v)
		}
	}
	env.Values[tKey{}] = env.T()

	name := strings.TrimPrefix(filepath.Base(work), "script-")
	src, err := os.ReadFile(filepath.Join("testdata", name+".txtar"))
	if err != nil {
		return fmt.Errorf("read the script %s: %w", name, err)
	}
	if !usesDocker.Match(src) {
		return nil
	}
	if err := engineErr(); err != nil {
		if inCI() {
			return fmt.Errorf("CI=true but the Docker engine cannot be reached: %w", err)
		}
		return nil // the script skips on [!docker]
	}
	if _, err := exec.LookPath("docker"); err != nil && inCI() {
		return fmt.Errorf("CI=true but the docker CLI, which the scripts run as the learner, is missing: %w", err)
	}
	engineMu.Lock()
	env.Defer(engineMu.Unlock)
	removeLeftovers()
	env.Defer(removeLeftovers)
	return nil
}

// Names the scripts create with the docker CLI, as the lesson and the
// tests ask for them.
var (
	scriptContainers = []string{"dojo-web", "dojo-web-2", "userbox", "dojotest-cy-box", "dojotest-cy-decoy"}
	scriptVolumes    = []string{"uservol", "dojotest-cy-vol"}
	scriptExercises  = []string{"first-run/publish-page", "first-run/inside-the-box", "yessteps/inside", "yessteps/box", "twousers/leave-a-note"}
)

// removeLeftovers removes what a script that stopped half-way may have left:
// the containers and volumes it made under the names above and the objects
// dockdojo made for the exercises the scripts use. Scripts clean up after
// themselves; this only keeps one failure from failing the next script too.
func removeLeftovers() {
	home, _ := os.UserHomeDir()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	eng, err := sandbox.Connect(ctx, os.Getenv, home)
	if err != nil {
		return
	}
	defer eng.Close()
	for _, n := range scriptContainers {
		_ = eng.RemoveContainer(ctx, n)
	}
	for _, n := range scriptVolumes {
		_ = eng.RemoveVolume(ctx, n)
	}
	for _, key := range scriptExercises {
		_, _ = eng.RemoveLabelled(ctx, map[string]string{sandbox.LabelExercise: key})
	}
}

// condition answers [docker]: whether the engine answers (in CI a missing
// engine is an error, so no script can skip silently); and
// [compose-plugin]: whether this machine has the Compose plugin in a
// system folder, where dockdojo says `docker compose` as it is.
func condition(cond string) (bool, error) {
	if cond == "compose-plugin" {
		// The scripts' own DOCKER_CONFIG holds no plugin: only the
		// machine's plugin folders can.
		return doctor.FindCompose(func(string) string { return "" }, "/nonexistent").Plugin != "", nil
	}
	if cond != "docker" {
		return false, fmt.Errorf("unknown condition %q", cond)
	}
	err := engineErr()
	if err != nil && inCI() {
		return false, fmt.Errorf("CI=true but the Docker engine cannot be reached: %w", err)
	}
	return err == nil, nil
}

// tKey is the key of the script's testscript.T in its Values.
type tKey struct{}

// exitStatus runs a command as exec does, keeping its stdout and stderr for
// the assertions that follow, and returns its exit code.
func exitStatus(ts *testscript.TestScript, args []string) int {
	err := ts.Exec(args[0], args[1:]...)
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	}
	ts.Fatalf("run %s: %v", args[0], err)
	return -1
}

// cmdExitcode: exitcode [-within DURATION] CODE PROGRAM [ARGS...]
//
// runs PROGRAM like exec and fails unless it exits with CODE (and, with
// -within, in less than DURATION). dockdojo's exit codes are part of its
// interface: 2 usage, 3 not done yet, 4 engine unreachable.
func cmdExitcode(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exitcode")
	}
	var within time.Duration
	if len(args) > 1 && args[0] == "-within" {
		d, err := time.ParseDuration(args[1])
		ts.Check(err)
		within, args = d, args[2:]
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exitcode [-within DURATION] CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	start := time.Now()
	got := exitStatus(ts, args[1:])
	took := time.Since(start)
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
	if within > 0 && took >= within {
		ts.Fatalf("%s took %s, want less than %s", args[1], took.Round(time.Millisecond), within)
	}
}

// cmdWaitcheck: waitcheck KEY [REGEXP]
//
// runs `dockdojo check KEY` until it passes (exit 0) or, given REGEXP, until
// it fails (exit 3) with stdout matching REGEXP, for at most ten seconds. A
// server a learner just started needs a moment before it answers; polling
// for the expected state replaces a fixed sleep. stdout and stderr are those
// of the last check.
func cmdWaitcheck(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: waitcheck KEY [REGEXP]")
	}
	wantCode, re := 0, (*regexp.Regexp)(nil)
	if len(args) == 2 {
		wantCode, re = 3, regexp.MustCompile(`(?m)`+args[1])
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		code := exitStatus(ts, []string{"dockdojo", "check", args[0]})
		if code == wantCode && (re == nil || re.MatchString(ts.ReadFile("stdout"))) {
			return
		}
		if code != 0 && code != 3 {
			ts.Fatalf("dockdojo check %s exited with %d", args[0], code)
		}
		if time.Now().After(deadline) {
			ts.Fatalf("dockdojo check %s: no exit %d (matching %v) within 10s; last exit %d", args[0], wantCode, re, code)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// cmdValidJSON: validjson FILE
//
// fails unless FILE (or stdout, stderr) holds exactly one JSON value.
func cmdValidJSON(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: validjson FILE")
	}
	dec := json.NewDecoder(strings.NewReader(ts.ReadFile(args[0])))
	var v any
	err := dec.Decode(&v)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			err = errors.New("more than one JSON value")
		}
	}
	switch {
	case err != nil && !neg:
		ts.Fatalf("%s is not valid JSON: %v", args[0], err)
	case err == nil && neg:
		ts.Fatalf("%s is valid JSON", args[0])
	}
}

// cmdGlob: glob PATTERN
//
// fails unless a file matches PATTERN, and prints the matches on stdout.
func cmdGlob(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: glob PATTERN")
	}
	matches, err := filepath.Glob(ts.MkAbs(args[0]))
	ts.Check(err)
	for _, m := range matches {
		fmt.Fprintln(ts.Stdout(), m)
	}
	switch {
	case len(matches) == 0 && !neg:
		ts.Fatalf("no file matches %s", args[0])
	case len(matches) > 0 && neg:
		ts.Fatalf("%d files match %s", len(matches), args[0])
	}
}

// cmdListen: listen VAR
//
// holds a port of 127.0.0.1 until the script ends, and sets VAR to its
// address: a port another program has taken.
func cmdListen(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: listen VAR")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	ts.Defer(func() { _ = ln.Close() })
	ts.Setenv(args[0], ln.Addr().String())
}

// TestShellPTY opens `dockdojo shell` in a real pseudo-terminal, as a learner
// would, and drives the shell inside the sandbox.
func TestShellPTY(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("pseudo-terminal test runs on Linux only")
	}
	useEngine(t, false)

	bin := buildDockdojo(t)
	dir := t.TempDir()
	env := termEnv(dir)
	dockdojo := func(args ...string) *exec.Cmd {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		cmd.Dir = dir
		return cmd
	}
	const key = "first-run/inside-the-box"

	out, err := dockdojo("start", key).CombinedOutput()
	t.Cleanup(func() {
		if out, err := dockdojo("clean").CombinedOutput(); err != nil {
			t.Errorf("dockdojo clean: %v\n%s", err, out)
		}
	})
	if err != nil {
		t.Fatalf("dockdojo start %s: %v\n%s", key, err, out)
	}

	cmd := dockdojo("shell", key)
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		t.Fatalf("start dockdojo shell in a pty: %v", err)
	}
	defer ptmx.Close()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	})

	term := newScreen(ptmx)
	deadline := time.Now().Add(30 * time.Second)
	expect := func(what string, re *regexp.Regexp) {
		t.Helper()
		if !term.waitFor(re, deadline) {
			t.Fatalf("no %s in the terminal within the deadline; it shows:\n%q", what, term.text())
		}
	}
	send := func(s string) {
		t.Helper()
		term.mark()
		if _, err := io.WriteString(ptmx, s); err != nil {
			t.Fatalf("type %q: %v", s, err)
		}
	}

	expect("shell prompt", regexp.MustCompile(`[#$] $`))
	send("hostname\r")
	expect("hostname dojo-box", regexp.MustCompile(`[\r\n]dojo-box\r?\n`))
	send("echo $((6*7))\r")
	expect("answer 42", regexp.MustCompile(`[\r\n]42\r?\n`))
	send("exit\r")

	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("dockdojo shell exited with %v; the terminal shows:\n%q", err, term.text())
		}
	case <-time.After(time.Until(deadline)):
		t.Fatalf("dockdojo shell did not exit after `exit`; the terminal shows:\n%q", term.text())
	}
	term.drain(5 * time.Second)
	if !strings.Contains(term.all(), "Left the shell") {
		t.Fatalf("no \"Left the shell\" after exit; the terminal shows:\n%q", term.all())
	}

	if out, err := dockdojo("clean").CombinedOutput(); err != nil {
		t.Fatalf("dockdojo clean: %v\n%s", err, out)
	}
}

// screen collects what a pseudo-terminal shows, for waiting on text.
type screen struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	from    int           // start of the text the next wait looks at
	changed chan struct{} // closed and replaced on each read
	done    chan struct{} // closed when the terminal is closed
}

func newScreen(r io.Reader) *screen {
	s := &screen{changed: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		b := make([]byte, 4096)
		for {
			n, err := r.Read(b)
			s.mu.Lock()
			s.buf.Write(b[:n])
			close(s.changed)
			s.changed = make(chan struct{})
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return s
}

// mark makes the next wait look only at what comes after now.
func (s *screen) mark() {
	s.mu.Lock()
	s.from = s.buf.Len()
	s.mu.Unlock()
}

func (s *screen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()[s.from:]
}

func (s *screen) all() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// waitFor waits until the text since the mark matches re, or the deadline.
func (s *screen) waitFor(re *regexp.Regexp, deadline time.Time) bool {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	for {
		s.mu.Lock()
		ok := re.MatchString(s.buf.String()[s.from:])
		changed := s.changed
		s.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-changed:
		case <-s.done:
			return re.MatchString(s.text())
		case <-timer.C:
			return false
		}
	}
}

// drain waits until the terminal is closed, so the last output is read.
func (s *screen) drain(max time.Duration) {
	select {
	case <-s.done:
	case <-time.After(max):
	}
}

// useEngine gives the test the engine to itself: it fails in CI and skips
// elsewhere when there is none (or, with docker, no docker CLI to act as the
// learner), holds the cross-package and in-package locks until the test
// ends, and removes what earlier runs may have left before and after it.
func useEngine(t *testing.T, docker bool) {
	t.Helper()
	requireEngine(t)
	if _, err := exec.LookPath("docker"); docker && err != nil {
		if inCI() {
			t.Fatalf("CI=true but the docker CLI is missing: %v", err)
		}
		t.Skipf("needs the docker CLI: %v", err)
	}
	sandboxtest.Exclusive(t)
	engineMu.Lock()
	t.Cleanup(engineMu.Unlock)
	removeLeftovers()
	t.Cleanup(removeLeftovers) // runs before the unlock: cleanups run last first
}

// buildDockdojo builds the binary under test into a temporary folder.
func buildDockdojo(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dockdojo")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// termEnv is a learner's environment on a plain terminal (xterm, no
// colours), with more variables after it.
func termEnv(dir string, more ...string) []string {
	return append(append(clitest.LearnerEnv(dir), "TERM=xterm", "NO_COLOR=1"), more...)
}

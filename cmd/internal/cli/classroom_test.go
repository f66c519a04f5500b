package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/classroom"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
)

// syncBuffer is an output the server writes to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// classroomServer is `dockdojo classroom serve` running in the test.
type classroomServer struct {
	out       *syncBuffer
	stop      func()
	url, code string
	dashboard string
}

var (
	joinLineRE  = regexp.MustCompile(`dockdojo join (http://127\.0\.0\.1:\d+) ([A-Z]{6})\n`)
	dashboardRE = regexp.MustCompile(`(http://127\.0\.0\.1:\d+/dashboard/[0-9a-f]+/)\n`)
)

func startServe(t *testing.T, env map[string]string, args ...string) *classroomServer {
	t.Helper()
	out := &syncBuffer{}
	f := NewFactory(&iostreams.Streams{In: strings.NewReader(""), Out: out, ErrOut: out}, mapEnv(env), env["HOME"])
	root := NewRootCmd(f)
	root.SetArgs(append([]string{"classroom", "serve"}, args...))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	s := &classroomServer{out: out}
	s.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("classroom serve: %v\n%s", err, out)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		text := out.String()
		if m := joinLineRE.FindStringSubmatch(text); m != nil && strings.Contains(text, "Stop with Ctrl-C") {
			s.url, s.code = m[1], m[2]
			s.dashboard = dashboardRE.FindStringSubmatch(text)[1]
			return s
		}
		select {
		case err := <-done:
			t.Fatalf("classroom serve ended: %v\n%s", err, text)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("classroom serve printed no join command within 10 s:\n%s", text)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (s *classroomServer) state(t *testing.T) classroom.Snapshot {
	t.Helper()
	resp, err := http.Get(s.dashboard + "state.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var snap classroom.Snapshot
	if err := json.NewDecoder(resp.Body).Decode(&snap); err != nil {
		t.Fatal(err)
	}
	return snap
}

func mapEnv(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

// learnerEnv is a learner's machine: a home, state and config of its own.
func learnerEnv(t *testing.T, user string) map[string]string {
	dir := t.TempDir()
	return map[string]string{
		"HOME":            filepath.Join(dir, "home"),
		"XDG_STATE_HOME":  filepath.Join(dir, "state"),
		"XDG_CONFIG_HOME": filepath.Join(dir, "config"),
		"USER":            user,
		"NO_COLOR":        "1",
	}
}

// dockdojo runs one command as a fresh process would, and returns its exit
// code, output and how long it took.
func dockdojo(env map[string]string, args ...string) (code int, stdout, stderr string, took time.Duration) {
	io, _, out, errOut := iostreams.Test()
	start := time.Now()
	code = Main(args, NewFactory(io, mapEnv(env), env["HOME"]))
	return code, out.String(), errOut.String(), time.Since(start)
}

// TestClassroomServeAndJoin runs the instructor's server and a learner's
// commands together on loopback: join, events as they happen, events queued
// while the server is down and sent after its restart, and leaving.
func TestClassroomServeAndJoin(t *testing.T) {
	instructor := learnerEnv(t, "teacher")
	data := filepath.Join(t.TempDir(), "classroom")
	srv := startServe(t, instructor, "--addr", "127.0.0.1:0", "--data", data)
	if !strings.Contains(srv.out.String(), "Only this machine can join") {
		t.Errorf("serving on loopback does not say only this machine can join:\n%s", srv.out)
	}
	ada := learnerEnv(t, "ada")
	const key = "first-run/publish-page"

	if code, _, stderr, _ := dockdojo(ada, "join", srv.url, "AAAAAA"); code != ExitUsage || !strings.Contains(stderr, "does not accept the code") {
		t.Fatalf("join with a wrong code: exit %d, %s", code, stderr)
	}
	if code, stdout, stderr, _ := dockdojo(ada, "join", srv.url, strings.ToLower(srv.code), "--name", "Ada L"); code != 0 || !strings.Contains(stdout, "as Ada L") {
		t.Fatalf("join: exit %d\n%s%s", code, stdout, stderr)
	}
	cfg := classroom.ConfigPath(mapEnv(ada), ada["HOME"])
	if st, err := os.Stat(cfg); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("classroom config %s: %v, %v", cfg, st, err)
	}

	// Events as they happen.
	if code, _, stderr, _ := dockdojo(ada, "hint", key); code != 0 {
		t.Fatalf("hint: exit %d: %s", code, stderr)
	}
	if code, _, stderr, _ := dockdojo(ada, "solution", "--yes", key); code != 0 {
		t.Fatalf("solution: exit %d: %s", code, stderr)
	}
	snap := srv.state(t)
	if len(snap.Learners) != 1 || snap.Learners[0].Name != "Ada L" {
		t.Fatalf("learners on the dashboard: %+v", snap.Learners)
	}
	if c := snap.Learners[0].Cells[key]; c.Hints != 1 || !c.Solution {
		t.Fatalf("Ada's %s on the dashboard: %+v, want 1 hint and the solution seen", key, c)
	}
	if !strings.Contains(strings.Join(snap.Exercises, " "), key) {
		t.Errorf("dashboard columns are not the course: %v", snap.Exercises)
	}

	// Server down: the command is not held up, the event waits.
	srv.stop()
	code, _, stderr, took := dockdojo(ada, "hint", key)
	if code != 0 || took > 3*time.Second {
		t.Fatalf("hint with the classroom down: exit %d after %s: %s", code, took, stderr)
	}
	queue := classroom.Queue{Dir: classroom.QueueDir(mapEnv(ada), ada["HOME"])}
	if queue.Len() != 1 {
		t.Fatalf("%d events queued while the classroom was down, want 1", queue.Len())
	}

	// Back on the same address: the code and Ada's token still work, and
	// `join` alone sends what waited.
	srv2 := startServe(t, instructor, "--addr", strings.TrimPrefix(srv.url, "http://"), "--data", data)
	defer srv2.stop()
	if srv2.code != srv.code {
		t.Errorf("the join code changed across a restart: %s, then %s", srv.code, srv2.code)
	}
	if code, stdout, stderr, _ := dockdojo(ada, "join"); code != 0 || !strings.Contains(stdout, "Sent 1 waiting events") {
		t.Fatalf("join (status): exit %d\n%s%s", code, stdout, stderr)
	}
	if c := srv2.state(t).Learners[0].Cells[key]; c.Hints != 2 {
		t.Fatalf("after the restart Ada has %d hints on the dashboard, want 2", c.Hints)
	}

	// The instructor's export, from the data folder.
	if code, stdout, stderr, _ := dockdojo(instructor, "classroom", "export", "--data", data); code != 0 || !strings.Contains(stdout, "Ada L,"+key+",started") {
		t.Fatalf("classroom export: exit %d\n%s%s", code, stdout, stderr)
	}

	// Leaving: nothing is queued or sent any more.
	if code, stdout, _, _ := dockdojo(ada, "join", "--leave"); code != 0 || !strings.Contains(stdout, "Left the classroom") {
		t.Fatalf("join --leave: exit %d\n%s", code, stdout)
	}
	dockdojo(ada, "hint", key)
	if queue.Len() != 0 || srv2.state(t).Learners[0].Cells[key].Hints != 2 {
		t.Errorf("an event was queued or sent after leaving")
	}
}

// TestEventsNeverHoldUpTheLearner: a classroom server that accepts the
// connection and never answers costs a command about a second.
func TestEventsNeverHoldUpTheLearner(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close() // connections wait in the backlog, unanswered
	ada := learnerEnv(t, "ada")
	cfg := &classroom.Config{URL: "http://" + ln.Addr().String(), Name: "Ada", Token: "t", Joined: time.Now()}
	if err := cfg.Save(classroom.ConfigPath(mapEnv(ada), ada["HOME"])); err != nil {
		t.Fatal(err)
	}
	code, _, stderr, took := dockdojo(ada, "hint", "first-run/publish-page")
	if code != 0 || took > sendTimeout+time.Second {
		t.Fatalf("hint with a silent classroom: exit %d after %s: %s", code, took, stderr)
	}
	if n := (classroom.Queue{Dir: classroom.QueueDir(mapEnv(ada), ada["HOME"])}).Len(); n != 1 {
		t.Errorf("%d events queued, want 1", n)
	}
}

func TestCheckEvent(t *testing.T) {
	run := checker.Outcome{Kind: "container_running", Title: "container dojo-web is running", Passed: true}
	failed := checkEvent("first-run/publish-page", checker.Result{Outcomes: []checker.Outcome{run, {
		Kind: "port_published", Title: "container dojo-web publishes port 80",
		Message: "port 80 is not published\nfound: nothing\nTry docker run -p",
	}}})
	want := classroom.Event{Kind: classroom.KindCheckFailed, Exercise: "first-run/publish-page",
		CheckKind: "port_published", Check: "container dojo-web publishes port 80", Message: "port 80 is not published",
		ChecksOK: 1, ChecksTotal: 2}
	if failed != want {
		t.Errorf("failed check:\n got %+v\nwant %+v", failed, want)
	}
	passed := checkEvent("a/b", checker.Result{Outcomes: []checker.Outcome{run}})
	if passed.Kind != classroom.KindPassed || passed.ChecksOK != 1 || passed.Check != "" {
		t.Errorf("passed check: %+v", passed)
	}
}

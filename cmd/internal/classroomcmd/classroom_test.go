package classroomcmd_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/classroom"
	"github.com/dockdojo/dockdojo/cmd/internal/clitest"
	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/factory"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/cmd/internal/root"
	"github.com/dockdojo/dockdojo/internal/syncio"
)

// classroomServer is `dockdojo classroom serve` running in the test: out
// is all it printed, stdout and stderr as a terminal shows them, errs its
// stderr alone.
type classroomServer struct {
	out, errs *syncio.Buffer
	stop      func()
	url, code string
	dashboard string
}

var (
	joinLineRE  = regexp.MustCompile(`dockdojo join (http://127\.0\.0\.1:\d+) ([A-Z]{6})\n`)
	dashboardRE = regexp.MustCompile(`(http://127\.0\.0\.1:\d+/dashboard/[0-9a-f]+/)\n`)
)

func startServe(t *testing.T, env clitest.Env, args ...string) *classroomServer {
	t.Helper()
	out, errs := &syncio.Buffer{}, &syncio.Buffer{}
	f := factory.New(&iostreams.Streams{In: strings.NewReader(""), Out: out, ErrOut: io.MultiWriter(out, errs)}, env.Getenv, env["HOME"])
	cmd := root.NewCmdRoot(f)
	cmd.SetArgs(append([]string{"classroom", "serve"}, args...))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	s := &classroomServer{out: out, errs: errs}
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

func learner(t *testing.T, user string) clitest.Env { return clitest.Learner(t.TempDir(), user) }

// TestClassroomServeAndJoin runs the instructor's server and a learner's
// commands together on loopback: join, events as they happen, events queued
// while the server is down and sent after its restart, and leaving.
func TestClassroomServeAndJoin(t *testing.T) {
	instructor := learner(t, "teacher")
	data := filepath.Join(t.TempDir(), "classroom")
	srv := startServe(t, instructor, "--addr", "127.0.0.1:0", "--data", data)
	if !strings.Contains(srv.out.String(), "Only this machine can join") {
		t.Errorf("serving on loopback does not say only this machine can join:\n%s", srv.out)
	}
	ada := learner(t, "ada")
	const key = "first-run/publish-page"

	if code, _, stderr, _ := clitest.Run(ada, "join", srv.url, "AAAAAA"); code != cmdutil.ExitUsage || !strings.Contains(stderr, "does not accept the code") {
		t.Fatalf("join with a wrong code: exit %d, %s", code, stderr)
	}
	if code, stdout, stderr, _ := clitest.Run(ada, "join", srv.url, strings.ToLower(srv.code), "--name", "Ada L"); code != 0 || !strings.Contains(stdout, "as Ada L") {
		t.Fatalf("join: exit %d\n%s%s", code, stdout, stderr)
	} else if !strings.Contains(stdout, "and each quiz you answer whether you got it right") {
		t.Errorf("join does not say that quiz answers are sent:\n%s", stdout)
	}
	cfg := classroom.ConfigPath(ada.Getenv, ada["HOME"])
	if st, err := os.Stat(cfg); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("classroom config %s: %v, %v", cfg, st, err)
	}
	// A member who types a code the classroom no longer takes is told
	// they joined before, and how to see whether they still are.
	if code, _, stderr, _ := clitest.Run(ada, "join", srv.url, "AAAAAA"); code != cmdutil.ExitUsage || !strings.Contains(stderr, "You joined it before as Ada L: `dockdojo join` alone says whether it still knows you") {
		t.Errorf("a member's join with a wrong code: exit %d, %s", code, stderr)
	}

	// Events as they happen.
	if code, _, stderr, _ := clitest.Run(ada, "hint", key); code != 0 {
		t.Fatalf("hint: exit %d: %s", code, stderr)
	}
	if code, _, stderr, _ := clitest.Run(ada, "solution", "--yes", key); code != 0 {
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
	code, _, stderr, took := clitest.Run(ada, "hint", key)
	if code != 0 || took > 3*time.Second {
		t.Fatalf("hint with the classroom down: exit %d after %s: %s", code, took, stderr)
	}
	if !strings.Contains(stderr, "did not answer, so your instructor does not see this yet") {
		t.Errorf("hint with the classroom down does not say its event waits: %q", stderr)
	}
	queue := classroom.Queue{Dir: classroom.QueueDir(ada.Getenv, ada["HOME"])}
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
	if code, stdout, stderr, _ := clitest.Run(ada, "join"); code != 0 || !strings.Contains(stdout, "Sent 1 waiting event.\n") {
		t.Fatalf("join (status): exit %d\n%s%s", code, stdout, stderr)
	}
	if c := srv2.state(t).Learners[0].Cells[key]; c.Hints != 2 {
		t.Fatalf("after the restart Ada has %d hints on the dashboard, want 2", c.Hints)
	}

	// The instructor's export, from the data folder, for Excel too.
	if code, stdout, stderr, _ := clitest.Run(instructor, "classroom", "export", "--data", data); code != 0 || !strings.Contains(stdout, "Ada L,"+key+",started") {
		t.Fatalf("classroom export: exit %d\n%s%s", code, stdout, stderr)
	} else if !strings.HasPrefix(stdout, classroom.CSVBOM+"learner,") {
		t.Errorf("classroom export does not start with the UTF-8 byte order mark and its header:\n%s", stdout)
	}

	// Leaving: nothing is queued or sent any more.
	if code, stdout, _, _ := clitest.Run(ada, "join", "--leave"); code != 0 || !strings.Contains(stdout, "Left the classroom") {
		t.Fatalf("join --leave: exit %d\n%s", code, stdout)
	}
	clitest.Run(ada, "hint", key)
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
	ada := learner(t, "ada")
	cfg := &classroom.Config{URL: "http://" + ln.Addr().String(), Name: "Ada", Token: "t", Joined: time.Now()}
	if err := cfg.Save(classroom.ConfigPath(ada.Getenv, ada["HOME"])); err != nil {
		t.Fatal(err)
	}
	code, _, stderr, took := clitest.Run(ada, "hint", "first-run/publish-page")
	if code != 0 || took > classroom.SendTimeout+time.Second {
		t.Fatalf("hint with a silent classroom: exit %d after %s: %s", code, took, stderr)
	}
	if n := (classroom.Queue{Dir: classroom.QueueDir(ada.Getenv, ada["HOME"])}).Len(); n != 1 {
		t.Errorf("%d events queued, want 1", n)
	}
}

// TestOneEventWaits: `join` says one waiting event in the singular, when it
// waits and when leaving forgets it.
func TestOneEventWaits(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone := "http://" + ln.Addr().String()
	ln.Close() // nothing answers there any more
	ada := learner(t, "ada")
	cfg := &classroom.Config{URL: gone, Name: "Ada", Token: "t", Joined: time.Now()}
	if err := cfg.Save(classroom.ConfigPath(ada.Getenv, ada["HOME"])); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr, _ := clitest.Run(ada, "hint", "first-run/publish-page"); code != 0 {
		t.Fatalf("hint: exit %d: %s", code, stderr)
	}
	for _, tt := range []struct {
		args []string
		says string
	}{
		{[]string{"join"}, "\n1 event waits to be sent: "},
		{[]string{"join", "--leave"}, "; 1 waiting event forgotten."},
	} {
		if code, stdout, stderr, _ := clitest.Run(ada, tt.args...); code != 0 || !strings.Contains(stdout, tt.says) {
			t.Errorf("%s: exit %d, want %q\n%s%s", strings.Join(tt.args, " "), code, tt.says, stdout, stderr)
		}
	}
}

// TestJoinAgainSendsWhatWaits: the learner's join line, typed again for
// the same classroom, sends what waited while it was down; typed for
// another classroom, it says that what waited for the old one is
// forgotten.
func TestJoinAgainSendsWhatWaits(t *testing.T) {
	instructor := learner(t, "teacher")
	data := filepath.Join(t.TempDir(), "classroom")
	srv := startServe(t, instructor, "--addr", "127.0.0.1:0", "--data", data)
	first := srv.url
	ada := learner(t, "ada")
	if code, stdout, stderr, _ := clitest.Run(ada, "join", srv.url, srv.code); code != 0 {
		t.Fatalf("join: exit %d\n%s%s", code, stdout, stderr)
	}
	srv.stop()
	hint := func() {
		t.Helper()
		if code, stdout, stderr, _ := clitest.Run(ada, "hint", "first-run/publish-page"); code != 0 {
			t.Fatalf("hint while the classroom is down: exit %d\n%s%s", code, stdout, stderr)
		}
	}
	hint()
	srv = startServe(t, instructor, "--addr", strings.TrimPrefix(first, "http://"), "--data", data)
	code, stdout, stderr, _ := clitest.Run(ada, "join", srv.url, srv.code)
	if code != 0 || !strings.Contains(stdout, "Sent 1 waiting event.") {
		t.Errorf("join again: exit %d\n%s%s", code, stdout, stderr)
	}
	if got := srv.state(t).Learners[0].Cells["first-run/publish-page"].Hints; got != 1 {
		t.Errorf("the hint that waited did not reach the dashboard: %d hints", got)
	}
	srv.stop()

	hint()
	other := startServe(t, instructor, "--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "other"))
	defer other.stop()
	code, stdout, stderr, _ = clitest.Run(ada, "join", other.url, other.code)
	if code != 0 || !strings.Contains(stdout, "1 event for the classroom at "+first+", which you left, was forgotten.") {
		t.Errorf("join another classroom: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestJoinAtTheClassroomsNewAddress: the instructor's laptop gets a new
// address (the room's Wi-Fi), and the classroom is served again from its
// data at another port. A learner who types the new join line is the same
// learner, under the name they chose, and what waited is sent there, not
// forgotten; typing a join line again never renames them.
func TestJoinAtTheClassroomsNewAddress(t *testing.T) {
	instructor := learner(t, "teacher")
	data := filepath.Join(t.TempDir(), "classroom")
	srv := startServe(t, instructor, "--addr", "127.0.0.1:0", "--data", data)
	ada := learner(t, "ada")
	if code, stdout, stderr, _ := clitest.Run(ada, "join", srv.url, srv.code, "--name", "Ada L"); code != 0 {
		t.Fatalf("join: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr, _ := clitest.Run(ada, "join", srv.url, srv.code); code != 0 || !strings.Contains(stdout, "Joined the classroom at "+srv.url+" as Ada L.") {
		t.Errorf("the join line typed again, without --name: exit %d\n%s%s", code, stdout, stderr)
	}
	first := srv.url
	srv.stop()
	if code, stdout, stderr, _ := clitest.Run(ada, "hint", "first-run/publish-page"); code != 0 {
		t.Fatalf("hint while the classroom is down: exit %d\n%s%s", code, stdout, stderr)
	}
	srv = startServe(t, instructor, "--addr", "127.0.0.1:0", "--data", data)
	defer srv.stop()
	if srv.url == first {
		t.Fatalf("the classroom came back at the same address %s", first)
	}
	code, stdout, stderr, _ := clitest.Run(ada, "join", srv.url, srv.code)
	if code != 0 || !strings.Contains(stdout, "as Ada L: the classroom you were in at "+first+", at its new address") || !strings.Contains(stdout, "Sent 1 waiting event.") || strings.Contains(stdout, "forgotten") {
		t.Errorf("join at the new address: exit %d\n%s%s", code, stdout, stderr)
	}
	snap := srv.state(t)
	if len(snap.Learners) != 1 || snap.Learners[0].Name != "Ada L" || snap.Learners[0].Cells["first-run/publish-page"].Hints != 1 {
		t.Errorf("the dashboard after the join at the new address: %+v", snap.Learners)
	}
	// Events go to the new address from now on.
	if code, stdout, stderr, _ := clitest.Run(ada, "hint", "first-run/publish-page"); code != 0 {
		t.Fatalf("hint: exit %d\n%s%s", code, stdout, stderr)
	}
	if got := srv.state(t).Learners[0].Cells["first-run/publish-page"].Hints; got != 2 {
		t.Errorf("a hint after the join at the new address: %d hints on the dashboard, want 2", got)
	}
	if code, _, stderr, _ := clitest.Run(ada, "join", srv.url, srv.code, "--name", ""); code != cmdutil.ExitUsage || !strings.Contains(stderr, "--name needs the name") {
		t.Errorf("join --name '': exit %d %s", code, stderr)
	}
}

// TestLeaveAndComeBack: a learner who leaves tells the classroom, which
// shows them as left and keeps their name for the laptop they left from:
// joining again from it brings them back to their row. One who leaves
// while the classroom is down is told that their name stays theirs, and
// comes back from the same laptop all the same.
func TestLeaveAndComeBack(t *testing.T) {
	instructor := learner(t, "teacher")
	data := filepath.Join(t.TempDir(), "classroom")
	srv := startServe(t, instructor, "--addr", "127.0.0.1:0", "--data", data)
	ada := learner(t, "ada")
	if code, stdout, stderr, _ := clitest.Run(ada, "join", srv.url, srv.code); code != 0 {
		t.Fatalf("join: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr, _ := clitest.Run(ada, "hint", "first-run/publish-page"); code != 0 {
		t.Fatalf("hint: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr, _ := clitest.Run(ada, "join", "--leave")
	if code != 0 || !strings.Contains(stdout, "The classroom knows: its dashboard shows you left, and this laptop may join it again under the name ada (`dockdojo join "+srv.url+" CODE --name ada`); from another laptop, ask your instructor to let you join again") {
		t.Errorf("join --leave: exit %d\n%s%s", code, stdout, stderr)
	}
	if l := srv.state(t).Learners[0]; !l.Left {
		t.Errorf("the dashboard does not show Ada left: %+v", l)
	}
	code, stdout, stderr, _ = clitest.Run(ada, "join", srv.url, srv.code)
	if code != 0 || !strings.Contains(stdout, "as ada again: the dashboard has what you did before you left") {
		t.Errorf("join after leaving: exit %d\n%s%s", code, stdout, stderr)
	}
	if snap := srv.state(t); len(snap.Learners) != 1 || snap.Learners[0].Left || snap.Learners[0].Cells["first-run/publish-page"].Hints != 1 {
		t.Errorf("the dashboard after Ada came back: %+v", snap.Learners)
	}
	srv.stop()
	code, stdout, stderr, _ = clitest.Run(ada, "join", "--leave")
	if code != 0 || !strings.Contains(stdout, "The classroom did not answer, so it does not know you left: the name ada stays yours there, for this laptop to join again with; from another laptop, ask your instructor") {
		t.Errorf("join --leave while the classroom is down: exit %d\n%s%s", code, stdout, stderr)
	}
	srv = startServe(t, instructor, "--addr", strings.TrimPrefix(srv.url, "http://"), "--data", data)
	defer srv.stop()
	code, stdout, stderr, _ = clitest.Run(ada, "join", srv.url, srv.code)
	if code != 0 || !strings.Contains(stdout, "as ada") {
		t.Errorf("join after leaving while the classroom was down: exit %d\n%s%s", code, stdout, stderr)
	}
	if snap := srv.state(t); len(snap.Learners) != 1 || snap.Learners[0].Cells["first-run/publish-page"].Hints != 1 {
		t.Errorf("the dashboard after Ada came back: %+v", snap.Learners)
	}
}

// TestServeRefusesAFolderWithoutLessons: a lesson folder that holds no
// lesson is refused by serve, as by list, with or without --replace,
// saying what it holds; nothing is served and no data is written.
func TestServeRefusesAFolderWithoutLessons(t *testing.T) {
	instructor := learner(t, "teacher")
	dir := filepath.Join(t.TempDir(), "my-lessons")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("to do"), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(t.TempDir(), "classroom")
	want := "dockdojo: no lessons in " + dir + ": its 1 file is no Markdown file; a lesson is a Markdown file with front matter (`dockdojo new lesson NAME --dir " + dir + "` writes one to start from)\n"
	for _, args := range [][]string{
		{"--lessons", dir, "classroom", "serve", "--addr", "127.0.0.1:0", "--data", data},
		{"--lessons", dir, "--replace", "classroom", "serve", "--addr", "127.0.0.1:0", "--data", data},
		{"--lessons", dir, "list"},
	} {
		code, stdout, stderr, _ := clitest.Run(instructor, args...)
		if code != cmdutil.ExitUsage || stderr != want || stdout != "" {
			t.Errorf("%s: exit %d\n%s%s\nwant exit %d and\n%s", strings.Join(args, " "), code, stdout, stderr, cmdutil.ExitUsage, want)
		}
	}
	if _, err := os.Stat(data); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a serve refused wrote its data folder: %v", err)
	}
}

// TestRemovedLearnerJoinsAgain: a learner the instructor removed, whose
// command ran since, types their join line again: they are told that the
// instructor removed them (not that they left), that they are a new
// learner on the dashboard, and that what waited from before is forgotten.
func TestRemovedLearnerJoinsAgain(t *testing.T) {
	instructor := learner(t, "teacher")
	srv := startServe(t, instructor, "--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "classroom"))
	defer srv.stop()
	ada := learner(t, "ada")
	if code, stdout, stderr, _ := clitest.Run(ada, "join", srv.url, srv.code); code != 0 {
		t.Fatalf("join: exit %d\n%s%s", code, stdout, stderr)
	}
	req, err := http.NewRequest(http.MethodPost, srv.dashboard+"learners/1/remove", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("remove Ada: %s", resp.Status)
	}
	if code, stdout, stderr, _ := clitest.Run(ada, "hint", "first-run/publish-page"); code != 0 {
		t.Fatalf("hint after removal: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr, _ := clitest.Run(ada, "join", srv.url, srv.code)
	if code != 0 || strings.Contains(stdout, "which you left") ||
		!strings.Contains(stdout, "Your instructor removed you from the classroom at "+srv.url+", with what you did there: you joined it again as a new learner.") ||
		!strings.Contains(stdout, "1 event from before the removal was forgotten.") {
		t.Errorf("join after removal: exit %d\n%s%s", code, stdout, stderr)
	}
	if snap := srv.state(t); len(snap.Learners) != 1 || snap.Learners[0].Name != "ada" || snap.Learners[0].Cells["first-run/publish-page"].Hints != 0 {
		t.Errorf("the dashboard after Ada joined again: %+v", snap.Learners)
	}
	left := classroom.LeftClassrooms{Path: classroom.LeftPath(ada.Getenv, ada["HOME"])}
	if kept := left.At(srv.url); kept != nil {
		t.Errorf("the laptop keeps the token the classroom removed, as of a classroom it left: %+v", kept)
	}
}

// TestNoOneElseTakesTheRowOfALearnerWhoLeft: after a learner left, anyone
// with the join code typing their name is refused and told to ask the
// instructor; the learner comes back from their laptop; once the
// instructor lets them join again from another laptop (theirs broke), that
// one comes back to their row, and the old laptop sends no more.
func TestNoOneElseTakesTheRowOfALearnerWhoLeft(t *testing.T) {
	instructor := learner(t, "teacher")
	srv := startServe(t, instructor, "--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "classroom"))
	defer srv.stop()
	alice, mallory := learner(t, "alice"), learner(t, "mallory")
	for _, args := range [][]string{{"join", srv.url, srv.code, "--name", "Alice L"}, {"hint", "first-run/publish-page"}, {"join", "--leave"}} {
		if code, stdout, stderr, _ := clitest.Run(alice, args...); code != 0 {
			t.Fatalf("alice: %v: exit %d\n%s%s", args, code, stdout, stderr)
		}
	}
	code, stdout, stderr, _ := clitest.Run(mallory, "join", srv.url, srv.code, "--name", "Alice L")
	if code == 0 || !strings.Contains(stderr, "Alice L left this classroom, and only the laptop they left from takes the name back") || !strings.Contains(stderr, "ask your instructor to let you join again") {
		t.Errorf("another laptop joining under the name of one who left: exit %d\n%s%s", code, stdout, stderr)
	}
	if snap := srv.state(t); len(snap.Learners) != 1 || !snap.Learners[0].Left {
		t.Fatalf("the dashboard after another laptop tried alice's name: %+v", snap.Learners)
	}
	// Without --name: the name she left with, not her login name.
	code, stdout, stderr, _ = clitest.Run(alice, "join", srv.url, srv.code)
	if code != 0 || !strings.Contains(stdout, "as Alice L again") {
		t.Errorf("alice back from her laptop: exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(classroom.LeftPath(alice.Getenv, alice["HOME"])); err == nil {
		t.Errorf("the classroom alice came back to is still kept as left")
	}

	// Her laptop breaks: the instructor lets her join from another one.
	snap := srv.state(t)
	req, _ := http.NewRequest(http.MethodPost, srv.dashboard+"learners/"+strconv.FormatInt(snap.Learners[0].ID, 10)+"/let-back", strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("let alice join again: %v %v", resp, err)
	}
	if snap := srv.state(t); !snap.Learners[0].LetBack {
		t.Errorf("after the instructor let alice join again, her row does not say so: %+v", snap.Learners[0])
	}
	code, stdout, stderr, _ = clitest.Run(mallory, "join", srv.url, srv.code, "--name", "Alice L")
	if code != 0 || !strings.Contains(stdout, "as Alice L again") {
		t.Errorf("alice on another laptop, let in again: exit %d\n%s%s", code, stdout, stderr)
	}
	if snap := srv.state(t); len(snap.Learners) != 1 || snap.Learners[0].Left || snap.Learners[0].Cells["first-run/publish-page"].Hints != 1 {
		t.Errorf("the dashboard after alice came back on another laptop: %+v", snap.Learners)
	}
	code, stdout, stderr, _ = clitest.Run(alice, "hint", "first-run/publish-page")
	if code != 0 || !strings.Contains(stderr, "no longer knows this laptop") {
		t.Errorf("alice's old laptop after she came back on another: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestJoinAnotherClassroomAndComeBack: joining another classroom leaves
// the one the learner was in, which is told, so that coming back to it
// finds their row; a classroom that is another one at the same address
// gets nothing of what waited for the old one.
func TestJoinAnotherClassroomAndComeBack(t *testing.T) {
	instructor := learner(t, "teacher")
	a := startServe(t, instructor, "--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "a"))
	b := startServe(t, instructor, "--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "b"))
	ada := learner(t, "ada")
	if code, stdout, stderr, _ := clitest.Run(ada, "join", a.url, a.code); code != 0 {
		t.Fatalf("join A: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr, _ := clitest.Run(ada, "join", b.url, b.code)
	if code != 0 || !strings.Contains(stdout, "Left the classroom at "+a.url+": it knows") {
		t.Errorf("join B: exit %d\n%s%s", code, stdout, stderr)
	}
	if l := a.state(t).Learners[0]; !l.Left {
		t.Errorf("A does not show Ada left: %+v", l)
	}
	code, stdout, stderr, _ = clitest.Run(ada, "join", a.url, a.code)
	if code != 0 || !strings.Contains(stdout, "as ada again") {
		t.Errorf("join A again: exit %d\n%s%s", code, stdout, stderr)
	}

	// A goes, with a hint of Ada's waiting for it, and another classroom
	// is served at its address.
	b.stop()
	addr := strings.TrimPrefix(a.url, "http://")
	a.stop()
	if code, stdout, stderr, _ := clitest.Run(ada, "hint", "first-run/publish-page"); code != 0 {
		t.Fatalf("hint: exit %d\n%s%s", code, stdout, stderr)
	}
	c := startServe(t, instructor, "--addr", addr, "--data", filepath.Join(t.TempDir(), "c"))
	defer c.stop()
	code, stdout, stderr, _ = clitest.Run(ada, "join", c.url, c.code)
	if code != 0 || strings.Contains(stdout, "Sent 1 waiting event") || !strings.Contains(stdout, "1 event for the classroom at "+a.url+", which you left, was forgotten.") {
		t.Errorf("join another classroom at A's address: exit %d\n%s%s", code, stdout, stderr)
	}
	if got := c.state(t).Learners[0].Cells["first-run/publish-page"].Hints; got != 0 {
		t.Errorf("the hint for A reached the classroom now at its address: %d", got)
	}
}

// teachersLesson is an instructor's own lesson, with one exercise.
const teachersLesson = "---\nformat_version: 1\nid: env-and-volumes\ntitle: Env and volumes\nsummary: Ours.\n---\n\n# Env and volumes\n\n" +
	"```exercise\nid: greeter\ntitle: Greeter\ngoal: Run dojo-greeter.\nflavour: host\nchecks:\n  - kind: container_exists\n    container: dojo-greeter\nhints: [Run it., Name it dojo-greeter.]\nsolution: docker run -d --name dojo-greeter busybox:1.36 sleep 300\nowns:\n  containers: [dojo-greeter]\n```\n"

// secondExercise is an exercise an instructor adds to teachersLesson.
const secondExercise = "\n```exercise\nid: second\ntitle: Second\ngoal: Run dojo-second.\nflavour: host\nchecks:\n  - kind: container_exists\n    container: dojo-second\nhints: [Run it., Name it dojo-second.]\nsolution: docker run -d --name dojo-second busybox:1.36 sleep 300\nowns:\n  containers: [dojo-second]\n```\n"

// said waits, at most 10 s, until what is in buf (a server's out or errs)
// times times.
func said(t *testing.T, buf *syncio.Buffer, what string, times int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(buf.String(), what) < times {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not say %q (%d times) within 10 s:\n%s", what, times, buf)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// teachersFolder is an instructor's lesson folder holding teachersLesson,
// and the lesson's file.
func teachersFolder(t *testing.T) (dir, file string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "workshop")
	file = filepath.Join(dir, "env-and-volumes", "lesson.md")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(teachersLesson), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, file
}

// serveTeachersFolder runs `classroom serve` with teachersFolder, until
// the test ends.
func serveTeachersFolder(t *testing.T) (srv *classroomServer, own, file string) {
	t.Helper()
	own, file = teachersFolder(t)
	instructor := learner(t, "teacher")
	instructor["DOCKDOJO_LESSONS"] = own
	srv = startServe(t, instructor, "--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "classroom"))
	t.Cleanup(srv.stop)
	return srv, own, file
}

// TestJoinBringsTheInstructorsLessons: the instructor serves with a lesson
// folder of their own; a learner who joins gets it, every command of theirs
// includes it with no flag (so the commands dockdojo prints work as
// printed), the dashboard shows the laptop's readiness, and leaving removes
// the lessons.
func TestJoinBringsTheInstructorsLessons(t *testing.T) {
	srv, own, _ := serveTeachersFolder(t)
	if !strings.Contains(srv.out.String(), "Joining also gives them your lessons in "+own+" (1 lesson") {
		t.Errorf("serve does not say which lessons it hands out:\n%s", srv.out)
	}

	ada := learner(t, "ada")
	const key = "env-and-volumes/greeter"
	if code, _, stderr, _ := clitest.Run(ada, "hint", key); code != cmdutil.ExitUsage || !strings.Contains(stderr, `no lesson "env-and-volumes"`) {
		t.Fatalf("before joining, the instructor's lesson should be unknown: exit %d %s", code, stderr)
	}
	code, stdout, stderr, _ := clitest.Run(ada, "join", srv.url, srv.code)
	if code != 0 || !strings.Contains(stdout, "Added the classroom's lessons (1 lesson, checked by SHA-256") || !strings.Contains(stdout, "env-and-volumes") {
		t.Fatalf("join: exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "This laptop is") {
		t.Errorf("join does not say whether the laptop is ready:\n%s", stdout)
	}
	if code, stdout, stderr, _ := clitest.Run(ada, "list"); code != 0 || !strings.Contains(stdout, "env-and-volumes  Env and volumes") || !strings.Contains(stdout, "first-run") {
		t.Fatalf("list after joining: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr, _ = clitest.Run(ada, "hint", key)
	if code != 0 || !strings.Contains(stdout, "Hint 1 of 2: Run it.") {
		t.Fatalf("hint of the instructor's exercise, as printed: exit %d\n%s%s", code, stdout, stderr)
	}
	snap := srv.state(t)
	if len(snap.Learners) != 1 || snap.Learners[0].Ready == nil {
		t.Fatalf("the dashboard has no readiness for the learner: %+v", snap.Learners)
	}
	if snap.Learners[0].Cells[key].Hints != 1 {
		t.Errorf("the hint of %s did not reach the dashboard: %+v", key, snap.Learners[0].Cells)
	}

	// Joining again keeps the copy: nothing changed on the server.
	if code, stdout, _, _ := clitest.Run(ada, "join", srv.url, srv.code); code != 0 || !strings.Contains(stdout, "Kept the classroom's lessons") {
		t.Errorf("join again: exit %d\n%s", code, stdout)
	}
	if code, stdout, _, _ := clitest.Run(ada, "join", "--leave"); code != 0 || !strings.Contains(stdout, "Removed the classroom's lessons") {
		t.Errorf("join --leave: exit %d\n%s", code, stdout)
	}
	if code, stdout, _, _ := clitest.Run(ada, "list"); code != 0 || strings.Contains(stdout, "env-and-volumes") {
		t.Errorf("after leaving, list still has the classroom's lessons: exit %d\n%s", code, stdout)
	}
}

// TestJoinBringsTheWholeCourse: an instructor who serves their own lessons
// with --replace (a club that runs its own course) gives the learners that
// course alone while they are in the classroom; leaving brings the
// built-in course back.
func TestJoinBringsTheWholeCourse(t *testing.T) {
	own, _ := teachersFolder(t)
	instructor := learner(t, "teacher")
	instructor["DOCKDOJO_LESSONS"] = own
	instructor["DOCKDOJO_REPLACE"] = "1"
	srv := startServe(t, instructor, "--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "classroom"))
	defer srv.stop()
	if !strings.Contains(srv.out.String(), "(1 lesson, 1 file, SHA-256") || !strings.Contains(srv.out.String(), "in place of the built-in course.") {
		t.Errorf("serve does not say its lessons replace the built-in course:\n%s", srv.out)
	}
	ada := learner(t, "ada")
	code, stdout, stderr, _ := clitest.Run(ada, "join", srv.url, srv.code)
	if code != 0 || !strings.Contains(stdout, "they are your whole course now, in place of the built-in one") {
		t.Fatalf("join: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr, _ := clitest.Run(ada, "list"); code != 0 || !strings.Contains(stdout, "env-and-volumes") || strings.Contains(stdout, "first-run") {
		t.Errorf("list in a classroom that replaces the course: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr, _ := clitest.Run(ada, "hint", "first-run/publish-page"); code != cmdutil.ExitUsage || !strings.Contains(stderr, `no lesson "first-run"`) {
		t.Errorf("hint of a built-in exercise: exit %d %s", code, stderr)
	}
	if code, stdout, stderr, _ := clitest.Run(ada, "join", "--leave"); code != 0 {
		t.Fatalf("join --leave: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr, _ := clitest.Run(ada, "list"); code != 0 || strings.Contains(stdout, "env-and-volumes") || !strings.Contains(stdout, "first-run") {
		t.Errorf("list after leaving: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestLessonEditedWhileServing: the instructor edits a lesson while the
// classroom runs. A mistake is reported to the instructor and not handed
// out; once fixed, a learner who types their join line again gets the new
// copy, and the dashboard takes the events of an exercise the edit added.
func TestLessonEditedWhileServing(t *testing.T) {
	srv, own, file := serveTeachersFolder(t)
	ada := learner(t, "ada")
	if code, stdout, stderr, _ := clitest.Run(ada, "join", srv.url, srv.code); code != 0 {
		t.Fatalf("join: exit %d\n%s%s", code, stdout, stderr)
	}

	// A mistake: the instructor is told, the learners keep their copy.
	if err := os.WriteFile(file, []byte(strings.Replace(teachersLesson, "kind: container_exists", "kind: container_exist", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	said(t, srv.out, "cannot be handed out", 1)
	if !strings.Contains(srv.out.String(), "container_exist") {
		t.Errorf("serve does not say what the mistake is:\n%s", srv.out)
	}
	if code, stdout, _, _ := clitest.Run(ada, "join", srv.url, srv.code); code != 0 || !strings.Contains(stdout, "Kept the classroom's lessons") {
		t.Errorf("join after a broken edit: exit %d\n%s", code, stdout)
	}

	// Fixed, with a new hint and a second exercise.
	if err := os.WriteFile(file, []byte(strings.Replace(teachersLesson, "hints: [Run it.,", "hints: [Run it now.,", 1)+secondExercise), 0o644); err != nil {
		t.Fatal(err)
	}
	said(t, srv.out, "Your lessons in "+own+" changed: 1 lesson", 1)
	code, stdout, stderr, _ := clitest.Run(ada, "join", srv.url, srv.code)
	if code != 0 || !strings.Contains(stdout, "Updated the classroom's lessons") {
		t.Fatalf("join after the fix: exit %d\n%s%s", code, stdout, stderr)
	}
	// The laptop is judged against the lessons it has now (the images
	// they need), not those it had before the join.
	if updated, ready := strings.Index(stdout, "Updated the classroom's lessons"), strings.Index(stdout, "This laptop is"); ready < updated {
		t.Errorf("join says whether the laptop is ready before it has the new lessons:\n%s", stdout)
	}
	if code, stdout, _, _ := clitest.Run(ada, "hint", "env-and-volumes/greeter"); code != 0 || !strings.Contains(stdout, "Hint 1 of 2: Run it now.") {
		t.Errorf("the edited hint did not reach the learner: exit %d\n%s", code, stdout)
	}
	if code, stdout, stderr, _ := clitest.Run(ada, "hint", "env-and-volumes/second"); code != 0 {
		t.Fatalf("hint of the new exercise: exit %d\n%s%s", code, stdout, stderr)
	}
	snap := srv.state(t)
	if len(snap.Learners) != 1 || snap.Learners[0].Cells["env-and-volumes/second"].Hints != 1 {
		t.Errorf("the new exercise's hint did not reach the dashboard: %+v", snap.Learners)
	}
}

// TestLessonFolderGoneWhileServing: the instructor's lesson folder is moved
// away, and later replaced by a file, while the classroom serves. Each time
// the instructor is told once, on stderr, what happened and that the
// dashboard keeps the lessons it read last; and again when the folder is
// back: as it was, or made anew with an edit, which is then handed out.
func TestLessonFolderGoneWhileServing(t *testing.T) {
	srv, own, file := serveTeachersFolder(t)
	served := func(key string) bool { return slices.Contains(srv.state(t).Exercises, key) }
	const keeps = ". The dashboard keeps serving the lessons it read last"
	gone := "Your lesson folder " + own + " is gone: it was deleted or moved away" + keeps

	if err := os.Rename(own, own+"-away"); err != nil {
		t.Fatal(err)
	}
	said(t, srv.errs, gone, 1)
	time.Sleep(5 * time.Second) // two looks more, while it is away
	if n := strings.Count(srv.errs.String(), gone); n != 1 || !served("env-and-volumes/greeter") {
		t.Errorf("folder moved away: said %d times (want once), the lesson still served: %v\n%s", n, served("env-and-volumes/greeter"), srv.errs)
	}
	if err := os.Rename(own+"-away", own); err != nil {
		t.Fatal(err)
	}
	said(t, srv.errs, "Your lesson folder "+own+" can be read again, as it was: the classroom serves the same lessons.", 1)

	// A file where the folder was; then, once that is gone too, the folder
	// made anew (moved into place whole, as a fresh copy is) with a second
	// exercise.
	if err := os.Rename(own, own+"-old"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(own, []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	said(t, srv.errs, "Your lesson folder "+own+" cannot be read: ", 1)
	if !strings.Contains(srv.errs.String(), "not a directory"+keeps) {
		t.Errorf("serve does not say why the folder cannot be read:\n%s", srv.errs)
	}
	if err := os.Remove(own); err != nil {
		t.Fatal(err)
	}
	anew := filepath.Join(t.TempDir(), "workshop")
	if err := os.MkdirAll(filepath.Join(anew, "env-and-volumes"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(anew, "env-and-volumes", filepath.Base(file)), []byte(teachersLesson+secondExercise), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(anew, own); err != nil {
		t.Fatal(err)
	}
	said(t, srv.errs, "Your lesson folder "+own+" can be read again.", 1)
	said(t, srv.out, "Your lessons in "+own+" changed: 1 lesson", 1)
	if !served("env-and-volumes/second") {
		t.Errorf("the folder made anew is not served: %v", srv.state(t).Exercises)
	}
	if n := strings.Count(srv.errs.String(), "Your lesson folder "); n != 4 {
		t.Errorf("serve said %d things of the folder, want 4 (gone, back, unreadable, back):\n%s", n, srv.errs)
	}
}

// TestLessonFolderWithMistakesGoneAndBack: a lesson folder with a mistake
// is moved away and back unchanged: serve says it can be read again, as
// it was, and that it still has its mistake, how many and where, and that
// learners keep the copy they have.
func TestLessonFolderWithMistakesGoneAndBack(t *testing.T) {
	srv, own, file := serveTeachersFolder(t)
	if err := os.WriteFile(file, []byte(strings.Replace(teachersLesson, "kind: container_exists", "kind: container_exist", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	said(t, srv.out, "cannot be handed out", 1)
	if err := os.Rename(own, own+"-away"); err != nil {
		t.Fatal(err)
	}
	said(t, srv.errs, "Your lesson folder "+own+" is gone", 1)
	if err := os.Rename(own+"-away", own); err != nil {
		t.Fatal(err)
	}
	said(t, srv.errs, "Your lesson folder "+own+" can be read again, as it was", 1)
	want := "Your lesson folder " + own + " can be read again, as it was: it still has 1 mistake, at " + file + ":"
	if !strings.Contains(srv.errs.String(), want) || !strings.Contains(srv.errs.String(), "(printed above); learners keep the copy they have until you fix it.") ||
		strings.Contains(srv.errs.String(), "serves the same lessons") {
		t.Errorf("serve, of a folder with a mistake back as it was, says\n%s\nwant %q", srv.errs, want)
	}
}

// TestServedWithoutTheLessons: the classroom was served with the
// instructor's lessons. Served again without them, serve says which
// exercises the grid no longer shows; export, without them too, still
// shows the rows of the dashboard the learners had.
func TestServedWithoutTheLessons(t *testing.T) {
	own, _ := teachersFolder(t)
	data := filepath.Join(t.TempDir(), "classroom")
	instructor := learner(t, "teacher")
	instructor["DOCKDOJO_LESSONS"] = own
	srv := startServe(t, instructor, "--addr", "127.0.0.1:0", "--data", data, "--stuck-fails", "1")
	ada := learner(t, "ada")
	if code, stdout, stderr, _ := clitest.Run(ada, "join", srv.url, srv.code); code != 0 {
		t.Fatalf("join: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr, _ := clitest.Run(ada, "hint", "env-and-volumes/greeter"); code != 0 {
		t.Fatalf("hint: exit %d\n%s%s", code, stdout, stderr)
	}
	srv.stop()
	// One more hint while the classroom is down: it waits to be sent.
	if code, stdout, stderr, _ := clitest.Run(ada, "hint", "env-and-volumes/greeter"); code != 0 {
		t.Fatalf("hint while the classroom is down: exit %d\n%s%s", code, stdout, stderr)
	}

	delete(instructor, "DOCKDOJO_LESSONS")
	srv = startServe(t, instructor, "--addr", strings.TrimPrefix(srv.url, "http://"), "--data", data)
	if !strings.Contains(srv.out.String(), "has events of 1 exercise that this course lacks (env-and-volumes/greeter)") {
		t.Errorf("serve without the lessons does not say what it hides:\n%s", srv.out)
	}
	// The learner is told that the classroom refuses what it lacks: the
	// hint sent while it was down, by join, and the next one at once.
	code, stdout, stderr, _ := clitest.Run(ada, "join")
	if code != 0 || strings.Contains(stdout, "Everything you did has reached the classroom") || !strings.Contains(stdout, "But the classroom at "+srv.url+" refused your hint of env-and-volumes/greeter") {
		t.Errorf("join with a waiting event the classroom refuses: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr, _ = clitest.Run(ada, "hint", "env-and-volumes/greeter")
	if code != 0 || !strings.Contains(stderr, "refused your hint of env-and-volumes/greeter") || !strings.Contains(stderr, "tell your instructor") {
		t.Errorf("a hint the classroom refuses: exit %d\n%s%s", code, stdout, stderr)
	}
	srv.stop()
	code, stdout, stderr, _ = clitest.Run(instructor, "classroom", "export", "--data", data)
	if code != 0 || !strings.Contains(stdout, "ada,env-and-volumes/greeter,started,") {
		t.Errorf("export without the lessons lost their rows: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestServeOnATakenPortLeavesNothing: a serve that cannot listen says how
// to choose another port and writes no classroom data. A taken port is an
// error of the machine (exit 1); an address that cannot be one of this
// machine's is a mistake of the command line (exit 2).
func TestServeOnATakenPortLeavesNothing(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	instructor := learner(t, "teacher")
	data := filepath.Join(t.TempDir(), "classroom")
	code, _, stderr, _ := clitest.Run(instructor, "classroom", "serve", "--addr", ln.Addr().String(), "--data", data)
	if code != cmdutil.ExitError || !strings.Contains(stderr, "cannot listen on "+ln.Addr().String()) || !strings.Contains(stderr, "--addr") {
		t.Fatalf("serve on a taken port: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(data); err == nil {
		t.Errorf("a serve that could not listen created %s", data)
	}
	if !strings.Contains(stderr, "the port is taken; is another classroom running?") {
		t.Errorf("serve on a taken port does not say the port is taken: %s", stderr)
	}
	for addr, want := range map[string]string{
		"":                    `--addr "": give a host and a port, like 127.0.0.1:7077`,
		"7077":                `--addr "7077": give a host and a port`,
		"http://0.0.0.0:7178": `--addr "http://0.0.0.0:7178": give a host and a port`,
		"127.0.0.1:99999":     "cannot listen on 127.0.0.1:99999: ",
		"192.0.2.1:7077":      "cannot listen on 192.0.2.1:7077: ",
	} {
		code, _, stderr, _ := clitest.Run(instructor, "classroom", "serve", "--addr", addr, "--data", data)
		if code != cmdutil.ExitUsage || !strings.Contains(stderr, want) || strings.Contains(stderr, "another classroom") {
			t.Errorf("serve --addr %q: exit %d: %s", addr, code, stderr)
		}
	}
	if _, err := os.Stat(data); err == nil {
		t.Errorf("a serve with a bad address created %s", data)
	}
	if code, _, stderr, _ := clitest.Run(instructor, "classroom", "serve", "--stuck-after", "30s"); code != cmdutil.ExitUsage || !strings.Contains(stderr, "--stuck-after at least 1m0s") {
		t.Errorf("--stuck-after 30s: exit %d: %s", code, stderr)
	}
}

// TestJoinWithACompanyLogin: a login name with a domain (as company
// laptops have) is shown without it; one that cannot be shown at all says
// to pass --name, not that --name is wrong.
func TestJoinWithACompanyLogin(t *testing.T) {
	srv := startServe(t, learner(t, "teacher"), "--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "classroom"))
	defer srv.stop()
	for login, want := range map[string]string{
		"john.doe@corp.example": "as john.doe.",
		`CORP\ann.lee`:          "as ann.lee.",
	} {
		env := learner(t, "")
		env["USER"] = login
		if code, stdout, stderr, _ := clitest.Run(env, "join", srv.url, srv.code); code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("join as USER=%s: exit %d\n%s%s", login, code, stdout, stderr)
		}
	}
	env := learner(t, "")
	env["USER"] = "a<b"
	code, _, stderr, _ := clitest.Run(env, "join", srv.url, srv.code)
	if code != cmdutil.ExitUsage || !strings.Contains(stderr, `your login name "a<b" cannot be shown`) || !strings.Contains(stderr, "pass --name NAME") {
		t.Errorf("join with a login name that cannot be shown: exit %d: %s", code, stderr)
	}
}

// TestJoinTakesTheCodeFirstAndSaysHTTP: the code typed before the address
// is taken; an https address of a classroom that speaks http says so.
func TestJoinTakesTheCodeFirstAndSaysHTTP(t *testing.T) {
	srv := startServe(t, learner(t, "teacher"), "--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "classroom"))
	defer srv.stop()
	ada := learner(t, "ada")
	if code, stdout, stderr, _ := clitest.Run(ada, "join", srv.code, srv.url); code != 0 || !strings.Contains(stdout, "Joined the classroom at "+srv.url) {
		t.Errorf("join CODE URL: exit %d\n%s%s", code, stdout, stderr)
	}
	https := "https://" + strings.TrimPrefix(srv.url, "http://")
	code, _, stderr, _ := clitest.Run(learner(t, "bob"), "join", https, srv.code)
	if want := "speaks http, not https: join with `dockdojo join " + srv.url + " " + srv.code + "`"; code != cmdutil.ExitUsage || !strings.Contains(stderr, want) {
		t.Errorf("join with https: exit %d: %q, want %q", code, stderr, want)
	}
}

// TestJoinWithoutUser: with no USER (or USERNAME, LOGNAME) in the
// environment, join shows the operating system's name for the learner.
func TestJoinWithoutUser(t *testing.T) {
	srv := startServe(t, learner(t, "teacher"), "--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "classroom"))
	defer srv.stop()
	ada := learner(t, "")
	delete(ada, "USER")
	code, stdout, stderr, _ := clitest.Run(ada, "join", srv.url, srv.code)
	u, err := user.Current()
	if err != nil {
		t.Skipf("this machine does not say who runs the test: %v", err)
	}
	if code != 0 || !strings.Contains(stdout, "as "+u.Username+".") {
		t.Fatalf("join without USER: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestJoinWaitsOutWrongCodesOfTheNetwork: a neighbour behind the same
// router mistyped the code just before; `dockdojo join` with the right one
// says it waits, waits the classroom's Retry-After, and gets in.
func TestJoinWaitsOutWrongCodesOfTheNetwork(t *testing.T) {
	store, err := classroom.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	lim := classroom.DefaultLimits()
	lim.JoinFailBurst, lim.JoinFailEvery = 1, time.Second
	srv, err := classroom.NewServer(store, classroom.Options{Exercises: []string{"first-run/publish-page"}, Limits: lim})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	var neighbour sync.Once
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/join" {
			neighbour.Do(func() {
				typo := httptest.NewRequest(http.MethodPost, "/api/v1/join", strings.NewReader(`{"code":"AAAAAA","name":"Eve"}`))
				typo.Header.Set("Content-Type", "application/json")
				typo.RemoteAddr = r.RemoteAddr
				h.ServeHTTP(httptest.NewRecorder(), typo)
			})
		}
		h.ServeHTTP(w, r)
	}))
	defer ts.Close()
	code, stdout, stderr, took := clitest.Run(learner(t, "ada"), "join", ts.URL, srv.JoinCode())
	if code != 0 || !strings.Contains(stdout, "The classroom is slowing down wrong join codes from your network; trying again in 1 s.\n") ||
		!strings.Contains(stdout, "Joined the classroom") || took < time.Second {
		t.Fatalf("join after a neighbour's typo: exit %d after %s\n%s%s", code, took, stdout, stderr)
	}
}

// TestOneServePerDataFolder: a second serve on the data folder of a running
// one is refused, naming the folder, before a learner could meet two
// classrooms in one database; export still reads the folder meanwhile.
func TestOneServePerDataFolder(t *testing.T) {
	instructor := learner(t, "teacher")
	data := filepath.Join(t.TempDir(), "classroom")
	srv := startServe(t, instructor, "--addr", "127.0.0.1:0", "--data", data)
	defer srv.stop()

	out := &syncio.Buffer{}
	f := factory.New(&iostreams.Streams{In: strings.NewReader(""), Out: out, ErrOut: out}, instructor.Getenv, instructor["HOME"])
	second := root.NewCmdRoot(f)
	second.SetArgs([]string{"classroom", "serve", "--addr", "127.0.0.1:0", "--data", data})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- second.ExecuteContext(ctx) }()
	select {
	case err := <-done:
		// Exit 1, as for a taken port: the command line is right.
		var usage *cmdutil.UsageError
		if !errors.Is(err, classroom.ErrDataInUse) || errors.As(err, &usage) || !strings.Contains(err.Error(), "another `dockdojo classroom serve` uses "+data) || strings.Contains(out.String(), "Join code") {
			t.Fatalf("a second serve on %s: %v (want ErrDataInUse, not a usage error)\n%s", data, err, out)
		}
	case <-time.After(10 * time.Second):
		cancel()
		<-done
		t.Fatalf("a second serve on %s is running:\n%s", data, out)
	}
	if code, stdout, stderr, _ := clitest.Run(instructor, "classroom", "export", "--data", data); code != 0 || !strings.HasPrefix(stdout, classroom.CSVBOM+"learner,exercise") {
		t.Fatalf("export beside the server: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestQuizAnswersCountAsTheLearnersOwn: a learner in a classroom answers
// the quizzes of the built-in course, some right, some
// wrong, some wrong and then right, some right and then wrong, as the
// guided flow does (Session.Answer). The dashboard has the lesson of
// quizzes only, and counts the quizzes done lesson by lesson as the
// learner's own `dockdojo progress` does (session.Overview).
func TestQuizAnswersCountAsTheLearnersOwn(t *testing.T) {
	srv := startServe(t, learner(t, "teacher"), "--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "classroom"))
	defer srv.stop()
	ada := learner(t, "ada")
	cfg, _, err := classroom.JoinWith(context.Background(), http.DefaultClient, srv.url, classroom.JoinRequest{Code: srv.code, Name: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Save(classroom.ConfigPath(ada.Getenv, ada["HOME"])); err != nil {
		t.Fatal(err)
	}
	io, _, _, _ := iostreams.Test()
	f := factory.New(io, ada.Getenv, ada["HOME"])
	s, err := f.Session()
	if err != nil {
		t.Fatal(err)
	}
	answers := [][]bool{{true}, {false}, {false, true}, {true, false}, {false, false}}
	n := 0
	for _, l := range s.Course().Lessons {
		for _, q := range l.Quizzes {
			for _, right := range answers[n%len(answers)] {
				if err := s.Answer(q, right); err != nil {
					t.Fatal(err)
				}
			}
			n++
		}
	}
	if notice := f.Finish(); notice != "" {
		t.Fatalf("the link says %q", notice)
	}
	// What the second's wait did not send goes now, at the pace the
	// classroom takes posts: a person answers far slower than this test.
	queue := classroom.Queue{Dir: classroom.QueueDir(ada.Getenv, ada["HOME"])}
	for deadline := time.Now().Add(20 * time.Second); queue.Len() > 0; time.Sleep(200 * time.Millisecond) {
		_, err := (classroom.Sender{Config: cfg, Queue: queue}).Flush(context.Background())
		if err != nil && time.Now().After(deadline) {
			t.Fatal(err)
		}
	}
	o, err := s.Overview()
	if err != nil {
		t.Fatal(err)
	}
	snap := srv.state(t)
	if len(snap.Learners) != 1 || n < 30 {
		t.Fatalf("%d learners on the dashboard, %d quizzes answered", len(snap.Learners), n)
	}
	lv := snap.Learners[0]
	shown := map[string]classroom.LessonView{}
	for _, l := range snap.Lessons {
		shown[l.ID] = l
	}
	quizzesOnly := 0
	for _, lp := range o.Lessons {
		if lp.Exercises.Total == 0 && lp.Quizzes.Total > 0 {
			quizzesOnly++
		}
		right := 0
		for _, q := range shown[lp.Lesson.ID].Quizzes {
			if lv.Quizzes[q.Key].Right {
				right++
			}
		}
		if len(shown[lp.Lesson.ID].Quizzes) != lp.Quizzes.Total || right != lp.Quizzes.Done {
			t.Errorf("%s: the dashboard has %d of %d quizzes right, the learner's progress %d of %d",
				lp.Lesson.ID, right, len(shown[lp.Lesson.ID].Quizzes), lp.Quizzes.Done, lp.Quizzes.Total)
		}
	}
	if _, quizzes := o.Total(); lv.QuizzesRight != quizzes.Done || len(snap.Quizzes) != quizzes.Total {
		t.Errorf("the dashboard counts %d of %d quizzes right, the learner's progress %d of %d", lv.QuizzesRight, len(snap.Quizzes), quizzes.Done, quizzes.Total)
	}
	if quizzesOnly == 0 {
		t.Errorf("the built-in course has no lesson of quizzes only; this test wants one")
	}
}

// hostileText holds what a terminal obeys: a new window title, a write to
// the clipboard (OSC 52), a cleared screen, colour, and a C1 CSI.
const hostileText = "\x1b]0;PWNED-TITLE\a\x1b]52;c;cm0gLXJmIH4K\a\x1b[2J\x1b[31mRED\x1b[0m\u009b2J"

// obeyed reports whether out holds anything of hostileText a terminal
// would obey.
func obeyed(out string) bool { return strings.ContainsAny(out, "\x1b\a\u009b") }

// TestHostileClassroomIsShownNotObeyed: what a classroom sends that
// reaches the learner's terminal (the name it gives, its refusals, its
// errors) is shown escaped; a name with control characters is refused at
// the join; and a name kept by an older dockdojo is shown escaped too.
func TestHostileClassroomIsShownNotObeyed(t *testing.T) {
	var mu sync.Mutex // guards name and fail, which the server reads
	name, fail := "Eve"+hostileText, false
	set := func(n string, f bool) { mu.Lock(); name, fail = n, f; mu.Unlock() }
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		name, failing := name, fail
		mu.Unlock()
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case failing:
			w.WriteHeader(http.StatusInternalServerError)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "classroom says " + hostileText})
		case r.URL.Path == "/api/v1/join":
			_ = json.NewEncoder(w).Encode(map[string]any{"token": "tok123", "name": name, "kinds": classroom.Kinds})
		case r.URL.Path == "/api/v1/events":
			var req classroom.EventsRequest
			_ = json.Unmarshal(body, &req)
			var rej []classroom.Rejected
			for _, e := range req.Events {
				rej = append(rej, classroom.Rejected{ID: e.ID, Error: "refused " + hostileText})
			}
			_ = json.NewEncoder(w).Encode(classroom.EventsResponse{Rejected: rej})
		default:
			w.WriteHeader(http.StatusNotFound)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "nope " + hostileText})
		}
	}))
	defer ts.Close()
	eve := learner(t, "eve")
	run := func(what string, wantCode int, args ...string) string {
		t.Helper()
		code, stdout, stderr, _ := clitest.Run(eve, args...)
		if code != wantCode || obeyed(stdout+stderr) {
			t.Errorf("%s: exit %d (want %d), a terminal would obey what it printed:\n%q\n%q", what, code, wantCode, stdout, stderr)
		}
		return stdout + stderr
	}
	if out := run("join a classroom that gives a name with escapes", 1, "join", ts.URL, "WMJYER"); !strings.Contains(out, "not a name you could have joined with") || strings.Contains(out, "cannot reach") {
		t.Errorf("the join does not say the classroom's name is refused:\n%s", out)
	}
	if _, err := os.Stat(classroom.ConfigPath(eve.Getenv, eve["HOME"])); err == nil {
		t.Errorf("the join with a name with escapes was kept")
	}

	// A name a learner can type, and every event refused with escapes.
	set("Eve", false)
	run("join", 0, "join", ts.URL, "WMJYER")
	if out := run("hint", 0, "hint", "first-run/publish-page"); !strings.Contains(out, `refused \x1b]0;PWNED-TITLE\x07`) {
		t.Errorf("hint does not show the classroom's refusal, escaped:\n%s", out)
	}
	run("join (the status)", 0, "join")
	set("Eve", true)
	run("hint while the classroom fails", 0, "hint", "first-run/publish-page")
	run("join (the status) while the classroom fails", 0, "join")
	run("join while the classroom fails", 1, "join", ts.URL, "WMJYER")

	// A name an older dockdojo kept from such a classroom.
	path := classroom.ConfigPath(eve.Getenv, eve["HOME"])
	cfg, err := classroom.LoadConfig(path)
	if err != nil || cfg == nil {
		t.Fatalf("config: %v", err)
	}
	cfg.Name = "Eve" + hostileText
	if err := cfg.Save(path); err != nil {
		t.Fatal(err)
	}
	run("join (the status) with a name kept with escapes", 0, "join")
	run("join --leave with a name kept with escapes", 0, "join", "--leave")
}

package session

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/classroom"
	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/progress"
	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// recordingRoom is a classroom that keeps what it is told.
type recordingRoom struct {
	mu     sync.Mutex
	events []classroom.Event
}

func (r *recordingRoom) Report(ev classroom.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
}

func (r *recordingRoom) kinds() []classroom.Kind {
	r.mu.Lock()
	defer r.mu.Unlock()
	var k []classroom.Kind
	for _, ev := range r.events {
		k = append(k, ev.Kind)
	}
	return k
}

// twoExercises: one the engine always fails (no such container), one it
// always passes (the probe image is there wherever the tests run).
const twoExercises = "---\nformat_version: 1\nid: rec\ntitle: Recording\nsummary: Verdicts.\n---\n\n" +
	"```exercise\nid: fails\ntitle: Fails\ngoal: Never done.\nflavour: host\nchecks:\n  - kind: container_exists\n    container: dojo-session-test-never-made\nhints: [None.]\nsolution: \"true\"\nowns:\n  containers: [dojo-session-test-never-made]\n```\n\n" +
	"```exercise\nid: passes\ntitle: Passes\ngoal: Always done.\nflavour: host\nchecks:\n  - kind: image_exists\n    image: busybox:1.36\nhints: [None.]\nsolution: \"true\"\n```\n"

func newTestSession(t *testing.T, room Room) *Session {
	t.Helper()
	s, _ := engineSession(t, fstest.MapFS{"rec/rec.md": {Data: []byte(twoExercises)}}, room)
	return s
}

// engineSession is a session of the course in fsys on the real engine,
// with its progress file and workspaces in a folder of the test's, and
// that engine; room may be nil.
func engineSession(t *testing.T, fsys fstest.MapFS, room Room) (*Session, *sandbox.Engine) {
	t.Helper()
	c, err := lessons.Load(lessons.Source{FS: fsys, Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	eng := sandboxtest.Engine(t)
	dir := t.TempDir()
	return New(Options{
		Course:       c,
		ProgressPath: filepath.Join(dir, "progress.json"),
		Workspace:    filepath.Join(dir, "ws"),
		Room:         room,
		Connect:      func(context.Context) (*sandbox.Engine, error) { return eng, nil },
	}), eng
}

// TestCheckAndWatchReportToTheClassroom: a verdict reached by check and one
// reached by watch both go through Record, so both reach the classroom and
// the progress file.
func TestCheckAndWatchReportToTheClassroom(t *testing.T) {
	room := &recordingRoom{}
	s := newTestSession(t, room)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	fails, _ := s.Exercise("rec/fails")
	passes, _ := s.Exercise("rec/passes")

	res, err := s.Check(ctx, fails)
	if err != nil || res.Passed() {
		t.Fatalf("check of rec/fails = %+v, %v; want a failing verdict", res, err)
	}
	if _, err := s.Watch(ctx, passes, WatchOptions{}); err != nil {
		t.Fatalf("watch of rec/passes: %v", err)
	}
	got := room.kinds()
	want := []classroom.Kind{classroom.KindCheckFailed, classroom.KindPassed}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("the classroom heard %v, want %v", got, want)
	}
	if ev := room.events[0]; ev.Exercise != "rec/fails" || ev.CheckKind != "container_exists" || ev.Message == "" {
		t.Errorf("the failed check was reported as %+v", ev)
	}
	st, err := s.State()
	if err != nil {
		t.Fatal(err)
	}
	if e := st.Exercises["rec/fails"]; e == nil || e.Checks != 1 || e.Done() {
		t.Errorf("rec/fails progress = %+v, want one failing check", e)
	}
	if e := st.Exercises["rec/passes"]; !e.Done() {
		t.Errorf("the pass watch saw was not recorded: %+v", e)
	}
}

// TestRecordWithoutProgressFile: a verdict that cannot be saved still
// reaches the classroom, and says it was not recorded.
func TestRecordWithoutProgressFile(t *testing.T) {
	room := &recordingRoom{}
	s := New(Options{ProgressPath: filepath.Join("/dev/null", "progress.json"), Room: room})
	ex := &lessons.Exercise{ID: "x", Lesson: &lessons.Lesson{ID: "l"}}
	err := s.Record(ex, checker.Result{Outcomes: []checker.Outcome{{Kind: "container_running", Title: "t", Passed: true}}})
	var nr *NotRecordedError
	if !errors.As(err, &nr) {
		t.Fatalf("Record into an impossible path = %v, want a *NotRecordedError", err)
	}
	if k := room.kinds(); len(k) != 1 || k[0] != classroom.KindPassed {
		t.Errorf("the classroom heard %v, want one pass", k)
	}
}

func TestCheckEvent(t *testing.T) {
	run := checker.Outcome{Kind: "container_running", Title: "container dojo-web is running", Passed: true}
	port := checker.Outcome{Kind: "port_published", Title: "container dojo-web publishes port 80", Message: "port 80 is not published\nfound: nothing\nTry docker run -p"}
	failed := CheckEvent("first-run/publish-page", checker.Result{Outcomes: []checker.Outcome{run, port}})
	want := classroom.Event{Kind: classroom.KindCheckFailed, Exercise: "first-run/publish-page",
		CheckKind: "port_published", Check: "container dojo-web publishes port 80", Message: "port 80 is not published",
		ChecksOK: 1, ChecksTotal: 2}
	if failed != want {
		t.Errorf("failed check:\n got %+v\nwant %+v", failed, want)
	}
	passed := CheckEvent("a/b", checker.Result{Outcomes: []checker.Outcome{run}})
	if passed.Kind != classroom.KindPassed || passed.ChecksOK != 1 || passed.Check != "" {
		t.Errorf("passed check: %+v", passed)
	}
}

// secretLesson's check reads a file inside the learner's container for the
// exercise, which holds a secret.
const secretLesson = "---\nformat_version: 1\nid: sec\ntitle: Secrets\nsummary: What the classroom hears.\n---\n\n" +
	"```exercise\nid: db\ntitle: Db\ngoal: Never done.\nflavour: host\nchecks:\n" +
	"  - kind: exec\n    title: the configuration is complete\n    container: CONTAINER\n    command: [cat, /tmp/db.conf]\n    output_contains: ready\n" +
	"hints: [None., None at all.]\nsolution: \"true\"\nowns:\n  containers: [CONTAINER]\n```\n"

// TestClassroomHearsNoneOfWhatAChecksRead: the learner is shown what the
// check found in their container; the classroom hears only the check's
// title and that it failed, never the text read.
func TestClassroomHearsNoneOfWhatAChecksRead(t *testing.T) {
	name := fmt.Sprintf("dojo-session-secret-%d", time.Now().UnixNano())
	room := &recordingRoom{}
	s, eng := engineSession(t, fstest.MapFS{"sec/sec.md": {Data: []byte(strings.ReplaceAll(secretLesson, "CONTAINER", name))}}, room)
	labels := sandboxtest.Labels(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	spec := sandbox.ContainerSpec{Name: name, Image: "busybox:1.36", Cmd: []string{"sh", "-c", "echo DB_PASSWORD=hunter2 > /tmp/db.conf; sleep 300"}, Labels: labels}
	if _, err := eng.RunContainer(ctx, spec); err != nil {
		t.Fatal(err)
	}
	ex, _ := s.Exercise("sec/db")
	var res checker.Result
	var err error
	for deadline := time.Now().Add(20 * time.Second); ; {
		if res, err = s.Check(ctx, ex); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(res.Outcomes[0].Message, "hunter2") || time.Now().After(deadline) {
			break
		}
	}
	if o := res.Outcomes[0]; o.Passed || !o.Quotes || !strings.Contains(o.Message, "hunter2") {
		t.Fatalf("the learner's verdict = %+v; want a failure quoting what the check read", o)
	}
	room.mu.Lock()
	defer room.mu.Unlock()
	for _, ev := range room.events {
		if strings.Contains(ev.Message+ev.Check, "hunter2") {
			t.Errorf("the classroom heard what the check read: %+v", ev)
		}
		if ev.Check != "the configuration is complete" || ev.Message != quotesWithheld {
			t.Errorf("the classroom heard %+v; want the check's title and %q", ev, quotesWithheld)
		}
	}
}

// TestMeasure: one rule for what counts, exercises and quizzes together.
func TestMeasure(t *testing.T) {
	c, err := lessons.Load(lessons.Source{FS: fstest.MapFS{"rec/rec.md": {Data: []byte(twoExercises + "\n```quiz\nid: q\nquestion: Q?\nchoices:\n  - text: A\n    correct: true\n  - text: B\nexplain: A.\n```\n")}}, Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	st, _, _ := progress.Load(filepath.Join(t.TempDir(), "p.json"))
	o := Measure(c, st)
	if got := o.Lessons[0].All(); got != (Count{0, 3}) || o.Continue != 0 || o.Next().Key() != "rec/fails" {
		t.Fatalf("fresh: all = %+v, continue %d, next %v", got, o.Continue, o.Next())
	}
	st.Exercise("rec/passes").Started = time.Now()
	st.Answer("rec/q", true)
	o = Measure(c, st)
	lp := o.Lessons[0]
	if lp.Exercises != (Count{0, 2}) || lp.Quizzes != (Count{1, 1}) || lp.Mark() != "[~]" {
		t.Errorf("begun: exercises %+v, quizzes %+v, mark %s", lp.Exercises, lp.Quizzes, lp.Mark())
	}
	if o.Current == nil || o.Next().Key() != "rec/passes" {
		t.Errorf("the exercise started last should come next, got %v", o.Next())
	}
	st.Exercise("rec/passes").Passed = time.Now()
	st.Exercise("rec/fails").Passed = time.Now()
	o = Measure(c, st)
	if o.Continue != -1 || o.Next() != nil || o.Lessons[0].Mark() != "[x]" {
		t.Errorf("all done: continue %d, next %v, mark %s", o.Continue, o.Next(), o.Lessons[0].Mark())
	}
}

// TestCurrentIsOfTheCourse: the exercise started last of all belongs to a
// lesson folder not given this time. The current exercise is the one of
// this course started last, and the other is named apart, not taken for
// none at all.
func TestCurrentIsOfTheCourse(t *testing.T) {
	c, err := lessons.Load(lessons.Source{FS: fstest.MapFS{"rec/rec.md": {Data: []byte(twoExercises)}}, Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	st, _, _ := progress.Load(filepath.Join(t.TempDir(), "p.json"))
	now := time.Now()
	st.Exercise("other/elsewhere").Started = now
	if o := Measure(c, st); o.Current != nil || o.Elsewhere != "other/elsewhere" {
		t.Errorf("only another folder's exercise started: current %v, elsewhere %q; want none, and other/elsewhere", o.Current, o.Elsewhere)
	}
	st.Exercise("rec/fails").Started = now.Add(-time.Hour)
	st.Exercise("rec/passes").Started = now.Add(-time.Minute)
	if o := Measure(c, st); o.Current == nil || o.Current.Key() != "rec/passes" || o.Elsewhere != "other/elsewhere" {
		t.Errorf("current %v, elsewhere %q; want rec/passes, the course's last, and other/elsewhere", o.Current, o.Elsewhere)
	}
	st.Exercise("rec/fails").Started = now.Add(time.Minute)
	if o := Measure(c, st); o.Current == nil || o.Current.Key() != "rec/fails" || o.Elsewhere != "" {
		t.Errorf("current %v, elsewhere %q; want rec/fails, the last of all, and nothing elsewhere", o.Current, o.Elsewhere)
	}
}

// TestNextStaysInTheLesson: a learner who skipped a lesson and finished an
// exercise in the middle of another goes on with that other lesson's next
// exercise, then with the lesson after it, and only then back to the one
// skipped.
func TestNextStaysInTheLesson(t *testing.T) {
	lesson := func(id string, order int, exercises ...string) []byte {
		text := fmt.Sprintf("---\nformat_version: 1\nid: %s\ntitle: %s\nsummary: S.\norder: %d\nminutes: 5\n---\n\n# %s\n", id, id, order, id)
		for _, ex := range exercises {
			text += fmt.Sprintf("\n```exercise\nid: %s\ntitle: %s\ngoal: Do it.\nflavour: host\nchecks:\n  - kind: image_exists\n    image: busybox:1.36\nhints: [One., Two.]\nsolution: \"true\"\n```\n", ex, ex)
		}
		return []byte(text)
	}
	c, err := lessons.Load(lessons.Source{FS: fstest.MapFS{
		"a/a.md": {Data: lesson("a", 1, "one")},
		"b/b.md": {Data: lesson("b", 2, "two", "three")},
		"c/c.md": {Data: lesson("c", 3, "four")},
	}, Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	st, _, _ := progress.Load(filepath.Join(t.TempDir(), "p.json"))
	done := func(key string) {
		st.Exercise(key).Started = time.Now()
		st.Exercise(key).Passed = time.Now()
	}
	for _, step := range []struct {
		done, next string
		cont       int
	}{
		{"b/two", "b/three", 1},
		{"b/three", "c/four", 2},
		{"c/four", "a/one", 0},
	} {
		done(step.done)
		o := Measure(c, st)
		if next := o.Next(); next == nil || next.Key() != step.next || o.Continue != step.cont {
			t.Errorf("after %s: next %v, continue with lesson %d; want %s, lesson %d", step.done, next, o.Continue, step.next, step.cont)
		}
	}
}

// TestSayCommentsOfSeededFiles: where only docker-compose is installed,
// the comments of a seeded compose.yaml say so; the rest is untouched.
func TestSayCommentsOfSeededFiles(t *testing.T) {
	ws := t.TempDir()
	const yaml = "# Start it with: docker compose up -d\nservices:\n  web:\n    image: httpd:2.4  # not a whole comment line: docker compose stays\n"
	if err := os.WriteFile(filepath.Join(ws, "compose.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	s := New(Options{Say: func(text string) string { return strings.ReplaceAll(text, "docker compose ", "docker-compose ") }})
	s.sayComments(exercise.Started{Workspace: ws, Seeded: []string{"compose.yaml"}})
	got, _ := os.ReadFile(filepath.Join(ws, "compose.yaml"))
	want := strings.Replace(yaml, "# Start it with: docker compose up -d", "# Start it with: docker-compose up -d", 1)
	if string(got) != want {
		t.Errorf("compose.yaml =\n%s\nwant\n%s", got, want)
	}
}

// exitsAtOnce is an exercise whose check is a running container.
const exitsAtOnce = "---\nformat_version: 1\nid: settle\ntitle: Settle\nsummary: Settled verdicts.\n---\n\n" +
	"```exercise\nid: run-it\ntitle: Run it\ngoal: Keep dojo-session-settle running.\nflavour: host\nchecks:\n  - kind: container_running\n    container: dojo-session-settle\nhints: [Run it.]\nsolution: docker run -d --name dojo-session-settle busybox:1.36 sleep 300\nowns:\n  containers: [dojo-session-settle]\n```\n"

// TestWatchDoesNotRecordAContainerThatExitsAtOnce: a container that runs
// for a moment and exits (busybox with no command) never makes watch
// record the exercise as done; one that keeps running does.
func TestWatchDoesNotRecordAContainerThatExitsAtOnce(t *testing.T) {
	room := &recordingRoom{}
	s, eng := engineSession(t, fstest.MapFS{"settle/settle.md": {Data: []byte(exitsAtOnce)}}, room)
	labels := sandboxtest.Labels(t)
	ex := s.Course().Exercises()[0]
	const name = "dojo-session-settle"
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_ = eng.RemoveContainer(ctx, name)
	t.Cleanup(func() { _ = eng.RemoveContainer(context.Background(), name) })

	verdicts := make(chan Verdict, 100)
	done := make(chan error, 1)
	go func() {
		// Polled often: the same failing verdict, found again, is not
		// reported again.
		_, err := s.Watch(ctx, ex, WatchOptions{Poll: 300 * time.Millisecond, Show: func(v Verdict) { verdicts <- v }})
		done <- err
	}()
	<-verdicts // the first look
	// No command: busybox's shell exits at once.
	if _, err := eng.RunContainer(ctx, sandbox.ContainerSpec{Name: name, Image: "busybox:1.36", Cmd: []string{"sh", "-c", "exit 0"}, Labels: labels}); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(4 * time.Second)
	for waiting := true; waiting; {
		select {
		case err := <-done:
			t.Fatalf("watch ended (%v) on a container that exited at once", err)
		case v := <-verdicts:
			if v.Result.Passed() {
				t.Logf("a passing verdict was shown after %s; it must not be recorded", v.Cause)
			}
		case <-deadline:
			waiting = false
		}
	}
	if st, _ := s.State(); st.Exercises[ex.Key()].Done() {
		t.Fatal("the exercise was recorded as done for a container that exited at once")
	}
	// Now one that keeps running.
	if err := eng.RemoveContainer(ctx, name); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.RunContainer(ctx, sandbox.ContainerSpec{Name: name, Image: "busybox:1.36", Cmd: []string{"sleep", "300"}, Labels: labels}); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-ctx.Done():
		t.Fatal("watch did not pass a container that keeps running")
	}
	if st, _ := s.State(); !st.Exercises[ex.Key()].Done() {
		t.Error("the pass of a running container was not recorded")
	}
	// The classroom heard the failing verdicts as they changed (no
	// container, then one that exited, ...), each once, then the pass.
	evs := room.events
	if len(evs) < 2 || evs[0].Kind != classroom.KindCheckFailed || evs[len(evs)-1].Kind != classroom.KindPassed {
		t.Fatalf("the classroom heard %v, want the failing verdicts, then one pass", room.kinds())
	}
	for i, ev := range evs[:len(evs)-1] {
		if ev.Kind != classroom.KindCheckFailed {
			t.Errorf("event %d is %s, want check_failed", i, ev.Kind)
		}
		if i > 0 && ev.Message == evs[i-1].Message && ev.ChecksOK == evs[i-1].ChecksOK {
			t.Errorf("the same failing verdict was reported twice in a row: %q", ev.Message)
		}
	}
}

// volumeNote: an exercise whose check reads a file out of a volume, as a
// probe does, and whose verdict needs no change to pass.
const volumeNote = "---\nformat_version: 1\nid: vol\ntitle: Volume\nsummary: A note in a volume.\n---\n\n" +
	"```exercise\nid: note\ntitle: Note\ngoal: Write a note into dojo-session-vol.\nflavour: host\nchecks:\n" +
	"  - kind: volume_file\n    volume: dojo-session-vol\n    path: note.txt\n    contains: hi\n" +
	"  - kind: script\n    volume: dojo-session-vol\n    script: cat /volume/note.txt\n    output_contains: hi\n" +
	"hints: [None.]\nsolution: \"true\"\nowns:\n  volumes: [dojo-session-vol]\n```\n"

// TestWatchOfAVolumeEnds: each probe that mounts a volume makes the engine
// report a create of that volume. Taken for the learner's change, each
// check set off the next, and the watch of a passing exercise never ended.
func TestWatchOfAVolumeEnds(t *testing.T) {
	s, eng := engineSession(t, fstest.MapFS{"vol/vol.md": {Data: []byte(volumeNote)}}, nil)
	labels := sandboxtest.Labels(t)
	ex := s.Course().Exercises()[0]
	const vol = "dojo-session-vol"
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_ = eng.RemoveVolume(ctx, vol)
	t.Cleanup(func() { _ = eng.RemoveVolume(context.Background(), vol) })
	if err := eng.CreateVolume(ctx, vol, labels); err != nil {
		t.Fatal(err)
	}
	res, err := eng.Probe(ctx, sandbox.ProbeSpec{Image: checker.ProbeImage, Cmd: []string{"sh", "-c", "echo hi > /v/note.txt"}, Labels: labels,
		Mounts: []sandbox.MountSpec{{Type: "volume", Source: vol, Target: "/v"}}})
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("writing the note: %+v, %v", res, err)
	}

	// The volume was there before the watch: no create of it is a change.
	// (Other tests on the engine may make volumes of their own meanwhile.)
	watchEndsUnmoved(t, ctx, s, ex, 15*time.Second, vol)
}

// buildAndRun: an exercise whose check builds the workspace's app folder
// and runs the image.
const buildAndRun = "---\nformat_version: 1\nid: bld\ntitle: Build\nsummary: An image of one's own.\n---\n\n" +
	"```exercise\nid: app\ntitle: App\ngoal: Build app into an image that says hi.\nflavour: build\nchecks:\n" +
	"  - kind: image_run\n    build: app\n    output_contains: hi\n" +
	"hints: [None.]\nsolution: \"true\"\n```\n"

// TestWatchOfABuildEnds: each check of image_run builds the workspace and
// tags the image, and the engine reports the tag. Taken for the learner's
// change, each check set off the next, and the watch never ended.
func TestWatchOfABuildEnds(t *testing.T) {
	s, eng := engineSession(t, fstest.MapFS{"bld/bld.md": {Data: []byte(buildAndRun)}}, nil)
	ex := s.Course().Exercises()[0]
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	tag := checker.BuildTag(ex.Key())
	t.Cleanup(func() { _ = eng.RemoveImage(context.Background(), tag) })
	app := filepath.Join(s.Workspace(ex), "app")
	if err := os.MkdirAll(app, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(app, "Dockerfile"), []byte("FROM busybox:1.36\nCMD [\"echo\", \"hi\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	watchEndsUnmoved(t, ctx, s, ex, time.Minute, tag)
}

// watchEndsUnmoved watches ex, whose checks pass as things are, and fails
// unless the watch ends with the pass within limit, and if a verdict was
// shown for an event that names own (what the watch's own checks make).
func watchEndsUnmoved(t *testing.T, ctx context.Context, s *Session, ex *lessons.Exercise, limit time.Duration, own string) {
	t.Helper()
	var mu sync.Mutex
	var causes []string
	wctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	got, err := s.Watch(wctx, ex, WatchOptions{Show: func(v Verdict) {
		mu.Lock()
		causes = append(causes, v.Cause)
		mu.Unlock()
	}})
	mu.Lock()
	defer mu.Unlock()
	if err != nil {
		t.Fatalf("the watch of a passing exercise did not end within %s (verdicts: %q): %v", limit, causes, err)
	}
	if !got.Passed() {
		t.Fatalf("the watch ended with %+v, want a pass", got)
	}
	for _, c := range causes {
		if strings.Contains(c, own) {
			t.Errorf("a verdict was shown after %q, which the watch's own checks caused (verdicts: %q)", c, causes)
		}
	}
}

// TestAnswerReportsToTheClassroom: an answer to a quiz tells the classroom
// whether it was right and which answer it was, as the progress file
// counts them.
func TestAnswerReportsToTheClassroom(t *testing.T) {
	const quiz = "---\nformat_version: 1\nid: rec\ntitle: Recording\nsummary: Answers.\n---\n\n" +
		"```quiz\nid: q\nquestion: Q?\nchoices:\n  - text: A\n    correct: true\n  - text: B\nexplain: A.\n```\n"
	c, err := lessons.Load(lessons.Source{FS: fstest.MapFS{"rec/rec.md": {Data: []byte(quiz)}}, Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	room := &recordingRoom{}
	s := New(Options{Course: c, ProgressPath: filepath.Join(t.TempDir(), "progress.json"), Room: room})
	q := c.Lessons[0].Quizzes[0]
	for _, correct := range []bool{false, true} {
		if err := s.Answer(q, correct); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, ev := range room.events {
		got = append(got, fmt.Sprintf("%s %s %v %d", ev.Kind, ev.Exercise, ev.Correct, ev.Attempt))
	}
	if want := "[answered rec/q false 1 answered rec/q true 2]"; fmt.Sprint(got) != want {
		t.Errorf("the classroom heard %v, want %s", got, want)
	}
}

// TestProgressChanges: a change of the progress file by another process
// (written whole, as progress.Update writes it) is told, once for each
// time it was looked at, and nothing is told while it stays as it is.
func TestProgressChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	s := New(Options{ProgressPath: path})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changes := s.ProgressChanges(ctx, 10*time.Millisecond)
	quiet := func(what string) {
		t.Helper()
		select {
		case <-changes:
			t.Errorf("a change told %s", what)
		case <-time.After(100 * time.Millisecond):
		}
	}
	quiet("before any was made")
	for i := range 2 {
		if _, err := progress.Update(path, func(st *progress.State) { st.Exercise("a/b").Checks++ }); err != nil {
			t.Fatal(err)
		}
		select {
		case <-changes:
		case <-time.After(5 * time.Second):
			t.Fatalf("write %d was not told", i+1)
		}
		quiet("twice")
	}
}

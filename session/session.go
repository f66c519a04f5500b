// Package session owns one learner at work on the course: the loaded course,
// the progress file and the link to the classroom they joined. Every way of
// working (the verbs, watch, the guided flow) starts, checks, hints and
// resets through it, so each of those is recorded once and the same way, and
// "what is done" and "what is next" have one rule (see Overview).
//
// It is the learner's side of rustlings' AppState: the commands above it
// parse flags and print; the packages below it (exercise, checker, sandbox)
// know nothing of progress or classrooms.
package session

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/classroom"
	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/internal/regfile"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/progress"
	"github.com/dockdojo/dockdojo/sandbox"
)

// Room is where the classroom events of the session go: a classroom.Link,
// or nothing when the learner joined no classroom.
type Room interface {
	Report(classroom.Event)
}

// Options are what a session is made of.
type Options struct {
	Course       *lessons.Course
	ProgressPath string // the progress file
	Workspace    string // root folder of the exercises' workspaces
	// Room receives the classroom events; nil sends none.
	Room Room
	// Connect reaches the Docker engine; it is called at most once, on the
	// first action that needs the engine.
	Connect func(context.Context) (*sandbox.Engine, error)
	// Notify is told what the learner should know that is not an error (a
	// progress file that had to be set aside); nil says nothing.
	Notify func(string)
	// Say puts the comments of the starter files Start seeds in this
	// machine's words (`docker-compose` where only that is installed); nil
	// leaves them as the lesson wrote them.
	Say func(string) string
}

// Session is one learner at work. It is not safe for concurrent use.
type Session struct {
	opts Options
	eng  *sandbox.Engine
}

// New returns a session; nothing is read or connected until it is needed.
func New(opts Options) *Session {
	if opts.Notify == nil {
		opts.Notify = func(string) {}
	}
	return &Session{opts: opts}
}

// Course is the course the session works on.
func (s *Session) Course() *lessons.Course { return s.opts.Course }

// ProgressPath is the learner's progress file.
func (s *Session) ProgressPath() string { return s.opts.ProgressPath }

// Exercise finds an exercise of the course by its key (or its own id when
// only one lesson has it).
func (s *Session) Exercise(key string) (*lessons.Exercise, error) {
	return s.opts.Course.Exercise(key)
}

// Workspace is the workspace folder of ex.
func (s *Session) Workspace(ex *lessons.Exercise) string {
	return exercise.Workspace(s.opts.Workspace, ex)
}

// Engine is the Docker engine, connected on first use and kept until Close.
func (s *Session) Engine(ctx context.Context) (*sandbox.Engine, error) {
	if s.eng != nil {
		return s.eng, nil
	}
	eng, err := s.opts.Connect(ctx)
	if err != nil {
		return nil, err
	}
	s.eng = eng
	return eng, nil
}

// Close lets go of the engine.
func (s *Session) Close() error {
	if s.eng == nil {
		return nil
	}
	err := s.eng.Close()
	s.eng = nil
	return err
}

// State reads the progress file.
func (s *Session) State() (*progress.State, error) {
	st, notice, err := progress.Load(s.opts.ProgressPath)
	if notice != "" {
		s.opts.Notify(notice)
	}
	return st, err
}

// ProgressChanges receives when the progress file has changed, until ctx
// ends: another dockdojo (a check or a watch in another terminal) recorded
// something. It looks every interval, comparing the file's identity, size
// and time: the file is replaced whole when it is written (see
// progress.State.Save), so a write is always seen.
func (s *Session) ProgressChanges(ctx context.Context, every time.Duration) <-chan struct{} {
	changed := make(chan struct{}, 1)
	stat := func() os.FileInfo {
		fi, _ := os.Stat(s.opts.ProgressPath)
		return fi
	}
	last := stat()
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			now := stat()
			if sameVersion(last, now) {
				continue
			}
			last = now
			select {
			case changed <- struct{}{}:
			default: // one is waiting to be read already
			}
		}
	}()
	return changed
}

// sameVersion reports whether a and b (nil: no file) are one version of a
// file.
func sameVersion(a, b os.FileInfo) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

// update applies change to the progress file, under its lock.
func (s *Session) update(change func(*progress.State)) error {
	notice, err := progress.Update(s.opts.ProgressPath, change)
	if notice != "" {
		s.opts.Notify(notice)
	}
	return err
}

func (s *Session) report(ev classroom.Event) {
	if s.opts.Room != nil {
		s.opts.Room.Report(ev)
	}
}

// NotRecordedError is an action that was done but could not be written to
// the progress file (a read-only or full disk): the learner is shown the
// result first, then told it was not kept.
type NotRecordedError struct{ Err error }

func (e *NotRecordedError) Error() string {
	return fmt.Sprintf("this was not recorded in your progress: %v", e.Err)
}

func (e *NotRecordedError) Unwrap() error { return e.Err }

func notRecorded(err error) error {
	if err == nil {
		return nil
	}
	return &NotRecordedError{Err: err}
}

// ErrStartedMeanwhile is a start that found another dockdojo starting the
// same exercise at the same moment: that one's sandbox is the exercise's
// now, and nothing was done twice.
var ErrStartedMeanwhile = errors.New("started by another dockdojo at the same moment")

// startWait bounds how long a start waits for another start of the same
// exercise (an image pull may take a while).
const startWait = 5 * time.Minute

// Start prepares ex (workspace, sandbox) and records it as the exercise
// under way. out receives the progress of long steps (image pulls). A start
// that worked but could not be recorded returns the Started with a
// *NotRecordedError. Two starts of one exercise at once do not fight over
// its sandbox: the second waits for the first and returns
// ErrStartedMeanwhile. The sandbox of another dockdojo user of the engine
// (see OtherSandbox) is replaced only when replace is its run, which the
// learner agreed to lose; otherwise Start returns an *OtherSandboxError
// and changes nothing.
func (s *Session) Start(ctx context.Context, ex *lessons.Exercise, out exercise.Output, replace string) (exercise.Started, error) {
	eng, err := s.Engine(ctx)
	if err != nil {
		return exercise.Started{}, err
	}
	unlock, waited, err := s.lockStart(ctx, ex)
	if err != nil {
		return exercise.Started{}, err
	}
	defer unlock()
	if waited {
		return exercise.Started{Workspace: s.Workspace(ex)}, fmt.Errorf("%s: %w", ex.Key(), ErrStartedMeanwhile)
	}
	if ex.Sandbox != nil {
		unlockChain, err := s.lockChain(ctx, ex)
		if err != nil {
			return exercise.Started{}, err
		}
		defer unlockChain()
	}
	if other, err := s.otherSandbox(ctx, eng, ex); err != nil {
		return exercise.Started{}, err
	} else if other != nil && (replace == "" || other.Run != replace) {
		return exercise.Started{Workspace: s.Workspace(ex)}, &OtherSandboxError{Exercise: ex.Key(), Sandbox: *other}
	}
	st, err := exercise.Start(ctx, eng, ex, s.opts.Workspace, out)
	if err != nil {
		return st, err
	}
	s.sayComments(st)
	err = s.update(func(p *progress.State) {
		e := p.Exercise(ex.Key())
		e.Started, e.Run = time.Now().UTC(), st.Run
	})
	s.report(classroom.Event{Kind: classroom.KindStarted, Exercise: ex.Key()})
	return st, notRecorded(err)
}

// lockChain takes the lock of the chain ex is of (see lessons.Exercise.First),
// beside the progress file, waiting for another start of the chain to end
// first: exercise.Start pauses the chain's sandboxes that can write into its
// workspace while it mounts a folder of it, and two starts at once would
// undo each other's pause (one resumes what the other still needs frozen),
// or pause a sandbox as the other starts it.
func (s *Session) lockChain(ctx context.Context, ex *lessons.Exercise) (unlock func(), err error) {
	first := ex.First()
	l := regfile.NewLock(filepath.Join(filepath.Dir(s.opts.ProgressPath), "locks", "chain-"+first.Lesson.ID+"-"+first.ID+".lock"), 0o644)
	ctx, cancel := context.WithTimeout(ctx, startWait)
	defer cancel()
	if _, err := l.TryLockContext(ctx, 50*time.Millisecond); err != nil {
		return nil, fmt.Errorf("start %s: another dockdojo has been starting an exercise it goes on from, or one going on from it, for %s: %w", ex.Key(), startWait, err)
	}
	return func() { _ = l.Unlock() }, nil
}

// lockStart takes the start lock of ex, beside the progress file; waited
// says another start held it first.
func (s *Session) lockStart(ctx context.Context, ex *lessons.Exercise) (unlock func(), waited bool, err error) {
	dir := filepath.Join(filepath.Dir(s.opts.ProgressPath), "locks")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, false, fmt.Errorf("start %s: %w", ex.Key(), cmp.Or(regfile.InTheWay("state folder", dir), err))
	}
	l := regfile.NewLock(s.startLock(ex), 0o644)
	if ok, err := l.TryLock(); err != nil {
		return nil, false, fmt.Errorf("start %s: %w", ex.Key(), err)
	} else if ok {
		return func() { _ = l.Unlock() }, false, nil
	}
	ctx, cancel := context.WithTimeout(ctx, startWait)
	defer cancel()
	if _, err := l.TryLockContext(ctx, 50*time.Millisecond); err != nil {
		return nil, false, fmt.Errorf("start %s: another dockdojo has been starting it for %s: %w", ex.Key(), startWait, err)
	}
	return func() { _ = l.Unlock() }, true, nil
}

// Reseed puts back the starter files of ex that are missing from its
// workspace (the folder too, when it is gone), keeping every file that is
// there, as a start does; the sandbox, if any, is left as it is. It says
// which it seeded, and whether the learner's folder was gone: a sandbox
// that mounts it still sees the folder that was removed. A folder the
// learner never had (no start of ex is recorded) was not gone: it is new.
func (s *Session) Reseed(ex *lessons.Exercise) (seeded []string, folderWasGone bool, err error) {
	ws := s.Workspace(ex)
	if len(ex.Workspace) == 0 {
		return nil, false, nil
	}
	_, statErr := os.Stat(ws)
	seeded, err = exercise.Seed(ex, ws)
	s.sayComments(exercise.Started{Workspace: ws, Seeded: seeded})
	if !errors.Is(statErr, fs.ErrNotExist) {
		return seeded, false, err
	}
	st, lerr := s.State()
	return seeded, lerr == nil && !st.Exercise(ex.Key()).Started.IsZero(), err
}

// sayComments rewrites the comment lines of the files Start just seeded
// (a starter compose.yaml's "# then: docker compose up -d") in this
// machine's words. A file it cannot rewrite is left as it was seeded.
func (s *Session) sayComments(st exercise.Started) {
	if s.opts.Say == nil || len(st.Seeded) == 0 {
		return
	}
	// Through an os.Root, as the seeding: the sandbox may already have put
	// a link in the workspace, and it is not followed out of it.
	root, err := os.OpenRoot(st.Workspace)
	if err != nil {
		return
	}
	defer root.Close()
	for _, name := range st.Seeded {
		path := filepath.FromSlash(name)
		data, err := regfile.ReadIn(root, path)
		if err != nil {
			continue
		}
		lines := strings.SplitAfter(string(data), "\n")
		changed := false
		for i, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), "#") {
				if said := s.opts.Say(l); said != l {
					lines[i], changed = said, true
				}
			}
		}
		if changed {
			_ = root.WriteFile(path, []byte(strings.Join(lines, "")), 0o644)
		}
	}
}

// Judge runs the checks of ex and records nothing: watch shows each verdict
// and records only the one that counts. The sandbox of another dockdojo
// user of the engine is not judged: that is an *OtherSandboxError.
func (s *Session) Judge(ctx context.Context, ex *lessons.Exercise) (checker.Result, error) {
	eng, err := s.Engine(ctx)
	if err != nil {
		return checker.Result{}, err
	}
	other, err := s.OtherSandbox(ctx, ex)
	if err := otherError(ex, other, err); err != nil {
		return checker.Result{}, err
	}
	return exercise.Check(ctx, eng, ex, s.opts.Workspace)
}

// Check runs the checks of ex and records the verdict (see Record). Its
// error is the engine's; a verdict that could not be recorded comes with a
// *NotRecordedError.
func (s *Session) Check(ctx context.Context, ex *lessons.Exercise) (checker.Result, error) {
	res, err := s.Judge(ctx, ex)
	if err != nil {
		return res, err
	}
	return res, s.Record(ex, res)
}

// Record is the one place a verdict is kept, for check, watch and the
// guided flow alike: the progress file counts the check and notes the first
// pass, and the classroom hears the verdict. It returns a
// *NotRecordedError when the progress file cannot be written; the classroom
// is told all the same.
func (s *Session) Record(ex *lessons.Exercise, res checker.Result) error {
	err := s.update(func(p *progress.State) {
		e := p.Exercise(ex.Key())
		e.Checks++
		if res.Passed() && e.Passed.IsZero() {
			e.Passed = time.Now().UTC()
		}
	})
	s.report(CheckEvent(ex.Key(), res))
	return notRecorded(err)
}

// CheckEvent is what a verdict tells the classroom: passed, or the first
// failing check (its kind and title) and the first line of what dockdojo
// said about it. Nothing a check read from a container goes with it: when
// the check read text out of one (a command's output, logs, a file, an HTTP
// reply, an environment variable), which its message may quote, the
// classroom hears only that it failed.
func CheckEvent(key string, res checker.Result) classroom.Event {
	ev := classroom.Event{Kind: classroom.KindPassed, Exercise: key, ChecksOK: res.NumPassed(), ChecksTotal: len(res.Outcomes)}
	if first := res.FirstFailure(); first != nil {
		ev.Kind = classroom.KindCheckFailed
		ev.CheckKind, ev.Check = first.Kind, first.Title
		ev.Message = firstLine(first.Message)
		if first.Quotes {
			ev.Message = quotesWithheld
		}
	}
	return ev
}

// quotesWithheld stands for a message that quotes what a check read from a
// learner's container.
const quotesWithheld = "not yet: what it found stays on the learner's machine"

// Hint counts one more hint of ex as seen, up to the last, and returns how
// many the learner has now seen. When the progress file cannot be kept it
// returns them all the same, with a *NotRecordedError.
func (s *Session) Hint(ex *lessons.Exercise) (shown int, err error) {
	err = s.update(func(p *progress.State) {
		e := p.Exercise(ex.Key())
		if e.Hints < len(ex.Hints) {
			e.Hints++
		}
		shown = e.Hints
	})
	if err != nil && shown == 0 {
		// The progress file cannot be read or written: the learner still
		// gets the hint, one more than the file holds if it can be read.
		shown = 1
		if st, lerr := s.State(); lerr == nil {
			shown = min(st.Exercise(ex.Key()).Hints+1, max(len(ex.Hints), 1))
		}
	}
	s.report(classroom.Event{Kind: classroom.KindHint, Exercise: ex.Key(), Hint: shown})
	return shown, notRecorded(err)
}

// SeeSolution records that the learner saw the solution of ex; a
// *NotRecordedError says it could not be kept (show it all the same).
func (s *Session) SeeSolution(ex *lessons.Exercise) error {
	err := s.update(func(p *progress.State) { p.Exercise(ex.Key()).SolutionSeen = true })
	s.report(classroom.Event{Kind: classroom.KindSolution, Exercise: ex.Key()})
	return notRecorded(err)
}

// Answer records an answer to a quiz, and tells the classroom whether it
// was right and how many answers the learner has given to the quiz: not
// which choices they picked.
func (s *Session) Answer(q *lessons.Quiz, correct bool) error {
	key, tries := QuizKey(q), 0
	err := s.update(func(p *progress.State) {
		p.Answer(key, correct)
		tries = p.Quizzes[key].Attempts
	})
	if err != nil {
		return err
	}
	s.report(classroom.Event{Kind: classroom.KindAnswered, Exercise: key, Correct: correct, Attempt: tries})
	return nil
}

// QuizKey is a quiz's address in the progress file: "lesson/quiz".
func QuizKey(q *lessons.Quiz) string { return q.Lesson.ID + "/" + q.ID }

// Reset removes everything dockdojo made for ex and, after confirm says
// yes, the objects the exercise declares as the learner's. It returns what
// was removed and the learner's objects that were kept (confirm said no).
// When the sandbox of ex is another dockdojo user's (see OtherSandbox),
// replace is asked first; when it says no (or is nil), nothing is removed
// and the error is an *OtherSandboxError.
func (s *Session) Reset(ctx context.Context, ex *lessons.Exercise, replace func(exercise.Found) (bool, error), confirm func([]exercise.Object) (bool, error)) (removed []string, kept []exercise.Object, err error) {
	eng, err := s.Engine(ctx)
	if err != nil {
		return nil, nil, err
	}
	other, err := s.OtherSandbox(ctx, ex)
	if err != nil {
		return nil, nil, err
	}
	if other != nil {
		ok := false
		if replace != nil {
			if ok, err = replace(*other); err != nil {
				return nil, nil, err
			}
		}
		if !ok {
			return nil, nil, &OtherSandboxError{Exercise: ex.Key(), Sandbox: *other}
		}
	}
	removed, err = exercise.Reset(ctx, eng, ex, func(objs []exercise.Object) (bool, error) {
		ok, err := confirm(objs)
		if err == nil && !ok {
			kept = objs
		}
		return ok, err
	})
	return removed, kept, err
}

// ResetGone removes what dockdojo made for the exercise key, one the course
// does not have (its lesson was edited, or is not loaded): the objects
// labelled with that key, which only dockdojo makes. The learner's own
// objects are not known without the exercise, and stay.
func (s *Session) ResetGone(ctx context.Context, key string) ([]string, error) {
	eng, err := s.Engine(ctx)
	if err != nil {
		return nil, err
	}
	return exercise.RemoveGone(ctx, eng, key)
}

// ErrNoSandbox is returned for an exercise that has no sandbox container.
var ErrNoSandbox = errors.New("no sandbox container")

// SandboxNotRunningError says that the sandbox of an exercise is not
// running, and how to start it.
type SandboxNotRunningError struct{ Exercise string }

func (e *SandboxNotRunningError) Error() string {
	return fmt.Sprintf("the sandbox of %s is not running; start it with `dockdojo start %s`", e.Exercise, e.Exercise)
}

// Sandbox is the name of the running sandbox container of ex; a sandbox
// that is missing or stopped is a *SandboxNotRunningError, and another
// dockdojo user's an *OtherSandboxError.
func (s *Session) Sandbox(ctx context.Context, ex *lessons.Exercise) (string, error) {
	if ex.Sandbox == nil {
		return "", fmt.Errorf("%s: %w", ex.Key(), ErrNoSandbox)
	}
	eng, err := s.Engine(ctx)
	if err != nil {
		return "", err
	}
	other, err := s.OtherSandbox(ctx, ex)
	if err := otherError(ex, other, err); err != nil {
		return "", err
	}
	name := exercise.SandboxName(ex)
	ct, err := eng.InspectContainer(ctx, name)
	switch {
	case errors.Is(err, sandbox.ErrNotFound) || err == nil && !ct.Running:
		return "", &SandboxNotRunningError{Exercise: ex.Key()}
	case err != nil:
		return "", err
	}
	return name, nil
}

// Shell runs the exercise's shell in its running sandbox, attached to io,
// and returns the shell's exit code. The shell ends on its own: a Ctrl-C
// is the shell's to handle, so it is not tied to ctx's cancellation.
func (s *Session) Shell(ctx context.Context, ex *lessons.Exercise, io sandbox.ShellIO) (int, error) {
	name, err := s.Sandbox(ctx, ex)
	if err != nil {
		return 0, err
	}
	shell := ex.Sandbox.Shell
	if len(shell) == 0 {
		shell = []string{"sh"}
	}
	return s.eng.Shell(context.WithoutCancel(ctx), name, shell, io)
}

func firstLine(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}

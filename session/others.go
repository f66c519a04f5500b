package session

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/internal/regfile"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/progress"
	"github.com/dockdojo/dockdojo/sandbox"
)

// OtherSandboxError is the sandbox of an exercise found to be another
// dockdojo user's of the same engine (see Session.OtherSandbox): it is not
// this learner's to check, open, keep or remove unasked.
type OtherSandboxError struct {
	Exercise string
	Sandbox  exercise.Found
}

func (e *OtherSandboxError) Error() string {
	return fmt.Sprintf("%s. Ask them to reset it when they are done (`dockdojo reset %s`); `dockdojo start %s` can replace it, after asking, which removes their work in it", e.said("the"), e.Exercise, e.Exercise)
}

// Said says whose the sandbox is, what it is, and why that stops this
// learner: the facts, without what to do.
func (e *OtherSandboxError) Said() string { return e.said("The") }

// said is Said, begun with the (an error begins in lower case).
func (e *OtherSandboxError) said(the string) string {
	f := e.Sandbox
	s := fmt.Sprintf("%s sandbox of %s, %s, is not yours: another dockdojo user of this Docker engine made it at %s (run %s)", the, e.Exercise, f.Name, f.Created.Local().Format("2006-01-02 15:04 MST"), f.Run)
	if len(f.Mounts) > 0 {
		s += ", and it mounts their workspace folder " + strings.Join(f.Mounts, " and ")
	}
	return s + ". Two people cannot do the same exercise on one engine at once: its sandbox has the same name for both"
}

// OtherSandbox returns the sandbox of ex when it is another dockdojo
// user's of this engine, nil when there is none or it is this learner's.
// Every learner gets the same sandbox name for an exercise, so it is told
// by its run: the progress file records the run of each start. A sandbox
// whose run it does not record is still this learner's when it was made
// for their workspace folder (exercise.Found.MadeFor), which is theirs
// alone: their progress file was lost or set aside since, and the run is
// recorded again. A start of this learner's that is under way (its run is
// recorded once its sandbox is made) is waited for first.
func (s *Session) OtherSandbox(ctx context.Context, ex *lessons.Exercise) (*exercise.Found, error) {
	eng, err := s.Engine(ctx)
	if err != nil {
		return nil, err
	}
	other, err := s.otherSandbox(ctx, eng, ex)
	if other == nil || err != nil {
		return other, err
	}
	l := regfile.NewLock(s.startLock(ex), 0o644)
	if ok, err := l.TryLock(); err != nil || ok {
		if ok {
			_ = l.Unlock()
		}
		return other, nil
	}
	wait, cancel := context.WithTimeout(ctx, startWait)
	defer cancel()
	if ok, _ := l.TryLockContext(wait, 50*time.Millisecond); ok {
		_ = l.Unlock()
	}
	return s.otherSandbox(ctx, eng, ex)
}

// otherSandbox is OtherSandbox without the wait for a start under way: for
// the start itself, which holds its lock.
func (s *Session) otherSandbox(ctx context.Context, eng *sandbox.Engine, ex *lessons.Exercise) (*exercise.Found, error) {
	found, err := exercise.FindSandbox(ctx, eng, ex)
	if found == nil || err != nil {
		return nil, err
	}
	st, err := s.State()
	if err != nil {
		return nil, err
	}
	if e := st.Exercises[ex.Key()]; e != nil && e.Run != "" && e.Run == found.Run {
		return nil, nil
	}
	if !found.MadeFor(ex, s.Workspace(ex)) {
		return found, nil
	}
	// A progress file that cannot be written loses nothing here: the
	// sandbox is found theirs again next time.
	_ = s.update(func(p *progress.State) {
		e := p.Exercise(ex.Key())
		e.Run = found.Run
		if e.Started.IsZero() {
			e.Started = found.Created.UTC()
		}
	})
	return nil, nil
}

// startLock is the file a start of ex holds while it runs.
func (s *Session) startLock(ex *lessons.Exercise) string {
	return filepath.Join(filepath.Dir(s.opts.ProgressPath), "locks", "start-"+ex.Lesson.ID+"-"+ex.ID+".lock")
}

// otherError is err, or an *OtherSandboxError when other, the sandbox of
// ex, is another dockdojo user's.
func otherError(ex *lessons.Exercise, other *exercise.Found, err error) error {
	if err != nil || other == nil {
		return err
	}
	return &OtherSandboxError{Exercise: ex.Key(), Sandbox: *other}
}

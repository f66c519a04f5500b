package session

import (
	"context"
	"fmt"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/lessons"
)

// Missing is an exercise that another continues, whose state is not there:
// its checks fail now.
type Missing struct {
	Exercise *lessons.Exercise
	// Passed says the learner passed it once (the progress file says so):
	// what it left was changed since, rather than never made.
	Passed bool
	// Failure is its first check that fails now.
	Failure checker.Outcome
}

// Earlier looks whether the state that ex starts from is there: whether
// the checks of the exercise it continues pass. When they do not, it looks
// further back along the chain, and returns the exercises to bring to their
// end, the first of the chain first: those after the last one whose checks
// pass. It returns none when ex continues no exercise, or when the one it
// continues is done. An exercise whose sandbox is another dockdojo user's
// is not checked: it is missing, for what it left is not this learner's.
func (s *Session) Earlier(ctx context.Context, ex *lessons.Exercise) ([]Missing, error) {
	chain := ex.Chain()
	if len(chain) == 0 {
		return nil, nil
	}
	eng, err := s.Engine(ctx)
	if err != nil {
		return nil, err
	}
	st, err := s.State()
	if err != nil {
		return nil, err
	}
	var missing []Missing
	for i := len(chain) - 1; i >= 0; i-- {
		before := chain[i]
		other, err := s.OtherSandbox(ctx, before)
		if err != nil {
			return nil, err
		}
		if other != nil {
			theirs := checker.Outcome{Title: "its sandbox is yours", Message: fmt.Sprintf("its sandbox %s is another dockdojo user's of this engine (run %s)", other.Name, other.Run)}
			missing = append([]Missing{{Exercise: before, Passed: st.Exercise(before.Key()).Done(), Failure: theirs}}, missing...)
			continue
		}
		res, err := exercise.Check(ctx, eng, before, s.opts.Workspace)
		if err != nil {
			return nil, err
		}
		f := res.FirstFailure()
		if f == nil {
			break
		}
		missing = append([]Missing{{Exercise: before, Passed: st.Exercise(before.Key()).Done(), Failure: *f}}, missing...)
	}
	return missing, nil
}

// InTheWay lists the learner's objects that Solve would remove now, by
// kind and exact name (see exercise.InTheWay): for the learner to know
// before they agree.
func (s *Session) InTheWay(ctx context.Context, ex *lessons.Exercise) ([]exercise.Object, error) {
	eng, err := s.Engine(ctx)
	if err != nil {
		return nil, err
	}
	return exercise.InTheWay(ctx, eng, ex)
}

// Solve brings ex to the state its reference solution leaves, on this
// machine, because the learner asked for it (see exercise.Solve), and
// records that they saw its solution. out receives the progress of long
// steps (image pulls). It returns the learner's objects it removed, also
// when it fails.
func (s *Session) Solve(ctx context.Context, ex *lessons.Exercise, out exercise.Output) ([]exercise.Object, error) {
	eng, err := s.Engine(ctx)
	if err != nil {
		return nil, err
	}
	unlock, _, err := s.lockStart(ctx, ex)
	if err != nil {
		return nil, err
	}
	defer unlock()
	// Solve starts ex anew: another user's sandbox of it is theirs.
	other, err := s.otherSandbox(ctx, eng, ex)
	if err := otherError(ex, other, err); err != nil {
		return nil, err
	}
	removed, err := exercise.Solve(ctx, eng, ex, s.opts.Workspace, out)
	if err != nil {
		return removed, fmt.Errorf("bring %s to its end: %w", ex.Key(), err)
	}
	return removed, s.SeeSolution(ex)
}

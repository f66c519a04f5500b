package exercisecmd

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/session"
)

// Target is what every exercise verb starts from: the factory and the
// optional LESSON/EXERCISE argument (none: the exercise started last).
type Target struct {
	F    *cmdutil.Factory
	Args []string
}

// command builds an exercise verb: Use is "verb [LESSON/EXERCISE]", and
// the argument is completed from the course and bound into t.
func command[O any](t *Target, verb, short string, opts O, runF, run func(context.Context, O) error) *cobra.Command {
	return cmdutil.Cmd(&cobra.Command{
		Use:               verb + " [LESSON/EXERCISE]",
		Short:             short,
		Args:              cmdutil.ExerciseArgs,
		ValidArgsFunction: cmdutil.CompleteExercises(t.F),
	}, opts, func(args []string) { t.Args = args }, runF, run)
}

// resolve is the learner's session and the exercise the verb acts on.
func (t *Target) resolve(verb string) (*session.Session, *lessons.Exercise, error) {
	s, err := t.F.Session()
	if err != nil {
		return nil, nil, err
	}
	ex, err := cmdutil.Exercise(s, t.Args, verb)
	return s, ex, err
}

// notRecorded separates an action that was done but not written to the
// progress file (shown after the result) from a real failure.
func notRecorded(err error) (unsaved *session.NotRecordedError, failed error) {
	if errors.As(err, &unsaved) {
		return unsaved, nil
	}
	return nil, err
}

// warnNotRecorded tells the learner, after the result, that it was not
// kept in their progress.
func warnNotRecorded(f *cmdutil.Factory, unsaved *session.NotRecordedError) {
	if unsaved != nil {
		cmdutil.NotRecorded(f, unsaved)
	}
}

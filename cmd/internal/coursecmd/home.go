package coursecmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/sandbox"
)

// RunHome is `dockdojo` with no verb off a terminal: the course with the
// learner's progress, what to do next, and a word up front when Docker
// cannot be reached.
func RunHome(ctx context.Context, f *cmdutil.Factory) error {
	s, err := f.Session()
	if err != nil {
		return err
	}
	if _, err := s.Engine(ctx); err != nil {
		if !errors.Is(err, sandbox.ErrUnreachable) {
			return err
		}
		fmt.Fprintf(f.IOStreams.ErrOut, "warning: %v\n\n%s\n", err, cmdutil.UnreachableHelp)
	}
	if err := RunList(ctx, &ListOptions{F: f}); err != nil {
		return err
	}
	return RunNext(f)
}

// RunNext tells the learner what to do next: go on with the exercise
// started last, else the first exercise not done.
func RunNext(f *cmdutil.Factory) error {
	s, err := f.Session()
	if err != nil {
		return err
	}
	o, err := s.Overview()
	if err != nil {
		return err
	}
	next := o.Next()
	if next == nil {
		fmt.Fprintln(f.IOStreams.Out, "Every exercise is done. Well done!")
		return nil
	}
	g := cmdutil.Global(f)
	fmt.Fprintf(f.IOStreams.Out, "Next: read `%s`, then `%s`.\n", g("read", next.Lesson.ID), g("start", next.Key()))
	return nil
}

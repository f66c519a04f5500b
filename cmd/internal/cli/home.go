package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/sandbox"
)

// runHome is `dockdojo` with no verb: the course with your progress, where to
// go next, and a word up front when Docker cannot be reached.
func runHome(cmd *cobra.Command, f *Factory) error {
	ctx := cmd.Context()
	if eng, err := f.Engine(ctx); err != nil {
		if !errors.Is(err, sandbox.ErrUnreachable) {
			return err
		}
		fmt.Fprintf(f.IO.ErrOut, "warning: %v\n\n%s\n", err, unreachableHelp)
	} else {
		eng.Close()
	}
	if err := runList(&listOptions{f: f}); err != nil {
		return err
	}
	return next(ctx, f)
}

// next tells the learner the first exercise not done yet.
func next(_ context.Context, f *Factory) error {
	c, err := f.Course()
	if err != nil {
		return err
	}
	st, err := f.Progress()
	if err != nil {
		return err
	}
	for _, ex := range c.Exercises() {
		if !st.Exercises[ex.Key()].Done() {
			fmt.Fprintf(f.IO.Out, "Next: read `dockdojo read %s`, then `dockdojo start %s`.\n", ex.Lesson.ID, ex.Key())
			return nil
		}
	}
	fmt.Fprintln(f.IO.Out, "Every exercise is done. Well done!")
	return nil
}

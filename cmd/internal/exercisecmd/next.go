package exercisecmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
)

// NextOptions are the options of `dockdojo next`.
type NextOptions struct {
	F     *cmdutil.Factory
	Start bool
}

// NewCmdNext returns `dockdojo next`.
func NewCmdNext(f *cmdutil.Factory, runF func(context.Context, *NextOptions) error) *cobra.Command {
	opts := &NextOptions{F: f}
	cmd := cmdutil.Cmd(&cobra.Command{
		Use:   "next",
		Short: "Say what to do next (with --start, start it)",
		Long: `Say what to do next: the exercise you started last while it is not done,
else the next one not done after it (the rest of its lesson first, then the
lessons after it), else the first exercise of the course not done yet. With
--start, start it.`,
		Args: cmdutil.NoArgs,
	}, opts, nil, runF, RunNext)
	cmd.Flags().BoolVar(&opts.Start, "start", false, "start the next exercise too")
	return cmd
}

// RunNext says what comes next and, with --start, starts it.
func RunNext(ctx context.Context, opts *NextOptions) error {
	f := opts.F
	s, err := f.Session()
	if err != nil {
		return err
	}
	o, err := s.Overview()
	if err != nil {
		return err
	}
	w := f.IOStreams.Out
	next := o.Next()
	if next == nil {
		fmt.Fprintln(w, "Every exercise is done. Well done!")
		return nil
	}
	g := cmdutil.Global(f)
	if opts.Start {
		return RunStart(ctx, &StartOptions{Target: Target{F: f, Args: []string{next.Key()}}})
	}
	fmt.Fprintf(w, "Next: %s, %s (lesson %q).\n", next.Key(), next.Title, next.Lesson.Title)
	fmt.Fprintf(w, "Goal: %s\n", cmdutil.Say(f, next.Goal))
	fmt.Fprintf(w, "Read `%s`, then `%s` (or `%s`).\n", g("read", next.Lesson.ID), g("start", next.Key()), g("next", "--start"))
	return nil
}

package exercisecmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
)

// SolutionOptions are the options of `dockdojo solution`.
type SolutionOptions struct {
	Target
	Yes bool
}

// NewCmdSolution returns `dockdojo solution`.
func NewCmdSolution(f *cmdutil.Factory, runF func(context.Context, *SolutionOptions) error) *cobra.Command {
	opts := &SolutionOptions{Target: Target{F: f}}
	cmd := command(&opts.Target, "solution", "Show the reference solution of an exercise (after asking)", opts, runF, RunSolution)
	cmd.Long = "Show the reference solution of an exercise. It is only shown, never run: type it yourself."
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "show it without asking")
	return cmd
}

// RunSolution shows the reference solution, after the learner confirms.
func RunSolution(_ context.Context, opts *SolutionOptions) error {
	f := opts.F
	s, ex, err := opts.resolve("solution")
	if err != nil {
		return err
	}
	if !opts.Yes {
		p := f.Prompter()
		if p == nil {
			return cmdutil.Usagef("not on a terminal, so not asking: pass --yes to see the solution of %s", ex.Key())
		}
		ok, err := p.Confirm("See the solution? Trying with hints teaches more", false)
		if err != nil || !ok {
			return err
		}
	}
	unsaved, err := notRecorded(s.SeeSolution(ex))
	if err != nil {
		return err
	}
	defer warnNotRecorded(f, unsaved)
	fmt.Fprintf(f.IOStreams.Out, "Solution of %s (type it yourself; dockdojo does not run it):\n\n", ex.Key())
	// Its lines are commands, or lines of a file: printed as written, past
	// the wrapping of lines, which would break a command in two.
	fmt.Fprintln(iostreams.Unwrapped(f.IOStreams.Out), strings.TrimRight(cmdutil.Say(f, ex.Solution), "\n"))
	return nil
}

package exercisecmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
)

// HintOptions are the options of `dockdojo hint`.
type HintOptions struct{ Target }

// NewCmdHint returns `dockdojo hint`.
func NewCmdHint(f *cmdutil.Factory, runF func(context.Context, *HintOptions) error) *cobra.Command {
	opts := &HintOptions{Target{F: f}}
	return command(&opts.Target, "hint", "Show the next hint of an exercise (one more each time)", opts, runF, RunHint)
}

// RunHint shows the hints seen so far and one more.
func RunHint(_ context.Context, opts *HintOptions) error {
	f := opts.F
	s, ex, err := opts.resolve("hint")
	if err != nil {
		return err
	}
	shown, err := s.Hint(ex)
	if err != nil {
		return err
	}
	w := f.IOStreams.Out
	for i := 0; i < shown; i++ {
		fmt.Fprintln(w, f.IOStreams.Wrap(fmt.Sprintf("Hint %d of %d: %s", i+1, len(ex.Hints), cmdutil.Say(f, strings.TrimSpace(ex.Hints[i]))), 2))
	}
	if shown == len(ex.Hints) {
		fmt.Fprintf(w, "\nThat was the last hint. `%s` shows the answer.\n", cmdutil.Global(f)("solution", ex.Key()))
	}
	return nil
}

package coursecmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/exercisecmd"
	"github.com/dockdojo/dockdojo/sandbox"
)

// RunHome is `dockdojo` with no verb off a terminal: the course with the
// learner's progress, what to do next (as `dockdojo next` says it), and a word up front when Docker
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
	return exercisecmd.RunNext(ctx, &exercisecmd.NextOptions{F: f})
}

package exercisecmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/exercise"
)

// CleanOptions are the options of `dockdojo clean`.
type CleanOptions struct {
	F *cmdutil.Factory
}

// NewCmdClean returns `dockdojo clean`.
func NewCmdClean(f *cmdutil.Factory, runF func(context.Context, *CleanOptions) error) *cobra.Command {
	opts := &CleanOptions{F: f}
	return &cobra.Command{
		Use:   "clean",
		Short: "Remove every container, network, volume and image dockdojo made (nothing else)",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return RunClean(cmd.Context(), opts)
		},
	}
}

// RunClean removes what dockdojo made and says what went.
func RunClean(ctx context.Context, opts *CleanOptions) error {
	// The course is not needed: clean works even when lessons are broken.
	eng, err := opts.F.Engine(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	r, err := exercise.Clean(ctx, eng)
	if err != nil {
		return err
	}
	w := opts.F.IOStreams.Out
	n := len(r.Containers) + len(r.Networks) + len(r.Volumes) + len(r.Images)
	if n == 0 {
		fmt.Fprintln(w, "Nothing to clean: no dockdojo containers, networks, volumes or images.")
		return nil
	}
	for _, group := range []struct {
		kind  string
		names []string
	}{{"containers", r.Containers}, {"networks", r.Networks}, {"volumes", r.Volumes}, {"images", r.Images}} {
		if len(group.names) > 0 {
			fmt.Fprintf(w, "Removed %s: %s\n", group.kind, strings.Join(group.names, ", "))
		}
	}
	fmt.Fprintln(w, "Your own containers, networks and volumes were not touched.")
	return nil
}

package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/selftest"
)

type selftestOptions struct {
	f    *Factory
	Keys []string
}

func newSelftestCmd(f *Factory) *cobra.Command {
	opts := &selftestOptions{f: f}
	return &cobra.Command{
		Use:   "selftest [LESSON/EXERCISE...]",
		Short: "Prove every exercise: fails before, rejects wrong attempts, passes after its solution",
		Long: `For each exercise (all of them by default): start it and check that the checks
fail; apply each wrong attempt on a fresh start and check that it is rejected;
apply the reference solution and check that it passes; reset and check that
nothing is left behind.

Reference solutions and wrong attempts are shell scripts that run on THIS
machine with the docker CLI, as a learner would type them. Run the self-test on
lesson files you trust. It removes objects under the exercises' declared names
(e.g. a container named dojo-web) as reset --yes would.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Keys = args
			return runSelftest(cmd.Context(), opts)
		},
	}
}

func runSelftest(ctx context.Context, opts *selftestOptions) error {
	c, err := opts.f.Course()
	if err != nil {
		return err
	}
	exercises := c.Exercises()
	if len(opts.Keys) > 0 {
		exercises = nil
		for _, k := range opts.Keys {
			ex, err := c.Exercise(k)
			if err != nil {
				return usageError{err}
			}
			exercises = append(exercises, ex)
		}
	}
	eng, err := opts.f.Engine(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	io := opts.f.IO
	fmt.Fprintf(io.ErrOut, "Self-testing %s. Their solutions and wrong attempts run on this machine with the docker CLI.\n", plural(len(exercises), "exercise"))
	failed, err := selftest.Run(ctx, eng, exercises, selftest.Options{
		Output: exercise.Output{W: io.ErrOut, Fd: io.OutFd, IsTerm: io.OutTTY},
	}, io.Out)
	if err != nil {
		return err
	}
	if failed > 0 {
		return errors.New(plural(failed, "exercise") + " failed the self-test")
	}
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/sandbox"
)

type shellOptions struct {
	f   *Factory
	Key string
}

func newShellCmd(f *Factory) *cobra.Command {
	opts := &shellOptions{f: f}
	return &cobra.Command{
		Use:   "shell LESSON/EXERCISE",
		Short: "Open a shell inside an exercise's sandbox container",
		Args:  exerciseArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Key = args[0]
			return runShell(cmd.Context(), opts)
		},
	}
}

func isNotFound(err error) bool { return errors.Is(err, sandbox.ErrNotFound) }

func runShell(ctx context.Context, opts *shellOptions) error {
	ex, err := opts.f.Exercise(opts.Key)
	if err != nil {
		return err
	}
	if ex.Sandbox == nil {
		return usageError{fmt.Errorf("%s has no sandbox container: it is a %s exercise, done in your own terminal", ex.Key(), ex.Flavour)}
	}
	io := opts.f.IO
	if !io.Interactive() {
		return usageError{fmt.Errorf("shell needs a terminal; to run one command in the sandbox use `docker exec %s COMMAND`", exercise.SandboxName(ex))}
	}
	eng, err := opts.f.Engine(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	name, err := sandboxOf(ctx, eng, ex)
	if err != nil {
		return err
	}
	shell := ex.Sandbox.Shell
	if len(shell) == 0 {
		shell = []string{"sh"}
	}
	fmt.Fprintf(io.ErrOut, "Shell in %s (%s). Type `exit` to come back; the container keeps running.\n", name, ex.Sandbox.Image)
	state, err := term.MakeRaw(int(io.InFd))
	if err != nil {
		return fmt.Errorf("put the terminal in raw mode: %w", err)
	}
	defer term.Restore(int(io.InFd), state)
	size := func() sandbox.TermSize {
		w, h, err := term.GetSize(int(io.OutFd))
		if err != nil {
			return sandbox.TermSize{Rows: 24, Cols: 80}
		}
		return sandbox.TermSize{Rows: uint(h), Cols: uint(w)}
	}
	resize, stop := watchResize(size)
	defer stop()
	// The shell ends on its own; a Ctrl-C is the shell's to handle, so the
	// session is not tied to the command's interruptible context.
	code, err := eng.Shell(context.WithoutCancel(ctx), name, shell, sandbox.ShellIO{In: io.In, Out: io.Out, Size: size(), Resize: resize})
	term.Restore(int(io.InFd), state)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.ErrOut, "Left the shell (exit %d). Check your work with `dockdojo check %s`.\n", code, ex.Key())
	return nil
}

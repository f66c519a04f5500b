package exercisecmd

import (
	"context"
	"errors"
	"fmt"
	stdio "io"
	"time"

	"github.com/muesli/cancelreader"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/internal/syncio"
	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/session"
)

// ShellOptions are the options of `dockdojo shell`.
type ShellOptions struct{ Target }

// NewCmdShell returns `dockdojo shell`.
func NewCmdShell(f *cmdutil.Factory, runF func(context.Context, *ShellOptions) error) *cobra.Command {
	opts := &ShellOptions{Target{F: f}}
	return command(&opts.Target, "shell", "Open a shell inside an exercise's sandbox (needs a terminal)", opts, runF, RunShell)
}

// RunShell attaches the terminal to a shell in the exercise's sandbox.
func RunShell(ctx context.Context, opts *ShellOptions) error {
	f := opts.F
	s, ex, err := opts.resolve("shell")
	if err != nil {
		return err
	}
	if ex.Sandbox == nil {
		return cmdutil.Usagef("%s has no sandbox container: it is a %s exercise, done in your own terminal", ex.Key(), ex.Flavour)
	}
	io := f.IOStreams
	if !io.Interactive() {
		return cmdutil.Usagef("shell needs a terminal; to run one command in the sandbox use `docker exec %s COMMAND`", exercise.SandboxName(ex))
	}
	name, err := s.Sandbox(ctx, ex)
	var notRunning *session.SandboxNotRunningError
	switch {
	case errors.As(err, &notRunning):
		return cmdutil.Usage(err)
	case err != nil:
		return err
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
	// The shell's input is read until the shell ends; a plain read of the
	// terminal would still be waiting then and swallow the next key the
	// learner types (in the guided flow's menu). A cancelable reader lets
	// go of the terminal when the shell is done.
	cr, err := cancelreader.NewReader(io.In)
	if err != nil {
		return fmt.Errorf("read the terminal: %w", err)
	}
	in := syncio.NewReader(cr)
	out := stdio.Writer(io.Out)
	if io.TermOut != nil {
		out = io.TermOut // the container's terminal draws as it likes
	}
	code, err := s.Shell(ctx, ex, sandbox.ShellIO{In: in, Out: out, Size: size(), Resize: resize})
	// The reader is closed only once the copy of the shell's input has
	// stopped reading: closed while that read still waits, the reader
	// could miss its own cancel and go on waiting for the terminal, and
	// take one of the next keys typed at the menu (a Ctrl-C lost, seen
	// under load).
	cr.Cancel()
	in.Idle(time.Second)
	_ = cr.Close()
	term.Restore(int(io.InFd), state)
	switch {
	case errors.As(err, &notRunning):
		return cmdutil.Usage(err)
	case err != nil:
		return err
	}
	fmt.Fprintf(io.ErrOut, "Left the shell (exit %d). Check your work with `%s`.\n", code, cmdutil.Global(f)("check", ex.Key()))
	return nil
}

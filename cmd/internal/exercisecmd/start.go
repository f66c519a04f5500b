// Package exercisecmd is the command line of one exercise: start, shell,
// check, watch, hint, solution and reset, and clean for all of them. Each
// command parses its flags, asks the learner's session to act, and prints;
// the guided flow calls the same run functions.
package exercisecmd

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/internal/shellquote"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/session"
)

// StartOptions are the options of `dockdojo start`.
type StartOptions struct {
	Target
	// Yes runs the reference solutions of the exercises it continues that
	// are not done, without asking.
	Yes bool
}

// NewCmdStart returns `dockdojo start`; runF, when set, runs instead of
// RunStart (for tests of the flags).
func NewCmdStart(f *cmdutil.Factory, runF func(context.Context, *StartOptions) error) *cobra.Command {
	opts := &StartOptions{Target: Target{F: f}}
	cmd := command(&opts.Target, "start", "Prepare an exercise: its workspace folder and its sandbox container", opts, runF, RunStart)
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "ask nothing: replace a sandbox that runs (another dockdojo user's too: their work in it is lost), and when it continues an exercise that is not done, remove your objects under that one's names and run its reference solution (shown before it runs)")
	return cmd
}

// RunStart starts the exercise and says where to work.
func RunStart(ctx context.Context, opts *StartOptions) error {
	f := opts.F
	s, ex, err := opts.resolve("start")
	if err != nil {
		return err
	}
	io := f.IOStreams
	w := io.Out
	if sb := ex.Sandbox; sb != nil && len(sb.CapAdd) > 0 {
		fmt.Fprintf(w, "A sandbox gets no Linux capability, except those its exercise needs; this one is granted:\n")
		for _, c := range sb.CapAdd {
			fmt.Fprintf(w, "  %s: %s\n", c.Name, c.Why)
		}
	}
	again, replace, err := startAgain(ctx, opts, s, ex)
	if err != nil || !again {
		return err
	}
	// Pull progress goes to the error stream, drawn only when that stream
	// is a terminal.
	out := exercise.Output{W: io.ErrOut, Fd: io.ErrFd, IsTerm: io.ErrTTY && !io.Dumb}
	if err := startEarlier(ctx, opts, s, ex, out); err != nil {
		return err
	}
	var sp interface{ Stop() }
	if ex.Sandbox != nil {
		spin := io.StartSpinner(ctx, fmt.Sprintf("Preparing the sandbox of %s (%s)", ex.Key(), ex.Sandbox.Image))
		out.W, sp = spin.Writer(), spin
	}
	st, err := s.Start(ctx, ex, out, replace)
	if sp != nil {
		sp.Stop()
	}
	g := cmdutil.Global(f)
	if errors.Is(err, session.ErrStartedMeanwhile) {
		fmt.Fprintf(w, "%s is already started: another dockdojo started it at the same moment, and its sandbox is ready.\n", ex.Key())
		fmt.Fprintf(w, "Check your work with `%s`.\n", g("check", ex.Key()))
		return nil
	}
	unsaved, err := notRecorded(err)
	if err != nil {
		return err
	}
	for _, warn := range st.Warnings {
		fmt.Fprintf(io.ErrOut, "warning: %s\n", warn)
	}
	fmt.Fprintf(w, "Started %s: %s\n", ex.Key(), ex.Title)
	fmt.Fprintln(w, io.Wrap("Goal: "+cmdutil.Say(f, ex.Goal), 6))
	// The folder is kept whole, as a command is: a space in it (a HOME
	// such as /Users/Jo Smith) is no place to break the line.
	fmt.Fprintln(iostreams.Unwrapped(w), io.WrapCommand("Workspace: ", st.Workspace, 0))
	for _, seeded := range st.Seeded {
		fmt.Fprintf(w, "  seeded %s\n", seeded)
	}
	if st.Sandbox != "" {
		fmt.Fprintf(w, "Sandbox container: %s\n", st.Sandbox)
	}
	fmt.Fprintln(w)
	if ex.Flavour == lessons.FlavourShell {
		fmt.Fprintf(w, "Open its shell with `%s`.\n", g("shell", ex.Key()))
	} else {
		fmt.Fprintf(w, "Work in the workspace folder: `cd %s`\n", shellquote.Quote(st.Workspace))
	}
	fmt.Fprintf(w, "Check your work with `%s`; `%s` helps.\n", g("check", ex.Key()), g("hint", ex.Key()))
	warnNotRecorded(f, unsaved)
	return nil
}

// startAgain says whether to go on with a start of ex when its sandbox
// already runs: a new sandbox replaces it, and what the learner made inside
// it (files in its /root, packages installed) is lost, though the lesson
// says only reset throws it away. On a terminal it asks, no by default;
// off one it keeps the sandbox, unless --yes. The sandbox of another
// dockdojo user of the engine is another matter (see replaceOther): replace
// is its run when the learner agreed to replace it.
func startAgain(ctx context.Context, opts *StartOptions, s *session.Session, ex *lessons.Exercise) (again bool, replace string, err error) {
	if ex.Sandbox == nil {
		return true, "", nil
	}
	other, err := s.OtherSandbox(ctx, ex)
	if err != nil {
		return false, "", err
	}
	if other != nil {
		if err := replaceOther(opts.F, ex, other, opts.Yes, "start"); err != nil {
			return false, "", err
		}
		return true, other.Run, nil
	}
	if opts.Yes {
		return true, "", nil
	}
	again, err = startOwnAgain(ctx, opts, s, ex)
	return again, "", err
}

// replaceOther asks whether to remove other, the sandbox of ex that
// another dockdojo user of the engine made, for a start (verb "start") or
// a reset ("reset") of ex: it says whose it is, and that what they made in
// it is lost. On a terminal it asks, no by default; off one, only yes
// (--yes, said explicitly) removes it. It returns nil to go on, and an
// error that says what to do otherwise.
func replaceOther(f *cmdutil.Factory, ex *lessons.Exercise, other *exercise.Found, yes bool, verb string) error {
	w, g := f.IOStreams.Out, cmdutil.Global(f)
	e := &session.OtherSandboxError{Exercise: ex.Key(), Sandbox: *other}
	fmt.Fprintln(w, f.IOStreams.Wrap(e.Said()+".", 0))
	what, question := "Replacing it with a sandbox of yours", "Replace their sandbox with one of yours?"
	if verb == "reset" {
		what, question = "Resetting the exercise", "Remove their sandbox?"
	}
	lose := fmt.Sprintf("%s removes their sandbox %s, and what they made inside it is lost to them.", what, other.Name)
	if yes {
		fmt.Fprintln(w, f.IOStreams.Wrap("--yes: "+lose, 0))
		return nil
	}
	wait := fmt.Sprintf("ask them to reset it when they are done (`dockdojo reset %s`)", ex.Key())
	if verb == "start" {
		wait += ", then start it again"
	}
	p := f.Prompter()
	if p == nil {
		return fmt.Errorf("not on a terminal, so not asking, and left it as it is: %s; `%s` removes it without asking, and their work in it", wait, g(verb, "--yes", ex.Key()))
	}
	fmt.Fprintln(w, f.IOStreams.Wrap(lose, 0))
	ok, err := p.Confirm(question, false)
	if err != nil || ok {
		return err
	}
	return fmt.Errorf("left their sandbox as it is: %s", wait)
}

// startOwnAgain is startAgain for the learner's own sandbox.
func startOwnAgain(ctx context.Context, opts *StartOptions, s *session.Session, ex *lessons.Exercise) (bool, error) {
	name, err := s.Sandbox(ctx, ex)
	var stopped *session.SandboxNotRunningError
	if errors.As(err, &stopped) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	f := opts.F
	w, g := f.IOStreams.Out, cmdutil.Global(f)
	fmt.Fprintln(w, f.IOStreams.Wrap(fmt.Sprintf("%s is already started, and its sandbox %s runs. Starting it again makes a new sandbox: what you made inside this one is lost. Your workspace files are kept either way.", ex.Key(), name), 0))
	keep := func() (bool, error) {
		next := "Check your work with `" + g("check", ex.Key()) + "`"
		if ex.Flavour == lessons.FlavourShell {
			next = "Open its shell with `" + g("shell", ex.Key()) + "`"
		}
		fmt.Fprintf(w, "Kept it. %s.\n", next)
		// Starter files removed meanwhile come back, as a start brings
		// them; the learner's own stay as they are.
		seeded, gone, err := s.Reseed(ex)
		for _, name := range seeded {
			fmt.Fprintf(w, "  seeded %s, which was missing from %s\n", name, s.Workspace(ex))
		}
		switch {
		case gone && mountsWorkspace(ex):
			fmt.Fprintln(w, f.IOStreams.Wrap(fmt.Sprintf("The workspace folder was gone, and is made again. The sandbox %s still sees the folder that was removed: `%s` makes a new sandbox that sees this one.", name, g("start", "--yes", ex.Key())), 0))
		case gone:
			fmt.Fprintln(w, "The workspace folder was gone, and is made again.")
		}
		return false, err
	}
	p := f.Prompter()
	if p == nil {
		// The command given here must say all it agrees to: a learner who
		// declined an earlier exercise's script on a terminal would
		// otherwise run it, unseen, by typing what was suggested.
		steps, err := earlierSteps(ctx, s, ex)
		if err != nil {
			return false, err
		}
		fmt.Fprintf(w, "Not on a terminal, so not asking. `%s` starts it again; without asking, it would:\n", g("start", "--yes", ex.Key()))
		sayWhatYesDoes(f, name, steps)
		return keep()
	}
	again, err := p.Confirm("Start it again, with a new sandbox?", false)
	if err != nil || again {
		return again, err
	}
	return keep()
}

// mountsWorkspace says whether the sandbox of ex mounts its workspace.
func mountsWorkspace(ex *lessons.Exercise) bool {
	return slices.ContainsFunc(ex.Sandbox.Mounts, func(m lessons.Mount) bool { return m.Type == "workspace" })
}

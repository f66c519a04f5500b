package exercisecmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/cmd/internal/render"
	"github.com/dockdojo/dockdojo/lessons"
)

// CheckOptions are the options of `dockdojo check`.
type CheckOptions struct {
	Target
	JSON bool
	// Reading says the learner is reading the lesson (the guided flow),
	// which goes on with the text after the exercise: a pass does not
	// print it too.
	Reading bool
}

// NewCmdCheck returns `dockdojo check`.
func NewCmdCheck(f *cmdutil.Factory, runF func(context.Context, *CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{Target: Target{F: f}}
	cmd := command(&opts.Target, "check", "Check an exercise on the engine (exit 0 when done, 3 when not yet)", opts, runF, RunCheck)
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	cmdutil.JSONArgsField(cmd, "exercise")
	return cmd
}

// checkError is `check --json` when no verdict could be reached (the
// engine cannot be reached, say).
type checkError struct {
	Exercise string `json:"exercise"`
	cmdutil.JSONError
}

// checkedOutcome is one check in `check --json`.
type checkedOutcome struct {
	Check   string `json:"check"`
	Kind    string `json:"kind"`
	Passed  bool   `json:"passed"`
	Message string `json:"message,omitempty"`
}

// RunCheck checks the exercise, records the verdict and shows it.
func RunCheck(ctx context.Context, opts *CheckOptions) error {
	f := opts.F
	s, ex, err := opts.resolve("check")
	if err != nil {
		if opts.JSON {
			// A bad exercise name, a lesson folder with mistakes: a
			// script reading stdout learns of it too.
			_ = cmdutil.WriteJSON(f.IOStreams.Out, checkError{Exercise: strings.Join(opts.Args, " "), JSONError: cmdutil.NewJSONError(err)})
		}
		return err
	}
	if len(opts.Args) == 0 && !opts.JSON && !opts.Reading {
		// Named, since it was not: the learner may be in another
		// exercise's folder, and the verdict would read as that one's.
		fmt.Fprintf(f.IOStreams.Out, "%s, the exercise you started last (name another: `%s`):\n", ex.Key(), cmdutil.Global(f)("check", "LESSON/EXERCISE"))
	}
	stop := slowSpinner(ctx, f.IOStreams, "Checking "+ex.Key())
	res, err := s.Check(ctx, ex)
	stop()
	unsaved, err := notRecorded(err)
	if err != nil {
		if opts.JSON {
			// A script reading stdout learns what went wrong there too.
			_ = cmdutil.WriteJSON(f.IOStreams.Out, checkError{Exercise: ex.Key(), JSONError: cmdutil.NewJSONError(err)})
		}
		return err
	}
	w := f.IOStreams.Out
	if opts.JSON {
		out := struct {
			Exercise string           `json:"exercise"`
			Passed   bool             `json:"passed"`
			Checks   []checkedOutcome `json:"checks"`
		}{Exercise: ex.Key(), Passed: res.Passed()}
		for _, o := range res.Outcomes {
			// In this machine's words, as the text says them.
			out.Checks = append(out.Checks, checkedOutcome{cmdutil.Say(f, o.Title), o.Kind, o.Passed, cmdutil.Say(f, o.Message)})
		}
		if err := cmdutil.WriteJSON(w, out); err != nil {
			return err
		}
	} else {
		note := ""
		if !res.Passed() {
			note = notStarted(f, s.Workspace(ex), ex)
		}
		PrintResult(f, ex, res, !opts.Reading, note)
	}
	warnNotRecorded(f, unsaved)
	if !res.Passed() {
		return cmdutil.ErrNotDone
	}
	return nil
}

// PrintResult shows a verdict: each check with its mark, what is wrong
// under each failing one, and what to do next (note, when given, comes
// right before the pointer to a hint); for a pass, with followUp, what the
// lesson says after the exercise.
func PrintResult(f *cmdutil.Factory, ex *lessons.Exercise, res checker.Result, followUp bool, note string) {
	w := f.IOStreams.Out
	cs := f.IOStreams.ColorScheme()
	io := f.IOStreams
	for _, o := range res.Outcomes {
		title := cmdutil.Say(f, o.Title)
		if o.Passed {
			fmt.Fprintln(w, io.Wrap(cs.SuccessMark()+" "+title, 5))
			continue
		}
		fmt.Fprintln(w, io.Wrap(cs.FailureMark()+" "+title, 5))
		for _, line := range strings.Split(cmdutil.Say(f, o.Message), "\n") {
			fmt.Fprintln(w, io.Wrap("     "+line, 7))
		}
	}
	if res.Passed() {
		fmt.Fprintf(w, "\nWell done: %s is complete.\n", ex.Key())
		if followUp {
			showFollowUp(f, ex)
		}
		return
	}
	// What is wrong was said above, under its check: this line names the
	// check to fix first, by its title, rather than repeat the first line
	// of what it said (which may be a command's raw output).
	fmt.Fprintf(w, "\n%s\n", io.Wrap(fmt.Sprintf("%d of %d checks pass. First to fix: %s.", res.NumPassed(), len(res.Outcomes), cmdutil.Say(f, res.FirstFailure().Title)), 2))
	if note != "" {
		fmt.Fprintln(w, io.Wrap(note, 0))
	}
	fmt.Fprintf(w, "Stuck? `%s`\n", cmdutil.Global(f)("hint", ex.Key()))
}

// showFollowUp shows what the lesson says right after the exercise (what
// to try now that it works), rendered on a terminal.
func showFollowUp(f *cmdutil.Factory, ex *lessons.Exercise) {
	text := cmdutil.Say(f, ex.FollowUp())
	if text == "" {
		return
	}
	io := f.IOStreams
	fmt.Fprintln(io.Out, "\nNow that it works, the lesson goes on:")
	if io.OutTTY {
		if out, err := render.Markdown(text, render.Options{Width: io.Width(), Color: io.Color}); err == nil {
			fmt.Fprint(iostreams.Unwrapped(io.Out), out)
			return
		}
	}
	fmt.Fprintf(io.Out, "\n%s\n", text)
}

func firstLine(s string) string { return strings.SplitN(s, "\n", 2)[0] }

// notStarted says so when the exercise was never started here (its
// workspace folder does not exist) and start would make something the
// checks need: its starter files, its sandbox. It is "" otherwise.
func notStarted(f *cmdutil.Factory, ws string, ex *lessons.Exercise) string {
	if len(ex.Workspace) == 0 && ex.Sandbox == nil {
		return ""
	}
	if _, err := os.Stat(ws); !errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	what := "its workspace folder, with its starter files"
	switch {
	case len(ex.Workspace) == 0:
		what = "its sandbox"
	case ex.Sandbox != nil:
		what += ", and its sandbox"
	}
	return fmt.Sprintf("You have not started %s here: `%s` prepares %s.", ex.Key(), cmdutil.Global(f)("start", ex.Key()), what)
}

// slowSpinner draws a spinner on a terminal's error stream once a check
// has taken longer than a glance (a lesson's command may take its whole
// timeout), so that the screen does not sit blank; a quick check shows
// nothing. stop ends it, as ctx does.
func slowSpinner(ctx context.Context, io *iostreams.Streams, msg string) (stop func()) {
	if !io.ErrTTY || io.Dumb {
		return func() {}
	}
	var mu sync.Mutex
	var sp *iostreams.Spinner
	stopped := false
	t := time.AfterFunc(400*time.Millisecond, func() {
		mu.Lock()
		defer mu.Unlock()
		if !stopped {
			sp = io.StartSpinner(ctx, msg)
		}
	})
	return func() {
		t.Stop()
		mu.Lock()
		defer mu.Unlock()
		stopped = true
		if sp != nil {
			sp.Stop()
		}
	}
}

package exercisecmd

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/session"
)

// startEarlier makes sure that an exercise which continues another starts
// from the state that one leaves. When the earlier exercise's checks fail,
// it says so and offers to run its reference solution (and those of the
// exercises before it that are not done either): on a terminal it asks;
// off one, it runs them only with --yes. Declined, the exercise starts
// anyway, as it is.
func startEarlier(ctx context.Context, opts *StartOptions, s *session.Session, ex *lessons.Exercise, out exercise.Output) error {
	f := opts.F
	missing, err := s.Earlier(ctx, ex)
	if err != nil || len(missing) == 0 {
		return err
	}
	w, g := f.IOStreams.Out, cmdutil.Global(f)
	fmt.Fprintf(w, "%s continues %s, and starts from what it leaves.\n", ex.Key(), ex.Earlier().Key())
	keys := make([]string, len(missing))
	for i, m := range missing {
		keys[i] = m.Exercise.Key()
		if m.Passed {
			fmt.Fprintf(w, "  %s: you passed it, but what it left has changed: %s\n", keys[i], firstLine(m.Failure.Message))
		} else {
			fmt.Fprintf(w, "  %s is not done yet: %s\n", keys[i], firstLine(m.Failure.Message))
		}
	}
	run := opts.Yes
	if !run {
		p := f.Prompter()
		if p == nil {
			fmt.Fprintf(w, "Not on a terminal, so not asking. Do %s first (`%s`), or run `%s` to let dockdojo run the reference solution of %s on this machine.\n\n",
				keys[0], g("start", keys[0]), g("start", "--yes", ex.Key()), strings.Join(keys, " and "))
			return nil
		}
		fmt.Fprintf(w, "\ndockdojo can run the reference solution of %s for you, on this machine, as you, with the docker CLI, in your workspace %s. It replaces what is there under the names %s, and runs:\n",
			strings.Join(keys, " and "), s.Workspace(ex), ownsOf(missing))
		for _, m := range missing {
			// As written, past the wrapping of lines (RunSolution).
			fmt.Fprintf(iostreams.Unwrapped(w), "\n# %s\n%s\n", m.Exercise.Key(), strings.TrimRight(cmdutil.Say(f, m.Exercise.Solution), "\n"))
		}
		fmt.Fprintln(w)
		if files := lessonFiles(missing); len(files) > 0 {
			fmt.Fprintf(w, "This script comes from %s, as its author wrote it, not from dockdojo's own course: read it before you say yes.\n", strings.Join(files, " and "))
		}
		if run, err = p.Confirm("Run it?", false); err != nil {
			return err
		}
		if !run {
			fmt.Fprintf(w, "Starting %s as things are; its checks may fail for what %s should have left.\n\n", ex.Key(), strings.Join(keys, " and "))
			return nil
		}
	}
	for _, m := range missing {
		spin := f.IOStreams.StartSpinner(ctx, "Running the reference solution of "+m.Exercise.Key())
		out.W = spin.Writer()
		err := s.Solve(ctx, m.Exercise, out)
		spin.Stop()
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Ran the reference solution of %s: its checks pass.\n", m.Exercise.Key())
	}
	fmt.Fprintln(w)
	return nil
}

// ownsOf lists what the exercises own, for the learner to know what a
// reference solution replaces.
func ownsOf(missing []session.Missing) string {
	var names []string
	for _, m := range missing {
		o := m.Exercise.Owns
		for _, n := range append(append(append(append([]string{}, o.Containers...), o.Networks...), o.Volumes...), o.Images...) {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	if len(names) == 0 {
		return "it makes"
	}
	return strings.Join(names, ", ")
}

// lessonFiles are the lesson files, not of the built-in course, that the
// reference solutions of missing come from. Which course a lesson is of
// is where it was loaded from, not its file's name: a folder may be named
// content/course too.
func lessonFiles(missing []session.Missing) []string {
	var files []string
	for _, m := range missing {
		if l := m.Exercise.Lesson; !l.Builtin && !slices.Contains(files, l.File) {
			files = append(files, l.File)
		}
	}
	return files
}

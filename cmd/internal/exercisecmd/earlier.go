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

// step is one exercise that a start brings to its end first: its reference
// solution runs on this machine, after the learner's objects in its way
// (exercise.InTheWay) are removed.
type step struct {
	session.Missing
	inTheWay []exercise.Object
}

// earlierSteps lists what a start of ex would bring to its end first: the
// exercises it continues that are not done (session.Earlier), each with the
// learner's objects its reference solution would remove now.
func earlierSteps(ctx context.Context, s *session.Session, ex *lessons.Exercise) ([]step, error) {
	missing, err := s.Earlier(ctx, ex)
	if err != nil {
		return nil, err
	}
	steps := make([]step, len(missing))
	for i, m := range missing {
		steps[i].Missing = m
		if steps[i].inTheWay, err = s.InTheWay(ctx, m.Exercise); err != nil {
			return nil, err
		}
	}
	return steps, nil
}

// startEarlier makes sure that an exercise which continues another starts
// from the state that one leaves. When the earlier exercise's checks fail,
// it says so and offers to run its reference solution (and those of the
// exercises before it that are not done either): on a terminal it asks;
// off one, it runs them only with --yes, and says without it what --yes
// would do. Declined, the exercise starts anyway, as it is.
//
// A learner who said no is asked again at the next start on a terminal:
// the question is cheap, no is its default, and they may have changed
// their mind. Under --yes nothing is asked, but every script is shown
// before it runs and every object of the learner's it removed is named
// after, so that what --yes agreed to is on the screen.
func startEarlier(ctx context.Context, opts *StartOptions, s *session.Session, ex *lessons.Exercise, out exercise.Output) error {
	f := opts.F
	steps, err := earlierSteps(ctx, s, ex)
	if err != nil || len(steps) == 0 {
		return err
	}
	w, g := f.IOStreams.Out, cmdutil.Global(f)
	fmt.Fprintf(w, "%s continues %s, and starts from what it leaves.\n", ex.Key(), ex.Earlier().Key())
	keys := make([]string, len(steps))
	for i, m := range steps {
		keys[i] = m.Exercise.Key()
		if m.Passed {
			fmt.Fprintf(w, "  %s: you passed it, but what it left has changed: %s\n", keys[i], firstLine(cmdutil.Say(f, m.Failure.Message)))
		} else {
			fmt.Fprintf(w, "  %s is not done yet: %s\n", keys[i], firstLine(cmdutil.Say(f, m.Failure.Message)))
		}
	}
	if !opts.Yes {
		p := f.Prompter()
		if p == nil {
			fmt.Fprintf(w, "Not on a terminal, so not asking. Do %s first (`%s`), or let `%s` do it; without asking, it would:\n",
				keys[0], g("start", keys[0]), g("start", "--yes", ex.Key()))
			sayWhatYesDoes(f, "", steps)
			fmt.Fprintf(w, "Starting %s as things are.\n\n", ex.Key())
			return nil
		}
		fmt.Fprintf(w, "\ndockdojo can run the reference solution of %s for you, on this machine, as you, with the docker CLI, in your workspace %s. It replaces what is there under the names %s, and runs:\n",
			strings.Join(keys, " and "), s.Workspace(ex), ownsOf(steps))
		for _, m := range steps {
			showScript(f, m.Exercise)
		}
		fmt.Fprintln(w)
		if files := lessonFiles(steps); len(files) > 0 {
			fmt.Fprintf(w, "This script comes from %s, as its author wrote it, not from dockdojo's own course: read it before you say yes.\n", strings.Join(files, " and "))
		}
		if theirs := inTheWay(steps); len(theirs) > 0 {
			fmt.Fprintf(w, "First it removes these objects of yours: %s.\n", describeObjects(theirs))
		}
		run, err := p.Confirm("Run it?", false)
		if err != nil {
			return err
		}
		if !run {
			fmt.Fprintf(w, "Starting %s as things are; its checks may fail for what %s should have left.\n\n", ex.Key(), strings.Join(keys, " and "))
			return nil
		}
	}
	for _, m := range steps {
		if opts.Yes {
			// Nobody was asked: what runs is shown before it does.
			fmt.Fprintf(w, "\n--yes: running the reference solution of %s on this machine, as you: a script %s:\n", m.Exercise.Key(), origin(m.Exercise))
			showScript(f, m.Exercise)
		}
		spin := f.IOStreams.StartSpinner(ctx, "Running the reference solution of "+m.Exercise.Key())
		out.W = spin.Writer()
		removed, err := s.Solve(ctx, m.Exercise, out)
		spin.Stop()
		if len(removed) > 0 {
			fmt.Fprintf(w, "Removed these objects of yours, in the way of the reference solution of %s: %s.\n", m.Exercise.Key(), describeObjects(removed))
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Ran the reference solution of %s: its checks pass.\n", m.Exercise.Key())
	}
	fmt.Fprintln(w)
	return nil
}

// sayWhatYesDoes lists, one line each, what a start with --yes would do
// without asking: replace the running sandbox (when sandbox is not ""),
// run each reference solution, with where it comes from and how to read
// it first, and remove the learner's objects, by kind and name.
func sayWhatYesDoes(f *cmdutil.Factory, sandbox string, steps []step) {
	g := cmdutil.Global(f)
	var lines []string
	if sandbox != "" {
		lines = append(lines, fmt.Sprintf("make a new sandbox in place of %s: what you made inside it is lost", sandbox))
	}
	for _, m := range steps {
		lines = append(lines, fmt.Sprintf("run the reference solution of %s on this machine, as you, with the docker CLI: a script %s; read it first with `%s`",
			m.Exercise.Key(), origin(m.Exercise), g("solution", "--yes", m.Exercise.Key())))
	}
	if theirs := inTheWay(steps); len(theirs) > 0 {
		lines = append(lines, "remove these objects of yours: "+describeObjects(theirs))
	}
	for i, l := range lines {
		end := ";"
		if i == len(lines)-1 {
			end = "."
		}
		fmt.Fprintf(f.IOStreams.Out, "  - %s%s\n", l, end)
	}
}

// origin says where an exercise's reference solution comes from: the
// built-in course, or the lesson file (and line) of a folder, whose author
// wrote it.
func origin(ex *lessons.Exercise) string {
	if ex.Lesson.Builtin {
		return "of dockdojo's own course"
	}
	at := ex.Lesson.File
	if ex.SolutionPos.Line > 0 {
		at = ex.SolutionPos.String()
	}
	return "from " + at + ", as its author wrote it, not from dockdojo's own course"
}

// showScript prints the reference solution of ex, as it will run.
func showScript(f *cmdutil.Factory, ex *lessons.Exercise) {
	// As written, past the wrapping of lines (RunSolution).
	fmt.Fprintf(iostreams.Unwrapped(f.IOStreams.Out), "\n# %s\n%s\n", ex.Key(), strings.TrimRight(cmdutil.Say(f, ex.Solution), "\n"))
}

// inTheWay is every object of the learner's that the steps remove.
func inTheWay(steps []step) []exercise.Object {
	var all []exercise.Object
	for _, m := range steps {
		for _, o := range m.inTheWay {
			if !slices.Contains(all, o) {
				all = append(all, o)
			}
		}
	}
	return all
}

// ownsOf lists what the exercises own, for the learner to know what a
// reference solution replaces.
func ownsOf(steps []step) string {
	var names []string
	for _, m := range steps {
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
// reference solutions of the steps come from. Which course a lesson is of
// is where it was loaded from, not its file's name: a folder may be named
// content/course too.
func lessonFiles(steps []step) []string {
	var files []string
	for _, m := range steps {
		if l := m.Exercise.Lesson; !l.Builtin && !slices.Contains(files, l.File) {
			files = append(files, l.File)
		}
	}
	return files
}

package exercisecmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/session"
)

// NextOptions are the options of `dockdojo next`.
type NextOptions struct {
	F     *cmdutil.Factory
	Start bool
}

// NewCmdNext returns `dockdojo next`.
func NewCmdNext(f *cmdutil.Factory, runF func(context.Context, *NextOptions) error) *cobra.Command {
	opts := &NextOptions{F: f}
	cmd := cmdutil.Cmd(&cobra.Command{
		Use:   "next",
		Short: "Say what to do next (with --start, start it)",
		Long: `Say what to do next: the exercise you started last while it is not done,
else the next one not done after it (the rest of its lesson first, then the
lessons after it), else the first exercise of the course not done yet. With
--start, start it. Once every exercise is done, it names the lessons whose
quizzes are not answered right yet: the guided course (dockdojo with no
command) asks them.`,
		Args: cmdutil.NoArgs,
	}, opts, nil, runF, RunNext)
	cmd.Flags().BoolVar(&opts.Start, "start", false, "start the next exercise too")
	return cmd
}

// RunNext says what comes next and, with --start, starts it.
func RunNext(ctx context.Context, opts *NextOptions) error {
	f := opts.F
	_, o, err := cmdutil.Overview(f)
	if err != nil {
		return err
	}
	w := f.IOStreams.Out
	next := o.Next()
	if next == nil {
		if left, how := quizzesLeft(f, o); left != "" {
			fmt.Fprintf(w, "Every exercise is done, but %s.\n%s\n", left, how)
			return nil
		}
		fmt.Fprintln(w, "Every exercise is done. Well done!")
		return nil
	}
	g := cmdutil.Global(f)
	if opts.Start {
		return RunStart(ctx, &StartOptions{Target: Target{F: f, Args: []string{next.Key()}}})
	}
	fmt.Fprintf(w, "Next: %s, %s (lesson %q).\n", next.Key(), next.Title, next.Lesson.Title)
	fmt.Fprintf(w, "Goal: %s\n", cmdutil.Say(f, next.Goal))
	fmt.Fprintf(w, "Read `%s`, then `%s` (or `%s`).\n", g("read", next.Lesson.ID), g("start", next.Key()), g("next", "--start"))
	return nil
}

// exercisesLeft says how many exercises of the course are not done: "1
// exercise is", "3 exercises are".
func exercisesLeft(o session.Overview) string {
	n := 0
	for _, lp := range o.Lessons {
		n += lp.Exercises.Total - lp.Exercises.Done
	}
	if n == 1 {
		return "1 exercise is"
	}
	return fmt.Sprintf("%d exercises are", n)
}

// quizzesLeft says how many quizzes are not answered right yet, and in
// which lessons ("" when none is), and how to answer them: only the guided
// course asks them, in its lesson menus.
func quizzesLeft(f *cmdutil.Factory, o session.Overview) (left, how string) {
	n := 0
	var where []string
	for _, lp := range o.Lessons {
		if k := lp.Quizzes.Total - lp.Quizzes.Done; k > 0 {
			n += k
			where = append(where, fmt.Sprintf("%q (%s)", lp.Lesson.Title, lp.Lesson.ID))
		}
	}
	if n == 0 {
		return "", ""
	}
	quizzes, them, lesson := "1 quiz is", "it", "the lesson"
	if n > 1 {
		quizzes, them = fmt.Sprintf("%d quizzes are", n), "them"
	}
	if len(where) > 1 {
		lesson = "the lessons"
	}
	left = fmt.Sprintf("%s not answered right yet, in %s %s", quizzes, lesson, strings.Join(where, ", "))
	how = fmt.Sprintf("Answer %s in the guided course: run `%s` with no command, choose the lesson, then the quiz.", them, cmdutil.Global(f)())
	return left, how
}

// Package coursecmd is the command line of the course as a whole: list,
// read and progress, and what plain `dockdojo` prints off a terminal. Every
// count comes from the session's Overview, so all of them agree with the
// guided flow's menus.
package coursecmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/session"
)

// ListOptions are the options of `dockdojo list`.
type ListOptions struct {
	F    *cmdutil.Factory
	JSON bool
}

// NewCmdList returns `dockdojo list`.
func NewCmdList(f *cmdutil.Factory, runF func(context.Context, *ListOptions) error) *cobra.Command {
	opts := &ListOptions{F: f}
	cmd := cmdutil.Cmd(&cobra.Command{
		Use:   "list",
		Short: "List the lessons and exercises, with your progress",
		Args:  cmdutil.NoArgs,
	}, opts, nil, runF, RunList)
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

// listedExercise is one exercise in `list --json`.
type listedExercise struct {
	Key     string `json:"key"`
	Title   string `json:"title"`
	Goal    string `json:"goal"`
	Flavour string `json:"flavour"`
	Done    bool   `json:"done"`
}

// listedLesson is one lesson in `list --json`.
type listedLesson struct {
	ID          string           `json:"id"`
	Title       string           `json:"title"`
	Summary     string           `json:"summary"`
	Minutes     int              `json:"minutes"`
	File        string           `json:"file"`
	Exercises   []listedExercise `json:"exercises"`
	Quizzes     int              `json:"quizzes"`
	QuizzesDone int              `json:"quizzes_done"`
}

// RunList lists the course with the learner's marks.
func RunList(_ context.Context, opts *ListOptions) error {
	_, o, err := cmdutil.Overview(opts.F)
	if err != nil {
		return err
	}
	w := opts.F.IOStreams.Out
	if opts.JSON {
		out := []listedLesson{}
		for _, lp := range o.Lessons {
			l := lp.Lesson
			ll := listedLesson{ID: l.ID, Title: l.Title, Summary: l.Summary, Minutes: l.Minutes, File: l.File,
				Quizzes: lp.Quizzes.Total, QuizzesDone: lp.Quizzes.Done, Exercises: []listedExercise{}}
			for _, it := range lp.Items {
				if ex := it.Exercise; ex != nil {
					ll.Exercises = append(ll.Exercises, listedExercise{Key: ex.Key(), Title: ex.Title, Goal: ex.Goal, Flavour: ex.Flavour, Done: it.Done})
				}
			}
			out = append(out, ll)
		}
		return cmdutil.WriteJSON(w, out)
	}
	// The titles line up in a column after the exercise keys, as wide as
	// the longest key that leaves the titles titleRoom cells of the
	// terminal; a key longer than that has its line to itself, and its
	// title goes on the next one, in the column. A title too long for the
	// terminal goes on under the titles. A key is never cut: it is what
	// start takes.
	io := opts.F.IOStreams
	const lead = len("    [ ] ")
	var all []string
	for _, lp := range o.Lessons {
		for _, it := range lp.Items {
			if ex := it.Exercise; ex != nil {
				all = append(all, ex.Key())
			}
		}
	}
	keys := column(all, io.Width()-lead-1-titleRoom)
	titles := lead + keys + 1
	for _, lp := range o.Lessons {
		l := lp.Lesson
		fmt.Fprintf(w, "%s  %s (%d min, %s)\n    %s\n", l.ID, l.Title, l.Minutes, Tally(lp), l.Summary)
		for _, it := range lp.Items {
			if ex := it.Exercise; ex != nil {
				mark := session.Mark(session.Count{Done: btoi(it.Done), Total: 1})
				line := fmt.Sprintf("    %s %-*s %s (%s)", mark, keys, ex.Key(), ex.Title, ex.Flavour)
				if len(ex.Key()) > keys {
					fmt.Fprintf(iostreams.Unwrapped(w), "    %s %s\n", mark, ex.Key())
					line = fmt.Sprintf("%*s%s (%s)", titles, "", ex.Title, ex.Flavour)
				}
				fmt.Fprintln(iostreams.Unwrapped(w), io.Wrap(line, titles))
			}
		}
	}
	g := cmdutil.Global(opts.F)
	fmt.Fprintf(w, "\nRead a lesson with `%s`; start an exercise with `%s`.\n", g("read", "LESSON"), g("start", "LESSON/EXERCISE"))
	return nil
}

// titleRoom is the fewest cells list leaves its titles on a line, and
// tallyRoom those progress leaves its tallies: the column of names before
// them is no wider than that allows.
const titleRoom, tallyRoom = 30, 40

// column is the width of a column of names before a column of text: that
// of the longest name no wider than widest. A longer name goes on a line
// of its own, and its text on the next, in the column; a name is never
// cut, as it is what commands take.
func column(names []string, widest int) int {
	col := 0
	for _, n := range names {
		if len(n) <= widest {
			col = max(col, len(n))
		}
	}
	return col
}

// Tally says how much of a lesson is done, the same way everywhere:
// "2/5 done: 1/3 exercises, 1/2 quizzes".
func Tally(lp session.LessonProgress) string {
	all := lp.All()
	switch {
	case lp.Quizzes.Total == 0:
		return fmt.Sprintf("%d/%d done: %s", all.Done, all.Total, count(lp.Exercises, "exercise", "exercises"))
	case lp.Exercises.Total == 0:
		return fmt.Sprintf("%d/%d done: %s", all.Done, all.Total, count(lp.Quizzes, "quiz", "quizzes"))
	}
	return fmt.Sprintf("%d/%d done: %s, %s", all.Done, all.Total, count(lp.Exercises, "exercise", "exercises"), count(lp.Quizzes, "quiz", "quizzes"))
}

func count(c session.Count, one, many string) string {
	if c.Total == 1 {
		return fmt.Sprintf("%d/%d %s", c.Done, c.Total, one)
	}
	return fmt.Sprintf("%d/%d %s", c.Done, c.Total, many)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

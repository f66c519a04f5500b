package coursecmd

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/progress"
	"github.com/dockdojo/dockdojo/session"
)

// ProgressOptions are the options of `dockdojo progress`.
type ProgressOptions struct {
	F       *cmdutil.Factory
	JSON    bool
	Summary bool
}

// NewCmdProgress returns `dockdojo progress`.
func NewCmdProgress(f *cmdutil.Factory, runF func(context.Context, *ProgressOptions) error) *cobra.Command {
	opts := &ProgressOptions{F: f}
	cmd := cmdutil.Cmd(&cobra.Command{
		Use:   "progress",
		Short: "Show what you have done, lesson by lesson",
		Args:  cmdutil.NoArgs,
	}, opts, nil, runF, RunProgress)
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	cmd.Flags().BoolVar(&opts.Summary, "summary", false, "print a short Markdown report to paste into a chat or an email")
	cmd.MarkFlagsMutuallyExclusive("json", "summary")
	return cmd
}

// lessonProgress is one lesson in `progress --json`.
type lessonProgress struct {
	Lesson      string                        `json:"lesson"`
	Title       string                        `json:"title"`
	Done        int                           `json:"done"`  // exercises done
	Total       int                           `json:"total"` // exercises
	Quizzes     int                           `json:"quizzes"`
	QuizzesDone int                           `json:"quizzes_done"`
	Exercises   map[string]*progress.Exercise `json:"exercises"`
}

// RunProgress shows the learner's progress, lesson by lesson.
func RunProgress(_ context.Context, opts *ProgressOptions) error {
	s, o, err := cmdutil.Overview(opts.F)
	if err != nil {
		return err
	}
	w := opts.F.IOStreams.Out
	if opts.Summary {
		WriteSummary(iostreams.Unwrapped(w), o, time.Now()) // to paste: lines as they are
		return nil
	}
	if opts.JSON {
		out := []lessonProgress{}
		for _, lp := range o.Lessons {
			jp := lessonProgress{Lesson: lp.Lesson.ID, Title: lp.Lesson.Title, Done: lp.Exercises.Done, Total: lp.Exercises.Total,
				Quizzes: lp.Quizzes.Total, QuizzesDone: lp.Quizzes.Done, Exercises: map[string]*progress.Exercise{}}
			for _, it := range lp.Items {
				if it.Exercise == nil {
					continue
				}
				e := it.Progress
				if e == nil {
					e = &progress.Exercise{}
				}
				jp.Exercises[it.Key()] = e
			}
			out = append(out, jp)
		}
		return cmdutil.WriteJSON(w, out)
	}
	// The tallies line up in a column after the lesson ids, as list's
	// titles do after its keys.
	var ids []string
	for _, lp := range o.Lessons {
		ids = append(ids, lp.Lesson.ID)
	}
	col := column(ids, opts.F.IOStreams.Width()-1-tallyRoom)
	for _, lp := range o.Lessons {
		id := lp.Lesson.ID
		if len(id) > col {
			fmt.Fprintln(iostreams.Unwrapped(w), id)
			id = ""
		}
		fmt.Fprintf(w, "%-*s %s\n", col, id, Tally(lp))
	}
	ex, qz := o.Total()
	// The path is kept whole, as a command is: on a line of its own when
	// it does not fit after the sentence, never broken at a space in it (a
	// HOME such as /Users/Jo Smith), and left for the terminal to wrap when
	// it is wider than the terminal, which copies it as one line.
	said := fmt.Sprintf("%d of %d exercises and %d of %d quizzes done. Progress is kept in ", ex.Done, ex.Total, qz.Done, qz.Total)
	fmt.Fprintf(iostreams.Unwrapped(w), "\n%s\n", opts.F.IOStreams.WrapCommand(said, s.ProgressPath(), 0))
	return nil
}

// WriteSummary writes `progress --summary`: a short Markdown report a
// learner can paste into a chat, an email or an issue. It reads as plain
// text too, so it uses no table and no symbols.
func WriteSummary(w io.Writer, o session.Overview, now time.Time) {
	done, total, hints, solutions := 0, 0, 0, 0
	quizzes, right := 0, 0
	var lines []string
	for _, lp := range o.Lessons {
		var finished, working, untouched []string
		lessonQuizzes, lessonRight := 0, 0
		for _, it := range lp.Items {
			if it.Quiz != nil {
				if it.Answer != nil {
					lessonQuizzes++
					if it.Answer.Correct {
						lessonRight++
					}
				}
				continue
			}
			total++
			e, id := it.Progress, it.Exercise.ID
			switch {
			case it.Done:
				done++
				if e.SolutionSeen {
					id += " (after seeing the solution)"
				}
				finished = append(finished, id)
			case it.Begun():
				working = append(working, id+counts(e))
			default:
				untouched = append(untouched, id)
			}
			if e != nil {
				hints += e.Hints
				if e.SolutionSeen {
					solutions++
				}
			}
		}
		quizzes, right = quizzes+lessonQuizzes, right+lessonRight
		var parts []string
		if len(finished) > 0 {
			parts = append(parts, "done "+strings.Join(finished, ", "))
		}
		if len(working) > 0 {
			parts = append(parts, "working on "+strings.Join(working, ", "))
		}
		if len(untouched) > 0 && (len(finished) > 0 || len(working) > 0) {
			parts = append(parts, "not started "+strings.Join(untouched, ", "))
		}
		if lessonQuizzes > 0 {
			parts = append(parts, fmt.Sprintf("quiz %d of %d right", lessonRight, lessonQuizzes))
		}
		switch {
		case len(parts) == 0 && lp.Exercises.Total == 0:
			parts = append(parts, "no exercises")
		case len(parts) == 0:
			parts = append(parts, "not started")
		}
		tally := ""
		if lp.Exercises.Total > 0 {
			tally = fmt.Sprintf(" (%d/%d)", lp.Exercises.Done, lp.Exercises.Total)
		}
		lines = append(lines, fmt.Sprintf("- **%s**%s: %s", lp.Lesson.ID, tally, strings.Join(parts, "; ")))
	}
	fmt.Fprintf(w, "## My dockdojo progress, %s\n\n", now.Format("2 January 2006"))
	fmt.Fprintf(w, "%d of %d exercises done; %s used; %s seen", done, total, cmdutil.Plural(hints, "hint"), cmdutil.Plural(solutions, "solution"))
	if quizzes > 0 {
		fmt.Fprintf(w, "; %d of %d quiz answers right", right, quizzes)
	}
	fmt.Fprint(w, ".\n\n")
	fmt.Fprintln(w, strings.Join(lines, "\n"))
}

// counts says how far an unfinished exercise went: " (3 checks, 1 hint)",
// or nothing when it was only started.
func counts(e *progress.Exercise) string {
	var c []string
	if e.Checks > 0 {
		c = append(c, cmdutil.Plural(e.Checks, "check"))
	}
	if e.Hints > 0 {
		c = append(c, cmdutil.Plural(e.Hints, "hint"))
	}
	if e.SolutionSeen {
		c = append(c, "saw the solution")
	}
	if len(c) == 0 {
		return ""
	}
	return " (" + strings.Join(c, ", ") + ")"
}

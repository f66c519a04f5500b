package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/progress"
)

// writeProgressSummary writes `progress --summary`: a short Markdown report a
// learner can paste into a chat, an email or an issue. It reads as plain
// text too, so it uses no table and no symbols.
func writeProgressSummary(w io.Writer, c *lessons.Course, st *progress.State, now time.Time) {
	done, total, hints, solutions := 0, 0, 0, 0
	quizzes, right := 0, 0
	var lines []string
	for _, l := range c.Lessons {
		var finished, working, untouched []string
		for _, ex := range l.Exercises {
			total++
			e := st.Exercises[ex.Key()]
			switch {
			case e.Done():
				done++
				name := ex.ID
				if e.SolutionSeen {
					name += " (after seeing the solution)"
				}
				finished = append(finished, name)
			case e != nil && (!e.Started.IsZero() || e.Checks > 0 || e.Hints > 0):
				working = append(working, ex.ID+counts(e))
			default:
				untouched = append(untouched, ex.ID)
			}
			if e != nil {
				hints += e.Hints
				if e.SolutionSeen {
					solutions++
				}
			}
		}
		lessonQuizzes, lessonRight := 0, 0
		for _, q := range l.Quizzes {
			if a := st.Quizzes[l.ID+"/"+q.ID]; a != nil {
				lessonQuizzes++
				if a.Correct {
					lessonRight++
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
		case len(parts) == 0 && len(l.Exercises) == 0:
			parts = append(parts, "no exercises")
		case len(parts) == 0:
			parts = append(parts, "not started")
		}
		tally := ""
		if len(l.Exercises) > 0 {
			tally = fmt.Sprintf(" (%d/%d)", len(finished), len(l.Exercises))
		}
		lines = append(lines, fmt.Sprintf("- **%s**%s: %s", l.ID, tally, strings.Join(parts, "; ")))
	}
	fmt.Fprintf(w, "## My dockdojo progress, %s\n\n", now.Format("2 January 2006"))
	fmt.Fprintf(w, "%d of %d exercises done; %s used; %s seen", done, total, plural(hints, "hint"), plural(solutions, "solution"))
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
		c = append(c, plural(e.Checks, "check"))
	}
	if e.Hints > 0 {
		c = append(c, plural(e.Hints, "hint"))
	}
	if e.SolutionSeen {
		c = append(c, "saw the solution")
	}
	if len(c) == 0 {
		return ""
	}
	return " (" + strings.Join(c, ", ") + ")"
}

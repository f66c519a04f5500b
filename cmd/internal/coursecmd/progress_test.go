package coursecmd

import (
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/progress"
	"github.com/dockdojo/dockdojo/session"
)

func TestProgressSummary(t *testing.T) {
	course := &lessons.Course{}
	add := func(id string, exercises []string, quizzes ...string) {
		l := &lessons.Lesson{ID: id}
		for _, e := range exercises {
			ex := &lessons.Exercise{ID: e, Lesson: l}
			l.Exercises = append(l.Exercises, ex)
			l.Parts = append(l.Parts, lessons.Part{Exercise: ex})
		}
		for _, q := range quizzes {
			qz := &lessons.Quiz{ID: q, Lesson: l}
			l.Quizzes = append(l.Quizzes, qz)
			l.Parts = append(l.Parts, lessons.Part{Quiz: qz})
		}
		course.Lessons = append(course.Lessons, l)
	}
	add("virtualization", []string{"look-inside"}, "vm-or-container")
	add("what-is-docker", nil, "four-objects")
	add("first-run", []string{"publish-page", "inside-the-box"})
	add("networks", []string{"dns", "publish", "none"})
	add("volumes", []string{"named"})
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	st := &progress.State{
		Exercises: map[string]*progress.Exercise{
			"virtualization/look-inside": {Started: at, Checks: 2, Passed: at},
			"first-run/publish-page":     {Started: at, Checks: 4, Hints: 2, Passed: at, SolutionSeen: true},
			"first-run/inside-the-box":   {Started: at, Checks: 1, Passed: at},
			"networks/dns":               {Started: at, Checks: 3, Hints: 1},
			"networks/publish":           {Started: at},
		},
		Quizzes: map[string]*progress.Quiz{
			"virtualization/vm-or-container": {Answered: at, Correct: true},
			"what-is-docker/four-objects":    {Answered: at, Correct: false},
		},
	}
	var b strings.Builder
	WriteSummary(&b, session.Measure(course, st), at)
	want := `## My dockdojo progress, 27 November 2026

3 of 7 exercises done; 3 hints used; 1 solution seen; 1 of 2 quiz answers right.

- **virtualization** (1/1): done look-inside; quiz 1 of 1 right
- **what-is-docker**: quiz 0 of 1 right
- **first-run** (2/2): done publish-page (after seeing the solution), inside-the-box
- **networks** (0/3): working on dns (3 checks, 1 hint), publish; not started none
- **volumes** (0/1): not started
`
	if got := b.String(); got != want {
		t.Errorf("summary:\n%s\nwant:\n%s", got, want)
	}
}

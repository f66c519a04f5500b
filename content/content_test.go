package content_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/dockdojo/dockdojo/content"
	"github.com/dockdojo/dockdojo/lessons"
)

// loadCourse loads the built-in course, which must have lessons.
func loadCourse(t *testing.T) *lessons.Course {
	t.Helper()
	c, err := lessons.Load(lessons.Source{FS: content.FS(), Name: "content/course"})
	if err != nil {
		t.Fatalf("built-in course does not load:\n%v", err)
	}
	if len(c.Lessons) == 0 {
		t.Fatal("no lessons in the built-in course")
	}
	return c
}

// TestCourseParses proves every embedded lesson parses and validates, and
// holds each exercise to the course's own bar.
func TestCourseParses(t *testing.T) {
	c := loadCourse(t)
	for _, ex := range c.Exercises() {
		t.Run(ex.Key(), func(t *testing.T) {
			if len(ex.Hints) < 2 {
				t.Errorf("%s: %d hints; give at least two, from a nudge to a near-answer", ex.Pos, len(ex.Hints))
			}
			if len(ex.Wrong) < 3 {
				t.Errorf("%s: %d wrong attempts; give at least three", ex.Pos, len(ex.Wrong))
			}
			for _, w := range ex.Wrong {
				if strings.TrimSpace(w.Says) == "" {
					t.Errorf("%s: wrong attempt %q does not say which message the learner must get", ex.Pos, w.Name)
				}
			}
		})
	}
}

// TestCheckTitlesAreForLearners: the learner sees the checklist before a
// first try (check, watch), so each title says what is looked for in the
// learner's words, once per exercise, without the checker's code: no
// command, no regular expression, no instruction the learner must find.
func TestCheckTitlesAreForLearners(t *testing.T) {
	code := regexp.MustCompile("`" + `|[\\^$]|sh -c|\(\?m\)|\b(ENTRYPOINT|CMD|RUN|COPY|FROM)\b`)
	for _, ex := range loadCourse(t).Exercises() {
		seen := map[string]bool{}
		for i, c := range ex.Checks {
			title := c.TitleText()
			if code.MatchString(title) {
				t.Errorf("%s: check %d's title %q shows the checker's code or the answer; give it a title: in the learner's words", ex.Key(), i+1, title)
			}
			if seen[title] {
				t.Errorf("%s: two checks are titled %q", ex.Key(), title)
			}
			seen[title] = true
		}
	}
}

// TestLessonHeadings keeps one title per lesson: `list` and the menus show
// the front matter's title, the lesson opens with its heading, and a learner
// must meet the same words in both.
func TestLessonHeadings(t *testing.T) {
	for _, l := range loadCourse(t).Lessons {
		var prose strings.Builder
		for _, p := range l.Parts {
			prose.WriteString(p.Prose)
		}
		heading, ok := firstHeading(prose.String())
		switch {
		case !ok:
			t.Errorf("%s: the lesson has no heading (# %s)", l.File, l.Title)
		case heading != l.Title:
			t.Errorf("%s: the heading is %q but the title is %q; use one title in both", l.File, heading, l.Title)
		}
	}
}

// firstHeading returns the text of the first level-1 heading of markdown.
func firstHeading(markdown string) (string, bool) {
	src := []byte(markdown)
	var found string
	var ok bool
	_ = ast.Walk(goldmark.New().Parser().Parse(text.NewReader(src)), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, isHeading := n.(*ast.Heading)
		if !entering || !isHeading || h.Level != 1 {
			return ast.WalkContinue, nil
		}
		var b strings.Builder
		for i := 0; i < h.Lines().Len(); i++ {
			seg := h.Lines().At(i)
			b.Write(seg.Value(src))
		}
		found, ok = strings.TrimSpace(b.String()), true
		return ast.WalkStop, nil
	})
	return found, ok
}

// TestQuizAnswersMoveAround keeps quizzes from being passed by always
// picking the first choice: in no lesson is the right answer first in more
// than half of its single-answer quizzes (`read --plain` shows the choices
// in file order).
func TestQuizAnswersMoveAround(t *testing.T) {
	for _, l := range loadCourse(t).Lessons {
		single, first := 0, 0
		for _, q := range l.Quizzes {
			if q.Multiple() {
				continue
			}
			single++
			if q.Choices[0].Correct {
				first++
			}
		}
		if 2*first > single {
			t.Errorf("%s: the right answer is the first choice in %d of its %d single-answer quizzes; move it elsewhere in some of them", l.File, first, single)
		}
	}
}

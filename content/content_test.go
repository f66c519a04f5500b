package content_test

import (
	"strings"
	"testing"

	"github.com/dockdojo/dockdojo/content"
	"github.com/dockdojo/dockdojo/lessons"
)

// TestCourseParses proves every embedded lesson parses and validates, and
// holds each exercise to the course's own bar.
func TestCourseParses(t *testing.T) {
	c, err := lessons.Load(lessons.Source{FS: content.FS(), Name: "content/course"})
	if err != nil {
		t.Fatalf("built-in course does not load:\n%v", err)
	}
	if len(c.Lessons) == 0 {
		t.Fatal("no lessons in the built-in course")
	}
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

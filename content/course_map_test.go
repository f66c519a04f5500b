package content_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestCourseMap keeps docs/course.md in step with the course: every exercise
// and quiz is mapped to a topic of the talk, and every one the page names
// exists.
func TestCourseMap(t *testing.T) {
	doc, err := os.ReadFile("../docs/course.md")
	if err != nil {
		t.Fatal(err)
	}
	c := loadCourse(t)
	known := map[string]bool{}
	for _, l := range c.Lessons {
		known[l.ID] = true
		for _, ex := range l.Exercises {
			known[ex.Key()] = true
		}
		for _, q := range l.Quizzes {
			known[l.ID+"/"+q.ID] = true
		}
	}
	text := string(doc)
	for key := range known {
		if !strings.Contains(text, "`"+key+"`") {
			t.Errorf("docs/course.md does not map %s to a topic of the talk", key)
		}
	}
	for _, m := range regexp.MustCompile("`([a-z0-9-]+(?:/[a-z0-9-]+)?)`").FindAllStringSubmatch(text, -1) {
		if strings.Contains(m[1], "/") && !known[m[1]] {
			t.Errorf("docs/course.md names %s, which is not in the course", m[1])
		}
	}
}

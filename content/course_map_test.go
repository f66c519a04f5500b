package content_test

import (
	"fmt"
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

// TestCourseMapLessons keeps the table "The lessons, in order" of
// docs/course.md in step with the course: one row a lesson, in the course's
// order, with its order, id, title and how many exercises and quizzes it
// has.
func TestCourseMapLessons(t *testing.T) {
	doc, err := os.ReadFile("../docs/course.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(doc), "## The lessons, in order\n")
	if !ok {
		t.Fatal(`docs/course.md has no section "## The lessons, in order"`)
	}
	table, _, _ = strings.Cut(table, "\n## ")
	var rows []string
	for _, line := range strings.Split(table, "\n") {
		if strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "| # ") {
			rows = append(rows, line)
		}
	}
	c := loadCourse(t)
	for i, l := range c.Lessons {
		want := fmt.Sprintf("| %d | `%s`: %s | %d | %d |", l.Order, l.ID, l.Title, len(l.Exercises), len(l.Quizzes))
		switch {
		case i >= len(rows):
			t.Errorf("docs/course.md has no row for lesson %s; want %s", l.ID, want)
		case rows[i] != want:
			t.Errorf("docs/course.md, row %d of the lessons:\n  %s\nwant\n  %s", i+1, rows[i], want)
		}
	}
	for _, row := range rows[min(len(rows), len(c.Lessons)):] {
		t.Errorf("docs/course.md has a row for no lesson of the course: %s", row)
	}
}

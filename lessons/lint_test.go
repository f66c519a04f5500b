package lessons_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dockdojo/dockdojo/content"
	"github.com/dockdojo/dockdojo/internal/golden"
	"github.com/dockdojo/dockdojo/lessons"
)

// TestLint lints each testdata/lint/NAME.md on its own and compares every
// problem, warnings included, with NAME.golden.
func TestLint(t *testing.T) {
	const dir = "testdata/lint"
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".md")
		if !ok || e.IsDir() || strings.EqualFold(e.Name(), "README.md") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			src, err := lessons.Folder(dir)
			if err != nil {
				t.Fatal(err)
			}
			src.FS = oneLesson{src.FS, e.Name()}
			_, problems := lessons.Lint(src)
			var b strings.Builder
			for _, p := range problems {
				b.WriteString(p.String() + "\n")
				checkPos(t, &lessons.Error{Pos: p.Pos, Msg: p.Msg}, nil)
			}
			golden.Check(t, filepath.Join(dir, name+".golden"), []byte(b.String()))
		})
	}
}

// Every lesson of the broken corpus has at least one problem that is not a
// warning: lint fails on each of them.
func TestLintBrokenCorpus(t *testing.T) {
	for _, file := range lessonFiles(t, "testdata/broken") {
		dir, name := filepath.Split(file)
		src, err := lessons.Folder(dir)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Base(filepath.Dir(file)) != "broken" {
			continue // a folder of its own, loaded whole by TestBrokenLessons
		}
		src.FS = oneLesson{src.FS, name}
		_, problems := lessons.Lint(src)
		errs := 0
		for _, p := range problems {
			if !p.Warning {
				errs++
			}
		}
		if errs == 0 {
			t.Errorf("%s: lint finds no mistake, only %d warnings", file, len(problems))
		}
	}
}

// The built-in course has no mistakes and no warnings.
func TestLintBuiltinCourse(t *testing.T) {
	_, problems := lessons.Lint(lessons.Source{FS: content.FS(), Name: "content/course"})
	for _, p := range problems {
		t.Errorf("%s", p)
	}
}

// TestLintPrerequisiteOrder: a prerequisite that the course lists after its
// lesson is a warning at the prerequisite, saying which orders to change.
func TestLintPrerequisiteOrder(t *testing.T) {
	lesson := func(id string, order int, pre string) []byte {
		return []byte(fmt.Sprintf("---\nformat_version: 1\nid: %s\ntitle: T\nsummary: S.\norder: %d\nprerequisites: [%s]\n---\n\n# T\n", id, order, pre))
	}
	_, problems := lessons.Lint(lessons.Source{Name: "testdata", FS: fstest.MapFS{
		"early/early.md": {Data: lesson("early", 10, "late")},
		"late/late.md":   {Data: lesson("late", 20, "")},
		"later/later.md": {Data: lesson("later", 30, "early")},
	}})
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	want := `testdata/early/early.md:7:17: warning: prerequisite "late" comes after this lesson in the course (order 20, this lesson's 10), so a learner meets this lesson first: give "late" a smaller order, or this lesson a larger one`
	if len(got) != 1 || got[0] != want {
		t.Errorf("problems:\n%s\nwant only\n%s", strings.Join(got, "\n"), want)
	}
}

// TestLintNotALesson: a Markdown file with no front matter and nothing only
// a lesson holds is left out of the course with a warning, so that notes
// beside the lessons keep no lesson from loading; one that holds an
// exercise, a quiz or format_version is a lesson without its front matter,
// a mistake. Both say how to keep a file that is not a lesson.
func TestLintNotALesson(t *testing.T) {
	const keep = `if it is not a lesson (notes, a draft), name it README.md or move it into a folder whose name starts with "_" or "." (as _drafts/), which dockdojo does not read`
	for _, tc := range []struct {
		name, src string
		want      string // the problem of the file; "" for none
	}{
		{"notes", "Instructor notes\n\n---\n\nRemember the volume.\n", `testdata/NOTES.md:1:1: warning: not a lesson, so left out of the course: it has no front matter, and no exercise or quiz; if it is a lesson, start it with a line "---", its fields (format_version, id, title, summary), and another "---"; ` + keep},
		{"draft exercise", "# Draft\n\n```exercise\nid: x\n```\n", `testdata/NOTES.md:1:1: missing front matter: start the file with a line "---", the lesson's fields (format_version, id, title, summary), and another "---"; ` + keep},
		{"draft quiz", "# Draft\n\n~~~ quiz\nid: x\n~~~\n", `testdata/NOTES.md:1:1: missing front matter: start the file with a line "---", the lesson's fields (format_version, id, title, summary), and another "---"; ` + keep},
		{"front matter after a blank line", "\n---\nformat_version: 1\nid: x\n---\n", `testdata/NOTES.md:1:1: missing front matter: start the file with a line "---", the lesson's fields (format_version, id, title, summary), and another "---"; ` + keep},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"one/one.md": {Data: []byte("---\nformat_version: 1\nid: one\ntitle: T\nsummary: S.\n---\n\n# T\n")},
				"NOTES.md":   {Data: []byte(tc.src)},
			}
			c, problems := lessons.Lint(lessons.Source{Name: "testdata", FS: fsys})
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
			}
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("problems:\n%s\nwant only\n%s", strings.Join(got, "\n"), tc.want)
			}
			if c.Lesson("one") == nil {
				t.Error("the lesson beside NOTES.md is not loaded")
			}
			_, err := lessons.Load(lessons.Source{Name: "testdata", FS: fsys})
			if warning := strings.Contains(tc.want, "warning:"); warning != (err == nil) {
				t.Errorf("Load: %v; a file that is no lesson keeps nothing from loading, a lesson without front matter does", err)
			}
		})
	}
}

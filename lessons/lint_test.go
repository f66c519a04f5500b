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

package cli

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dockdojo/dockdojo/cmd/internal/render"
	"github.com/dockdojo/dockdojo/content"
	"github.com/dockdojo/dockdojo/lessons"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from its golden file; run go test ./cmd/internal/cli -update and review the diff\ngot:\n%s", name, got)
	}
}

// TestRenderedLessons keeps every built-in lesson's plain and rendered form
// under golden files, rendered with a fixed style at 80 columns.
func TestRenderedLessons(t *testing.T) {
	c, err := lessons.Load(lessons.Source{FS: content.FS(), Name: "content/course"})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range c.Lessons {
		t.Run(l.ID, func(t *testing.T) {
			doc := LessonMarkdown(l)
			for _, ex := range l.Exercises {
				if strings.Contains(doc, strings.TrimSpace(ex.Solution)) {
					t.Errorf("the lesson text gives away the solution of %s", ex.Key())
				}
				if !strings.Contains(doc, "dockdojo start "+ex.Key()) {
					t.Errorf("the lesson text does not say how to start %s", ex.Key())
				}
			}
			golden(t, l.ID+".md.golden", doc)
			out, err := render.Markdown(doc, render.Options{Width: 80})
			if err != nil {
				t.Fatal(err)
			}
			for i, line := range strings.Split(out, "\n") {
				if n := utf8.RuneCountInString(line); n > 80 {
					t.Errorf("rendered line %d is %d columns wide: %q", i+1, n, line)
				}
			}
			golden(t, l.ID+".80col.golden", out)
		})
	}
}

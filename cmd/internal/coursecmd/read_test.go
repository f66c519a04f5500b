package coursecmd

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/render"
	"github.com/dockdojo/dockdojo/content"
	"github.com/dockdojo/dockdojo/internal/golden"
	"github.com/dockdojo/dockdojo/lessons"
)

// TestRenderedLessons keeps every built-in lesson's plain and rendered form
// under golden files, rendered with a fixed style at 80 columns.
func TestRenderedLessons(t *testing.T) {
	c, err := lessons.Load(lessons.Source{FS: content.FS(), Name: "content/course"})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range c.Lessons {
		t.Run(l.ID, func(t *testing.T) {
			doc := LessonMarkdown(l, cmdutil.Global(&cmdutil.Factory{Settings: &cmdutil.Settings{}}))
			for _, ex := range l.Exercises {
				if strings.Contains(doc, strings.TrimSpace(ex.Solution)) {
					t.Errorf("the lesson text gives away the solution of %s", ex.Key())
				}
				if !strings.Contains(doc, "dockdojo start "+ex.Key()) {
					t.Errorf("the lesson text does not say how to start %s", ex.Key())
				}
			}
			golden.Check(t, filepath.Join("testdata", l.ID+".md.golden"), []byte(doc))
			for _, width := range []int{80, 100} {
				out, err := render.Markdown(doc, render.Options{Width: width})
				if err != nil {
					t.Fatal(err)
				}
				for i, line := range strings.Split(out, "\n") {
					if n := utf8.RuneCountInString(line); n > width {
						t.Errorf("rendered line %d is %d columns wide at %d: %q", i+1, n, width, line)
					}
				}
				golden.Check(t, filepath.Join("testdata", fmt.Sprintf("%s.%dcol.golden", l.ID, width)), []byte(out))
			}
		})
	}
}

package coursecmd

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/render"
	"github.com/dockdojo/dockdojo/content"
	"github.com/dockdojo/dockdojo/internal/golden"
	"github.com/dockdojo/dockdojo/internal/mdblock"
	"github.com/dockdojo/dockdojo/lessons"
)

// TestRenderedLessons keeps every built-in lesson's plain and rendered form
// under golden files, rendered with a fixed style at 80 and 100 columns.
// A rendered line fits the width, unless it is a line of a code block or a
// code span alone: a command is never broken by a line break, and is left
// whole for the terminal to wrap; so every line of a code block is shown
// whole, at 40 columns too (where glamour's tables do not fit).
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
			code := map[string]bool{}
			for _, b := range mdblock.Fenced([]byte(doc)) {
				for _, line := range strings.Split(b.Body, "\n") {
					if line = strings.TrimSpace(line); line != "" {
						code[line] = true
					}
				}
			}
			for _, width := range []int{40, 80, 100} {
				out, err := render.Markdown(doc, render.Options{Width: width})
				if err != nil {
					t.Fatal(err)
				}
				shown := map[string]bool{}
				for i, line := range strings.Split(out, "\n") {
					shown[strings.TrimSpace(line)] = true
					if n := utf8.RuneCountInString(line); n > width && width != 40 && !code[strings.TrimSpace(line)] && !oneWord(line) {
						t.Errorf("rendered line %d is %d columns wide at %d: %q", i+1, n, width, line)
					}
				}
				for line := range code {
					if !shown[line] {
						t.Errorf("at %d columns, a line of a code block is not shown whole: %q", width, line)
					}
				}
				if width != 40 {
					golden.Check(t, filepath.Join("testdata", fmt.Sprintf("%s.%dcol.golden", l.ID, width)), []byte(out))
				}
			}
		})
	}
}

// codeSpanRE is a code span of the ASCII style.
var codeSpanRE = regexp.MustCompile("`[^`]*`")

// oneWord reports whether a rendered line holds one word, or one code span
// and the punctuation that touches it.
func oneWord(line string) bool {
	return !strings.Contains(codeSpanRE.ReplaceAllString(strings.TrimSpace(line), "x"), " ")
}

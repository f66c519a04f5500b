package authorcmd

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dockdojo/dockdojo/internal/mdblock"

	"github.com/dockdojo/dockdojo/lessons"
)

// The walk-through of docs/authoring.md shows what `dockdojo new lesson`
// writes and what `dockdojo lint` says; these tests keep it true.

const authoringDoc = "../../../docs/authoring.md"

func authoringBlocks(t *testing.T) []mdblock.Block {
	t.Helper()
	src, err := os.ReadFile(authoringDoc)
	if err != nil {
		t.Fatal(err)
	}
	return mdblock.Fenced(src)
}

// The whole lesson shown in "Your first lesson" is what `dockdojo new lesson
// my-first-lesson` writes.
func TestDocShowsTheScaffold(t *testing.T) {
	want := execute(lessonTemplate, scaffoldData{ID: "my-first-lesson", Title: "My first lesson", TitleYAML: "My first lesson", Box: "dojo-my-first-lesson-box"})
	for _, b := range authoringBlocks(t) {
		if b.Info == "markdown" && strings.HasPrefix(b.Body, "---\n# The front matter") {
			if b.Body != want {
				t.Errorf("%s:%d: the lesson shown is not what `dockdojo new lesson my-first-lesson` writes; write this instead:\n%s", authoringDoc, b.Line, want)
			}
			return
		}
	}
	t.Errorf("%s shows no lesson written by `dockdojo new lesson` (a markdown block starting \"---\\n# The front matter\")", authoringDoc)
}

// A "markdown lint" block is a lesson my-first-lesson/my-first-lesson.md;
// the "text" block after it holds exactly what lint says of it.
func TestDocLintExamples(t *testing.T) {
	blocks := authoringBlocks(t)
	n := 0
	for i, b := range blocks {
		if b.Info != "markdown lint" {
			continue
		}
		n++
		if i+1 >= len(blocks) || blocks[i+1].Info != "text" {
			t.Errorf("%s:%d: a lint example must be followed by a text block with what lint says", authoringDoc, b.Line)
			continue
		}
		fsys := fstest.MapFS{"my-first-lesson/my-first-lesson.md": {Data: []byte(b.Body)}}
		_, problems := lessons.Lint(lessons.Source{FS: fsys, Name: "."})
		var got strings.Builder
		for _, p := range problems {
			got.WriteString(p.String() + "\n")
		}
		if want := blocks[i+1].Body; got.String() != want {
			t.Errorf("%s:%d: the text block is not what lint says; lint says:\n%s", authoringDoc, blocks[i+1].Line, got.String())
		}
	}
	if n == 0 {
		t.Errorf("%s has no lint example (a \"markdown lint\" block)", authoringDoc)
	}
}

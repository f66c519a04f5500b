package authorcmd

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/dockdojo/dockdojo/lessons"
)

// The walk-through of docs/authoring.md shows what `dockdojo new lesson`
// writes and what `dockdojo lint` says; these tests keep it true.

const authoringDoc = "../../../docs/authoring.md"

type docBlock struct {
	line       int
	info, body string
}

func authoringBlocks(t *testing.T) []docBlock {
	t.Helper()
	src, err := os.ReadFile(authoringDoc)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []docBlock
	doc := goldmark.New().Parser().Parse(text.NewReader(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		fb, ok := n.(*ast.FencedCodeBlock)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		var b docBlock
		if fb.Info != nil {
			b.info = strings.TrimSpace(string(fb.Info.Segment.Value(src)))
			b.line = 1 + bytes.Count(src[:fb.Info.Segment.Start], []byte("\n"))
		}
		for i := 0; i < fb.Lines().Len(); i++ {
			seg := fb.Lines().At(i)
			b.body += string(seg.Value(src))
		}
		blocks = append(blocks, b)
		return ast.WalkSkipChildren, nil
	})
	return blocks
}

// The whole lesson shown in "Your first lesson" is what `dockdojo new lesson
// my-first-lesson` writes.
func TestDocShowsTheScaffold(t *testing.T) {
	want := execute(lessonTemplate, scaffoldData{ID: "my-first-lesson", Title: "My first lesson", TitleYAML: "My first lesson", Box: "dojo-my-first-lesson-box"})
	for _, b := range authoringBlocks(t) {
		if b.info == "markdown" && strings.HasPrefix(b.body, "---\n# The front matter") {
			if b.body != want {
				t.Errorf("%s:%d: the lesson shown is not what `dockdojo new lesson my-first-lesson` writes; write this instead:\n%s", authoringDoc, b.line, want)
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
		if b.info != "markdown lint" {
			continue
		}
		n++
		if i+1 >= len(blocks) || blocks[i+1].info != "text" {
			t.Errorf("%s:%d: a lint example must be followed by a text block with what lint says", authoringDoc, b.line)
			continue
		}
		fsys := fstest.MapFS{"my-first-lesson/my-first-lesson.md": {Data: []byte(b.body)}}
		_, problems := lessons.Lint(lessons.Source{FS: fsys, Name: "."})
		var got strings.Builder
		for _, p := range problems {
			got.WriteString(p.String() + "\n")
		}
		if want := blocks[i+1].body; got.String() != want {
			t.Errorf("%s:%d: the text block is not what lint says; lint says:\n%s", authoringDoc, blocks[i+1].line, got.String())
		}
	}
	if n == 0 {
		t.Errorf("%s has no lint example (a \"markdown lint\" block)", authoringDoc)
	}
}

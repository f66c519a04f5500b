package selftest

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/internal/mdblock"

	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// TestDocCompleteLesson self-tests the complete lesson of docs/authoring.md
// on the real engine: an instructor who copies it starts from a lesson that
// works, not only one that parses.
func TestDocCompleteLesson(t *testing.T) {
	src, err := os.ReadFile("../docs/authoring.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := bytes.Cut(src, []byte("\n## A complete lesson\n"))
	if !ok {
		t.Fatal("docs/authoring.md has no section \"## A complete lesson\"")
	}
	var lesson string
	for _, b := range mdblock.Fenced(section) {
		if b.Info == "markdown" {
			lesson = b.Body
			break
		}
	}
	if !strings.HasPrefix(lesson, "---\n") {
		t.Fatal("the section \"A complete lesson\" shows no markdown block with a lesson")
	}
	eng := sandboxtest.Engine(t)
	c, err := lessons.Load(lessons.Source{FS: fstest.MapFS{"complete/lesson.md": {Data: []byte(lesson)}}, Name: "docs"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if failed, out := selfTest(t, ctx, eng, c.Exercises(), Options{Workspaces: t.TempDir()}); failed > 0 {
		t.Errorf("the complete lesson of docs/authoring.md fails its self-test:\n%s", out)
	}
}

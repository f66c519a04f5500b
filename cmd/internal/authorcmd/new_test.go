package authorcmd_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdojo/dockdojo/cmd/internal/clitest"
)

// TestNewLessonTitle refuses a --title that would not be one line of plain
// text in the lesson, before anything is written.
func TestNewLessonTitle(t *testing.T) {
	tests := []struct {
		name  string
		title string
		want  string
	}{
		{"an escape", "bad\x1btitle", `--title "bad\x1btitle" holds a control character`},
		{"a line break", "two\nlines", `--title "two\nlines" holds a control character`},
		{"a tab", "a\ttab", `holds a control character`},
		{"blank", "   ", "--title is blank"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			code, _, stderr, _ := clitest.Run(clitest.Learner(dir, "learner"), "new", "lesson", "dojotest-title", "--dir", dir, "--title", tt.title)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tt.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "dojotest-title")); err == nil {
				t.Errorf("the lesson was written all the same")
			}
		})
	}
	dir := t.TempDir()
	if code, _, stderr, _ := clitest.Run(clitest.Learner(dir, "learner"), "new", "lesson", "dojotest-title", "--dir", dir, "--title", "Ünïcode: fine"); code != 0 {
		t.Errorf("a title of plain text, with letters beyond ASCII: exit %d, %s", code, stderr)
	}
}

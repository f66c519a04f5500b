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

// TestNewExerciseKeepsCRLF appends to a lesson written with CRLF line ends
// (an editor on Windows) in CRLF, so the file does not end up with two
// kinds of line end, and it still parses.
func TestNewExerciseKeepsCRLF(t *testing.T) {
	env, file := newLesson(t, "dojotest-crlf")
	lf, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	crlf := strings.ReplaceAll(string(lf), "\n", "\r\n")
	if err := os.WriteFile(file, []byte(crlf), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr, _ := clitest.Run(env, "new", "exercise", file); code != 0 {
		t.Fatalf("new exercise: exit %d, %s", code, stderr)
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(got), crlf) {
		t.Errorf("the lesson as it was is not kept at the start of the file")
	}
	if n := strings.Count(string(got), "\n") - strings.Count(string(got), "\r\n"); n > 0 {
		t.Errorf("the file has %d line ends without CR after new exercise:\n%q", n, got[len(crlf):])
	}
	if code, out, stderr, _ := clitest.Run(env, "lint", filepath.Dir(file)); code != 0 {
		t.Errorf("lint of the lesson with its new exercise: exit %d\n%s%s", code, out, stderr)
	}
}

// TestNewExerciseKeepsModeAndLink: the lesson is written afresh beside
// itself and renamed over the old one; it keeps its mode, and a lesson
// reached through a link stays a link, with the file it leads to written.
func TestNewExerciseKeepsModeAndLink(t *testing.T) {
	env, file := newLesson(t, "dojotest-mode")
	if err := os.Chmod(file, 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(filepath.Dir(file), "..", "link.md")
	if err := os.Symlink(file, link); err != nil {
		t.Fatal(err)
	}
	for _, arg := range []string{file, link} {
		if code, _, stderr, _ := clitest.Run(env, "new", "exercise", arg); code != 0 {
			t.Fatalf("new exercise %s: exit %d, %s", arg, code, stderr)
		}
	}
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o640 {
		t.Errorf("the lesson's mode after new exercise: %v, %v; want 0640, as it was", st.Mode().Perm(), err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link to the lesson is no link after new exercise: %v, %v", st.Mode(), err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "id: exercise-"); n != 2 {
		t.Errorf("the lesson has %d new exercises, want 2: one written through its name, one through the link", n)
	}
}

// newLesson writes the lesson id with `new lesson` in a learner's folder of
// its own, and returns the learner's environment and the lesson file.
func newLesson(t *testing.T, id string) (clitest.Env, string) {
	t.Helper()
	dir := t.TempDir()
	env := clitest.Learner(dir, "learner")
	if code, _, stderr, _ := clitest.Run(env, "new", "lesson", id, "--dir", dir); code != 0 {
		t.Fatalf("new lesson: exit %d, %s", code, stderr)
	}
	return env, filepath.Join(dir, id, id+".md")
}

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestFolderNameEscapesAreShown: a lesson folder from a stranger may be
// named with an escape sequence (a colour, a new window title). Every
// line that names it, lint's and an error's, shows the sequence escaped,
// and the terminal is given nothing to obey.
func TestFolderNameEscapesAreShown(t *testing.T) {
	bin := buildDockdojo(t)
	dir := t.TempDir()
	course := filepath.Join(dir, "course", "t-\x1b[31mred\x1b]0;title\a")
	if err := os.MkdirAll(course, 0o755); err != nil {
		t.Fatal(err)
	}
	lesson := "---\nformat_version: 1\nid: esc\ntitle: T\nsummary: S.\n---\n\n```exercise\nid: x\n```\n"
	if err := os.WriteFile(filepath.Join(course, "esc.md"), []byte(lesson), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"lint", "course"}, {"--lessons", "course", "list"}} {
		cmd := exec.Command(bin, args...)
		cmd.Env, cmd.Dir = termEnv(dir), dir
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Errorf("dockdojo %s passed a lesson with mistakes:\n%s", strings.Join(args, " "), out)
		}
		if strings.ContainsAny(string(out), "\x1b\a") || !strings.Contains(string(out), `t-\x1b[31mred\x1b]0;title\x07`) {
			t.Errorf("dockdojo %s: want the folder's name with its escapes shown as \\x1b, got:\n%q", strings.Join(args, " "), out)
		}
	}
}

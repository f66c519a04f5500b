package lessons_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdojo/dockdojo/lessons"
)

// TestStarterFilesHaveALimit: a starter file over the limit is a lint
// error at the line that names it, not 3 GB written into a workspace.
func TestStarterFilesHaveALimit(t *testing.T) {
	dir := t.TempDir()
	lesson := "---\nformat_version: 1\nid: big\ntitle: Big\nsummary: Too big.\n---\n\n```exercise\nid: seed\ntitle: Seed\ngoal: Nothing.\nflavour: build\nworkspace:\n  - small.txt\n  - huge.bin\nchecks:\n  - kind: dockerfile\n    instruction: FROM\nhints: [None.]\nsolution: \"true\"\n```\n"
	if err := os.WriteFile(filepath.Join(dir, "big.md"), []byte(lesson), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "small.txt"), []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "huge.bin"))
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: nothing is written, but the file says it is 9 MiB.
	if err := f.Truncate(lessons.MaxStarterFileBytes + 1<<20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	src, err := lessons.Folder(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = lessons.Load(src)
	if err == nil || !strings.Contains(err.Error(), `big.md:15:5: workspace file "huge.bin" is 9 MiB; a starter file may be at most 8 MiB`) {
		t.Fatalf("a 9 MiB starter file: %v", err)
	}
}

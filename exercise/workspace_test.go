package exercise

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestRestoreStarterKeepsABackup(t *testing.T) {
	ex := load(t)
	dir := filepath.Join(t.TempDir(), "extest", "box")
	if _, err := Seed(ex, dir); err != nil {
		t.Fatal(err)
	}
	if changed, err := StarterChanged(ex, dir); err != nil || len(changed) != 0 {
		t.Fatalf("StarterChanged of a fresh workspace = %v, %v; want nothing", changed, err)
	}
	mine := filepath.Join(dir, "starter.txt")
	if err := os.WriteFile(mine, []byte("my edit\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.md"), []byte("mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if changed, _ := StarterChanged(ex, dir); !slices.Equal(changed, []string{"starter.txt"}) {
		t.Fatalf("StarterChanged after an edit = %v, want [starter.txt]", changed)
	}

	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	backup, restored, err := RestoreStarter(ex, dir, now)
	if err != nil {
		t.Fatal(err)
	}
	if want := dir + ".bak-20261127-100000"; backup != want {
		t.Errorf("backup = %s, want %s", backup, want)
	}
	if !slices.Equal(restored, []string{"starter.txt"}) {
		t.Errorf("restored = %v", restored)
	}
	for _, c := range []struct{ file, want string }{
		{filepath.Join(dir, "starter.txt"), "starter\n"},
		{filepath.Join(dir, "notes.md"), "mine\n"},
		{filepath.Join(backup, "starter.txt"), "my edit\n"},
		{filepath.Join(backup, "notes.md"), "mine\n"},
	} {
		got, err := os.ReadFile(c.file)
		if err != nil || string(got) != c.want {
			t.Errorf("%s = %q, %v; want %q", c.file, got, err, c.want)
		}
	}
	if st, err := os.Stat(filepath.Join(backup, "notes.md")); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("backup lost the file mode: %v, %v", st, err)
	}

	// A second restore in the same second gets a backup of its own.
	again, _, err := RestoreStarter(ex, dir, now)
	if err != nil || again == backup || filepath.Dir(again) != filepath.Dir(dir) {
		t.Errorf("second backup = %s, %v; want a new folder beside %s", again, err, dir)
	}
}

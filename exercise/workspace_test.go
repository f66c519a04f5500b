package exercise

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/internal/fifotest"
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

// siteLesson has starter files at the top of the workspace and in a folder.
const siteLesson = "---\nformat_version: 1\nid: extest\ntitle: Sites\nsummary: Starter files in folders.\n---\n\n" +
	"```exercise\nid: site\ntitle: A site\ngoal: Serve the site.\nflavour: host\nworkspace: [payload.sh, site/index.html]\n" +
	"checks:\n  - kind: container_exists\n    container: dojotest-ex-site\nhints: [One., Two.]\nsolution: \"true\"\n" +
	"owns:\n  containers: [dojotest-ex-site]\n```\n"

// TestRestoreStarterNeverWritesOutOfTheWorkspace: the sandbox (which
// writes into the workspace) has put a link to a file of the learner's
// where a starter file goes, a link to a folder of the learner's where a
// starter folder goes, or a named pipe. Restoring the starter files writes
// the file in the link's place, refuses the folder that leads out, never
// waits on the pipe, and touches nothing outside the workspace; the backup
// keeps what was there.
func TestRestoreStarterNeverWritesOutOfTheWorkspace(t *testing.T) {
	ex := firstExercise(t, fstest.MapFS{
		"extest/lesson.md":       {Data: []byte(siteLesson)},
		"extest/payload.sh":      {Data: []byte("echo from the lesson\n")},
		"extest/site/index.html": {Data: []byte("<h1>starter</h1>\n")},
	})
	now := time.Date(2026, 12, 3, 13, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name  string
		plant func(t *testing.T, dir, outside string)
		fails string // "" when the restore succeeds
	}{
		{"a link to a file of the learner's", func(t *testing.T, dir, outside string) {
			must(t, os.Remove(filepath.Join(dir, "payload.sh")))
			must(t, os.Symlink(filepath.Join(outside, "rc.txt"), filepath.Join(dir, "payload.sh")))
		}, ""},
		{"a named pipe", func(t *testing.T, dir, outside string) {
			must(t, os.Remove(filepath.Join(dir, "payload.sh")))
			fifotest.Make(t, filepath.Join(dir, "payload.sh"))
		}, ""},
		{"a folder where the file goes", func(t *testing.T, dir, outside string) {
			must(t, os.Remove(filepath.Join(dir, "payload.sh")))
			must(t, os.MkdirAll(filepath.Join(dir, "payload.sh", "inner"), 0o755))
		}, ""},
		{"a link to a folder of the learner's", func(t *testing.T, dir, outside string) {
			must(t, os.RemoveAll(filepath.Join(dir, "site")))
			must(t, os.Symlink(outside, filepath.Join(dir, "site")))
		}, "leads out of the workspace"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir, outside := filepath.Join(t.TempDir(), "extest", "site"), t.TempDir()
			must(t, os.WriteFile(filepath.Join(outside, "rc.txt"), []byte("my precious rc file\n"), 0o644))
			must(t, os.WriteFile(filepath.Join(outside, "index.html"), []byte("my own page\n"), 0o644))
			if _, err := Seed(ex, dir); err != nil {
				t.Fatal(err)
			}
			tt.plant(t, dir, outside)
			done := make(chan struct{})
			var changed []string
			var err error
			go func() {
				defer close(done)
				if changed, err = StarterChanged(ex, dir); err == nil {
					_, _, err = RestoreStarter(ex, dir, now)
				}
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("StarterChanged or RestoreStarter still waits after 10 s")
			}
			if len(changed) == 0 {
				t.Errorf("StarterChanged = %v; want what was planted counted as changed", changed)
			}
			switch {
			case tt.fails == "" && err != nil:
				t.Errorf("RestoreStarter: %v", err)
			case tt.fails != "" && (err == nil || !strings.Contains(err.Error(), tt.fails)):
				t.Errorf("RestoreStarter: %v; want an error that says %q", err, tt.fails)
			}
			for name, want := range map[string]string{"rc.txt": "my precious rc file\n", "index.html": "my own page\n"} {
				if got, _ := os.ReadFile(filepath.Join(outside, name)); string(got) != want {
					t.Errorf("the learner's %s outside the workspace now holds %q", name, got)
				}
			}
			if tt.fails == "" {
				info, err := os.Lstat(filepath.Join(dir, "payload.sh"))
				got, _ := os.ReadFile(filepath.Join(dir, "payload.sh"))
				if err != nil || !info.Mode().IsRegular() || string(got) != "echo from the lesson\n" {
					t.Errorf("payload.sh after the restore: %v, %v, %q; want the starter file", info, err, got)
				}
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestRestoreStarterThroughALinkedWorkspace: the learner keeps the
// exercise's folder elsewhere and made the workspace folder a link to it.
// The backup is a real copy of their files (not one more link to the
// folder that is about to be written), the starter files are written
// through the link, and the link stays. A link whose folder would hold
// the backup, a link to nothing and a file are refused, nothing changed.
func TestRestoreStarterThroughALinkedWorkspace(t *testing.T) {
	ex := load(t)
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	home := t.TempDir()
	mine := filepath.Join(home, "repo", "box")
	must(t, os.MkdirAll(mine, 0o755))
	must(t, os.WriteFile(filepath.Join(mine, "starter.txt"), []byte("my edit\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(mine, "notes.md"), []byte("mine\n"), 0o644))
	dir := filepath.Join(home, "dockdojo", "extest", "box")
	must(t, os.MkdirAll(filepath.Dir(dir), 0o755))
	must(t, os.Symlink(mine, dir))

	backup, restored, err := RestoreStarter(ex, dir, now)
	if err != nil || !slices.Equal(restored, []string{"starter.txt"}) {
		t.Fatalf("RestoreStarter through a link = %v, %v", restored, err)
	}
	if info, err := os.Lstat(backup); err != nil || !info.IsDir() {
		t.Errorf("backup %s = %v, %v; want a real folder", backup, info, err)
	}
	if info, err := os.Lstat(dir); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the learner's link %s = %v, %v; want it kept", dir, info, err)
	}
	for file, want := range map[string]string{
		filepath.Join(backup, "starter.txt"): "my edit\n",
		filepath.Join(backup, "notes.md"):    "mine\n",
		filepath.Join(mine, "starter.txt"):   "starter\n",
		filepath.Join(mine, "notes.md"):      "mine\n",
	} {
		if got, err := os.ReadFile(file); err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", file, got, err, want)
		}
	}

	for _, tt := range []struct {
		name, says string
		plant      func(dir string)
	}{
		{"a link to the folder that holds it", "holds the backup's place", func(dir string) {
			must(t, os.Symlink(".", dir))
		}},
		{"a link to nothing", "does not exist", func(dir string) {
			must(t, os.Symlink(filepath.Join(home, "gone"), dir))
		}},
		{"a file", "is a file, not a folder", func(dir string) {
			must(t, os.WriteFile(dir, []byte("a file of mine\n"), 0o644))
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			parent := filepath.Join(t.TempDir(), "extest")
			must(t, os.MkdirAll(parent, 0o755))
			must(t, os.WriteFile(filepath.Join(parent, "starter.txt"), []byte("my edit\n"), 0o644))
			dir := filepath.Join(parent, "box")
			tt.plant(dir)
			before, _ := os.ReadDir(parent)
			_, _, err := RestoreStarter(ex, dir, now)
			if err == nil || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("RestoreStarter = %v; want an error that says %q", err, tt.says)
			}
			after, _ := os.ReadDir(parent)
			if len(after) != len(before) {
				t.Errorf("the folder holds %d entries after the refusal, %d before", len(after), len(before))
			}
			if got, _ := os.ReadFile(filepath.Join(parent, "starter.txt")); string(got) != "my edit\n" {
				t.Errorf("the learner's file now holds %q", got)
			}
		})
	}
}

// TestAFileWhereTheWorkspaceGoes: a file where the exercise's workspace
// folder goes (the learner's notes, named as the exercise), or where a
// folder on its way goes, stops start, reseed and reset at once, naming
// it with how to move it away, and the file is kept as it was: no backup
// of it, nothing written over it. The start stops before the engine.
func TestAFileWhereTheWorkspaceGoes(t *testing.T) {
	ex := load(t)
	for _, tc := range []struct {
		name string
		file func(dir string) string
	}{
		{"the folder", func(dir string) string { return dir }},
		{"the lesson's folder", filepath.Dir},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := filepath.Join(t.TempDir(), "dockdojo")
			dir := Workspace(root, ex)
			file := tc.file(dir)
			must(t, os.MkdirAll(filepath.Dir(file), 0o755))
			must(t, os.WriteFile(file, []byte("my notes\n"), 0o644))
			want := "workspace folder " + file + " is a file, not a folder: move it away (`mv " + file + " " + file + ".old`) and run again"
			for name, do := range map[string]func() error{
				"Seed":           func() error { _, err := Seed(ex, dir); return err },
				"StarterChanged": func() error { _, err := StarterChanged(ex, dir); return err },
				"RestoreStarter": func() error { _, _, err := RestoreStarter(ex, dir, time.Now()); return err },
				"Start":          func() error { _, err := Start(t.Context(), nil, ex, root, Output{}); return err },
			} {
				if err := do(); err == nil || err.Error() != want {
					t.Errorf("%s = %v; want %q", name, err, want)
				}
			}
			if data, err := os.ReadFile(file); err != nil || string(data) != "my notes\n" {
				t.Errorf("the file in the way: %q, %v; want it kept as it was", data, err)
			}
			if backups, _ := filepath.Glob(file + ".bak-*"); len(backups) > 0 {
				t.Errorf("backups of a file: %v", backups)
			}
		})
	}
}

// TestABackupIsUnfinishedUntilWhole: a reset killed while it copies the
// workspace (kill -9) leaves no half copy under a backup's name: while the
// copy is made, only FOLDER.bak-TIMESTAMP.partial is there, and it takes
// the backup's name when whole. A later start or reset says what such a
// leftover is.
func TestABackupIsUnfinishedUntilWhole(t *testing.T) {
	ex := load(t)
	dir := filepath.Join(t.TempDir(), "extest", "box")
	if _, err := Seed(ex, dir); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("notes-%d.md", i)), []byte("mine\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 12, 4, 23, 49, 15, 0, time.UTC)
	backup := dir + ".bak-20261204-234915"
	var midway []string
	testHookCopied = func(string) {
		if midway == nil {
			// Here a kill -9 would leave what is beside the folder now.
			entries, _ := os.ReadDir(filepath.Dir(dir))
			for _, e := range entries {
				midway = append(midway, e.Name())
			}
		}
	}
	defer func() { testHookCopied = nil }()
	got, _, err := RestoreStarter(ex, dir, now)
	if err != nil || got != backup {
		t.Fatalf("RestoreStarter = %s, %v; want %s", got, err, backup)
	}
	if want := []string{"box", "box.bak-20261204-234915.partial"}; !slices.Equal(midway, want) {
		t.Errorf("beside the folder while the copy was made: %v; want %v", midway, want)
	}
	if exists(backup + ".partial") {
		t.Errorf("the unfinished copy is left once whole")
	}
	if said := UnfinishedBackups(dir); len(said) != 0 {
		t.Errorf("UnfinishedBackups with none: %v", said)
	}

	// What a killed reset left is said, with how to remove it.
	left := dir + ".bak-20261204-235000.partial"
	if err := os.Mkdir(left, 0o755); err != nil {
		t.Fatal(err)
	}
	said := UnfinishedBackups(dir)
	if len(said) != 1 || !strings.Contains(said[0], left+" is an unfinished copy of your workspace, left by a reset that was stopped while it copied") || !strings.Contains(said[0], "your files are still in "+dir) || !strings.Contains(said[0], "`rm -rf "+left+"`") {
		t.Errorf("UnfinishedBackups = %q", said)
	}
}

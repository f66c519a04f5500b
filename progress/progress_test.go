package progress

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/internal/fifotest"
	"github.com/dockdojo/dockdojo/internal/regfile"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dockdojo", "progress.json")
	s, notice, err := Load(path)
	if err != nil || notice != "" {
		t.Fatalf("Load of a missing file = %q, %v; want empty state", notice, err)
	}
	passed := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	s.Exercise("first-run/publish-page").Hints = 2
	s.Exercise("first-run/publish-page").Passed = passed
	if err := s.Save(path); err != nil {
		t.Fatal(err)
	}
	got, _, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	e := got.Exercises["first-run/publish-page"]
	if e == nil || e.Hints != 2 || !e.Passed.Equal(passed) || !e.Done() {
		t.Fatalf("round trip lost data: %+v", e)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("save left temporary files behind: %v", entries)
	}
}

func TestCorruptFileIsSetAside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "progress.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, notice, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Exercises) != 0 {
		t.Errorf("a corrupt file gave progress: %+v", s.Exercises)
	}
	if !strings.Contains(notice, "corrupt-") {
		t.Errorf("notice does not say where the old file went: %q", notice)
	}
	matches, _ := filepath.Glob(path + ".corrupt-*")
	if len(matches) != 1 {
		t.Fatalf("corrupt file not kept: %v", matches)
	}
	if data, _ := os.ReadFile(matches[0]); string(data) != "{not json" {
		t.Errorf("kept file changed: %q", data)
	}
}

// TestHandEditedValues: what dockdojo never writes (a count below zero,
// an entry of null) is read as zero and as nothing, and the rest stands.
func TestHandEditedValues(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	const file = `{"version": 1, "exercises": {"a/b": {"hints": -5, "checks": -1, "passed": "2026-11-27T10:00:00Z"}, "a/c": null}, "quizzes": {"a/q": null}}`
	if err := os.WriteFile(path, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	s, notice, err := Load(path)
	if err != nil || notice != "" {
		t.Fatalf("Load = %q, %v", notice, err)
	}
	if e := s.Exercises["a/b"]; e == nil || e.Hints != 0 || e.Checks != 0 || !e.Done() {
		t.Errorf("a/b = %+v; want no hints, no checks, passed", e)
	}
	if _, ok := s.Exercises["a/c"]; ok {
		t.Errorf("a null exercise was kept")
	}
	if _, ok := s.Quizzes["a/q"]; ok {
		t.Errorf("a null quiz was kept")
	}
}

func TestNewerFormatIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	if err := os.WriteFile(path, []byte(`{"version": 99}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Load(path); err == nil || !strings.Contains(err.Error(), "upgrade dockdojo") {
		t.Fatalf("Load = %v; want an error asking to upgrade", err)
	}
	if data, _ := os.ReadFile(path); string(data) != `{"version": 99}` {
		t.Errorf("newer file was changed: %q", data)
	}
}

func TestPath(t *testing.T) {
	env := map[string]string{"XDG_STATE_HOME": "/state"}
	if got := Path(func(k string) string { return env[k] }, "/home/a"); got != "/state/dockdojo/progress.json" {
		t.Errorf("Path with XDG_STATE_HOME = %s", got)
	}
	if got := Path(func(string) string { return "" }, "/home/a"); got != "/home/a/.local/state/dockdojo/progress.json" {
		t.Errorf("Path default = %s", got)
	}
}

// TestConcurrentUpdatesLoseNothing is watch in one terminal and check in
// another, twenty times over: every update must be in the file.
func TestConcurrentUpdatesLoseNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dockdojo", "progress.json")
	const n = 20
	errs := make(chan error, n)
	for i := range n {
		go func() {
			_, err := Update(path, func(s *State) {
				s.Exercise(fmt.Sprintf("lesson/ex-%d", i)).Passed = time.Now().UTC()
				s.Exercise("lesson/shared").Checks++
			})
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	s, _, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if !s.Exercises[fmt.Sprintf("lesson/ex-%d", i)].Done() {
			t.Errorf("the pass of lesson/ex-%d was lost", i)
		}
	}
	if got := s.Exercises["lesson/shared"].Checks; got != n {
		t.Errorf("lesson/shared was checked %d times, recorded %d", n, got)
	}
}

// TestCorruptCopiesAreUnique: two corruptions in one second keep both copies.
func TestCorruptCopiesAreUnique(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	for _, junk := range []string{"{first", "{second"} {
		if err := os.WriteFile(path, []byte(junk), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, notice, err := Load(path); err != nil || notice == "" {
			t.Fatalf("Load = %q, %v; want a notice", notice, err)
		}
	}
	matches, _ := filepath.Glob(path + ".corrupt-*")
	if len(matches) != 2 {
		t.Fatalf("want both corrupt copies kept, found %v", matches)
	}
}

// TestUnknownFieldsAreKept: a file written by a newer dockdojo, with
// fields this build does not know at every level, goes through an update
// by this build with those fields as they were.
func TestUnknownFieldsAreKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	newer := `{"version": 1, "future": {"theme": "dark"},
	  "exercises": {"first-run/publish-page": {"hints": 1, "newthing": 3, "notes": ["a", "b"]}},
	  "quizzes": {"first-run/q": {"answered": "2026-11-27T10:05:00Z", "correct": true, "streak": 4}}}`
	if err := os.WriteFile(path, []byte(newer), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Update(path, func(s *State) { s.Exercise("first-run/publish-page").Hints++ }); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	ex := got["exercises"].(map[string]any)["first-run/publish-page"].(map[string]any)
	q := got["quizzes"].(map[string]any)["first-run/q"].(map[string]any)
	if fmt.Sprint(got["future"]) != "map[theme:dark]" || ex["newthing"] != 3.0 || fmt.Sprint(ex["notes"]) != "[a b]" || q["streak"] != 4.0 {
		t.Errorf("a newer dockdojo's fields were lost in the write:\n%s", data)
	}
	if ex["hints"] != 2.0 {
		t.Errorf("the update itself was lost: hints = %v\n%s", ex["hints"], data)
	}
}

// TestANamedPipeIsRefusedAtOnce: a named pipe where the progress file or
// the lock beside it goes is refused at once, saying what it is and how to
// move it away, and left where it is; a plain open of either waited for a
// writer forever, past Ctrl-C.
func TestANamedPipeIsRefusedAtOnce(t *testing.T) {
	for _, tc := range []struct{ name, suffix, want string }{
		{"progress.json", "", "progress P is a named pipe, not a file: move it away (`mv 'P' 'P.old'`)"},
		{"progress.json.lock", ".lock", "save progress: lock file P.lock is a named pipe, not a file: move it away (`mv 'P.lock' 'P.lock.old'`) and run again"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A folder with a space: the command to move it away must
			// still work when pasted.
			path := filepath.Join(t.TempDir(), "my state", "progress.json")
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			fifotest.Make(t, path+tc.suffix)
			done := make(chan error, 1)
			go func() {
				_, err := Update(path, func(s *State) { s.Exercises["a/b"] = &Exercise{Checks: 1} })
				done <- err
			}()
			select {
			case err := <-done:
				if want := strings.ReplaceAll(tc.want, "P", path); err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("Update = %v; want an error saying %q", err, want)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("Update waited on a named pipe where %s goes", tc.name)
			}
			if info, err := os.Lstat(path + tc.suffix); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
				t.Errorf("the pipe after Update: %v, %v; want it left where it was", info, err)
			}
		})
	}
}

// TestAFileWhereTheStateFolderGoes: a file where the progress file's
// folder goes is named, with how to move it away, when the progress is
// read and when it is saved; mkdir and open said only "not a directory",
// and the learner was told to free disk space. The file is kept.
func TestAFileWhereTheStateFolderGoes(t *testing.T) {
	state := filepath.Join(t.TempDir(), "dockdojo")
	if err := os.WriteFile(state, []byte("my notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(state, "progress.json")
	want := "state folder " + state + " is a file, not a folder: move it away (`mv " + state + " " + state + ".old`) and run again"
	_, _, loadErr := Load(path)
	_, updateErr := Update(path, func(s *State) { s.Exercise("a/b").Hints++ })
	saveErr := emptyState().Save(path)
	for name, err := range map[string]error{"Load": loadErr, "Update": updateErr, "Save": saveErr} {
		var nf *regfile.NotFolderError
		if !errors.As(err, &nf) || err.Error() != want {
			t.Errorf("%s = %v; want %q", name, err, want)
		}
	}
	if data, _ := os.ReadFile(state); string(data) != "my notes\n" {
		t.Errorf("the file in the way was changed: %q", data)
	}
}

// TestALinkedProgressFileStaysALink: a learner who keeps progress.json in
// a dotfiles repository and links it into the state folder keeps the
// link: saving writes the file it leads to (atomically, beside it), even
// before that file is there, rather than replacing the link by a file. A
// corrupt file is set aside beside the file the link leads to, and the
// link is written through again.
func TestALinkedProgressFileStaysALink(t *testing.T) {
	for _, tc := range []struct{ name, seed string }{
		{"to a file", `{"version": 1, "exercises": {"a/old": {"hints": 1}}}`},
		{"to a file not there yet", ""},
		{"to a corrupt file", "{not json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			dotfiles, state := filepath.Join(dir, "dotfiles"), filepath.Join(dir, "state")
			for _, d := range []string{dotfiles, state} {
				if err := os.Mkdir(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			real, path := filepath.Join(dotfiles, "progress.json"), filepath.Join(state, "progress.json")
			if tc.seed != "" {
				if err := os.WriteFile(real, []byte(tc.seed), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Symlink("../dotfiles/progress.json", path); err != nil {
				t.Fatal(err)
			}
			if _, err := Update(path, func(s *State) { s.Exercise("a/new").Hints = 2 }); err != nil {
				t.Fatal(err)
			}
			if link, err := os.Readlink(path); err != nil || link != "../dotfiles/progress.json" {
				t.Fatalf("after a save, %s: link %q, %v; want the learner's link kept", path, link, err)
			}
			s, err := read(real)
			if err != nil || s.Exercises["a/new"].Hints != 2 || strings.HasPrefix(tc.seed, `{"version"`) != (s.Exercises["a/old"] != nil) {
				t.Fatalf("the file the link leads to: %+v, %v; want the save in it", s, err)
			}
			if aside, _ := filepath.Glob(real + ".corrupt-*"); (tc.seed == "{not json") != (len(aside) == 1) {
				t.Errorf("corrupt copies beside the file the link leads to: %v", aside)
			}
			if left, _ := filepath.Glob(filepath.Join(dotfiles, ".progress-*")); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

// TestAByteOrderMarkIsRead: a progress file edited in an editor that
// starts it with a UTF-8 byte order mark (Notepad) is read as it is, not
// set aside as corrupt.
func TestAByteOrderMarkIsRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	data := "\ufeff" + `{"version": 1, "exercises": {"first-run/publish-page": {"hints": 2}}}`
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	s, notice, err := Load(path)
	if err != nil || notice != "" || s.Exercises["first-run/publish-page"].Hints != 2 {
		t.Fatalf("Load = %+v, %q, %v; want the file read with its 2 hints", s, notice, err)
	}
	if aside, _ := filepath.Glob(path + ".corrupt-*"); len(aside) > 0 {
		t.Errorf("set aside: %v", aside)
	}
}

// TestEachCauseHasItsRemedy: a progress file that cannot be read or saved
// says what to do for its own cause, once: what is not a file is moved
// away, a newer format wants an upgrade, and only the disk's own errors
// get advice about the disk, each its own.
func TestEachCauseHasItsRemedy(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "progress.json")
	mv := "move it away (`mv " + path + " " + path + ".old`) and dockdojo starts a new progress file there"
	for _, tc := range []struct {
		name string
		make func() error
		want string
	}{
		{"a folder", func() error { return os.Mkdir(path, 0o755) }, "progress " + path + " is a folder, not a file: " + mv},
		{"a link to a folder", func() error { return os.Symlink(dir, path) }, "progress " + path + " is a link to a folder, not a file: " + mv},
		{"a link loop", func() error { return os.Symlink("progress.json", path) }, "progress " + path + " is a link that leads round in a loop, not a file: " + mv},
		{"a newer format", func() error { return os.WriteFile(path, []byte(`{"version": 2, "exercises": {}}`), 0o644) },
			"progress " + path + " was written by a newer dockdojo (format 2); upgrade dockdojo to keep using it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.make(); err != nil {
				t.Fatal(err)
			}
			defer os.Remove(path)
			_, err := Update(path, func(s *State) { s.Exercise("a/b").Hints++ })
			if err == nil || err.Error() != tc.want {
				t.Errorf("Update = %v\nwant    %s", err, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		op   string
		err  error
		want string
	}{
		{"save", syscall.ENOSPC, "free some disk space where " + dir + " is"},
		{"save", syscall.EROFS, dir + " is on a read-only disk: make that disk writable, or set XDG_STATE_HOME to a folder you can write in"},
		{"save", syscall.EACCES, "make the folder " + dir + " writable to you"},
		{"read", syscall.EACCES, "make " + path + " readable to you"},
		{"save", syscall.EIO, "free some disk space or make the folder " + dir + " writable to you"},
	} {
		err := &DiskError{Op: tc.op, Path: path, Err: &fs.PathError{Op: "open", Path: path, Err: tc.err}}
		if got := err.Remedy(); got != tc.want {
			t.Errorf("%s, %v: remedy %q; want %q", tc.op, tc.err, got, tc.want)
		}
		if msg := err.Error(); strings.Count(msg, tc.want) != 1 {
			t.Errorf("%s, %v: %q; want the remedy once", tc.op, tc.err, msg)
		}
	}
}

// TestABadEntryIsLeftOutAlone: one exercise's entry that cannot be read
// (a "passed" that is no time) is left out alone, said with its key, its
// field and what was expected there; the rest of the progress stands, and
// the file as it was is kept aside, with how to get the entry back.
func TestABadEntryIsLeftOutAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	data := `{"version": 1, "exercises": {"first-run/publish-page": {"passed": "not a date"}, "first-run/inside-the-box": {"hints": 2}}, "quizzes": {"a/q": {"correct": true}}}`
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	s, notice, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Exercises["first-run/inside-the-box"].Hints != 2 || !s.Quizzes["a/q"].Correct || s.Exercises["first-run/publish-page"] != nil {
		t.Errorf("Load = %+v; want the good entries and not the bad one", s)
	}
	aside, _ := filepath.Glob(path + ".corrupt-*")
	if len(aside) != 1 {
		t.Fatalf("kept aside: %v; want the file as it was", aside)
	}
	if kept, _ := os.ReadFile(aside[0]); string(kept) != data {
		t.Errorf("kept aside: %s; want the file as it was", kept)
	}
	for _, want := range []string{
		`exercise "first-run/publish-page": its field "passed" is "not a date", not a time such as "2026-11-27T10:00:00Z"`,
		"That entry was left out and the rest of your progress kept; the file as it was is kept as " + aside[0],
		"fix it in that file and move the file back (`mv " + aside[0] + " " + path + "`)",
	} {
		if !strings.Contains(notice, want) {
			t.Errorf("notice %q\nwant it to say %q", notice, want)
		}
	}
	if strings.Contains(notice, "2006-01-02") || strings.Contains(notice, "Go value") {
		t.Errorf("notice %q speaks of Go", notice)
	}
	// The rest is saved: the next load says nothing.
	if s, notice, err := Load(path); err != nil || notice != "" || s.Exercises["first-run/inside-the-box"].Hints != 2 {
		t.Errorf("the next Load = %+v, %q, %v; want the rest, quietly", s, notice, err)
	}
}

// TestCorruptSaysWhereAndHow: a file that is no progress file as a whole
// is set aside whole, said with where it goes wrong and what was
// expected, in the learner's words, and how to get it back.
func TestCorruptSaysWhereAndHow(t *testing.T) {
	for _, tc := range []struct{ data, want string }{
		{`[1,2,3]`, `it is a list, not an object ({"version": 1, "exercises": {…}})`},
		{"{\"version\": 1,\n  \"exercises\": {\"a/b\": {\"hints\": 1,}}}", "it is not JSON from line 2, column 36: invalid character '}'"},
		{`{"version": "1"}`, `its "version" is "1", not a whole number from 1 up`},
		{`{"version": 1, "exercises": [1]}`, `its "exercises" is a list, not an object of exercise entries`},
		{`{"exercises": {}}`, `it has no "version"`},
	} {
		path := filepath.Join(t.TempDir(), "progress.json")
		if err := os.WriteFile(path, []byte(tc.data), 0o644); err != nil {
			t.Fatal(err)
		}
		s, notice, err := Load(path)
		if err != nil || len(s.Exercises) != 0 {
			t.Fatalf("Load(%s) = %+v, %v; want an empty state", tc.data, s, err)
		}
		aside, _ := filepath.Glob(path + ".corrupt-*")
		if len(aside) != 1 {
			t.Fatalf("%s: kept aside %v", tc.data, aside)
		}
		for _, want := range []string{"could not be read (" + tc.want, "kept as " + aside[0], "fix the file there and move it back (`mv " + aside[0] + " " + path + "`)"} {
			if !strings.Contains(notice, want) {
				t.Errorf("notice %q\nwant it to say %q", notice, want)
			}
		}
		if strings.Contains(notice, "Go value") || strings.Contains(notice, "plain") {
			t.Errorf("notice %q speaks of Go", notice)
		}
	}
}

// TestATooLargeFileIsNotRead: a progress file far larger than dockdojo
// writes (100 MiB took seconds and a GiB of memory to read) is not read:
// its size is said, it is kept aside as a damaged one is, with how to look
// at it and get it back, before any of it is parsed.
func TestATooLargeFileIsNotRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	// A valid progress file, only far too large.
	data := `{"version": 1, "exercises": {"a/b": {"hints": 1}}, "padding": "` + strings.Repeat("x", 5<<20) + `"}`
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	s, notice, err := Load(path)
	if err != nil || s == nil || len(s.Exercises) != 0 || len(s.Unknown) != 0 {
		t.Fatalf("Load: an error %v, or a state that is not empty; want an empty state", err)
	}
	aside, _ := filepath.Glob(path + ".corrupt-*")
	if len(aside) != 1 {
		t.Fatalf("kept aside: %v", aside)
	}
	for _, want := range []string{
		"progress file " + path + " was not read: it is 5.0 MiB, more than the 4 MiB a progress file may be",
		"It was kept as " + aside[0],
		"See what it holds with `head -c 2000 " + aside[0] + "`",
		"make it smaller than 4 MiB (keep its \"version\", \"exercises\" and \"quizzes\") and move it back (`mv " + aside[0] + " " + path + "`)",
	} {
		if !strings.Contains(notice, want) {
			t.Errorf("notice %q\nwant it to say %q", notice, want)
		}
	}
}

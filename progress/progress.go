// Package progress owns the learner's progress file: what was started,
// checked, hinted, solved and answered. It survives restarts, is written
// atomically, and a file that cannot be read is set aside, never reset
// silently.
//
// The file is JSON, at $XDG_STATE_HOME/dockdojo/progress.json (by default
// ~/.local/state/dockdojo/progress.json):
//
//	{
//	  "version": 1,
//	  "exercises": {
//	    "first-run/publish-page": {
//	      "started": "2026-11-27T10:00:00Z", // last start
//	      "run": "4f1c9a2b",                 // run id of the sandbox of that start: this learner's, not another's of the engine
//	      "hints": 2,                        // hints shown so far
//	      "checks": 3,                       // times checked
//	      "passed": "2026-11-27T10:12:00Z",  // first pass; absent until then
//	      "solution_seen": true
//	    }
//	  },
//	  "quizzes": {
//	    "first-run/publish-meaning": {
//	      "answered": "2026-11-27T10:05:00Z", // last answer
//	      "correct": true,                    // whether the last answer was right
//	      "attempts": 2                       // answers given so far; absent in files before it was added
//	    }
//	  }
//	}
//
// Fields are only ever added, with omitempty, so an older file reads as
// before, and an older dockdojo keeps what it does not know as it was and
// writes it back (see Unknown); version goes up only when a field changes
// meaning.
package progress

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/dockdojo/dockdojo/internal/regfile"
	"github.com/dockdojo/dockdojo/internal/shellquote"
)

// Version is the version of the file format written by this build.
const Version = 1

// State is the whole progress file.
type State struct {
	Version   int                  `json:"version"`
	Exercises map[string]*Exercise `json:"exercises"`
	Quizzes   map[string]*Quiz     `json:"quizzes,omitempty"`
	Unknown   Unknown              `json:"-"` // fields of a newer dockdojo, kept
}

// Exercise is the progress of one exercise, keyed by "lesson/exercise".
type Exercise struct {
	Started      time.Time `json:"started,omitzero"`
	Run          string    `json:"run,omitempty"`
	Hints        int       `json:"hints,omitempty"`
	Checks       int       `json:"checks,omitempty"`
	Passed       time.Time `json:"passed,omitzero"`
	SolutionSeen bool      `json:"solution_seen,omitempty"`
	Unknown      Unknown   `json:"-"` // fields of a newer dockdojo, kept
}

// Done reports whether the exercise has passed its checks once.
func (e *Exercise) Done() bool { return e != nil && !e.Passed.IsZero() }

// Quiz is the progress of one quiz, keyed by "lesson/quiz".
type Quiz struct {
	Answered time.Time `json:"answered"`
	Correct  bool      `json:"correct"`
	Attempts int       `json:"attempts,omitempty"`
	Unknown  Unknown   `json:"-"` // fields of a newer dockdojo, kept
}

// Answer records an answer given now.
func (s *State) Answer(key string, correct bool) {
	q := s.Quizzes[key]
	if q == nil {
		q = &Quiz{}
		s.Quizzes[key] = q
	}
	q.Answered, q.Correct = time.Now().UTC(), correct
	q.Attempts++
}

// LastStarted is the key of the exercise started most recently, or "".
func (s *State) LastStarted() string {
	var key string
	var at time.Time
	for _, k := range slices.Sorted(maps.Keys(s.Exercises)) {
		if e := s.Exercises[k]; e != nil && e.Started.After(at) {
			key, at = k, e.Started
		}
	}
	return key
}

// Path is where the progress file lives: $XDG_STATE_HOME/dockdojo, else
// ~/.local/state/dockdojo.
func Path(getenv func(string) string, home string) string {
	dir := getenv("XDG_STATE_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "dockdojo", "progress.json")
}

// Load reads the progress file. A missing file is an empty state. A file
// that cannot be understood is renamed to progress.json.corrupt-TIMESTAMP and
// an empty state is returned with a notice saying where it went wrong,
// where the old one went and how to get it back. Entries of exercises or
// quizzes that cannot be read are left out alone: the file is kept aside
// all the same, the rest of it written in its place and returned.
func Load(path string) (s *State, notice string, err error) {
	s, err = read(path)
	if !errors.Is(err, errCorrupt) {
		return s, "", err
	}
	// Set the file aside under the lock, after reading it again: another
	// command may have replaced it meanwhile.
	unlock, err := lock(path)
	if err != nil {
		return nil, "", err
	}
	defer unlock()
	return load(path)
}

// errCorrupt is returned by read for a file that cannot be understood.
var errCorrupt = errors.New("corrupt progress file")

// load reads the progress file and sets it aside when it cannot be
// understood; the caller holds the lock.
func load(path string) (*State, string, error) {
	s, err := read(path)
	var c corruptError
	switch {
	case errors.As(err, &c) && c.partial != nil:
		return leaveOut(path, c.partial, c.bad)
	case errors.As(err, &c) && c.tooBig:
		aside, err := setAside(path, c.why)
		if err != nil {
			return nil, "", err
		}
		return emptyState(), fmt.Sprintf("progress file %s was not read: %s. It was kept as %s and progress starts afresh. See what it holds with `head -c 2000 %s`; if it holds your progress, make it smaller than %d MiB (keep its \"version\", \"exercises\" and \"quizzes\") and move it back (`mv %s %s`)", path, c.why, aside, shellquote.Quote(aside), MaxSize>>20, shellquote.Quote(aside), shellquote.Quote(path)), nil
	case errors.As(err, &c):
		aside, err := setAside(path, c.why)
		if err != nil {
			return nil, "", err
		}
		return emptyState(), fmt.Sprintf("progress file %s could not be read (%s); it was kept as %s and progress starts afresh. To get your progress back, fix the file there and move it back (`mv %s %s`)", path, c.why, aside, shellquote.Quote(aside), shellquote.Quote(path)), nil
	}
	return s, "", err
}

// corruptError is a progress file that cannot be read whole: why says
// what is wrong and where. When it is only some entries, partial is the
// rest of the file, read, and bad says what was left out.
type corruptError struct {
	why     string
	tooBig  bool // over MaxSize, not read
	partial *State
	bad     []badEntry
}

func (e corruptError) Error() string        { return e.why }
func (e corruptError) Is(target error) bool { return target == errCorrupt }

func emptyState() *State {
	return &State{Version: Version, Exercises: map[string]*Exercise{}, Quizzes: map[string]*Quiz{}}
}

// read reads the progress file; a file that cannot be understood is a
// corruptError.
func read(path string) (*State, error) {
	data, err := readAtMost(path, MaxSize)
	var big *tooBigError
	if errors.As(err, &big) {
		return nil, corruptError{why: big.Error(), tooBig: true}
	}
	if errors.Is(err, fs.ErrNotExist) {
		return emptyState(), nil
	}
	var notFile *regfile.NotRegularError
	if errors.As(err, &notFile) {
		what := regfile.Kind(notFile.Mode)
		if info, lerr := os.Lstat(path); lerr == nil && info.Mode()&fs.ModeSymlink != 0 {
			what = "a link to " + what
		}
		return nil, &NotAFileError{Path: path, What: what}
	}
	if errors.Is(err, syscall.ELOOP) {
		return nil, &NotAFileError{Path: path, What: "a link that leads round in a loop"}
	}
	if err != nil {
		return nil, inTheWay(path, &DiskError{Op: "read", Path: path, Err: err})
	}
	// An editor on Windows may start the file with a byte order mark,
	// which JSON does not allow; the rest is the file as it was.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	loaded, bad, err := decode(path, data)
	if err != nil {
		return nil, err
	}
	if len(bad) > 0 {
		err = corruptError{why: "", partial: loaded, bad: bad}
	}
	// A hand-edited file may hold what dockdojo never writes: an entry of
	// null, a count below zero. They are read as nothing and as zero; the
	// rest of the file stands.
	for key, e := range loaded.Exercises {
		if e == nil {
			delete(loaded.Exercises, key)
			continue
		}
		e.Hints, e.Checks = max(e.Hints, 0), max(e.Checks, 0)
	}
	for key, q := range loaded.Quizzes {
		if q == nil {
			delete(loaded.Quizzes, key)
		}
	}
	return loaded, err
}

// leaveOut keeps the progress file at path as it was aside, and writes s,
// the rest of it, in its place, saying what was left out and how to get
// it back.
func leaveOut(path string, s *State, bad []badEntry) (*State, string, error) {
	var problems []string
	for _, b := range bad {
		problems = append(problems, b.String())
	}
	why := strings.Join(problems, "; ")
	aside, err := setAside(path, why)
	if err != nil {
		return nil, "", err
	}
	if err := s.Save(path); err != nil {
		// The file stays as it was: the next command reads it again.
		_ = os.Rename(aside, linkTarget(path))
		return nil, "", err
	}
	what, was := "that entry", "was"
	if len(bad) > 1 {
		what, was = "those entries", "were"
	}
	return s, fmt.Sprintf("progress file %s: %s. %s %s left out and the rest of your progress kept; the file as it was is kept as %s. To get %s back, fix it in that file and move the file back (`mv %s %s`)", path, why, strings.ToUpper(what[:1])+what[1:], was, aside, what, shellquote.Quote(aside), shellquote.Quote(path)), nil
}

// setAside renames the progress file at path, which cannot be read (why),
// to a name of its own beside it, and returns that name.
func setAside(path string, why string) (string, error) {
	// Beside the file a link leads to, and not the link: the next save
	// writes through the learner's link again.
	file := linkTarget(path)
	// The name is unique: two corruptions in one second keep both copies.
	stamp := time.Now().UTC().Format("20060102T150405.000000000Z")
	aside := fmt.Sprintf("%s.corrupt-%s", file, stamp)
	for i := 2; ; i++ {
		if _, err := os.Lstat(aside); errors.Is(err, fs.ErrNotExist) {
			break
		}
		aside = fmt.Sprintf("%s.corrupt-%s-%d", file, stamp, i)
	}
	if err := os.Rename(file, aside); err != nil {
		return "", &DiskError{Op: "set aside", Path: path, Err: fmt.Errorf("it cannot be read (%s) nor set aside: %w", why, err)}
	}
	return aside, nil
}

// MaxSize is the largest progress file read. dockdojo writes a few KiB (a
// course of hundreds of exercises, some tens); a file far larger is not
// one it wrote, and reading it whole would take seconds and much memory
// for every command.
const MaxSize = 4 << 20

// tooBigError is a progress file over MaxSize.
type tooBigError struct{ size int64 }

func (e *tooBigError) Error() string {
	return fmt.Sprintf("it is %.1f MiB, more than the %d MiB a progress file may be (dockdojo's own are a few KiB)", float64(e.size)/(1<<20), MaxSize>>20)
}

// readAtMost reads the regular file name whole, unless it is over limit
// bytes: then a *tooBigError, found before any of it is read.
func readAtMost(name string, limit int64) ([]byte, error) {
	f, err := regfile.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.Size() > limit {
		return nil, &tooBigError{info.Size()}
	}
	// It may grow as it is read.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err == nil && int64(len(data)) > limit {
		return nil, &tooBigError{int64(len(data))}
	}
	return data, err
}

// Save writes the state atomically: to a temporary file beside it, synced,
// then renamed over the old one, so a crash leaves the old file or the new.
// A progress file that is a link (the learner keeps it in a dotfiles
// repository) stays a link: the file it leads to is the one written, its
// temporary file beside it.
func (s *State) Save(path string) error {
	s.Version = Version
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	file := linkTarget(path)
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return inTheWay(file, &DiskError{Op: "save", Path: file, Err: err})
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".progress-*.json")
	if err != nil {
		return inTheWay(file, &DiskError{Op: "save", Path: file, Err: err})
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return &DiskError{Op: "save", Path: file, Err: err}
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return &DiskError{Op: "save", Path: file, Err: err}
	}
	if err := tmp.Close(); err != nil {
		return &DiskError{Op: "save", Path: file, Err: err}
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return &DiskError{Op: "save", Path: file, Err: err}
	}
	return nil
}

// linkTarget is the file a link at path leads to, resolved once, even
// when that file is not there yet; path itself when it is no link.
func linkTarget(path string) string {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		return real
	}
	dest, err := os.Readlink(path)
	if err != nil {
		return path
	}
	if !filepath.IsAbs(dest) {
		dest = filepath.Join(filepath.Dir(path), dest)
	}
	return dest
}

// Exercise returns the progress of key, creating it.
func (s *State) Exercise(key string) *Exercise {
	e := s.Exercises[key]
	if e == nil {
		e = &Exercise{}
		s.Exercises[key] = e
	}
	return e
}

// lockWait bounds how long a command waits for another one to finish its
// write: writes take milliseconds, so a lock held longer is a process that
// hangs, and the learner is told rather than kept waiting.
const lockWait = 10 * time.Second

// Update loads the file at path, applies change and saves it, holding a lock
// beside the file (path + ".lock") from the read to the rename, so that
// commands run at the same time (watch in one terminal, check in another)
// never lose each other's writes.
func Update(path string, change func(*State)) (notice string, err error) {
	unlock, err := lock(path)
	if err != nil {
		return "", err
	}
	defer unlock()
	s, notice, err := load(path)
	if err != nil {
		return "", err
	}
	change(s)
	return notice, s.Save(path)
}

// lock takes the file lock of the progress file at path.
func lock(path string) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, inTheWay(path, &DiskError{Op: "save", Path: path, Err: err})
	}
	l := regfile.NewLock(path+".lock", 0o644)
	ctx, cancel := context.WithTimeout(context.Background(), lockWait)
	defer cancel()
	ok, err := l.TryLockContext(ctx, 10*time.Millisecond)
	var notFile *regfile.LockError
	switch {
	case errors.As(err, &notFile):
		return nil, fmt.Errorf("save progress: %w", err)
	case err != nil && !ok && ctx.Err() != nil:
		return nil, fmt.Errorf("save progress: another dockdojo has held %s.lock for %s; if none is running, remove that file", path, lockWait)
	case err != nil:
		return nil, &DiskError{Op: "save", Path: path, Err: fmt.Errorf("lock %s.lock: %w", path, err)}
	}
	return func() { _ = l.Unlock() }, nil
}

// inTheWay is err, unless a file stands where the folder of the progress
// file at path should be: then that file, named with how to move it away,
// as mkdir and open say only "not a directory".
func inTheWay(path string, err error) error {
	if nf := regfile.InTheWay("state folder", filepath.Dir(path)); nf != nil {
		return nf
	}
	return err
}

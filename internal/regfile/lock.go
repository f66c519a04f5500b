package regfile

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/gofrs/flock"

	"github.com/dockdojo/dockdojo/internal/shellquote"
)

// Lock is a file lock held across processes (the progress file's, a
// start's, a classroom data folder's, a self-test's on an engine). A
// plain lock opens its file with a blocking open, so a named pipe at its
// path kept the command waiting for a writer forever, past Ctrl-C. Its
// file is opened here without waiting, and anything at its path that is
// not a regular file is refused at once with a *LockError.
type Lock struct {
	f *flock.Flock
}

// NewLock is the lock of the file at path, made with perm if it is not
// there. It is opened read-only, so that a lock file another user made
// can be taken.
func NewLock(path string, perm fs.FileMode) *Lock {
	return &Lock{f: flock.New(path, flock.SetFlag(os.O_CREATE|os.O_RDONLY|nonblock), flock.SetPermissions(perm))}
}

// Path is the path of the lock file.
func (l *Lock) Path() string { return l.f.Path() }

// TryLock takes the lock if no one holds it, and says whether it did.
func (l *Lock) TryLock() (bool, error) { return l.taken(l.f.TryLock()) }

// TryLockContext takes the lock, trying every retry until ctx ends.
func (l *Lock) TryLockContext(ctx context.Context, retry time.Duration) (bool, error) {
	return l.taken(l.f.TryLockContext(ctx, retry))
}

// Unlock gives the lock back.
func (l *Lock) Unlock() error { return l.f.Unlock() }

// taken checks a lock just tried: one taken on something that is not a
// regular file is given back, and one that could not be opened because
// of what is there is refused, saying what it is.
func (l *Lock) taken(ok bool, err error) (bool, error) {
	if err != nil {
		if info, statErr := os.Lstat(l.Path()); statErr == nil && !info.Mode().IsRegular() {
			return false, &LockError{NotRegularError{Name: l.Path(), Mode: info.Mode()}}
		}
		return false, err
	}
	if !ok {
		return false, nil
	}
	info, err := l.f.Stat()
	if err == nil && info.Mode().IsRegular() {
		return true, nil
	}
	_ = l.f.Unlock()
	if err != nil {
		return false, err
	}
	return false, &LockError{NotRegularError{Name: l.Path(), Mode: info.Mode()}}
}

// LockError is a lock file that is not a regular file. Its message says
// how to move it away, in a command that can be pasted into a shell.
type LockError struct {
	NotRegularError
}

func (e *LockError) Error() string {
	return fmt.Sprintf("lock file %s is %s, not a file: move it away (`mv %s %s`) and run again", e.Name, Kind(e.Mode), shellquote.Quote(e.Name), shellquote.Quote(e.Name+".old"))
}

// Unwrap makes a LockError a *NotRegularError to errors.As.
func (e *LockError) Unwrap() error { return &e.NotRegularError }

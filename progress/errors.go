package progress

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"syscall"

	"github.com/dockdojo/dockdojo/internal/shellquote"
)

// Every error the progress file gives says what went wrong and what to do
// about it, in its own message: a file that is not a file wants moving
// away, a newer format an upgrade, and only a disk that is full or cannot
// be written advice about the disk.

// NotAFileError is something other than a file where the progress file
// goes: a folder, a link to a folder, a link that leads round in a loop, a
// named pipe. It is left as it is.
type NotAFileError struct {
	Path string
	What string // "a folder", "a link to a folder", "a link that leads round in a loop"
}

func (e *NotAFileError) Error() string {
	return fmt.Sprintf("progress %s is %s, not a file: move it away (`mv %s %s`) and dockdojo starts a new progress file there", e.Path, e.What, shellquote.Quote(e.Path), shellquote.Quote(e.Path+".old"))
}

// NewerError is a progress file written by a newer dockdojo, in a format
// this one cannot read. It is left as it is.
type NewerError struct {
	Path    string
	Version int
}

func (e *NewerError) Error() string {
	return fmt.Sprintf("progress %s was written by a newer dockdojo (format %d); upgrade dockdojo to keep using it", e.Path, e.Version)
}

// DiskError is the progress file that could not be read, written or set
// aside for a reason of the disk: full, read-only, or a folder the learner
// may not write in. Its message ends with the remedy for that reason.
type DiskError struct {
	Op   string // "read", "save", "set aside"
	Path string // the progress file
	Err  error
}

func (e *DiskError) Error() string {
	return fmt.Sprintf("%s progress %s: %v: %s", e.Op, e.Path, e.Err, e.Remedy())
}

func (e *DiskError) Unwrap() error { return e.Err }

// Remedy says what to do, for the reason the disk gave.
func (e *DiskError) Remedy() string {
	dir := filepath.Dir(e.Path)
	switch {
	case errors.Is(e.Err, syscall.ENOSPC), errors.Is(e.Err, syscall.EDQUOT):
		return "free some disk space where " + dir + " is"
	case errors.Is(e.Err, syscall.EROFS):
		return dir + " is on a read-only disk: make that disk writable, or set XDG_STATE_HOME to a folder you can write in"
	case errors.Is(e.Err, fs.ErrPermission) && e.Op == "read":
		return "make " + e.Path + " readable to you"
	case errors.Is(e.Err, fs.ErrPermission):
		return "make the folder " + dir + " writable to you"
	}
	return "free some disk space or make the folder " + dir + " writable to you"
}

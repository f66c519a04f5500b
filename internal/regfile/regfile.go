// Package regfile opens files that must be regular files without ever
// waiting on them. The sandbox of an exercise writes into the learner's
// workspace, and a named pipe it leaves where a file is expected blocks a
// plain open until something writes to the pipe: forever, and past Ctrl-C.
// Opened here, such a file (a pipe, a socket, a device, a folder) is
// refused at once with a *NotRegularError.
package regfile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// NotRegularError is a path that holds something other than a regular
// file.
type NotRegularError struct {
	Name string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a file", e.Name, Kind(e.Mode))
}

// Kind names what a file of this mode is, as a learner would say it.
func Kind(m fs.FileMode) string {
	switch t := m.Type(); {
	case t&fs.ModeDir != 0:
		return "a folder"
	case t&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case t&fs.ModeSocket != 0:
		return "a socket"
	case t&fs.ModeDevice != 0, t&fs.ModeCharDevice != 0:
		return "a device"
	case t&fs.ModeSymlink != 0:
		return "a link"
	case t == 0:
		return "a file"
	}
	return "a special file"
}

// Open opens the regular file at name for reading.
func Open(name string) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|nonblock, 0)
	if err != nil {
		return nil, err
	}
	return regular(f, name)
}

// OpenIn opens the regular file name under root for reading; a link that
// leads out of root is refused as root refuses it.
func OpenIn(root *os.Root, name string) (*os.File, error) {
	f, err := root.OpenFile(name, os.O_RDONLY|nonblock, 0)
	if err != nil {
		return nil, err
	}
	return regular(f, name)
}

// Create opens the file at name for writing, truncated, made if it is
// not there. A pipe without a reader is refused at once instead of
// waited on.
func Create(name string, perm fs.FileMode) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|nonblock, perm)
	if err != nil {
		return nil, err
	}
	return regular(f, name)
}

// CreateIn opens the file name under root for writing, truncated, made if
// it is not there: in place, so that a container that mounts the folder
// sees what is written. A pipe without a reader is refused at once
// instead of waited on.
func CreateIn(root *os.Root, name string, perm fs.FileMode) (*os.File, error) {
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|nonblock, perm)
	if err != nil {
		return nil, err
	}
	return regular(f, name)
}

// Read reads the regular file name whole.
func Read(name string) ([]byte, error) {
	f, err := Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// ReadIn reads the regular file name under root whole.
func ReadIn(root *os.Root, name string) ([]byte, error) {
	f, err := OpenIn(root, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

func regular(f *os.File, name string) (*os.File, error) {
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, &NotRegularError{Name: name, Mode: info.Mode()}
	}
	return f, nil
}

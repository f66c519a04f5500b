package regfile

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/dockdojo/dockdojo/internal/shellquote"
)

// NotFolderError is a file that stands where a folder dockdojo keeps
// things in should be. Its message says how to move it away, in a command
// that can be pasted into a shell.
type NotFolderError struct {
	What string // the folder as the learner knows it: "state folder"
	Path string // the file in the way: the folder itself or one on its way
}

func (e *NotFolderError) Error() string {
	return fmt.Sprintf("%s %s is a file, not a folder: move it away (`mv %s %s`) and run again", e.What, e.Path, shellquote.Quote(e.Path), shellquote.Quote(e.Path+".old"))
}

// InTheWay is a *NotFolderError naming the file that stands where dir, or
// a folder on its way, should be, or nil when there is none. mkdir and
// open fail on such a file with "not a directory", which says neither
// which file nor what to do; what is one of dockdojo's folders, as the
// learner knows it.
func InTheWay(what, dir string) error {
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if info, err := os.Stat(d); err == nil {
			if info.IsDir() {
				return nil
			}
			return &NotFolderError{What: what, Path: d}
		}
		if filepath.Dir(d) == d {
			return nil
		}
	}
}

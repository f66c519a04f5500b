//go:build !windows

package classroom

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/internal/regfile"
)

// TestAPipeAtTheDataLockIsRefused: `classroom serve` on a data folder
// with a named pipe where its lock goes stops at once, naming it; opening
// it as a lock waited for a writer forever.
func TestAPipeAtTheDataLockIsRefused(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "classroom.lock"), 0o600); err != nil {
		t.Fatal(err)
	}
	opened := make(chan error, 1)
	go func() {
		s, err := OpenStore(dir)
		if err == nil {
			s.Close()
		}
		opened <- err
	}()
	var err error
	select {
	case err = <-opened:
	case <-time.After(5 * time.Second):
		t.Fatal("OpenStore waited on a named pipe where the data folder's lock goes")
	}
	var notFile *regfile.LockError
	if !errors.As(err, &notFile) || notFile.Name != filepath.Join(dir, "classroom.lock") {
		t.Fatalf("OpenStore = %v; want the lock file refused", err)
	}
}

//go:build !windows

package regfile

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLockRefusesWhatIsNotAFile: a named pipe, a folder or a socket where
// a lock file goes is refused at once, by both ways of taking the lock,
// with the command that moves it away; a plain lock waited on the pipe
// forever. A regular lock file is taken and given back as ever.
func TestLockRefusesWhatIsNotAFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my state")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pipe, folder, sock := filepath.Join(dir, "pipe.lock"), filepath.Join(dir, "folder.lock"), filepath.Join(dir, "s.lock")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	for _, tc := range []struct{ name, path, kind string }{
		{"a named pipe", pipe, "a named pipe"},
		{"a folder", folder, "a folder"},
		{"a socket", sock, "a socket"},
	} {
		for how, take := range map[string]func(*Lock) (bool, error){
			"TryLock": (*Lock).TryLock,
			"TryLockContext": func(l *Lock) (bool, error) {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				return l.TryLockContext(ctx, 10*time.Millisecond)
			},
		} {
			t.Run(tc.name+"/"+how, func(t *testing.T) {
				done := make(chan error, 1)
				go func() {
					ok, err := take(NewLock(tc.path, 0o644))
					if ok {
						err = errors.New("taken")
					}
					done <- err
				}()
				select {
				case err := <-done:
					var le *LockError
					var nr *NotRegularError
					if !errors.As(err, &le) || !errors.As(err, &nr) {
						t.Fatalf("lock of %s: %v; want a LockError", tc.name, err)
					}
					want := "lock file " + tc.path + " is " + tc.kind + ", not a file: move it away (`mv '" + tc.path + "' '" + tc.path + ".old'`) and run again"
					if err.Error() != want {
						t.Errorf("lock of %s:\n got %s\nwant %s", tc.name, err, want)
					}
				case <-time.After(5 * time.Second):
					t.Fatalf("the lock of %s still waits after 5 s", tc.name)
				}
			})
		}
	}
	if info, err := os.Lstat(pipe); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the pipe after locking: %v, %v; want it left where it was", info, err)
	}

	path := filepath.Join(dir, "ok.lock")
	a, b := NewLock(path, 0o644), NewLock(path, 0o644)
	if ok, err := a.TryLock(); !ok || err != nil {
		t.Fatalf("first TryLock = %v, %v", ok, err)
	}
	if ok, err := b.TryLock(); ok || err != nil {
		t.Fatalf("second TryLock while held = %v, %v; want false, nil", ok, err)
	}
	if err := a.Unlock(); err != nil {
		t.Fatal(err)
	}
	if ok, err := b.TryLock(); !ok || err != nil || !strings.HasSuffix(b.Path(), "ok.lock") {
		t.Fatalf("TryLock once given back = %v, %v", ok, err)
	}
	_ = b.Unlock()
}

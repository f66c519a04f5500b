//go:build !windows

package selftest

import (
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
)

// TestLockNeverWaitsOnAPipe: the self-test lock of an engine and the note
// of who holds it are in the shared temporary folder, where anyone can
// make a named pipe. A pipe at the lock is refused at once with how to
// move it away; a pipe at the note is no note, so a second run is told
// only that another holds the engine. Neither is waited on.
func TestLockNeverWaitsOnAPipe(t *testing.T) {
	const host = "unix:///test/docker.sock"
	for _, tc := range []struct{ name, suffix, want string }{
		{"at the lock", "", "is a named pipe, not a file: move it away (`mv "},
		{"at the note of who holds it", ".by", "another self-test is running on this engine."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("TMPDIR", t.TempDir())
			path := sandbox.EngineLock(host, "selftest").Path() + tc.suffix
			if err := syscall.Mkfifo(path, 0o666); err != nil {
				t.Fatal(err)
			}
			result := make(chan error, 1)
			go func() {
				release, err := Lock(host, "dockdojo selftest")
				if err == nil {
					_, err = Lock(host, "dockdojo selftest")
					release()
				}
				result <- err
			}()
			timer := time.NewTimer(5 * time.Second)
			defer timer.Stop()
			select {
			case <-timer.C:
				t.Fatalf("the self-test lock waited on a named pipe %s", tc.name)
			case err := <-result:
				var busy *BusyError
				if err == nil || !strings.Contains(err.Error(), tc.want) || (tc.suffix != "") != errors.As(err, &busy) {
					t.Fatalf("Lock = %v; want an error saying %q", err, tc.want)
				}
			}
		})
	}
}

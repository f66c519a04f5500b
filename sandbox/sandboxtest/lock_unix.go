//go:build unix

package sandboxtest

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// LockCourse serialises, across test binaries, the tests that use the
// built-in course's real names (the container dojo-web, host port 8080):
// `go test ./...` runs packages in parallel, and two of them would otherwise
// trip over each other's objects. The lock is released when the test ends.
func LockCourse(t testing.TB) {
	t.Helper()
	path := filepath.Join(os.TempDir(), "dockdojo-course-tests.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatalf("open course lock: %v", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		t.Fatalf("take course lock: %v", err)
	}
	t.Cleanup(func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	})
}

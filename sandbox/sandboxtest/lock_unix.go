//go:build unix

package sandboxtest

import (
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
)

var engineLock struct {
	once sync.Once
	file *os.File // kept referenced: a collected file is closed, and unlocked
	err  error
}

// Exclusive gives this test binary the engine to itself, for as long as it
// runs. `go test ./...` runs packages in parallel, and their tests would trip
// over each other: `dockdojo clean` removes every dockdojo object, and the
// course's own names (the container dojo-web, host port 8080) are shared.
// The first call in a process takes a file lock that the process holds until
// it exits; later calls return at once, so tests and subtests never wait on
// their own process.
func Exclusive(t testing.TB) {
	t.Helper()
	engineLock.once.Do(func() {
		path := filepath.Join(os.TempDir(), "dockdojo-engine-tests.lock")
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
		if err != nil {
			engineLock.err = err
			return
		}
		// The file stays open, and so locked, until the process exits.
		engineLock.file = f
		engineLock.err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
	})
	if engineLock.err != nil {
		t.Fatalf("take the engine test lock: %v", engineLock.err)
	}
}

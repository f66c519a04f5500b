// Package fifotest makes the named pipes that tests put where dockdojo
// expects a regular file: a file that never ends when read, and blocks
// when opened, is how a learner's or an author's mistake hangs a program.
package fifotest

import "testing"

// Make makes a named pipe at path. Where the file system has none
// (Windows), the test is skipped: dockdojo's guard against them is for
// the systems that have them.
func Make(t testing.TB, path string) {
	t.Helper()
	if !hasPipes {
		t.Skip("this system has no named pipes in its file system")
	}
	if err := mkfifo(path); err != nil {
		t.Fatalf("make a named pipe at %s: %v", path, err)
	}
}

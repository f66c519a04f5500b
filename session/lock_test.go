//go:build !windows

package session

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/lessons"
)

// TestAPipeAtTheStartLockIsRefused: a named pipe where an exercise's
// start lock goes makes start and solve stop at once, saying how to move
// it away; opening it as a lock waited for a writer forever, past Ctrl-C.
func TestAPipeAtTheStartLockIsRefused(t *testing.T) {
	progressPath := filepath.Join(t.TempDir(), "progress.json")
	locks := filepath.Join(filepath.Dir(progressPath), "locks")
	if err := os.Mkdir(locks, 0o755); err != nil {
		t.Fatal(err)
	}
	lock := filepath.Join(locks, "start-first-run-publish-page.lock")
	if err := syscall.Mkfifo(lock, 0o644); err != nil {
		t.Fatal(err)
	}
	s := New(Options{ProgressPath: progressPath})
	ex := &lessons.Exercise{ID: "publish-page", Lesson: &lessons.Lesson{ID: "first-run"}}
	done := make(chan error, 1)
	go func() {
		unlock, _, err := s.lockStart(context.Background(), ex)
		if err == nil {
			unlock()
		}
		done <- err
	}()
	select {
	case err := <-done:
		want := "start first-run/publish-page: lock file " + lock + " is a named pipe, not a file: move it away (`mv " + lock + " " + lock + ".old`) and run again"
		if err == nil || err.Error() != want {
			t.Fatalf("lockStart = %v; want %q", err, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the start lock waited on a named pipe")
	}
}

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

// TestAFileWhereTheStartLocksGo: a file where the state folder goes stops
// a start before the engine is touched, naming the file with how to move
// it away, rather than with mkdir's "not a directory".
func TestAFileWhereTheStartLocksGo(t *testing.T) {
	state := filepath.Join(t.TempDir(), "dockdojo")
	if err := os.WriteFile(state, []byte("my notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := New(Options{ProgressPath: filepath.Join(state, "progress.json")})
	ex := &lessons.Exercise{ID: "publish-page", Lesson: &lessons.Lesson{ID: "first-run"}}
	_, _, err := s.lockStart(context.Background(), ex)
	want := "start first-run/publish-page: state folder " + state + " is a file, not a folder: move it away (`mv " + state + " " + state + ".old`) and run again"
	if err == nil || err.Error() != want {
		t.Fatalf("lockStart = %v; want %q", err, want)
	}
}

package main

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/dockdojo/dockdojo/progress"
)

// Linux only: the full disk is a tmpfs mounted for the test.

// TestVerdictShownWhenDiskIsFull: the state folder is on a full disk (a
// small tmpfs, filled up) and already holds the learner's progress. The
// check still shows its verdict, then warns that it was not recorded; the
// progress file is whole and as it was. Mounting needs root, which CI has.
func TestVerdictShownWhenDiskIsFull(t *testing.T) {
	useEngine(t, false)
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("this test mounts a small tmpfs and needs root; CI runs as root")
		}
		t.Skip("mounting a small tmpfs needs root: run `sudo go test -run DiskIsFull ./cmd/dockdojo` to include it")
	}
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	if err := os.MkdirAll(state, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", state, "tmpfs", 0, "size=256k"); err != nil {
		t.Fatalf("mount a tmpfs on %s: %v", state, err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(state, syscall.MNT_DETACH) })
	l := newLearner(t, dir, "DOCKDOJO_LESSONS="+manyPasses(t, 2))
	if code, out := l.run("check", "many/pass-00"); code != 0 {
		t.Fatalf("the first check: exit %d\n%s", code, out)
	}
	file := filepath.Join(state, "dockdojo", "progress.json")
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	fill, err := os.Create(filepath.Join(state, "fill"))
	if err != nil {
		t.Fatal(err)
	}
	block := make([]byte, 4096)
	for {
		if _, err := fill.Write(block); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("fill the disk: %v", err)
			}
			break
		}
	}
	fill.Close()

	l.checkPassesUnrecorded(t, "many/pass-01", "on a full disk")
	if after, err := os.ReadFile(file); err != nil || string(after) != string(before) {
		t.Errorf("the progress file changed on a full disk (%v):\nbefore %s\nafter  %s", err, before, after)
	}
	st, _, err := progress.Load(file)
	if err != nil || !st.Exercises["many/pass-00"].Done() {
		t.Errorf("the progress file no longer loads with its completion: %v", err)
	}
}

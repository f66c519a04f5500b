package authorcmd_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/dockdojo/dockdojo/cmd/internal/clitest"
)

// TestNewExerciseFullDisk: the disk fills up while `new exercise` writes the
// lesson. The lesson is left as it was, not cut off halfway through the new
// block, and no temporary file is left beside it. The full disk is a limit
// on the size of the files a process writes (RLIMIT_FSIZE), set in a child
// process that runs the command: past it, a write fails as on a full disk.
func TestNewExerciseFullDisk(t *testing.T) {
	if file := os.Getenv("DOJOTEST_FULL_DISK_FILE"); file != "" {
		limit, err := strconv.ParseUint(os.Getenv("DOJOTEST_FULL_DISK_LIMIT"), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		var lim syscall.Rlimit
		if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
			t.Fatal(err)
		}
		lim.Cur = limit
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
			t.Fatal(err)
		}
		code, _, stderr, _ := clitest.Run(clitest.Learner(os.Getenv("DOJOTEST_FULL_DISK_HOME"), "learner"), "new", "exercise", file)
		fmt.Printf("exit %d: %s\n", code, stderr)
		return
	}

	env, file := newLesson(t, "dojotest-full")
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// Room for the lesson and a little more: the new block does not fit.
	limit := len(before) + 100
	cmd := exec.Command(os.Args[0], "-test.run=^TestNewExerciseFullDisk$", "-test.count=1")
	cmd.Env = append(os.Environ(), "DOJOTEST_FULL_DISK_FILE="+file, "DOJOTEST_FULL_DISK_LIMIT="+strconv.Itoa(limit), "DOJOTEST_FULL_DISK_HOME="+filepath.Dir(env["HOME"]))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the child process: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "exit 1: ") || !strings.Contains(string(out), "file too large") {
		t.Errorf("new exercise on a full disk: want exit 1 and the write's error, got:\n%s", out)
	}
	after, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(before) {
		t.Errorf("the lesson changed on a full disk: %d bytes before, %d after; it ends in:\n%s", len(before), len(after), after[max(0, len(after)-200):])
	}
	entries, err := os.ReadDir(filepath.Dir(file))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "dojotest-full.md" && e.Name() != "notes" {
			t.Errorf("left beside the lesson: %s", e.Name())
		}
	}
}

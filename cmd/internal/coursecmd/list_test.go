package coursecmd_test

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dockdojo/dockdojo/cmd/internal/clitest"
)

// fakeEngine listens where DOCKER_HOST points and counts who connects: it
// answers nothing, so a command that asks the engine fails.
func fakeEngine(t *testing.T, dir string) (host string, connections *atomic.Int32) {
	t.Helper()
	sock := filepath.Join(dir, "engine.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	connections = &atomic.Int32{}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			connections.Add(1)
			c.Close()
		}
	}()
	return "unix://" + sock, connections
}

// TestCourseCommandsNeverAskTheEngine keeps list, read and progress free of
// engine requests: they show the course and the progress file, and must be
// as quick without Docker as with it.
func TestCourseCommandsNeverAskTheEngine(t *testing.T) {
	dir := t.TempDir()
	host, connections := fakeEngine(t, dir)
	env := clitest.Learner(dir, "learner")
	env["DOCKER_HOST"] = host
	delete(env, "DOCKER_CONTEXT")
	for _, args := range [][]string{{"list"}, {"list", "--json"}, {"read", "first-run"}, {"progress"}} {
		if code, _, stderr, _ := clitest.Run(env, args...); code != 0 {
			t.Fatalf("dockdojo %v: exit %d\n%s", args, code, stderr)
		}
		if n := connections.Load(); n != 0 {
			t.Fatalf("dockdojo %v connected to the engine %d times; it must not ask it anything", args, n)
		}
	}
	// The fake engine does see a command that asks it.
	clitest.Run(env, "check", "first-run/publish-page")
	if connections.Load() == 0 {
		t.Fatal("check never reached the fake engine: this test would not see list reach it either")
	}
}

// TestListSeesAnEditAtOnce keeps the course cache honest from the command
// line: an author who edits a lesson sees the edit in the next command.
func TestListSeesAnEditAtOnce(t *testing.T) {
	dir := t.TempDir()
	env := clitest.Learner(dir, "author")
	lessonDir := filepath.Join(dir, "lessons")
	write := func(title string) {
		t.Helper()
		text := "---\nformat_version: 1\nid: mine\ntitle: " + title + "\nsummary: An author's lesson.\norder: 500\n---\n\n# Mine\n"
		if err := os.MkdirAll(lessonDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(lessonDir, "mine.md"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	list := func() string {
		t.Helper()
		code, out, stderr, _ := clitest.Run(env, "--lessons", lessonDir, "list")
		if code != 0 {
			t.Fatalf("list: exit %d\n%s", code, stderr)
		}
		return out
	}
	write("Before the edit")
	if out := list(); !strings.Contains(out, "mine  Before the edit") {
		t.Fatalf("list does not show the lesson:\n%s", out)
	}
	list() // from the cache now
	write("After the edit")
	if out := list(); !strings.Contains(out, "mine  After the edit") || strings.Contains(out, "Before the edit") {
		t.Fatalf("list after the edit does not show it:\n%s", out)
	}
}

package coursecmd_test

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
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

// TestProgressTalliesLineUp: progress's tallies start in one column, after
// the longest lesson id that leaves them room (an id of 33 letters from a
// lesson folder once pushed its own tally out of line, the column being
// 28 wide); a longer id has its line to itself, its tally in the column
// on the next.
func TestProgressTalliesLineUp(t *testing.T) {
	dir := t.TempDir()
	env := clitest.Learner(dir, "learner")
	lessonDir := filepath.Join(dir, "lessons")
	long, longer := "a-lesson-of-mine-with-a-long-name", "a-lesson-whose-name-is-longer-than-any-column-of-names-may-be"
	if err := os.MkdirAll(lessonDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, id := range []string{long, longer} {
		text := "---\nformat_version: 1\nid: " + id + "\ntitle: Long\nsummary: A long id.\norder: " + strconv.Itoa(500+i) + "\n---\n\n# Long\n"
		if err := os.WriteFile(filepath.Join(lessonDir, id+".md"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, stderr, _ := clitest.Run(env, "--lessons", lessonDir, "progress")
	if code != 0 {
		t.Fatalf("progress: exit %d\n%s", code, stderr)
	}
	tally := regexp.MustCompile(`^(\S*) +\d+/\d+ done:`)
	want := len(long) + 1
	lines := strings.Split(out, "\n")
	for i, line := range lines {
		if m := tally.FindStringSubmatchIndex(line); m != nil {
			if at := strings.Index(line, strings.TrimLeft(line[m[3]:], " ")); at != want {
				t.Errorf("a tally starts in column %d, want %d: %q", at, want, line)
			}
		}
		if line == longer && (i+1 == len(lines) || !tally.MatchString(lines[i+1]) || !strings.HasPrefix(lines[i+1], strings.Repeat(" ", want))) {
			t.Errorf("the id too long for the column is not followed by its tally in the column:\n%s", out)
		}
	}
	if !strings.Contains(out, "\n"+longer+"\n") {
		t.Errorf("the id too long for the column is not on a line of its own:\n%s", out)
	}
}

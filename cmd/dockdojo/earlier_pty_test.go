//go:build linux

package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// continuesLesson has an exercise that continues another, from a lesson
// folder: its start offers to run the earlier one's reference solution.
const continuesLesson = "---\nformat_version: 1\nid: steps\ntitle: Steps\nsummary: One exercise continues another.\n---\n\n" +
	"```exercise\nid: run\ntitle: Run\ngoal: Keep dojotest-pty-steps running.\nflavour: host\nchecks:\n  - kind: container_running\n    container: dojotest-pty-steps\n" +
	"hints: [docker run -d --name dojotest-pty-steps busybox:1.36 sleep 300]\nsolution: docker run -d --name dojotest-pty-steps busybox:1.36 sleep 300\nowns:\n  containers: [dojotest-pty-steps]\n```\n\n" +
	"```exercise\nid: stop\ntitle: Stop\ngoal: Stop dojotest-pty-steps.\nflavour: host\ncontinues: run\nchecks:\n  - kind: container_state\n    container: dojotest-pty-steps\n    state: exited\n" +
	"hints: [docker stop dojotest-pty-steps]\nsolution: docker stop dojotest-pty-steps\nowns:\n  containers: [dojotest-pty-steps]\n```\n"

// TestEarlierSolutionSaysWhoWroteIt: the offer to run an earlier
// exercise's reference solution from a lesson folder says the script is
// the lesson author's, with the file it comes from, before it asks; no
// is the default, and nothing runs.
func TestEarlierSolutionSaysWhoWroteIt(t *testing.T) {
	useEngine(t, false)
	bin := buildDockdojo(t)
	dir := t.TempDir()
	folder := courseFolder(t, dir, "steps/steps.md", continuesLesson)
	env := termEnv(dir, "DOCKDOJO_LESSONS="+folder)
	declineEarlier(t, startVT(t, bin, env, dir, 30, 100, "start", "steps/stop"), folder+"/steps/steps.md")
}

// declineEarlier answers no to start's offer to run the reference
// solution of steps/run (continuesLesson), once the offer has said that
// the script comes from file, a lesson folder's, and not from dockdojo's
// own course.
func declineEarlier(t *testing.T, v *vt, file string) {
	t.Helper()
	v.expect("the offer", `can run the reference solution of steps/run for you, on this machine, as you`)
	v.expect("the script", `docker run -d --name dojotest-pty-steps busybox:1\.36 sleep 300`)
	v.expect("whose script it is", `This script comes from\s+`+regexp.QuoteMeta(file)+`,\s+as\s+its\s+author\s+wrote\s+it,\s+not\s+from\s+dockdojo's\s+own\s+course`)
	v.expect("the question", `Run it\?`)
	v.send(keyEnter) // no, the default
	v.expect("nothing run", `Starting steps/stop as things are`)
	if code := v.wait(); code != 0 {
		t.Errorf("start exited %d", code)
	}
}

// TestEarlierSolutionFromAFolderNamedAsTheCourse: a lesson folder given
// as the relative path content/course, the name of the built-in course in
// messages, is still someone else's: the offer says whose script it is.
// Which course a lesson is of is where it was loaded from, not its name.
func TestEarlierSolutionFromAFolderNamedAsTheCourse(t *testing.T) {
	useEngine(t, false)
	bin := buildDockdojo(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "content", "course", "steps", "steps.md")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(continuesLesson), 0o644); err != nil {
		t.Fatal(err)
	}
	v := startVT(t, bin, termEnv(dir), dir, 30, 100, "--lessons", "content/course", "--replace", "start", "steps/stop")
	declineEarlier(t, v, "content/course/steps/steps.md")
}

// TestSlowCheckShowsItWorks: a check that takes a while (a lesson's
// command may take its whole timeout) shows a spinner on a terminal, and
// the verdict replaces it.
func TestSlowCheckShowsItWorks(t *testing.T) {
	useEngine(t, false)
	bin := buildDockdojo(t)
	dir := t.TempDir()
	lesson := "---\nformat_version: 1\nid: slow\ntitle: Slow\nsummary: A check that takes its time.\n---\n\n" +
		"```exercise\nid: wait\ntitle: Wait\ngoal: Nothing; the check takes two seconds.\nflavour: host\nchecks:\n  - kind: script\n    title: the slow look\n    script: sleep 2; exit 1\n" +
		"hints: [Wait., Wait more.]\nsolution: \"true\"\n```\n"
	env := termEnv(dir, "DOCKDOJO_LESSONS="+courseFolder(t, dir, "slow/slow.md", lesson))
	v := startVT(t, bin, env, dir, 30, 100, "check", "slow/wait")
	v.expect("the spinner", `Checking slow/wait`)
	v.expect("the verdict", `0 of 1 checks pass`)
	if code := v.wait(); code != 3 {
		t.Errorf("check exited %d, want 3", code)
	}
}

// courseFolder writes a lesson file at name (a slash path) in the lesson
// folder "course" under dir, and returns the folder.
func courseFolder(t *testing.T, dir, name, src string) string {
	t.Helper()
	folder := filepath.Join(dir, "course")
	file := filepath.Join(folder, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return folder
}

// TestWorkspacePathWhole: at 80 columns, start and reset name the
// exercise's folder whole: one with a space in it (a HOME such as
// /Users/Jo Smith) was broken at the space, and copied as two lines. It
// goes on a line of its own when it does not fit after the words before
// it, even when it is wider than the terminal, which wraps it and copies
// it as one line.
func TestWorkspacePathWhole(t *testing.T) {
	useEngine(t, false)
	bin := buildDockdojo(t)
	dir := t.TempDir()
	lesson := "---\nformat_version: 1\nid: paths\ntitle: Paths\nsummary: A folder with a space.\n---\n\n" +
		"```exercise\nid: here\ntitle: Here\ngoal: Nothing.\nflavour: host\nchecks:\n  - kind: script\n    script: \"true\"\nhints: [Nothing.]\nsolution: \"true\"\n```\n"
	ws := dir + "/my work/" + strings.Repeat("x", 70)
	env := termEnv(dir, "DOCKDOJO_LESSONS="+courseFolder(t, dir, "paths/paths.md", lesson), "DOCKDOJO_WORKSPACE="+ws)
	folder := regexp.QuoteMeta(ws + "/paths/here")
	for _, tt := range []struct{ cmd, before, after string }{
		{"start", `Workspace:`, ``},
		{"reset", `Your workspace files are kept in`, `\.`},
	} {
		v := startVT(t, bin, env, dir, 24, 80, tt.cmd, "paths/here")
		if code := v.wait(); code != 0 {
			t.Fatalf("%s exited %d:\n%s", tt.cmd, code, v.plain())
		}
		v.expect(tt.cmd+": the folder whole, on a line of its own", `(?m)^`+tt.before+`\r?\n`+folder+tt.after+`\r?$`)
	}
}

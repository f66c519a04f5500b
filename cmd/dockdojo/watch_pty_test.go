//go:build linux

package main

import (
	"os/exec"
	"testing"
)

// TestWatchOnTerminal runs watch in a real terminal: the verdict is redrawn
// in place, and when the container started from outside makes every check
// pass, watch celebrates and offers the next exercise; declining it ends
// watch with exit 0 and the terminal as it was.
func TestWatchOnTerminal(t *testing.T) {
	useEngine(t, true)

	bin := buildDockdojo(t)
	dir := t.TempDir()
	env := termEnv(dir)
	const key = "first-run/publish-page"
	startExercise(t, bin, env, dir, key)

	v := startVT(t, bin, env, dir, 30, 100, "watch", key)
	before := v.settings()
	v.expect("the first verdict", `FAIL container dojo-web exists[\s\S]*0 of 6 checks pass\. Still missing:\s+there is no container named dojo-web`)

	publishPage(t, dir, env)
	v.expect("every check passing", `All 6 checks pass\.`)
	v.expect("the celebration", `Well done: first-run/publish-page is complete!`)
	v.expect("the next exercise offered", `Start the next exercise, first-run/inside-the-box \(Leave a note inside a container\), and watch it\?`)
	v.send("n" + keyEnter)
	v.expect("the way to go on", "Next time: `dockdojo start first-run/inside-the-box`")
	if code := v.wait(); code != 0 {
		t.Errorf("watch exited with %d, want 0", code)
	}
	v.expectSettings(before)
}

// runExercise is a host exercise, id, done when a container named name
// exists.
func runExercise(id, title, name string) string {
	return "```exercise\nid: " + id + "\ntitle: " + title + "\ngoal: Run a container named " + name + ".\nflavour: host\n" +
		"checks:\n  - kind: container_exists\n    container: " + name + "\n" +
		"hints: [Use docker run., docker run -d --name " + name + " busybox:1.36 sleep 300]\n" +
		"solution: docker run -d --name " + name + " busybox:1.36 sleep 300\nowns:\n  containers: [" + name + "]\n```\n\n"
}

// A course whose last exercise has a quiz after it, answered only in the
// guided course.
var quizAfterLesson = "---\nformat_version: 1\nid: dojotest-watchquiz\ntitle: Watch then quiz\nsummary: An exercise, then a quiz.\n---\n\n" +
	runExercise("run-one", "Run one", "dojotest-watchquiz") +
	"```quiz\nid: name-flag\nquestion: Which flag names a container?\nchoices:\n  - text: --name\n    correct: true\n  - text: --label\n" +
	"explain: --name gives the container the name other commands use.\n```\n"

// TestWatchLastExerciseNamesQuizzesLeft: when the last exercise of the
// course passes, watch does not leave the learner thinking the course is
// done while a quiz is not answered: it names it and how to answer it.
func TestWatchLastExerciseNamesQuizzesLeft(t *testing.T) {
	v := watchToThePass(t, quizAfterLesson, "dojotest-watchquiz/run-one", "dojotest-watchquiz")
	v.expect("the quiz left", `That was the last exercise of the course; 1 quiz is not answered right yet, in the lesson "Watch then quiz" \(dojotest-watchquiz\)\.\s+Answer it in the guided course: run \x60dockdojo[^\x60]*\x60 with no command, choose the lesson, then the quiz\.`)
	if code := v.wait(); code != 0 {
		t.Errorf("watch exited with %d, want 0", code)
	}
}

// A course of two exercises, for a learner who does the second first.
var twoExercisesLesson = "---\nformat_version: 1\nid: dojotest-watchback\ntitle: Two to do\nsummary: Two exercises.\n---\n\n" +
	runExercise("first", "The first", "dojotest-watchback-1") + runExercise("second", "The second", "dojotest-watchback-2")

// TestWatchLastExerciseGoesBackToOneNotDone: when the last exercise of the
// course passes while one before it is not done, watch does not call the
// course done: it says so and offers the first one not done.
func TestWatchLastExerciseGoesBackToOneNotDone(t *testing.T) {
	v := watchToThePass(t, twoExercisesLesson, "dojotest-watchback/second", "dojotest-watchback-2")
	v.expect("the one not done", `That was the last exercise of the course, but 1 exercise is not done yet\.`)
	v.expect("the offer", `Start the first one not done, dojotest-watchback/first \(The first\), and watch it\?`)
	v.send("n" + keyEnter)
	v.expect("the way to go on", "Next time: `dockdojo start dojotest-watchback/first`")
	if code := v.wait(); code != 0 {
		t.Errorf("watch exited with %d, want 0", code)
	}
}

// watchToThePass starts exercise key of a course of the one lesson src,
// watches it in a terminal, runs the container it asks for (name) from
// outside, and returns the terminal once watch has celebrated the pass.
func watchToThePass(t *testing.T, src, key, name string) *vt {
	t.Helper()
	useEngine(t, true)
	bin := buildDockdojo(t)
	dir := t.TempDir()
	env := termEnv(dir, "DOCKDOJO_LESSONS="+courseFolder(t, dir, "lesson.md", src), "DOCKDOJO_REPLACE=1")
	startExercise(t, bin, env, dir, key)

	v := startVT(t, bin, env, dir, 30, 160, "watch", key)
	v.expect("the first verdict", "there is no container named "+name)
	t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", name).Run() })
	docker(t, "run", "-d", "--name", name, "busybox:1.36", "sleep", "300")
	v.expect("the celebration", "Well done: "+key+" is complete!")
	return v
}

// startExercise runs `dockdojo start key`, not on a terminal.
func startExercise(t *testing.T, bin string, env []string, dir, key string) {
	t.Helper()
	start := exec.Command(bin, "start", key)
	start.Env, start.Dir = env, dir
	if out, err := start.CombinedOutput(); err != nil {
		t.Fatalf("dockdojo start: %v\n%s", err, out)
	}
}

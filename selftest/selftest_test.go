package selftest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/content"
	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/internal/syncio"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// TestBuiltinCourse is the self-test of every built-in exercise, on the real
// engine: the course's quality bar, run by `go test ./...`.
func TestBuiltinCourse(t *testing.T) {
	eng := sandboxtest.Engine(t)
	c, err := lessons.Load(lessons.Source{FS: content.FS(), Name: "content/course"})
	if err != nil {
		t.Fatal(err)
	}
	release, err := Lock(eng.Endpoint().Host, "selftest.TestBuiltinCourse")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	failed, out := selfTest(t, ctx, eng, c.Exercises(), Options{Workspaces: t.TempDir()})
	t.Logf("self-test:\n%s", out)
	if failed > 0 {
		t.Fatalf("%d exercises failed the self-test:\n%s", failed, out)
	}
	if !strings.HasSuffix(out, "passed, 0 failed\n") {
		t.Errorf("no closing summary line:\n%s", out)
	}
	// Exercises ran side by side, and are reported in course order.
	lines := strings.Split(out, "\n")
	for i, ex := range c.Exercises() {
		if f := strings.Fields(lines[i]); len(f) < 2 || f[1] != ex.Key() {
			t.Errorf("line %d of the report is %q; want the line of %s, in course order", i+1, lines[i], ex.Key())
		}
	}
}

const brokenLesson = `---
format_version: 1
id: broken
title: Broken on purpose
summary: Exercises whose proofs must fail.
---

` + "```exercise" + `
id: lazy-solution
title: A solution that does nothing
goal: Run a container named dojotest-selftest-never.
flavour: host
checks:
  - kind: container_exists
    container: dojotest-selftest-never
hints: [Run it., Really.]
solution: "true"
wrong:
  - name: wrong attempt that is right
    script: docker run -d --name dojotest-selftest-never busybox:1.36 sleep 300
    says: nothing
owns:
  containers: [dojotest-selftest-never]
` + "```" + `

` + "```exercise" + `
id: leaves-a-volume
title: A wrong attempt that leaves what it made
goal: Run a container named dojotest-selftest-leak.
flavour: host
checks:
  - kind: container_running
    container: dojotest-selftest-leak
hints: [Run it., Really.]
solution: |
  docker run -d --name dojotest-selftest-leak busybox:1.36 sleep 300
  docker network create dojotest-selftest-solleak
wrong:
  - name: a volume instead
    script: docker volume create dojotest-selftest-leaked
    says: no container named dojotest-selftest-leak
owns:
  containers: [dojotest-selftest-leak]
` + "```" + `

` + "```exercise" + `
id: done-from-the-start
title: Checks that pass before anything is done
goal: Nothing.
flavour: host
checks:
  - kind: image_exists
    image: busybox:1.36
hints: [None., None.]
solution: "true"
` + "```" + `

` + "```exercise" + `
id: attempt-fails
title: A wrong attempt whose script fails and prints nothing
goal: Run a container named dojotest-selftest-fails.
flavour: host
checks:
  - kind: container_exists
    container: dojotest-selftest-fails
hints: [Run it., Really.]
solution: docker run -d --name dojotest-selftest-fails busybox:1.36 sleep 300
wrong:
  - name: a step that fails
    script: "false"
owns:
  containers: [dojotest-selftest-fails]
` + "```" + `
`

// TestSelftestCatchesBrokenExercises proves the self-test can fail: a
// solution that does nothing, a wrong attempt that passes, checks that
// pass on a fresh start and a wrong attempt whose script fails are each
// reported, where they are written and with what to do.
func TestSelftestCatchesBrokenExercises(t *testing.T) {
	eng, c, ctx := onEngine(t, "broken.md", brokenLesson)
	t.Cleanup(func() {
		_ = eng.RemoveVolume(context.Background(), "dojotest-selftest-leaked")
		_ = eng.RemoveNetwork(context.Background(), "dojotest-selftest-solleak")
	})
	got := runExpecting(t, ctx, eng, c.Exercises(), Options{Workspaces: t.TempDir(), Settle: 2 * time.Second}, 4,
		`wrong attempt "wrong attempt that is right" (testdata/broken.md:19:5) passes the checks: the check "container dojotest-selftest-never exists" (testdata/broken.md:14:5) passes; add a check that tells this attempt from the reference solution, or, if the attempt is not wrong, take it out of wrong`,
		"the reference solution (testdata/broken.md:17:1) does not pass: container dojotest-selftest-never exists",
		`the wrong attempt "a volume instead" (testdata/broken.md:39:5) left the volume dojotest-selftest-leaked behind, which reset does not remove: remove it in the attempt's cleanup (docker volume rm dojotest-selftest-leaked), or list it under owns.volumes (removed now)`,
		"the reference solution (testdata/broken.md:35:1) left the network dojotest-selftest-solleak behind, which reset does not remove: list it under owns.networks, and reset removes it for the learner too (removed now)",
		`the checks pass on a fresh start, before anything was done (testdata/broken.md:46:1): the check "image busybox:1.36 exists" (testdata/broken.md:52:5) passes; add a check that tells the fresh start from the goal`,
		`wrong attempt "a step that fails" (testdata/broken.md:69:5): its script failed: exit status 1; a step that is meant to fail, as the learner's would, can end with `+"`|| true`\n",
		"0 passed, 4 failed\n",
	)
	if strings.Contains(got, "\n        \n") {
		t.Errorf("a problem goes on with an empty line")
	}
	if _, err := eng.InspectContainer(ctx, "dojotest-selftest-never"); err == nil {
		t.Errorf("the self-test left the wrong attempt's container behind")
	}
}

const leakLesson = `---
format_version: 1
id: dojotest-leak
title: Leaks on purpose
summary: A wrong attempt that makes a volume and does not remove it.
---

` + "```exercise" + `
id: leaks
title: A wrong attempt that leaves what it made
goal: Run a container named dojotest-leak-web.
flavour: host
checks:
  - kind: container_running
    container: dojotest-leak-web
hints: [Run it., Really.]
solution: docker run -d --name dojotest-leak-web busybox:1.36 sleep 300
wrong:
  - name: a volume instead
    script: |
      docker volume create dojotest-leak-vol
      docker volume create dojotest-leak-there
    says: no container named dojotest-leak-web
owns:
  containers: [dojotest-leak-web]
` + "```" + `
`

// What an exercise's scripts left behind under a name it does not own is
// removed once reported (but with Keep), so the next self-test reports it
// again; what was there under such a name before the self-test began is
// neither reported nor removed.
func TestSelftestRemovesWhatItsScriptsLeft(t *testing.T) {
	eng, c, ctx := onEngine(t, "leak.md", leakLesson)
	for _, v := range []string{"dojotest-leak-vol", "dojotest-leak-there"} {
		t.Cleanup(func() { _ = eng.RemoveVolume(context.Background(), v) })
	}
	if err := eng.CreateVolume(ctx, "dojotest-leak-there", sandboxtest.Labels(t)); err != nil {
		t.Fatal(err)
	}
	for run := 1; run <= 2; run++ {
		got := runExpecting(t, ctx, eng, c.Exercises(), Options{Workspaces: t.TempDir(), Settle: 2 * time.Second}, 1,
			`the wrong attempt "a volume instead" (testdata/leak.md:19:5) left the volume dojotest-leak-vol behind, which reset does not remove: remove it in the attempt's cleanup (docker volume rm dojotest-leak-vol), or list it under owns.volumes (removed now)`,
		)
		if strings.Contains(got, "dojotest-leak-there") {
			t.Errorf("run %d reports the volume that was there before it began", run)
		}
		if _, err := eng.InspectVolume(ctx, "dojotest-leak-vol"); !errors.Is(err, sandbox.ErrNotFound) {
			t.Errorf("after run %d, the volume the wrong attempt made is still there (%v)", run, err)
		}
		if _, err := eng.InspectVolume(ctx, "dojotest-leak-there"); err != nil {
			t.Errorf("after run %d, the volume that was there before is gone: %v", run, err)
		}
	}
	// With Keep, what it left is left for the author to look at.
	runExpecting(t, ctx, eng, c.Exercises(), Options{Workspaces: t.TempDir(), Settle: 2 * time.Second, Keep: true}, 1,
		"(left in place, as --keep asks; docker volume rm dojotest-leak-vol removes it)",
	)
	if _, err := eng.InspectVolume(ctx, "dojotest-leak-vol"); err != nil {
		t.Errorf("with Keep, the volume the wrong attempt made is gone: %v", err)
	}
}

const keepLesson = `---
format_version: 1
id: dojotest-keep
title: Kept on purpose
summary: An exercise whose solution fails, to be kept for inspection.
---

` + "```exercise" + `
id: stopped
title: A solution that leaves its container stopped
goal: Run a container named dojotest-keep-web that keeps running.
flavour: shell
sandbox:
  image: busybox:1.36
checks:
  - kind: container_running
    container: dojotest-keep-web
hints: [Run it., Keep it running.]
solution: docker run -d --name dojotest-keep-web busybox:1.36 true
owns:
  containers: [dojotest-keep-web]
` + "```" + `

` + "```exercise" + `
id: never-reached
title: After the kept one
goal: Nothing.
flavour: host
checks:
  - kind: container_exists
    container: dojotest-keep-never
hints: [None., None.]
solution: docker run -d --name dojotest-keep-never busybox:1.36 sleep 300
owns:
  containers: [dojotest-keep-never]
` + "```" + `
`

// With Keep, the first failing exercise is left as it failed, the run stops
// there, and the output says how to inspect and how to clean up.
func TestKeep(t *testing.T) {
	eng, c, ctx := onEngine(t, "keep.md", keepLesson)
	ex := c.Exercises()[0]
	t.Cleanup(func() {
		if _, err := exercise.Reset(context.Background(), eng, ex, func([]exercise.Object) (bool, error) { return true, nil }); err != nil {
			t.Errorf("reset: %v", err)
		}
	})
	got := runExpecting(t, ctx, eng, c.Exercises(), Options{Workspaces: t.TempDir(), Settle: time.Second, Keep: true,
		Dockdojo: func(args ...string) string { return "dockdojo --lessons x " + strings.Join(args, " ") }}, 1,
		"FAIL  dojotest-keep/stopped",
		"Kept as it was after the reference solution, for you to inspect:",
		"container  dockdojo-dojotest-keep-stopped: docker exec -it dockdojo-dojotest-keep-stopped sh (the sandbox)",
		"container  dojotest-keep-web: docker logs dojotest-keep-web; docker inspect dojotest-keep-web",
		"Clean up: dockdojo --lessons x reset --yes dojotest-keep/stopped",
		" XDG_STATE_HOME=",
		" dockdojo --lessons x check dojotest-keep/stopped\n",
		"Stopped at the first failure, as --keep asks.",
		"0 passed, 1 failed\n",
	)
	if strings.Contains(got, "never-reached") {
		t.Errorf("the run went on after the kept exercise")
	}
	for _, name := range []string{"dockdojo-dojotest-keep-stopped", "dojotest-keep-web"} {
		if _, err := eng.InspectContainer(ctx, name); err != nil {
			t.Errorf("container %s was not kept: %v", name, err)
		}
	}
	// The checks run again in a progress file and a classroom link of the
	// self-test's, which the clean-up removes: a kept wrong attempt that
	// passes is not recorded as done in the author's own progress.
	again := regexp.MustCompile(`Run the checks again \(recorded in (\S+), not in your progress\): DOCKDOJO_WORKSPACE=\S+ XDG_STATE_HOME=(\S+) XDG_CONFIG_HOME=(\S+) `).FindStringSubmatch(got)
	removed := regexp.MustCompile(`and rm -rf (\S+)`).FindStringSubmatch(got)
	if again == nil || removed == nil {
		t.Fatal("no command to run the checks again, or no folder to remove")
	}
	for _, dir := range again[1:] {
		if !strings.HasPrefix(dir, removed[1]) {
			t.Errorf("the checks run again record in %s, which the clean-up (rm -rf %s) does not remove", dir, removed[1])
		}
	}
	ws := regexp.MustCompile(`workspace  (\S+)`).FindStringSubmatch(got)
	if ws == nil {
		t.Fatal("no workspace named")
	}
	if st, err := os.Stat(ws[1]); err != nil || !st.IsDir() {
		t.Errorf("the workspace %s was not kept: %v", ws[1], err)
	}
}

const flakyLesson = `---
format_version: 1
id: dojotest-flaky
title: Flaky on purpose
summary: An exercise whose solution works every other time.
---

` + "```exercise" + `
id: every-other
title: Every other run
goal: Run a container named dojotest-flaky that keeps running.
flavour: host
checks:
  - kind: container_running
    container: dojotest-flaky
hints: [Run it., Keep it running.]
solution: |
  n=$(cat "$DOJOTEST_COUNTER" 2>/dev/null || echo 0)
  echo $((n + 1)) > "$DOJOTEST_COUNTER"
  if [ $((n % 2)) -eq 0 ]; then cmd="sleep 300"; else cmd=true; fi
  docker run -d --name dojotest-flaky busybox:1.36 $cmd
owns:
  containers: [dojotest-flaky]
` + "```" + `
`

// With Repeat, an exercise that passes some runs and fails others is
// reported as flaky, with the runs each problem happened in.
func TestRepeatFlaky(t *testing.T) {
	t.Setenv("DOJOTEST_COUNTER", filepath.Join(t.TempDir(), "count"))
	eng, c, ctx := onEngine(t, "flaky.md", flakyLesson)
	runExpecting(t, ctx, eng, c.Exercises(), Options{Workspaces: t.TempDir(), Settle: time.Second, Repeat: 3}, 1,
		"FLAKY dojotest-flaky/every-other",
		"(passed 2 of 3 runs: a check passes or fails by chance)",
		"- (run 2) the reference solution (testdata/flaky.md:17:1) does not pass: container dojotest-flaky is running: ",
		"0 passed, 0 failed, 1 flaky\n",
	)
	if _, err := eng.InspectContainer(ctx, "dojotest-flaky"); err == nil {
		t.Errorf("the self-test left dojotest-flaky behind")
	}
}

// onEngine is what a self-test of one lesson file needs: the engine, the
// course of the lesson src (see load), and a context that gives its run
// five minutes and ends with the test.
func onEngine(t *testing.T, name, src string) (*sandbox.Engine, *lessons.Course, context.Context) {
	t.Helper()
	eng := sandboxtest.Engine(t)
	c := load(t, name, src)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	return eng, c, ctx
}

// load reads a course of one lesson file, named testdata/name.
func load(t *testing.T, name, src string) *lessons.Course {
	t.Helper()
	c, err := lessons.Load(lessons.Source{FS: fstest.MapFS{name: {Data: []byte(src)}}, Name: "testdata"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// runExpecting self-tests exercises and requires failed exercises and every
// one of wants in what the run printed, which it returns.
func runExpecting(t *testing.T, ctx context.Context, eng *sandbox.Engine, exs []*lessons.Exercise, o Options, failed int, wants ...string) string {
	t.Helper()
	n, got := selfTest(t, ctx, eng, exs, o)
	t.Logf("output:\n%s", got)
	if n != failed {
		t.Errorf("failed = %d, want %d", n, failed)
	}
	for _, want := range wants {
		if !strings.Contains(got, want) {
			t.Errorf("output does not say %q", want)
		}
	}
	return got
}

// selfTest self-tests exercises and returns how many failed and what the
// run printed; an error of the run (the engine, not an exercise) fails the
// test.
func selfTest(t *testing.T, ctx context.Context, eng *sandbox.Engine, exs []*lessons.Exercise, o Options) (failed int, out string) {
	t.Helper()
	var buf bytes.Buffer
	failed, err := Run(ctx, eng, exs, o, &buf)
	if err != nil {
		t.Fatal(err)
	}
	return failed, buf.String()
}

// lateLesson's solution has the engine make a network the exercise owns,
// and a volume it does not, a moment after the solution starts, from a
// process of its own session, which the cancel of the run does not kill:
// it stands for a docker CLI killed by the cancel after it had sent its
// request, which the engine carries out all the same, after the reset
// that follows the cancel has looked. STARTED and MADE are files the
// test waits for.
const lateLesson = `---
format_version: 1
id: dojotest-late
title: Made late on purpose
summary: A solution whose network is made after the run was cancelled.
---

` + "```exercise" + `
id: late
title: A network made late
goal: Make a network named dojotest-late-net.
flavour: host
checks:
  - kind: network_exists
    network: dojotest-late-net
hints: [Make it., Really.]
solution: |
  setsid sh -c 'sleep 0.3; docker network create dojotest-late-net; docker volume create dojotest-late-vol; touch MADE' </dev/null >/dev/null 2>&1 &
  touch STARTED
  sleep 60
owns:
  networks: [dojotest-late-net]
` + "```" + `
`

// TestCancelLeavesNothingMadeLate: Ctrl-C while a script runs kills its
// docker CLI, but the engine may make what it had asked for after the
// cleanup that follows the cancel looked (seen: a network left behind by
// a self-test interrupted during `docker network create`). The cleanup
// looks once more, a moment later, and removes it.
func TestCancelLeavesNothingMadeLate(t *testing.T) {
	marks := t.TempDir()
	started, made := filepath.Join(marks, "started"), filepath.Join(marks, "made")
	src := strings.NewReplacer("STARTED", started, "MADE", made).Replace(lateLesson)
	eng, c, ctx := onEngine(t, "late.md", src)
	t.Cleanup(func() {
		_ = eng.RemoveNetwork(context.Background(), "dojotest-late-net")
		_ = eng.RemoveVolume(context.Background(), "dojotest-late-vol")
	})
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		for !exists(started) && ctx.Err() == nil {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
	}()
	_, err := Exercise(ctx, eng, c.Exercises()[0], Options{Workspaces: t.TempDir()})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Exercise = %v, want it cancelled", err)
	}
	for deadline := time.Now().Add(20 * time.Second); !exists(made); {
		if time.Now().After(deadline) {
			t.Fatal("the network was never made")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := eng.InspectNetwork(context.Background(), "dojotest-late-net"); !errors.Is(err, sandbox.ErrNotFound) {
		t.Errorf("the network the exercise owns, made after the cancel, is left behind (%v)", err)
	}
	if _, err := eng.InspectVolume(context.Background(), "dojotest-late-vol"); !errors.Is(err, sandbox.ErrNotFound) {
		t.Errorf("the volume its solution made after the cancel is left behind (%v)", err)
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

const victimLesson = `---
format_version: 1
id: dojotest-victim
title: Removes what is not its own
summary: A cleanup that removes a volume the exercise does not own.
---

` + "```exercise" + `
id: victim
title: A cleanup that removes too much
goal: Run a container named dojotest-victim-a.
flavour: host
checks:
  - kind: container_running
    container: dojotest-victim-a
hints: [Run it., Really.]
solution: docker run -d --name dojotest-victim-a busybox:1.36 sleep 300
wrong:
  - name: named it b
    script: docker run -d --name dojotest-victim-b busybox:1.36 sleep 300
    says: no container named dojotest-victim-a
    cleanup: |
      docker rm -f dojotest-victim-b
      docker volume rm dojotest-victim-vol
owns:
  containers: [dojotest-victim-a]
` + "```" + `
`

// A script that removes what was there before the self-test, which the
// exercise does not own and dockdojo did not make (someone's volume),
// fails the exercise, naming the object and the line that removed it.
func TestSelftestCatchesWhatAScriptRemoves(t *testing.T) {
	eng, c, ctx := onEngine(t, "victim.md", victimLesson)
	// Made as anyone would make it: with no label of dockdojo's.
	if out, err := exec.Command("docker", "volume", "create", "dojotest-victim-vol").CombinedOutput(); err != nil {
		t.Fatalf("docker volume create: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = eng.RemoveVolume(context.Background(), "dojotest-victim-vol") })
	runExpecting(t, ctx, eng, c.Exercises(), Options{Workspaces: t.TempDir(), Settle: 2 * time.Second}, 1,
		`the cleanup of the wrong attempt "named it b" (testdata/victim.md:24) removed the volume dojotest-victim-vol, which was there before the self-test and is not the exercise's: a script may remove only what its exercise owns and what its own scripts made`,
	)
}

func TestLineNaming(t *testing.T) {
	script := "docker rm -f web-2\ndocker rm -f web\ndocker rmi busybox"
	for _, tt := range []struct {
		obj  exercise.Object
		want int
	}{
		{exercise.Object{Kind: "container", Name: "web"}, 1},
		{exercise.Object{Kind: "container", Name: "web-2"}, 0},
		{exercise.Object{Kind: "container", Name: "we"}, -1},
		{exercise.Object{Kind: "image", Name: "busybox:latest"}, 2},
		{exercise.Object{Kind: "image", Name: "busybox:1.36"}, -1},
	} {
		if got := lineNaming(script, tt.obj); got != tt.want {
			t.Errorf("lineNaming(%v) = %d, want %d", tt.obj, got, tt.want)
		}
	}
}

func TestSweeping(t *testing.T) {
	for script, want := range map[string]int{
		"docker run -d --name web httpd:2.4\ndocker container prune -f": 1,
		"docker rm -f $(docker ps -aq)":                                 0,
		"docker ps -aq | xargs docker rm -f":                            0,
		"docker rm -f web\ncd $(mktemp -d)":                             -1,
		"docker run -v $(pwd):/w busybox:1.36 true":                     -1,
	} {
		if got := sweeping(script); got != want {
			t.Errorf("sweeping(%q) = %d, want %d", script, got, want)
		}
	}
}

const portLesson = `---
format_version: 1
id: dojotest-port
title: A port someone else holds
summary: Every script publishes a host port that another container holds.
---

` + "```exercise" + `
id: held
title: Publish a port that is taken
goal: Run a container named dojotest-port-web published on 127.0.0.1:7770.
flavour: host
checks:
  - kind: container_running
    container: dojotest-port-web
hints: [Run it., Really.]
solution: docker run -d --name dojotest-port-web -p 127.0.0.1:7770:80 busybox:1.36 sleep 300
wrong:
  - name: not running
    script: docker create --name dojotest-port-web -p 127.0.0.1:7770:80 busybox:1.36 sleep 300 && docker start dojotest-port-web
    says: not running
owns:
  containers: [dojotest-port-web]
` + "```" + `
`

// A host port that a container of someone else's holds makes every script
// that publishes it fail: the self-test says who holds it and what to do,
// as start does for a learner, not that the step could end with || true.
func TestSelftestNamesWhoHoldsAPort(t *testing.T) {
	eng, c, ctx := onEngine(t, "port.md", portLesson)
	if out, err := exec.Command("docker", "run", "-d", "--name", "dojotest-port-holder", "-p", "127.0.0.1:7770:80", "busybox:1.36", "sleep", "300").CombinedOutput(); err != nil {
		t.Fatalf("docker run: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = eng.RemoveContainer(context.Background(), "dojotest-port-holder") })
	got := runExpecting(t, ctx, eng, c.Exercises(), Options{Workspaces: t.TempDir(), Settle: time.Second}, 1,
		`wrong attempt "not running" (testdata/port.md:19:5): its script failed: host port 7770 is in use by container dojotest-port-holder, which is not the exercise's: stop it (`+"`docker stop dojotest-port-holder`"+`) or free the port, and self-test again`,
		"the reference solution (testdata/port.md:17:1) failed: host port 7770 is in use by container dojotest-port-holder",
		"what it printed:\n          ",
		"Bind for 127.0.0.1:7770 failed: port is already allocated",
	)
	if strings.Contains(got, "|| true") {
		t.Errorf("the report advises || true for a port someone else holds")
	}
	if strings.Contains(got, " \n") {
		t.Errorf("a line of the report ends with a space")
	}
}

const endlessLesson = `---
format_version: 1
id: dojotest-endless
title: Scripts that never end
summary: A server in the foreground, and a loop.
---

` + "```exercise" + `
id: endless
title: Scripts that never end
goal: Run a container named dojotest-endless-web in the background.
flavour: host
checks:
  - kind: container_running
    container: dojotest-endless-web
    detached: true
hints: [Run it., Really.]
solution: |
  docker run -d --name dojotest-endless-web busybox:1.36 sleep 300
  while true; do sleep 1; done
wrong:
  - name: forgot -d
    script: |
      docker run --name dojotest-endless-web busybox:1.36 sleep 300
    says: in the background
owns:
  containers: [dojotest-endless-web]
` + "```" + `
`

// A script that does not end says, while it runs, that the self-test
// waits for it, and, once stopped, why it did not end: a container in the
// foreground, at its line, or else what usually keeps a script waiting.
func TestSelftestSaysWhyAScriptDidNotEnd(t *testing.T) {
	eng, c, ctx := onEngine(t, "endless.md", endlessLesson)
	var progress syncio.Buffer
	got := runExpecting(t, ctx, eng, c.Exercises(), Options{Workspaces: t.TempDir(), Settle: time.Second, ScriptTimeout: 3 * time.Second, Output: exercise.Output{W: &progress}}, 1,
		`wrong attempt "forgot -d" (testdata/endless.md:22:5): its script did not end: it still ran after 3s, and was stopped; the container dojotest-endless-web (testdata/endless.md:24) runs in the foreground, and the script waits for it to end, which a server never does: add -d`,
		"the reference solution (testdata/endless.md:18:1) did not end: it still ran after 3s, and was stopped; a command in it does not end by itself (a server in the foreground? add -d; a loop, a long sleep?)",
		"what it printed:\n          ",
	)
	if strings.Contains(got, "|| true") {
		t.Errorf("the report advises || true for a script that did not end")
	}
	if want := `dojotest-endless/endless: the wrong attempt "forgot -d" (testdata/endless.md:22:5) still runs after 1.5s; the self-test stops a script at 3s`; !strings.Contains(progress.String(), want) {
		t.Errorf("progress does not say %q:\n%s", want, progress.String())
	}
}

const missingLesson = `---
format_version: 1
id: dojotest-missing
title: Images that are not here
summary: A sandbox image and a script's image that cannot be pulled.
---

` + "```exercise" + `
id: sandbox
title: A sandbox of an image that is not here
goal: Nothing.
flavour: shell
sandbox:
  image: dojotest.invalid/none:1.0
checks:
  - kind: container_running
    container: dojotest-missing-web
hints: [Nothing to do here., Really.]
solution: docker run -d --name dojotest-missing-web busybox:1.36 sleep 600
owns:
  containers: [dojotest-missing-web]
` + "```" + `

` + "```exercise" + `
id: script
title: A script of an image that is not here
goal: Nothing.
flavour: host
checks:
  - kind: container_exists
    container: dojotest-missing-run
hints: [None., None.]
solution: |
  docker run -d --name dojotest-missing-run dojotest.invalid/none:1.0 sleep 300
owns:
  containers: [dojotest-missing-run]
` + "```" + `
`

// An image that is not on the machine and cannot be pulled is said where
// the lesson names it, with how to fetch the course's images.
func TestSelftestSaysAnImageIsMissing(t *testing.T) {
	eng, c, ctx := onEngine(t, "missing.md", missingLesson)
	runExpecting(t, ctx, eng, c.Exercises(), Options{Workspaces: t.TempDir(), Settle: time.Second}, 2,
		"the sandbox's image dojotest.invalid/none:1.0 (testdata/missing.md:14:3) is not on this machine, and pulling it failed: pull dojotest.invalid/none:1.0: ",
		"; fetch the course's images with `dockdojo prepare` while online (or with --mirror HOST:PORT, or --load FILE from your instructor), then self-test again",
		"the reference solution (testdata/missing.md:33:1) failed: the image dojotest.invalid/none:1.0 (testdata/missing.md:34) is not on this machine, and pulling it failed (what it printed says why); fetch the course's images",
	)
}

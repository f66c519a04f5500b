package exercise

import (
	"context"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

const lesson = `---
format_version: 1
id: extest
title: Exercise package test
summary: A lesson for the exercise package's tests.
---

` + "```exercise" + `
id: box
title: A box
goal: Make the container dojotest-ex-mine.
flavour: shell
sandbox:
  image: busybox:1.36
  hostname: dojotest-box
  env: [GREETING=hello]
  mounts:
    - {type: workspace, source: shared, target: /shared}
    - {type: volume, source: dojotest-ex-vol, target: /data}
  cap_add:
    - {name: NET_ADMIN, why: to change the container's own network settings}
workspace: [starter.txt]
checks:
  - kind: exec
    command: [sh, -c, 'test "$GREETING" = hello']
hints: [One., Two.]
solution: docker run -d --name dojotest-ex-mine busybox:1.36 sleep 300
owns:
  containers: [dojotest-ex-mine]
` + "```" + `
`

func load(t *testing.T) *lessons.Exercise {
	t.Helper()
	return firstExercise(t, fstest.MapFS{
		"extest/lesson.md":   {Data: []byte(lesson)},
		"extest/starter.txt": {Data: []byte("starter\n")},
	})
}

// firstExercise is the first exercise of the course in fsys.
func firstExercise(t *testing.T, fsys fstest.MapFS) *lessons.Exercise {
	t.Helper()
	c, err := lessons.Load(lessons.Source{FS: fsys, Name: "testdata"})
	if err != nil {
		t.Fatal(err)
	}
	return c.Exercises()[0]
}

// onEngine is the engine, and a context that gives a test of it two
// minutes and ends with the test.
func onEngine(t *testing.T) (*sandbox.Engine, context.Context) {
	t.Helper()
	eng := sandboxtest.Engine(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return eng, ctx
}

// resetWhenDone resets ex, removing all it made, when the test ends.
func resetWhenDone(t *testing.T, eng *sandbox.Engine, ex *lessons.Exercise) {
	t.Cleanup(func() { _, _ = Reset(context.Background(), eng, ex, func([]Object) (bool, error) { return true, nil }) })
}

func TestSeedKeepsTheLearnersFiles(t *testing.T) {
	ex := load(t)
	dir := t.TempDir()
	seeded, err := Seed(ex, dir)
	if err != nil || len(seeded) != 1 {
		t.Fatalf("Seed = %v, %v; want starter.txt seeded", seeded, err)
	}
	file := filepath.Join(dir, "starter.txt")
	if err := os.WriteFile(file, []byte("my edit\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	seeded, err = Seed(ex, dir)
	if err != nil || len(seeded) != 0 {
		t.Fatalf("second Seed = %v, %v; want nothing seeded", seeded, err)
	}
	if data, _ := os.ReadFile(file); string(data) != "my edit\n" {
		t.Errorf("the learner's edit was overwritten: %q", data)
	}
}

func TestStartCheckReset(t *testing.T) {
	eng, ctx := onEngine(t)
	ex := load(t)
	t.Cleanup(func() { _, _ = eng.RemoveLabelled(context.Background(), Labels(ex)) })
	t.Cleanup(func() { _ = eng.RemoveContainer(context.Background(), "dojotest-ex-mine") })
	root := t.TempDir()

	st, err := Start(ctx, eng, ex, root, Output{W: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	ct, err := eng.InspectContainer(ctx, st.Sandbox)
	if err != nil {
		t.Fatal(err)
	}
	if ct.Labels[sandbox.LabelExercise] != "extest/box" || ct.Labels[sandbox.LabelRun] != st.Run || ct.Labels[sandbox.LabelWorkspace] != st.Workspace {
		t.Errorf("sandbox labels = %v", ct.Labels)
	}
	if f, err := FindSandbox(ctx, eng, ex); err != nil || f == nil || f.Run != st.Run || !f.MadeFor(ex, st.Workspace) || len(f.Mounts) != 1 {
		t.Errorf("FindSandbox = %+v, %v; want this start's sandbox, made for %s, binding its folder", f, err, st.Workspace)
	}
	if len(ct.CapAdd) != 1 || strings.TrimPrefix(ct.CapAdd[0], "CAP_") != "NET_ADMIN" {
		t.Errorf("CapAdd = %v; want exactly NET_ADMIN", ct.CapAdd)
	}
	if _, err := os.Stat(filepath.Join(st.Workspace, "shared")); err != nil {
		t.Errorf("workspace mount folder not made: %v", err)
	}
	res, err := Check(ctx, eng, ex, root)
	if err != nil || !res.Passed() {
		t.Fatalf("Check = %+v, %v; want the env check to pass in the sandbox", res, err)
	}

	// A second start replaces the sandbox and warns about the learner's object.
	if _, err := eng.RunContainer(ctx, sandbox.ContainerSpec{Name: "dojotest-ex-mine", Image: "busybox:1.36"}); err != nil {
		t.Fatal(err)
	}
	st2, err := Start(ctx, eng, ex, root, Output{W: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	if st2.Run == st.Run || len(st2.Warnings) != 1 {
		t.Errorf("second start: run %s (first %s), warnings %v; want a new run and one warning", st2.Run, st.Run, st2.Warnings)
	}

	// Declining keeps the learner's object; the sandbox and its volume go.
	asked := 0
	if _, err := Reset(ctx, eng, ex, func(objs []Object) (bool, error) { asked++; return false, nil }); err != nil {
		t.Fatal(err)
	}
	if asked != 1 {
		t.Errorf("reset asked %d times; want once", asked)
	}
	if _, err := eng.InspectContainer(ctx, "dojotest-ex-mine"); err != nil {
		t.Errorf("declined reset removed the learner's container: %v", err)
	}
	left, err := eng.ListLabelled(ctx, Labels(ex))
	if err != nil {
		t.Fatal(err)
	}
	if len(left.Containers)+len(left.Volumes)+len(left.Networks) > 0 {
		t.Errorf("reset left %+v", left)
	}
	// Confirming removes it.
	if _, err := Reset(ctx, eng, ex, func([]Object) (bool, error) { return true, nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.InspectContainer(ctx, "dojotest-ex-mine"); err == nil {
		t.Errorf("confirmed reset kept the learner's container")
	}
}

// TestStartReplacesALateLeftover: an earlier start stopped while the engine
// was creating its sandbox, and the engine finished creating it after this
// start removed the earlier sandbox (seen as "name already in use" when a
// learner pressed Ctrl-C during start and started again). That container
// is dockdojo's, of this exercise: start replaces it. A container of the
// same name that dockdojo did not make is left alone, and named.
func TestStartReplacesALateLeftover(t *testing.T) {
	eng, ctx := onEngine(t)
	ex := load(t)
	resetWhenDone(t, eng, ex)
	name := SandboxName(ex)
	t.Cleanup(func() { _ = eng.RemoveContainer(context.Background(), name) })
	late := func(labels map[string]string) {
		testHookSwept = func() {
			spec := sandbox.ContainerSpec{Name: name, Image: "busybox:1.36", Cmd: []string{"sleep", "300"}, Labels: labels}
			if _, err := eng.RunContainer(ctx, spec); err != nil {
				t.Errorf("the late container: %v", err)
			}
		}
		t.Cleanup(func() { testHookSwept = nil })
	}

	late(map[string]string{sandbox.LabelExercise: ex.Key(), sandbox.LabelRun: "stopped"})
	st, err := Start(ctx, eng, ex, t.TempDir(), Output{W: os.Stderr})
	if err != nil {
		t.Fatalf("start after a late leftover: %v", err)
	}
	if ct, err := eng.InspectContainer(ctx, name); err != nil || ct.Labels[sandbox.LabelRun] != st.Run {
		t.Fatalf("the sandbox after start: run %q, %v; want this start's run %s", ct.Labels[sandbox.LabelRun], err, st.Run)
	}

	// Not dockdojo's: the container named like the sandbox was made by
	// someone else (the managed label is set by RunContainer, so the
	// docker CLI makes it here).
	testHookSwept = func() {
		if out, err := exec.Command("docker", "run", "-d", "--name", name, "busybox:1.36", "sleep", "300").CombinedOutput(); err != nil {
			t.Errorf("docker run: %v\n%s", err, out)
		}
	}
	_, err = Start(ctx, eng, ex, t.TempDir(), Output{W: os.Stderr})
	if err == nil || !strings.Contains(err.Error(), "a container named "+name+" already exists and dockdojo did not make it") {
		t.Fatalf("start beside someone else's container: %v; want it named and refused", err)
	}
	if ct, err := eng.InspectContainer(ctx, name); err != nil || ct.Labels[sandbox.LabelManaged] == "true" {
		t.Fatalf("someone else's container after start: %+v, %v; want it left as it was", ct.Labels, err)
	}

	// The sandbox of another exercise whose lesson and exercise ids join
	// to the same name ("a-b" and "c", "a" and "b-c"): named, with the
	// command that removes it, and left.
	if err := eng.RemoveContainer(ctx, name); err != nil {
		t.Fatal(err)
	}
	late(map[string]string{sandbox.LabelExercise: "extest-box/other"})
	_, err = Start(ctx, eng, ex, t.TempDir(), Output{W: os.Stderr})
	if err == nil || !strings.Contains(err.Error(), "the sandbox of extest-box/other is named "+name+" too: `dockdojo reset extest-box/other` removes it") {
		t.Fatalf("start beside another exercise's sandbox: %v; want it named with its remedy", err)
	}
	if ct, err := eng.InspectContainer(ctx, name); err != nil || ct.Labels[sandbox.LabelExercise] != "extest-box/other" {
		t.Fatalf("the other exercise's sandbox after start: %+v, %v; want it left as it was", ct.Labels, err)
	}
}

// TestResetRemovesWhatItCan: one of the learner's objects that cannot be
// removed (a network a container of someone else's still uses) is named
// in the error, and the others are removed all the same and reported.
func TestResetRemovesWhatItCan(t *testing.T) {
	eng := sandboxtest.Engine(t)
	ex := firstExercise(t, fstest.MapFS{"rs/lesson.md": {Data: []byte(`---
format_version: 1
id: rs
title: Reset test
summary: A lesson for the reset test.
---

` + "```exercise" + `
id: both
title: Both
goal: Make the network dojotest-rs-net and the volume dojotest-rs-vol.
flavour: host
checks:
  - kind: network_exists
    network: dojotest-rs-net
hints: [One.]
solution: docker network create dojotest-rs-net && docker volume create dojotest-rs-vol
owns:
  networks: [dojotest-rs-net]
  volumes: [dojotest-rs-vol]
` + "```" + `
`)}})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	t.Cleanup(func() {
		ctx := context.Background()
		_ = eng.RemoveContainer(ctx, "dojotest-rs-other")
		_ = eng.RemoveNetwork(ctx, "dojotest-rs-net")
		_ = eng.RemoveVolume(ctx, "dojotest-rs-vol")
	})
	if err := eng.CreateNetwork(ctx, "dojotest-rs-net", "bridge", nil); err != nil {
		t.Fatal(err)
	}
	if err := eng.CreateVolume(ctx, "dojotest-rs-vol", nil); err != nil {
		t.Fatal(err)
	}
	// Not the exercise's: reset must leave it, so the network stays in use.
	if _, err := eng.RunContainer(ctx, sandbox.ContainerSpec{Name: "dojotest-rs-other", Image: "busybox:1.36", Network: "dojotest-rs-net"}); err != nil {
		t.Fatal(err)
	}
	removed, err := Reset(ctx, eng, ex, func([]Object) (bool, error) { return true, nil })
	if err == nil || !strings.Contains(err.Error(), "dojotest-rs-net") {
		t.Errorf("reset error = %v; want it to name the network it could not remove", err)
	}
	if !slices.Contains(removed, "dojotest-rs-vol") {
		t.Errorf("reset removed %q; want the volume removed despite the network", removed)
	}
	if _, err := eng.InspectVolume(ctx, "dojotest-rs-vol"); err == nil {
		t.Errorf("the volume is still there")
	}
	if _, err := eng.InspectContainer(ctx, "dojotest-rs-other"); err != nil {
		t.Errorf("reset touched a container the exercise does not own: %v", err)
	}
}

// TestSandboxReachesNoOtherContainer: a sandbox that names no network is
// on dockdojo's own, where it cannot reach a container of the learner's
// on the default bridge (which a container there can), nor another
// sandbox.
func TestSandboxReachesNoOtherContainer(t *testing.T) {
	eng, ctx := onEngine(t)
	ex := load(t)
	resetWhenDone(t, eng, ex)
	victim, neighbour := "dojotest-ex-victim", "dojotest-ex-neighbour"
	for _, name := range []string{victim, neighbour} {
		t.Cleanup(func() { _ = eng.RemoveContainer(context.Background(), name) })
	}
	// The learner's own server, on the default bridge, published nowhere.
	if _, err := eng.RunContainer(ctx, sandbox.ContainerSpec{Name: victim, Image: "busybox:1.36", Cmd: []string{"httpd", "-f", "-p", "8000", "-h", "/etc"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.RunContainer(ctx, sandbox.ContainerSpec{Name: neighbour, Image: "busybox:1.36"}); err != nil {
		t.Fatal(err)
	}
	v, err := eng.InspectContainer(ctx, victim)
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + v.Networks["bridge"].IP + ":8000/hostname"
	fetch := []string{"timeout", "5", "wget", "-T", "3", "-qO-", url}
	// A container on the default bridge reaches it: the test can fail.
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := eng.Exec(ctx, neighbour, fetch)
		if err == nil && res.ExitCode == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a container on the default bridge cannot reach %s either: %+v %v", url, res, err)
		}
		time.Sleep(200 * time.Millisecond)
	}

	st, err := Start(ctx, eng, ex, t.TempDir(), Output{W: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	sbx, err := eng.InspectContainer(ctx, st.Sandbox)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := sbx.Networks[sandbox.SandboxNetwork]; !ok || len(sbx.Networks) != 1 {
		t.Errorf("the sandbox is on %v; want %s alone", slices.Collect(maps.Keys(sbx.Networks)), sandbox.SandboxNetwork)
	}
	if res, err := eng.Exec(ctx, st.Sandbox, fetch); err != nil {
		t.Fatal(err)
	} else if res.ExitCode == 0 {
		t.Errorf("the sandbox reached the learner's container at %s: %+v", url, res)
	}
}

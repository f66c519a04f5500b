package exercise

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dockdojo/dockdojo/lessons"
)

// chainLesson: the first exercise's sandbox mounts the whole workspace and
// can write in it; the second goes on from it and mounts a folder of it.
const chainLesson = `---
format_version: 1
id: dojotest-swap
title: Swap
summary: A sandbox that could swap a folder of the workspace for a link.
---

` + "```exercise" + `
id: first
title: First
goal: Nothing.
flavour: shell
sandbox:
  image: busybox:1.36
  mounts:
    - type: workspace
      target: /work
checks:
  - kind: container_running
    container: dockdojo-dojotest-swap-first
hints: [None., None at all.]
solution: "true"
` + "```" + `

` + "```exercise" + `
id: second
title: Second
goal: Nothing.
flavour: shell
continues: first
sandbox:
  image: busybox:1.36
  mounts:
    - type: workspace
      source: sub
      target: /mnt
checks:
  - kind: container_running
    container: dockdojo-dojotest-swap-second
hints: [None., None at all.]
solution: "true"
` + "```" + `
`

// A sandbox that runs while the next exercise of its chain starts cannot
// swap the folder that is being mounted for a link out of the workspace
// (a rename is atomic, and a bind mount follows links on the host when the
// engine makes it): Start pauses it from its look at the path to the
// engine's mount. Here the swap is tried just before the mount, by an exec
// in the first sandbox, which a paused container refuses; without the
// pause the second sandbox sees the folder outside.
func TestRunningSandboxCannotSwapAMountedFolder(t *testing.T) {
	eng, ctx := onEngine(t)
	c, err := lessons.Load(lessons.Source{FS: fstest.MapFS{"swap/lesson.md": {Data: []byte(chainLesson)}}, Name: "testdata"})
	if err != nil {
		t.Fatal(err)
	}
	first, second := c.Exercises()[0], c.Exercises()[1]
	resetWhenDone(t, eng, first)
	resetWhenDone(t, eng, second)
	t.Cleanup(func() { testHookMounting = nil })

	wsRoot, outside := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "marker"), []byte("outside\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := Start(ctx, eng, first, wsRoot, Output{})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(st.Workspace, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(st.Workspace, "sub", "marker"), []byte("inside\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	var swap []byte
	var swapErr error
	testHookMounting = func() {
		testHookMounting = nil
		swap, swapErr = exec.Command("docker", "exec", st.Sandbox, "sh", "-c", "mv /work/sub /work/sub.real && ln -s "+outside+" /work/sub").CombinedOutput()
	}
	st2, err := Start(ctx, eng, second, wsRoot, Output{})
	if err != nil {
		t.Fatal(err)
	}
	if swapErr == nil {
		t.Errorf("the first sandbox swapped the folder for a link while the second was being mounted (%s)", swap)
	} else if !strings.Contains(string(swap), "paused") {
		t.Errorf("the swap failed, but not because the first sandbox was paused: %v\n%s", swapErr, swap)
	}
	out, err := exec.Command("docker", "exec", st2.Sandbox, "cat", "/mnt/marker").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "inside" {
		t.Errorf("the second sandbox's /mnt/marker: %q, %v; want the workspace's sub folder (inside)", out, err)
	}
	// And the first goes on as it was.
	if ct, err := eng.InspectContainer(ctx, st.Sandbox); err != nil || ct.State != "running" {
		t.Errorf("the first sandbox after the second started: %q, %v; want running", ct.State, err)
	}
}

// victimLesson and thiefLesson are two lessons, of two folders, whose
// sandboxes name the same volume and network: the thief's may not have
// the victim's, which hold the victim lesson's data and reach its sandbox.
const victimLesson = `---
format_version: 1
id: dojotest-victim
title: Victim
summary: A sandbox with a volume and a network of its own.
---

` + "```exercise" + `
id: keep
title: Keep
goal: Nothing.
flavour: shell
sandbox:
  image: busybox:1.36
  network: dojotest-shared-net
  mounts:
    - type: volume
      source: dojotest-shared-vol
      target: /data
checks:
  - kind: container_running
    container: dockdojo-dojotest-victim-keep
hints: [None., None at all.]
solution: "true"
` + "```" + `
`

func TestSandboxGetsNoOtherLessonsVolumeOrNetwork(t *testing.T) {
	eng, ctx := onEngine(t)
	victim := firstExercise(t, fstest.MapFS{"victim/lesson.md": {Data: []byte(victimLesson)}})
	resetWhenDone(t, eng, victim)
	if _, err := Start(ctx, eng, victim, t.TempDir(), Output{}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, from, to, want string }{
		{"its volume", "  network: dojotest-shared-net\n", "", "a volume named dojotest-shared-vol already exists, made by dockdojo for dojotest-victim/keep, which dojotest-thief/steal does not go on from"},
		{"its network", "  mounts:\n    - type: volume\n      source: dojotest-shared-vol\n      target: /data\n", "", "a network named dojotest-shared-net already exists, made by dockdojo for dojotest-victim/keep, which dojotest-thief/steal does not go on from"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			thief := strings.NewReplacer("dojotest-victim", "dojotest-thief", "keep", "steal", "Victim", "Thief").Replace(victimLesson)
			thief = strings.Replace(thief, tc.from, tc.to, 1)
			ex := firstExercise(t, fstest.MapFS{"thief/lesson.md": {Data: []byte(thief)}})
			resetWhenDone(t, eng, ex)
			_, err := Start(ctx, eng, ex, t.TempDir(), Output{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("start of the thief: %v\nwant: %s", err, tc.want)
			}
			if _, err := eng.InspectContainer(ctx, SandboxName(ex)); err == nil {
				t.Error("the thief's sandbox was started")
			}
		})
	}
}

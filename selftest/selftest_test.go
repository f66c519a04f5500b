package selftest

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/content"
	"github.com/dockdojo/dockdojo/lessons"
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
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	var out bytes.Buffer
	failed, err := Run(ctx, eng, c.Exercises(), Options{Workspaces: t.TempDir()}, &out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("self-test:\n%s", out.String())
	if failed > 0 {
		t.Fatalf("%d exercises failed the self-test:\n%s", failed, out.String())
	}
	if !strings.HasSuffix(out.String(), "passed, 0 failed\n") {
		t.Errorf("no closing summary line:\n%s", out.String())
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
`

// TestSelftestCatchesBrokenExercises proves the self-test can fail: a
// solution that does nothing, a wrong attempt that passes, and checks that
// pass on a fresh start are each reported.
func TestSelftestCatchesBrokenExercises(t *testing.T) {
	eng := sandboxtest.Engine(t)
	fsys := fstest.MapFS{"broken.md": {Data: []byte(brokenLesson)}}
	c, err := lessons.Load(lessons.Source{FS: fsys, Name: "testdata"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var out bytes.Buffer
	failed, err := Run(ctx, eng, c.Exercises(), Options{Workspaces: t.TempDir(), Settle: 2 * time.Second}, &out)
	if err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if failed != 2 {
		t.Errorf("failed = %d; want 2\n%s", failed, got)
	}
	for _, want := range []string{
		`wrong attempt "wrong attempt that is right" passes the checks`,
		"the reference solution does not pass: container dojotest-selftest-never exists",
		"the checks pass on a fresh start",
		"0 passed, 2 failed\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output does not say %q:\n%s", want, got)
		}
	}
	if _, err := eng.InspectContainer(ctx, "dojotest-selftest-never"); err == nil {
		t.Errorf("the self-test left the wrong attempt's container behind")
	}
}

package selftest

import (
	"context"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// chainLesson: the second exercise stops what the first runs, so its
// solution and its wrong attempt only work after the first's solution.
const chainLesson = `---
format_version: 1
id: chain
title: Chain
summary: Exercises that continue others.
---

` + "```exercise" + `
id: run
title: Run
goal: Keep dojotest-chain running.
flavour: host
checks:
  - kind: container_running
    container: dojotest-chain
hints: [Run it.]
solution: docker run -d --name dojotest-chain busybox:1.36 sleep 300
owns:
  containers: [dojotest-chain]
` + "```" + `

` + "```exercise" + `
id: stop
title: Stop
goal: Stop dojotest-chain, and keep it.
flavour: host
continues: run
checks:
  - kind: container_state
    container: dojotest-chain
    state: exited
hints: [Stop it.]
solution: docker stop dojotest-chain
wrong:
  - name: removed it instead
    script: docker rm -f dojotest-chain
    says: there is no container named dojotest-chain
owns:
  containers: [dojotest-chain]
` + "```" + `

`

// brokenChain: the exercise that the second continues has a solution
// that fails.
const brokenChain = "---\nformat_version: 1\nid: broken-chain\ntitle: Broken chain\nsummary: S.\n---\n\n" +
	"```exercise\nid: first\ntitle: T\ngoal: G.\nflavour: host\nchecks:\n  - kind: image_exists\n    image: busybox:1.36\nhints: [H.]\nsolution: exit 3\n```\n\n" +
	"```exercise\nid: second\ntitle: T\ngoal: G.\nflavour: host\ncontinues: first\nchecks:\n  - kind: image_exists\n    image: busybox:0.0-dojotest\nhints: [H.]\nsolution: \"true\"\n```\n"

// TestChain self-tests an exercise that continues another alone: it starts
// from the other's reference solution, which runs first, every time; and
// an earlier exercise that does not reach its end is said.
func TestChain(t *testing.T) {
	eng := sandboxtest.Engine(t)
	c, err := lessons.Load(lessons.Source{FS: fstest.MapFS{
		"chain/chain.md":   {Data: []byte(chainLesson)},
		"broken/broken.md": {Data: []byte(brokenChain)},
	}, Name: "testdata"})
	if err != nil {
		t.Fatal(err)
	}
	stop, err := c.Exercise("chain/stop")
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.Exercise("broken-chain/second")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	runExpecting(t, ctx, eng, []*lessons.Exercise{stop, second}, Options{Workspaces: t.TempDir()}, 1,
		"ok    chain/stop", "(1 wrong attempt rejected)",
		"FAIL  broken-chain/second", "bring broken-chain/first, which it continues, to its end: the reference solution of broken-chain/first failed: exit status 3",
		"1 passed, 1 failed\n")
	if _, err := eng.InspectContainer(ctx, "dojotest-chain"); err == nil {
		t.Errorf("the self-test left dojotest-chain behind")
	}
}

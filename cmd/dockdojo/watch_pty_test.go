//go:build linux

package main

import (
	"os/exec"
	"testing"

	"github.com/dockdojo/dockdojo/cmd/internal/clitest"
)

// TestWatchOnTerminal runs watch in a real terminal: the verdict is redrawn
// in place, and when the container started from outside makes every check
// pass, watch celebrates and offers the next exercise; declining it ends
// watch with exit 0 and the terminal as it was.
func TestWatchOnTerminal(t *testing.T) {
	useEngine(t, true)

	bin := buildDockdojo(t)
	dir := t.TempDir()
	env := append(clitest.LearnerEnv(dir), "TERM=xterm", "NO_COLOR=1")
	const key = "first-run/publish-page"
	start := exec.Command(bin, "start", key)
	start.Env, start.Dir = env, dir
	if out, err := start.CombinedOutput(); err != nil {
		t.Fatalf("dockdojo start: %v\n%s", err, out)
	}

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

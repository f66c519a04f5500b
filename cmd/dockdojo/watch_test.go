package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/term"

	"github.com/dockdojo/dockdojo/progress"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// TestWatchTurnsGreen runs `dockdojo watch` with no terminal on the
// exercise started last, then does what the learner would, from outside
// the tool: a `docker run` of the web server. Without a key pressed, watch
// must see the container, report every check passing, record the exercise
// as done and exit 0.
func TestWatchTurnsGreen(t *testing.T) {
	requireEngine(t)
	if _, err := exec.LookPath("docker"); err != nil {
		if inCI() {
			t.Fatalf("CI=true but the docker CLI is missing: %v", err)
		}
		t.Skipf("needs the docker CLI: %v", err)
	}
	sandboxtest.Exclusive(t)
	engineMu.Lock()
	defer engineMu.Unlock()
	removeLeftovers()
	t.Cleanup(removeLeftovers)

	bin := buildDockdojo(t)
	dir := t.TempDir()
	env := append(learnerEnv(dir), "NO_COLOR=1")
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Env, cmd.Dir = env, dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	const key = "first-run/publish-page"
	run(bin, "start", key)

	watch := exec.Command(bin, "watch")
	watch.Env, watch.Dir = env, dir
	stdout, err := watch.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	watch.Stderr = &stderr
	if err := watch.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- watch.Wait() }()
	t.Cleanup(func() {
		if watch.ProcessState == nil {
			_ = watch.Process.Kill()
			<-exited
		}
	})

	var mu sync.Mutex
	var lines []string
	seen := make(chan struct{}, 100)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			mu.Lock()
			lines = append(lines, sc.Text())
			mu.Unlock()
			seen <- struct{}{}
		}
	}()
	deadline := time.After(60 * time.Second)
	output := func() string {
		mu.Lock()
		defer mu.Unlock()
		return strings.Join(lines, "\n")
	}
	waitLine := func(what, re string) {
		t.Helper()
		rx := regexp.MustCompile(`(?m)` + re)
		for !rx.MatchString(output()) {
			select {
			case <-seen:
			case err := <-exited:
				t.Fatalf("watch ended (%v) before %s; it printed:\n%s\nstderr:\n%s", err, what, output(), stderr.String())
			case <-deadline:
				t.Fatalf("no %s within the deadline; watch printed:\n%s", what, output())
			}
		}
	}
	waitLine("the watch banner", `^Watching `+key+`: re-checking on Docker events and changes in .*/ws/first-run/publish-page\. Ctrl-C stops\.$`)
	waitLine("the first verdict", `^\d\d:\d\d:\d\d 0/4 checks pass; still missing: there is no container named dojo-web .*\(after the first look\)$`)

	site := filepath.Join(dir, "ws", "first-run", "publish-page", "site")
	t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", "dojo-web").Run() })
	run("docker", "run", "-d", "--name", "dojo-web", "-p", "8080:80", "-v", site+":/usr/local/apache2/htdocs:ro", "httpd:2.4")

	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("watch exited with %v; it printed:\n%s\nstderr:\n%s", err, output(), stderr.String())
		}
	case <-deadline:
		t.Fatalf("watch did not exit after the container started; it printed:\n%s", output())
	}
	waitLine("all checks passing", `^\d\d:\d\d:\d\d 4/4 checks pass \(after .+\)$`)
	waitLine("the celebration", `^Well done: `+key+` is complete!`)
	t.Logf("watch printed:\n%s", output())
	if strings.Contains(output(), "?") {
		t.Errorf("watch asked something with no terminal:\n%s", output())
	}

	data, err := os.ReadFile(filepath.Join(dir, "state", "dockdojo", "progress.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st progress.State
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	if !st.Exercises[key].Done() {
		t.Errorf("watch did not record %s as done:\n%s", key, data)
	}
}

// TestWatchOnTerminal runs watch in a real terminal: the verdict is redrawn
// in place, and when the container started from outside makes every check
// pass, watch celebrates and offers the next exercise; declining it ends
// watch with exit 0 and the terminal as it was.
func TestWatchOnTerminal(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("pseudo-terminal test runs on Linux only")
	}
	requireEngine(t)
	if _, err := exec.LookPath("docker"); err != nil {
		if inCI() {
			t.Fatalf("CI=true but the docker CLI is missing: %v", err)
		}
		t.Skipf("needs the docker CLI: %v", err)
	}
	sandboxtest.Exclusive(t)
	engineMu.Lock()
	defer engineMu.Unlock()
	removeLeftovers()
	t.Cleanup(removeLeftovers)

	bin := buildDockdojo(t)
	dir := t.TempDir()
	env := append(learnerEnv(dir), "TERM=xterm", "NO_COLOR=1")
	const key = "first-run/publish-page"
	start := exec.Command(bin, "start", key)
	start.Env, start.Dir = env, dir
	if out, err := start.CombinedOutput(); err != nil {
		t.Fatalf("dockdojo start: %v\n%s", err, out)
	}

	v := startVT(t, bin, env, dir, 30, 100, "watch", key)
	before, err := term.GetState(int(v.tty.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	v.expect("the first verdict", `FAIL container dojo-web exists[\s\S]*0 of 4 checks pass\. Still missing:\s+there is no container named dojo-web`)

	site := filepath.Join(dir, "ws", "first-run", "publish-page", "site")
	t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", "dojo-web").Run() })
	run := exec.Command("docker", "run", "-d", "--name", "dojo-web", "-p", "8080:80", "-v", site+":/usr/local/apache2/htdocs:ro", "httpd:2.4")
	run.Env = env
	if out, err := run.CombinedOutput(); err != nil {
		t.Fatalf("docker run: %v\n%s", err, out)
	}
	v.expect("every check passing", `All 4 checks pass\.`)
	v.expect("the celebration", `Well done: first-run/publish-page is complete!`)
	v.expect("the next exercise offered", `Start the next exercise, first-run/inside-the-box \(Leave a note inside a container\), and watch it\?`)
	v.send("n" + keyEnter)
	v.expect("the way to go on", "Next time: `dockdojo start first-run/inside-the-box`")
	if code := v.wait(); code != 0 {
		t.Errorf("watch exited with %d, want 0", code)
	}
	after, err := term.GetState(int(v.tty.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("the terminal's settings changed:\nbefore %+v\nafter  %+v", before, after)
	}
}

package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/cmd/internal/clitest"
	"github.com/dockdojo/dockdojo/progress"
)

// publishPage does what the learner of first-run/publish-page does from
// outside dockdojo, at home in dir with env: a `docker run` of the web
// server on the site in the exercise's workspace. The container is removed
// when the test ends.
func publishPage(t *testing.T, dir string, env []string) {
	t.Helper()
	site := filepath.Join(dir, "ws", "first-run", "publish-page", "site")
	t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", "dojo-web").Run() })
	run := exec.Command("docker", "run", "-d", "--name", "dojo-web", "-p", "8080:80", "-v", site+":/usr/local/apache2/htdocs:ro", "httpd:2.4")
	run.Env = env
	if out, err := run.CombinedOutput(); err != nil {
		t.Fatalf("docker run: %v\n%s", err, out)
	}
}

// TestWatchTurnsGreen runs `dockdojo watch` with no terminal on the
// exercise started last, then does what the learner would, from outside
// the tool: a `docker run` of the web server. Without a key pressed, watch
// must see the container, report every check passing, record the exercise
// as done and exit 0.
func TestWatchTurnsGreen(t *testing.T) {
	useEngine(t, true)

	bin := buildDockdojo(t)
	dir := t.TempDir()
	env := append(clitest.LearnerEnv(dir), "NO_COLOR=1")
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
	waitLine("the first verdict", `^\d\d:\d\d:\d\d 0/6 checks pass; still missing: there is no container named dojo-web .*\(after the first look\)$`)

	publishPage(t, dir, env)

	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("watch exited with %v; it printed:\n%s\nstderr:\n%s", err, output(), stderr.String())
		}
	case <-deadline:
		t.Fatalf("watch did not exit after the container started; it printed:\n%s", output())
	}
	waitLine("all checks passing", `^\d\d:\d\d:\d\d 6/6 checks pass \(after .+\)$`)
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

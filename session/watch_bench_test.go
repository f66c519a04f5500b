package session

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// watchKinds are one exercise per way a check looks at the engine, each
// with one check that turns green when dojo-wb-pong joins dojo-wb-net.
var watchKinds = []struct{ name, check string }{
	{"inspect", "kind: container_on_network\n    container: dojo-wb-pong\n    network: dojo-wb-net"},
	{"exec", "kind: exec\n    container: dojo-wb-pong\n    command: [sh, -c, 'test \"$(ip -o -4 addr | wc -l)\" -ge 3']"},
	{"name_resolves", "kind: name_resolves\n    from: dojo-wb-ping\n    name: dojo-wb-pong"},
	{"name_resolves_probe", "kind: name_resolves\n    from: dojo-wb-plain\n    name: dojo-wb-pong"},
	{"script_probe", "kind: script\n    network: dojo-wb-net\n    script: nslookup dojo-wb-pong"},
	{"script_probe_in_container", "kind: script\n    network: container:dojo-wb-ping\n    script: nslookup dojo-wb-pong"},
}

func watchBenchLesson() string {
	var b strings.Builder
	b.WriteString("---\nformat_version: 1\nid: wb\ntitle: Watch benchmark\nsummary: One exercise per way of looking.\n---\n\n")
	// The first exercise owns the objects; each other one continues the
	// one before it, and so reaches them too (two exercises may not own
	// one name).
	for i, k := range watchKinds {
		id := strings.ReplaceAll(k.name, "_", "-")
		b.WriteString("```exercise\nid: " + id + "\ntitle: " + k.name +
			"\ngoal: Connect dojo-wb-pong to dojo-wb-net.\nflavour: host\nchecks:\n  - " + k.check +
			"\nhints: [Connect it.]\nsolution: docker network connect dojo-wb-net dojo-wb-pong\n")
		if i == 0 {
			b.WriteString("owns:\n  containers: [dojo-wb-ping, dojo-wb-pong, dojo-wb-plain]\n  networks: [dojo-wb-net]\n")
		} else {
			b.WriteString("continues: " + strings.ReplaceAll(watchKinds[i-1].name, "_", "-") + "\n")
		}
		b.WriteString("```\n\n")
	}
	return b.String()
}

func watchBenchCourse() (*lessons.Course, error) {
	return lessons.Load(lessons.Source{FS: fstest.MapFS{"wb/lesson.md": {Data: []byte(watchBenchLesson())}}, Name: "bench"})
}

// TestWatchBenchLessonLoads keeps BenchmarkWatchVerdict runnable: CI runs
// no benchmark, and its lesson must pass the course's checks.
func TestWatchBenchLessonLoads(t *testing.T) {
	if _, err := watchBenchCourse(); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkWatchVerdict measures, for each way a check looks at the engine
// (an inspect, an exec, a name lookup by exec or by probe, a probe
// script), how long watch takes from the engine event that changes the
// verdict (a network connect, of containers older than checker.Settle) to
// the new verdict: the debounce window plus one run of the check.
//
//	go test -run '^$' -bench WatchVerdict -benchtime 10x ./session/
func BenchmarkWatchVerdict(b *testing.B) {
	eng := sandboxtest.Engine(b)
	labels := sandboxtest.Labels(b)
	ctx := context.Background()
	c, err := watchBenchCourse()
	if err != nil {
		b.Fatal(err)
	}
	docker := func(args ...string) {
		b.Helper()
		if out, err := exec.Command("docker", args...).CombinedOutput(); err != nil {
			b.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	for _, n := range []string{"dojo-wb-ping", "dojo-wb-pong", "dojo-wb-plain"} {
		_ = eng.RemoveContainer(ctx, n)
	}
	_ = eng.RemoveNetwork(ctx, "dojo-wb-net")
	if err := eng.CreateNetwork(ctx, "dojo-wb-net", "bridge", labels); err != nil {
		b.Fatal(err)
	}
	var last string
	for _, ct := range []sandbox.ContainerSpec{
		{Name: "dojo-wb-ping", Image: "busybox:1.36", Network: "dojo-wb-net"},
		{Name: "dojo-wb-plain", Image: "debian:bookworm-slim", Network: "dojo-wb-net"},
		{Name: "dojo-wb-pong", Image: "busybox:1.36", Network: "bridge"},
	} {
		ct.Labels = labels
		if _, err := eng.RunContainer(ctx, ct); err != nil {
			b.Fatal(err)
		}
		last = ct.Name
	}
	// Checks judge containers younger than Settle only once they are that
	// old; these are measured once they are.
	ct, err := eng.InspectContainer(ctx, last)
	if err != nil {
		b.Fatal(err)
	}
	time.Sleep(time.Until(ct.StartedAt.Add(checker.Settle)))

	ws := b.TempDir()
	s := New(Options{
		Course:       c,
		ProgressPath: filepath.Join(ws, "progress.json"),
		Workspace:    ws,
		Connect:      func(context.Context) (*sandbox.Engine, error) { return eng, nil },
	})
	for i, k := range watchKinds {
		ex := c.Exercises()[i]
		b.Run(k.name, func(b *testing.B) {
			var total time.Duration
			for range b.N {
				b.StopTimer()
				_ = exec.Command("docker", "network", "disconnect", "-f", "dojo-wb-net", "dojo-wb-pong").Run()
				verdicts := make(chan Verdict, 10)
				connected := make(chan time.Time, 1)
				wctx, cancel := context.WithTimeout(ctx, time.Minute)
				go func() {
					defer close(verdicts)
					_, _ = s.Watch(wctx, ex, WatchOptions{
						Show: func(v Verdict) { verdicts <- v },
						OnEvent: func(ev sandbox.Event) {
							if ev.Type == "network" && ev.Action == "connect" {
								select {
								case connected <- time.Now():
								default:
								}
							}
						},
					})
				}()
				if v := <-verdicts; v.Result.Passed() {
					b.Fatalf("%s passes before dojo-wb-pong joined the network", k.name)
				}
				b.StartTimer()
				docker("network", "connect", "dojo-wb-net", "dojo-wb-pong")
				passed := false
				for v := range verdicts {
					if v.Result.Passed() {
						total += v.At.Sub(<-connected)
						passed = true
						break
					}
				}
				cancel()
				if !passed {
					b.Fatalf("%s: no passing verdict within a minute", k.name)
				}
			}
			b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "event-to-verdict-ms")
		})
	}
}

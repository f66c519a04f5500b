package exercisecmd

import (
	"context"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
	"github.com/dockdojo/dockdojo/session"
)

const benchLesson = `---
format_version: 1
id: watchbench
title: Watch benchmark
summary: One exercise whose check turns green when a container starts.
---

` + "```exercise" + `
id: run-it
title: Run it
goal: Run the container dojo-watchbench.
flavour: host
checks:
  - kind: container_running
    container: dojo-watchbench
hints: [Run it.]
solution: docker run -d --name dojo-watchbench busybox:1.36 sleep 300
owns:
  containers: [dojo-watchbench]
` + "```" + `
`

// BenchmarkWatchLatency measures how long watch takes from the first event
// of a container being run (its create event) reaching dockdojo to the
// updated verdict on screen: the debounce window, which the rest of the
// burst (connect, start) falls into, plus one run of the checks. Each
// iteration starts watching, runs the container, and waits for the passing
// verdict.
//
//	go test -run '^$' -bench WatchLatency ./cmd/internal/exercisecmd/
//
// event-to-verdict-ms is that latency; start-to-verdict-ms counts from the
// moment the engine answered the start request.
func BenchmarkWatchLatency(b *testing.B) {
	eng := sandboxtest.Engine(b)
	labels := sandboxtest.Labels(b)
	c, err := lessons.Load(lessons.Source{FS: fstest.MapFS{"watchbench/lesson.md": {Data: []byte(benchLesson)}}, Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	ex := c.Exercises()[0]
	const name = "dojo-watchbench"
	ctx := context.Background()
	_ = eng.RemoveContainer(ctx, name)
	b.Cleanup(func() { _ = eng.RemoveContainer(context.Background(), name) })
	ws := b.TempDir()
	streams, _, _, _ := iostreams.Test()
	s := session.New(session.Options{
		Course:       c,
		ProgressPath: filepath.Join(ws, "progress.json"),
		Workspace:    ws,
		Connect:      func(context.Context) (*sandbox.Engine, error) { return eng, nil },
	})

	var eventToVerdict, startToVerdict time.Duration
	b.ResetTimer()
	for range b.N {
		verdicts := make(chan time.Time, 10)
		eventAt := make(chan time.Time, 1) // the first event of the container
		display := newWatchDisplay(streams, ex)
		opts := session.WatchOptions{
			Show: func(v session.Verdict) {
				display.show(v) // drawing is part of the latency
				verdicts <- time.Now()
			},
			OnEvent: func(ev sandbox.Event) {
				if ev.Type == "container" && ev.Name == name {
					select {
					case eventAt <- time.Now():
					default:
					}
				}
			},
		}
		wctx, cancel := context.WithTimeout(ctx, time.Minute)
		done := make(chan error, 1)
		go func() { _, err := s.Watch(wctx, ex, opts); done <- err }()
		<-verdicts // the first look: not running
		if _, err := eng.RunContainer(ctx, sandbox.ContainerSpec{Name: name, Image: "busybox:1.36", Labels: labels}); err != nil {
			b.Fatal(err)
		}
		started := time.Now()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		at := <-verdicts
		eventToVerdict += at.Sub(<-eventAt)
		startToVerdict += at.Sub(started)
		cancel()
		b.StopTimer()
		if err := eng.RemoveContainer(ctx, name); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(eventToVerdict.Microseconds())/1000/float64(b.N), "event-to-verdict-ms")
	b.ReportMetric(float64(startToVerdict.Microseconds())/1000/float64(b.N), "start-to-verdict-ms")
}

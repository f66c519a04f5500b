package checker

import (
	"context"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
)

// settleTarget answers each inspect with the next of its containers (the
// last one from then on) and counts the waits; stop tells whether a wait
// sees the container stop at once, or runs out.
type settleTarget struct {
	Target
	seen  []sandbox.Container
	stop  bool
	waits []time.Duration // how long each wait could last
}

func (f *settleTarget) InspectContainer(context.Context, string) (sandbox.Container, error) {
	ct := f.seen[0]
	if len(f.seen) > 1 {
		f.seen = f.seen[1:]
	}
	return ct, nil
}

func (f *settleTarget) WaitStopped(ctx context.Context, _ string) error {
	d, _ := ctx.Deadline()
	f.waits = append(f.waits, time.Until(d))
	if f.stop {
		return nil
	}
	<-ctx.Done()
	return ctx.Err()
}

func TestSettle(t *testing.T) {
	now := time.Now()
	running := func(started time.Time) sandbox.Container {
		return sandbox.Container{ID: "c1", Name: "dojo-web", State: "running", Running: true, StartedAt: started}
	}
	exited := sandbox.Container{ID: "c1", Name: "dojo-web", State: "exited", StartedAt: now}
	tests := []struct {
		name   string
		seen   []sandbox.Container
		stop   bool
		checks int // how many checks of the one container in the run
		waits  int
		want   string
	}{
		{name: "an old container is judged at once", seen: []sandbox.Container{running(now.Add(-time.Minute))}, checks: 1, waits: 0},
		{name: "a young one that exits is exited", seen: []sandbox.Container{running(now), exited}, stop: true, checks: 1, waits: 1,
			want: "exists but is not running: it is exited with exit code 0"},
		{name: "a young one that stays up runs", seen: []sandbox.Container{running(now.Add(-Settle + 50*time.Millisecond))}, checks: 1, waits: 1},
		{name: "a young one started again meanwhile is restarting", seen: []sandbox.Container{running(now), running(now.Add(time.Millisecond))}, stop: true, checks: 1, waits: 1,
			want: "it is restarting (it keeps exiting"},
		{name: "an engine clock ahead costs one wait a run", seen: []sandbox.Container{running(now.Add(10 * time.Minute))}, stop: true, checks: 3, waits: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := &settleTarget{seen: tt.seen, stop: tt.stop}
			var checks []Check
			for range tt.checks {
				checks = append(checks, Check{Spec: &ContainerRunning{ContainerExists: ContainerExists{Container: "dojo-web"}}})
			}
			res, err := runAll(context.Background(), Env{Target: target}, checks)
			if err != nil {
				t.Fatal(err)
			}
			judge(t, res.Outcomes[0], tt.want)
			if len(target.waits) != tt.waits {
				t.Errorf("waited %d times; want %d", len(target.waits), tt.waits)
			}
			for _, d := range target.waits {
				if d > Settle {
					t.Errorf("a wait could last %s; want at most Settle (%s)", d, Settle)
				}
			}
		})
	}
}

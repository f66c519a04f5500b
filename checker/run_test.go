package checker

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
)

// gateTarget serves old running containers, counts the inspects of each,
// and holds every exec until as many execs as want are under way at once:
// checks run one after the other never get there, and their first exec
// gives up at the deadline. The exec of "last" then answers first, the
// others once it has answered, so that the checks finish in the reverse of
// their declared order.
type gateTarget struct {
	Target
	want     int
	deadline time.Time

	mu       sync.Mutex
	inspects map[string]int
	arrived  int
	all      chan struct{} // closed when want execs are under way
	lastDone chan struct{} // closed when the exec of "last" has answered
}

func newGateTarget(want int) *gateTarget {
	return &gateTarget{want: want, deadline: time.Now().Add(10 * time.Second), inspects: map[string]int{},
		all: make(chan struct{}), lastDone: make(chan struct{})}
}

func (g *gateTarget) InspectContainer(_ context.Context, name string) (sandbox.Container, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inspects[name]++
	if name == "gone" {
		return sandbox.Container{}, fmt.Errorf("inspect gone: %w", sandbox.ErrUnreachable)
	}
	return sandbox.Container{ID: name, Name: name, Running: true, State: "running", StartedAt: time.Now().Add(-time.Hour)}, nil
}

func (g *gateTarget) Exec(ctx context.Context, _ string, cmd []string) (sandbox.ExecResult, error) {
	g.mu.Lock()
	g.arrived++
	if g.arrived == g.want {
		close(g.all)
	}
	g.mu.Unlock()
	wait := func(c <-chan struct{}, what string) error {
		select {
		case <-c:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Until(g.deadline)):
			return fmt.Errorf("%s: not seen before the deadline", what)
		}
	}
	if err := wait(g.all, fmt.Sprintf("%d execs under way at once", g.want)); err != nil {
		return sandbox.ExecResult{}, err
	}
	if cmd[0] == "last" {
		defer close(g.lastDone)
		return sandbox.ExecResult{Stdout: cmd[0]}, nil
	}
	if err := wait(g.lastDone, "the last check's answer"); err != nil {
		return sandbox.ExecResult{}, err
	}
	return sandbox.ExecResult{Stdout: cmd[0]}, nil
}

func execCheck(word string) Check {
	return Check{Kind: "exec", Spec: &Exec{Container: "dojo-box", Command: []string{word}, Output: Output{OutputContains: word}}}
}

func TestChecksRunAtOnceAndReportInDeclaredOrder(t *testing.T) {
	target := newGateTarget(3)
	checks := []Check{execCheck("first"), execCheck("second"), execCheck("last")}
	res, err := runAll(context.Background(), Env{Target: target}, checks)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Outcomes) != len(checks) {
		t.Fatalf("got %d outcomes; want %d", len(res.Outcomes), len(checks))
	}
	for i, o := range res.Outcomes {
		if want := checks[i].Spec.Title(); o.Title != want || !o.Passed {
			t.Errorf("outcome %d = %q passed=%v %s; want %q passing", i, o.Title, o.Passed, o.Message, want)
		}
	}
	if n := target.inspects["dojo-box"]; n != 1 {
		t.Errorf("the container was inspected %d times in one run; want once", n)
	}
}

func TestLostEngineKeepsTheChecksBeforeIt(t *testing.T) {
	// The exec waits for two execs at once, which never happens: it ends
	// when the lost engine ends the run, or fails the test at the deadline.
	target := newGateTarget(2)
	checks := []Check{
		{Kind: "container_running", Spec: &ContainerRunning{ContainerExists: ContainerExists{Container: "dojo-web"}}},
		{Kind: "container_running", Spec: &ContainerRunning{ContainerExists: ContainerExists{Container: "gone"}}},
		execCheck("first"),
	}
	res, err := runAll(context.Background(), Env{Target: target}, checks)
	if !errors.Is(err, sandbox.ErrUnreachable) {
		t.Fatalf("Run = %v; want the lost engine's error", err)
	}
	if len(res.Outcomes) != 1 || !res.Outcomes[0].Passed {
		t.Errorf("outcomes = %+v; want only the passing check before the lost engine", res.Outcomes)
	}
}

// TestYoungContainerIsSettledOnceForAllChecks runs several checks of one
// young container at once: one wait serves them all.
func TestYoungContainerIsSettledOnceForAllChecks(t *testing.T) {
	young := sandbox.Container{ID: "c1", Name: "dojo-web", State: "running", Running: true, StartedAt: time.Now()}
	target := &settleTarget{seen: []sandbox.Container{young}, stop: true}
	running := Check{Spec: &ContainerRunning{ContainerExists: ContainerExists{Container: "dojo-web"}}}
	res, err := runAll(context.Background(), Env{Target: target}, []Check{running, running, running, running, running})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed() || len(target.waits) != 1 {
		t.Errorf("five checks of a young container: passed=%v after %d waits; want a pass after one wait", res.Passed(), len(target.waits))
	}
}

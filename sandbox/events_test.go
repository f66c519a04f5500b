package sandbox_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

func TestEventsRejectsUnknownTypes(t *testing.T) {
	eng := sandboxtest.Engine(t)
	_, errs := eng.Events(context.Background(), sandbox.EventFilter{Types: []string{"container", "daemon"}})
	err := <-errs
	if err == nil || !strings.Contains(err.Error(), `unknown event type "daemon"`) {
		t.Fatalf("Events with type daemon: got %v, want an unknown event type error", err)
	}
}

// TestEvents subscribes, then makes a container, a volume and a network,
// and expects to see each change named, in order, and nothing of the types
// it did not ask for.
func TestEvents(t *testing.T) {
	eng := sandboxtest.Engine(t)
	labels := sandboxtest.Labels(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	evs, errs := eng.Events(ctx, sandbox.EventFilter{
		Types:   []string{"container", "volume", "network"},
		Actions: []string{"start", "destroy", "create", "connect"},
	})

	suffix := labels[sandbox.LabelRun][:8]
	ctr, vol, net := "dojo-events-"+suffix, "dojo-events-vol-"+suffix, "dojo-events-net-"+suffix
	if err := eng.CreateNetwork(ctx, net, "bridge", labels); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = eng.RemoveNetwork(context.Background(), net) })
	if err := eng.CreateVolume(ctx, vol, labels); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = eng.RemoveVolume(context.Background(), vol) })
	before := time.Now()
	if _, err := eng.RunContainer(ctx, sandbox.ContainerSpec{Name: ctr, Image: "busybox:1.36", Network: net, Labels: labels}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = eng.RemoveContainer(context.Background(), ctr) })
	if err := eng.RemoveContainer(ctx, ctr); err != nil {
		t.Fatal(err)
	}

	want := []struct{ typ, action, name string }{
		{"network", "create", net},
		{"volume", "create", vol},
		{"container", "create", ctr},
		{"network", "connect", net},
		{"container", "start", ctr},
		{"container", "destroy", ctr},
	}
	// Other tests' objects may pass by; only ours are compared.
	ours := func(ev sandbox.Event) bool {
		return ev.Name == ctr || ev.ID == vol || ev.Name == vol || ev.Name == net
	}
	var got []sandbox.Event
	for len(got) < len(want) {
		select {
		case ev := <-evs:
			if ev.Type == "image" || ev.Action == "stop" || ev.Action == "die" {
				t.Errorf("got %s %s, which the filter excludes", ev.Type, ev.Action)
			}
			if ours(ev) {
				got = append(got, ev)
			}
		case err := <-errs:
			t.Fatalf("event stream ended: %v (got %v)", err, got)
		case <-ctx.Done():
			t.Fatalf("timed out; got %v", got)
		}
	}
	for i, w := range want {
		g := got[i]
		name := g.Name
		if g.Type == "volume" {
			name = g.ID
		}
		if g.Type != w.typ || g.Action != w.action || name != w.name {
			t.Errorf("event %d: got %s %s %s, want %s %s %s", i, g.Type, g.Action, name, w.typ, w.action, w.name)
		}
		if g.Time.Before(before.Add(-time.Minute)) || g.Time.After(time.Now().Add(time.Minute)) {
			t.Errorf("event %d: time %v is not now", i, g.Time)
		}
	}
	if got[2].Attributes[sandbox.LabelRun] != labels[sandbox.LabelRun] {
		t.Errorf("container event attributes %v lack the container's labels", got[2].Attributes)
	}

	cancel()
	select {
	case err := <-errs:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("after cancel: got %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the event stream did not end after its context was cancelled")
	}
}

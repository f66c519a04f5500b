package checker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
)

// TestNot holds negation to its rule: a negated check passes when its
// spec's check fails, fails with "found that ..." when it passes, and a
// check that could not look at all fails whatever its negation.
func TestNot(t *testing.T) {
	target := fakeTarget{containers: map[string]sandbox.Container{"dojo-web": {Name: "dojo-web", Running: true, State: "running"}}}
	running := func(name string) Spec { return &ContainerRunning{ContainerExists: ContainerExists{Container: name}} }
	res, err := runAll(context.Background(), Env{Target: target}, []Check{
		{Kind: "container_running", Spec: running("dojo-web"), Not: true, Explain: "Stop it with docker stop."},
		{Kind: "container_running", Spec: running("dojo-gone"), Not: true},
		{Kind: "no_such_kind", Not: true, Pos: "lesson.md:3:5"},
		{Kind: "container_running", Spec: running("dojo-web"), Not: true, Title: "dojo-web is stopped"},
	})
	if err != nil {
		t.Fatal(err)
	}
	o := res.Outcomes[0]
	if want := "found that container dojo-web is running; it must not be so\nStop it with docker stop."; o.Passed || o.Message != want {
		t.Errorf("negated check that holds: %+v; want a failure saying %q", o, want)
	}
	if o.Title != "not: container dojo-web is running" {
		t.Errorf("title = %q; want it to say not:", o.Title)
	}
	// Of a container that is not there, neither the check nor its
	// negation holds: it fails, saying what is missing.
	if o, want := res.Outcomes[1], "there is no container named dojo-gone"; o.Passed || !strings.HasPrefix(o.Message, want) {
		t.Errorf("negated check of a missing container: %+v; want a failure saying %q", o, want)
	}
	if o := res.Outcomes[2]; o.Passed {
		t.Errorf("a negated check that cannot run passes: %+v", o)
	}
	// A title is the author's words for what must hold: shown as written,
	// while the message says what was found in the kind's words.
	if o, want := res.Outcomes[3], "found that container dojo-web is running; it must not be so"; o.Title != "dojo-web is stopped" || o.Message != want {
		t.Errorf("negated check with a title: %+v; want the title as written and the message %q", o, want)
	}

	gone := fakeTarget{err: fmt.Errorf("ping: %w", sandbox.ErrUnreachable)}
	_, err = runAll(context.Background(), Env{Target: gone}, []Check{{Kind: "container_running", Spec: running("dojo-web"), Not: true}})
	if !errors.Is(err, sandbox.ErrUnreachable) {
		t.Errorf("Run of a negated check on an unreachable engine = %v; want the engine's error", err)
	}
}

// TestMissingContainer holds a check of a container that is not there to
// saying so alone: the lesson's explain, and a negation, are about one that
// is, and would tell the learner of mistakes they did not make. Whether it
// is there is container_exists's question, whose explain stands.
func TestMissingContainer(t *testing.T) {
	target := fakeTarget{containers: map[string]sandbox.Container{"dojo-wbe": {Name: "dojo-wbe", Running: true, State: "running"}}}
	exited := &ContainerState{Container: "dojo-web", State: "exited"}
	res, err := runAll(context.Background(), Env{Target: target, Scope: Scope{Containers: []string{"dojo-web"}}}, []Check{
		{Kind: "container_exists", Spec: &ContainerExists{Container: "dojo-web"}, Explain: "Run it with --name dojo-web."},
		{Kind: "mount", Spec: &Mount{Container: "dojo-web", Type: "bind", Target: "/srv"}, Explain: "The folder mounted at /srv is not your site folder."},
		{Kind: "container_state", Spec: exited, Not: true, Explain: "Remove the one there is."},
	})
	if err != nil {
		t.Fatal(err)
	}
	const missing = "there is no container named dojo-web (found dojo-wbe; did you mean dojo-web? `docker rename dojo-wbe dojo-web` renames it)"
	if o, want := res.Outcomes[0], missing+"\nRun it with --name dojo-web."; o.Passed || o.Message != want {
		t.Errorf("container_exists of a missing container: %+v; want %q", o, want)
	}
	for _, o := range res.Outcomes[1:] {
		if o.Passed || o.Message != missing {
			t.Errorf("%s of a missing container: %+v; want a failure saying only %q", o.Kind, o, missing)
		}
	}
}

// TestNotOnEngine negates checks that look across networks, the use that
// lessons make of it: a name that must not resolve, a port that must not
// answer.
func TestNotOnEngine(t *testing.T) {
	eng, labels, ctx := onEngine(t, 2*time.Minute)
	id := suffix()
	lan, other := "dojotest-not-lan-"+id, "dojotest-not-other-"+id
	a, b, c := "dojotest-not-a-"+id, "dojotest-not-b-"+id, "dojotest-not-c-"+id
	must(t, eng.CreateNetwork(ctx, lan, "bridge", labels))
	must(t, eng.CreateNetwork(ctx, other, "bridge", labels))
	startContainer(t, eng, sandbox.ContainerSpec{Name: a, Image: "busybox:1.36", Network: lan, Labels: labels})
	startContainer(t, eng, sandbox.ContainerSpec{Name: b, Image: "busybox:1.36", Network: lan, Labels: labels})
	startContainer(t, eng, sandbox.ContainerSpec{Name: c, Image: "httpd:2.4", Cmd: []string{"httpd-foreground"}, Network: other, Labels: labels, CapAdd: []string{"NET_BIND_SERVICE"}})
	env := Env{Target: eng, Labels: labels, Scope: Scope{Containers: []string{a, b, c}}}
	for _, tt := range []struct {
		name  string
		check Check
		want  string
	}{
		{"a name of another network does not resolve", Check{Spec: &NameResolves{From: a, Name: c}, Not: true}, ""},
		{"a name of the same network resolves", Check{Spec: &NameResolves{From: a, Name: b}, Not: true}, "it must not be so"},
		{"a server on another network does not answer", Check{Spec: &Script{Network: lan, Script: "wget -q -T 3 -O- http://" + c + "/"}, Not: true}, ""},
		{"a server on its own network answers", Check{Spec: &Script{Network: other, Script: "wget -q -T 3 -O- http://" + c + "/"}, Not: true}, "it must not be so"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := runAll(ctx, env, []Check{tt.check})
			if err != nil {
				t.Fatal(err)
			}
			judge(t, res.Outcomes[0], tt.want)
		})
	}
}

// TestNegatedCheckOutOfScopeFails: a check refused for naming what is not
// the exercise's fails, negated or not; negation must not turn the refusal
// into a pass.
func TestNegatedCheckOutOfScopeFails(t *testing.T) {
	target := fakeTarget{containers: map[string]sandbox.Container{"learners-db": {Name: "learners-db", Running: true, State: "running"}}}
	res, err := Run(context.Background(), Env{Target: target}, []Check{
		{Kind: "container_running", Spec: &ContainerRunning{ContainerExists: ContainerExists{Container: "learners-db"}}, Not: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	if o := res.Outcomes[0]; o.Passed || !strings.Contains(o.Message, "dockdojo refuses this check") {
		t.Errorf("a negated check out of scope: %+v; want it refused", o)
	}
}

package sandbox_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// TestStallingEngine: an engine that answers its ping and then nothing.
// Every request gives up within its deadline with an error that says the
// engine is unreachable and for how long it was waited for.
func TestStallingEngine(t *testing.T) {
	ctx := context.Background()

	for _, tt := range []struct {
		name string
		do   func(eng *sandbox.Engine) error
	}{
		{"inspect", func(eng *sandbox.Engine) error { _, err := eng.InspectContainer(ctx, "dojo-web"); return err }},
		{"list", func(eng *sandbox.Engine) error {
			_, err := eng.ListLabelled(ctx, map[string]string{"a": "b"})
			return err
		}},
		{"events", func(eng *sandbox.Engine) error {
			_, errs := eng.Events(ctx, sandbox.EventFilter{})
			return <-errs
		}},
		// A change is given up on as soon as the engine is found stuck,
		// not at ChangeTimeout.
		{"create", func(eng *sandbox.Engine) error {
			_, err := eng.RunContainer(ctx, sandbox.ContainerSpec{Name: "dojo-web", Image: "busybox:1.36"})
			return err
		}},
		{"network create", func(eng *sandbox.Engine) error { return eng.CreateNetwork(ctx, "dojo-net", "bridge", nil) }},
		{"volume create", func(eng *sandbox.Engine) error { return eng.CreateVolume(ctx, "dojo-vol", nil) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// An engine of its own: one found stuck fails the next
			// request sooner (see TestStuckEngineIsNotWaitedForAgain).
			eng := connectTo(t, sandboxtest.StallingEngine(t))
			start := time.Now()
			err := tt.do(eng)
			took := time.Since(start)
			if !errors.Is(err, sandbox.ErrUnreachable) || !strings.Contains(err.Error(), "did not answer within 3s") {
				t.Errorf("error = %v; want ErrUnreachable that says it did not answer within 3s", err)
			}
			if took < sandbox.AnswerTimeout || took > sandbox.AnswerTimeout+time.Second {
				t.Errorf("gave up after %s; want %s", took.Round(time.Millisecond), sandbox.AnswerTimeout)
			}
		})
	}
}

// TestStuckEngineIsNotWaitedForAgain: once the engine has been found stuck,
// a request after that (a clean-up, the next object of a reset) is not
// given the whole wait again: the engine is asked at once whether it
// answers, and when it does not, the request gives up then.
func TestStuckEngineIsNotWaitedForAgain(t *testing.T) {
	eng := connectTo(t, sandboxtest.StallingEngine(t))
	ctx := context.Background()
	if _, err := eng.InspectContainer(ctx, "dojo-web"); !errors.Is(err, sandbox.ErrUnreachable) {
		t.Fatalf("inspect of a stuck engine: %v, want ErrUnreachable", err)
	}
	start := time.Now()
	err := eng.CreateNetwork(ctx, "dojo-net", "bridge", nil)
	if took := time.Since(start); !errors.Is(err, sandbox.ErrUnreachable) || took > 1500*time.Millisecond {
		t.Errorf("a create after the engine was found stuck: %v after %s; want ErrUnreachable within 1.5s", err, took.Round(time.Millisecond))
	}
}

// TestBusyEngineIsWaitedFor: an engine that lists its containers at once
// but holds a container's inspect for longer than AnswerTimeout, as it does
// while it stops that container on a loaded machine. It is busy, not stuck:
// the inspect is waited for and answers.
func TestBusyEngineIsWaitedFor(t *testing.T) {
	hold := sandbox.AnswerTimeout + 1500*time.Millisecond
	eng := connectTo(t, sandboxtest.BusyEngine(t, hold))
	ctx := context.Background()
	start := time.Now()
	c, err := eng.InspectContainer(ctx, "dojo-web")
	if took := time.Since(start); err != nil || c.Name != "dojo-web" || !c.Running || took < hold {
		t.Errorf("inspect of a busy engine's container after %s: %+v, %v; want the running container after %s", took.Round(time.Millisecond), c, err, hold)
	}
}

// TestBusyEngineIsWaitedForAChange: an engine that lists its containers at
// once but takes longer than AnswerTimeout to create one (a loaded
// machine). It is busy, not stuck: the create is waited for.
func TestBusyEngineIsWaitedForAChange(t *testing.T) {
	hold := sandbox.AnswerTimeout + 1500*time.Millisecond
	host, _ := sandboxtest.SlowCreateEngine(t, hold)
	eng := connectTo(t, host)
	start := time.Now()
	id, err := eng.RunContainer(context.Background(), sandbox.ContainerSpec{Name: "dojo-slow", Image: "busybox:1.36"})
	if took := time.Since(start); err != nil || id != "f00d" || took < hold {
		t.Errorf("a create that a busy engine takes %s for: %q, %v after %s; want it made", hold, id, err, took.Round(time.Millisecond))
	}
}

// TestCancelledRunLeavesNoContainer: a run cancelled while the engine
// creates its container (Ctrl-C during a start, a self-test stopped) waits
// for the create, which the engine finishes whatever the client does, and
// removes the container: given up on, it would be left where nothing
// knows of it.
func TestCancelledRunLeavesNoContainer(t *testing.T) {
	host, seen := sandboxtest.SlowCreateEngine(t, 300*time.Millisecond)
	eng := connectTo(t, host)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := eng.RunContainer(ctx, sandbox.ContainerSpec{Name: "dojo-cancelled", Image: "busybox:1.36"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("RunContainer cancelled while creating: %v, want context.Canceled", err)
	}
	if got := seen(); !slices.Contains(got, "DELETE /containers/f00d") || slices.Contains(got, "POST /containers/f00d/start") {
		t.Errorf("the engine was asked %v; want the container it created removed, not started", got)
	}
}

// TestEngineWedgedDuringABuild: an engine that stops answering while it
// builds the learner's Dockerfile is reported as unreachable as soon as the
// build has gone quiet and the engine does not list its containers either,
// or when the build overruns its deadline: never as a Dockerfile that
// did not finish in time.
func TestEngineWedgedDuringABuild(t *testing.T) {
	top := t.TempDir()
	if err := os.WriteFile(filepath.Join(top, "Dockerfile"), []byte("FROM busybox:1.36\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name     string
		quiet    time.Duration // how long the build may say nothing
		deadline time.Duration // the build's
	}{
		{"goes quiet", time.Second, 15 * time.Second},
		{"overruns", time.Minute, 2 * time.Second},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sandbox.SetBuildQuiet(t, tt.quiet)
			eng := connectTo(t, sandboxtest.StallingEngine(t))
			ctx, cancel := context.WithTimeout(context.Background(), tt.deadline)
			defer cancel()
			start := time.Now()
			err := eng.Build(ctx, top, ".", "Dockerfile", "dojo-build:test", nil)
			took := time.Since(start)
			var te *sandbox.TimeoutError
			if !errors.Is(err, sandbox.ErrUnreachable) || errors.As(err, &te) {
				t.Errorf("a build on a wedged engine: %v; want ErrUnreachable, not a build that did not finish", err)
			}
			if want := min(tt.quiet, tt.deadline) + sandbox.AnswerTimeout + time.Second; took > want {
				t.Errorf("a build on a wedged engine gave up after %s; want within %s", took.Round(time.Millisecond), want)
			}
		})
	}
}

// TestPullWithoutInternet: a sandbox's image pulled on a machine that
// cannot reach any registry is said to be so, with the ways a workshop
// gets images without one, not as the engine's raw lookup error.
func TestPullWithoutInternet(t *testing.T) {
	eng := connectTo(t, sandboxtest.OfflineEngine(t))
	_, err := eng.EnsureImage(context.Background(), "busybox:1.36", io.Discard, 0, false)
	if err == nil {
		t.Fatal("a pull without internet succeeded")
	}
	for _, want := range []string{"busybox:1.36: the image could not be downloaded", "no internet", "dockdojo prepare --load FILE", "dockdojo prepare --mirror HOST:PORT", "DOCKDOJO_MIRROR"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), "Error response from daemon") {
		t.Errorf("the engine's raw words: %v", err)
	}
}

// connectTo connects to the engine at host, a DOCKER_HOST value, which
// answers its ping.
func connectTo(t *testing.T, host string) *sandbox.Engine {
	t.Helper()
	env := func(k string) string {
		if k == "DOCKER_HOST" {
			return host
		}
		return ""
	}
	eng, err := sandbox.Connect(context.Background(), env, t.TempDir())
	if err != nil {
		t.Fatalf("Connect to an engine that answers its ping: %v", err)
	}
	t.Cleanup(func() { _ = eng.Close() })
	return eng
}

// Package sandboxtest connects tests to the real Docker engine and scopes
// what they create with labels that are swept when the test ends.
package sandboxtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
)

// sweepTimeout bounds the clean-up a test registers.
const sweepTimeout = time.Minute

// Engine connects to the engine the docker CLI would use. When it cannot, the
// test is skipped, except in CI (CI=true), where a missing engine fails it.
// The connection is closed when the test ends.
func Engine(t testing.TB) *sandbox.Engine {
	t.Helper()
	e := connect(t)
	t.Cleanup(func() { _ = e.Close() })
	return e
}

func connect(t testing.TB) *sandbox.Engine {
	t.Helper()
	home, _ := os.UserHomeDir()
	e, err := sandbox.Connect(context.Background(), os.Getenv, home)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("docker engine not reachable: %v", err)
		}
		t.Skipf("docker engine not reachable (%v); start Docker or set DOCKER_HOST to run this test", err)
	}
	Exclusive(t)
	return e
}

// Labels returns labels unique to this run of the test, naming the test as
// its exercise, and removes everything carrying them when the test ends.
func Labels(t testing.TB) map[string]string {
	t.Helper()
	labels := map[string]string{
		sandbox.LabelExercise: "test/" + sanitize(t.Name()),
		sandbox.LabelRun:      randomID(),
	}
	e := connect(t)
	t.Cleanup(func() {
		defer e.Close()
		ctx, cancel := context.WithTimeout(context.Background(), sweepTimeout)
		defer cancel()
		if _, err := e.RemoveLabelled(ctx, labels); err != nil {
			t.Errorf("clean up test objects: %v", err)
		}
	})
	return labels
}

// sanitize keeps a test name readable in `docker ps --filter label=...`.
func sanitize(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.', r == '/':
			return r
		}
		return '_'
	}, name)
}

func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// OwnImage makes sure no image is named ref yet, and removes whatever the
// test puts under that name when it ends. Tests use names of their own
// (dojotest/...), so nothing of the learner's or of other tests is
// touched; a leftover from an interrupted run is reported, not removed.
func OwnImage(t testing.TB, e *sandbox.Engine, ref string) {
	t.Helper()
	if _, err := e.InspectImage(context.Background(), ref); err == nil {
		t.Fatalf("image %s exists before the test made it (left by an interrupted run?); remove it with `docker rmi %s`", ref, ref)
	} else if !errors.Is(err, sandbox.ErrNotFound) {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		err := e.RemoveImage(context.Background(), ref)
		if err != nil && !errors.Is(err, sandbox.ErrNotFound) {
			t.Errorf("remove test image %s: %v", ref, err)
		}
	})
}

// FreePort returns a TCP port of this machine that nothing listens on
// now, for a test to publish.
func FreePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

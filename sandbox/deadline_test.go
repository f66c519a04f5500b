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

// TestStallingEngine: an engine that answers its ping and then nothing.
// Every request gives up within its deadline with an error that says the
// engine is unreachable and for how long it was waited for.
func TestStallingEngine(t *testing.T) {
	host := sandboxtest.StallingEngine(t)
	env := func(k string) string {
		if k == "DOCKER_HOST" {
			return host
		}
		return ""
	}
	ctx := context.Background()
	eng, err := sandbox.Connect(ctx, env, t.TempDir())
	if err != nil {
		t.Fatalf("Connect to an engine that answers its ping: %v", err)
	}
	t.Cleanup(func() { _ = eng.Close() })

	for _, tt := range []struct {
		name string
		do   func() error
	}{
		{"inspect", func() error { _, err := eng.InspectContainer(ctx, "dojo-web"); return err }},
		{"list", func() error { _, err := eng.ListLabelled(ctx, map[string]string{"a": "b"}); return err }},
		{"events", func() error {
			_, errs := eng.Events(ctx, sandbox.EventFilter{})
			return <-errs
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			err := tt.do()
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

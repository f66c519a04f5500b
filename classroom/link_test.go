package classroom

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestLinkSaysWhatWaits: an event the classroom did not get (its server is
// down) is said to wait, so that a learner whose pass waits knows the
// dashboard does not show it yet; once sent, nothing is said.
func TestLinkSaysWhatWaits(t *testing.T) {
	r := newRoom(t, Options{})
	home := t.TempDir()
	getenv := func(string) string { return "" }
	cfg, _, err := JoinWith(context.Background(), http.DefaultClient, r.ts.URL, JoinRequest{Code: r.srv.JoinCode(), Name: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Save(ConfigPath(getenv, home)); err != nil {
		t.Fatal(err)
	}

	sent := OpenLink(getenv, home)
	sent.Report(Event{Kind: KindHint, Exercise: "first-run/publish-page", Hint: 1})
	if notice := sent.Finish(); notice != "" {
		t.Errorf("an event the classroom got: the learner is told %q", notice)
	}

	r.ts.Close()
	down := OpenLink(getenv, home)
	down.Report(Event{Kind: KindPassed, Exercise: "first-run/publish-page", ChecksOK: 1, ChecksTotal: 1})
	notice := down.Finish()
	if !strings.Contains(notice, "did not answer") || !strings.Contains(notice, "your next dockdojo command") {
		t.Errorf("an event the classroom did not get: the learner is told %q", notice)
	}
	if n := (Queue{Dir: QueueDir(getenv, home)}).Len(); n != 1 {
		t.Errorf("%d events wait, want the pass", n)
	}
}

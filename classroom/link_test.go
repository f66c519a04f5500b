package classroom

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/dockdojo/dockdojo/internal/shellquote"
)

// joinedHome is the home of a learner Ada who joined r.
func joinedHome(t *testing.T, r *room) (home string, getenv func(string) string) {
	t.Helper()
	home, getenv = t.TempDir(), func(string) string { return "" }
	cfg, _, err := JoinWith(context.Background(), http.DefaultClient, r.ts.URL, JoinRequest{Code: r.srv.JoinCode(), Name: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Save(ConfigPath(getenv, home)); err != nil {
		t.Fatal(err)
	}
	return home, getenv
}

// TestLinkSaysWhatWaits: an event the classroom did not get (its server is
// down) is said to wait, so that a learner whose pass waits knows the
// dashboard does not show it yet; once sent, nothing is said.
func TestLinkSaysWhatWaits(t *testing.T) {
	r := newRoom(t, Options{})
	home, getenv := joinedHome(t, r)

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

// TestLinkSaysWhatCannotBeQueued: with a file where the state folder, or
// the queue's folder in it, should be, an event cannot wait to be sent.
// The learner is told, once, that the classroom does not get it, and how
// to move the file away; the command goes on (Report returns nothing).
func TestLinkSaysWhatCannotBeQueued(t *testing.T) {
	for _, tc := range []struct{ name, file string }{
		{"state folder", filepath.Join(".local", "state", "dockdojo")},
		{"classroom queue folder", filepath.Join(".local", "state", "dockdojo", "classroom-queue")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			getenv := func(string) string { return "" }
			cfg := &Config{URL: "http://127.0.0.1:1", Name: "Ada", Token: "t"}
			if err := cfg.Save(ConfigPath(getenv, home)); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(home, tc.file)
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, []byte("notes"), 0o644); err != nil {
				t.Fatal(err)
			}
			l := OpenLink(getenv, home)
			l.Report(Event{Kind: KindPassed, Exercise: "first-run/publish-page", ChecksOK: 1, ChecksTotal: 1})
			l.Report(Event{Kind: KindHint, Exercise: "first-run/inside-the-box", Hint: 1})
			want := "the classroom at http://127.0.0.1:1 does not get this, and your instructor does not see it, as it cannot be queued: " +
				tc.name + " " + file + " is a file, not a folder: move it away (`mv " + shellquote.Quote(file) + " " + shellquote.Quote(file+".old") + "`) and run again"
			if notice := l.Finish(); notice != want {
				t.Errorf("the learner is told\n%q\nwant\n%q", notice, want)
			}
		})
	}
}

// TestLinkSendsWhatTheClassroomHeldBack: a classroom that holds back a
// learner's posts (too many within seconds) takes them again within a
// second: the command sends them before it ends, so that the dashboard
// shows the learner's latest state. When it would take them only later,
// the learner is told, in one line, that they go with the next command.
func TestLinkSendsWhatTheClassroomHeldBack(t *testing.T) {
	for _, tc := range []struct {
		name  string
		every time.Duration
		sent  bool
	}{
		{"taken again within a second", 500 * time.Millisecond, true},
		{"taken again in an hour", time.Hour, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lim := DefaultLimits()
			lim.PostRate, lim.PostBurst = rate.Every(tc.every), 1
			r := newRoom(t, Options{Limits: lim})
			home, getenv := joinedHome(t, r)
			queue := Queue{Dir: QueueDir(getenv, home)}
			l := OpenLink(getenv, home)
			l.Report(Event{Kind: KindStarted, Exercise: "first-run/publish-page"})
			for deadline := time.Now().Add(5 * time.Second); queue.Len() > 0; time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("the first event was not sent")
				}
			}
			l.Report(Event{Kind: KindHint, Exercise: "first-run/publish-page", Hint: 1})
			l.Report(Event{Kind: KindPassed, Exercise: "first-run/publish-page", ChecksOK: 1, ChecksTotal: 1})
			notice := l.Finish()
			hints := r.srv.Snapshot().Learners[0].Cells["first-run/publish-page"].Hints
			if tc.sent {
				if notice != "" || queue.Len() != 0 || hints != 1 {
					t.Errorf("the learner is told %q; %d events wait, the dashboard has %d hints; want nothing said, nothing waiting, the hint shown", notice, queue.Len(), hints)
				}
				return
			}
			want := "the classroom at " + r.ts.URL + " takes no more posts from this laptop for now, so 2 events wait on it; they are sent with your next dockdojo command"
			if notice != want || queue.Len() != 2 {
				t.Errorf("the learner is told\n%q\nwant\n%q\n(%d events wait)", notice, want, queue.Len())
			}
		})
	}
}

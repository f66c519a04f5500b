package classroom

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/internal/fifotest"
)

func TestNormalizeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"192.168.1.20:7077", "http://192.168.1.20:7077"},
		{"http://192.168.1.20:7077/", "http://192.168.1.20:7077"},
		{" https://class.example:443 ", "https://class.example:443"},
		{"[::1]:7077", "http://[::1]:7077"},
		{"ftp://x", ""},
		{"http://", ""},
		{"http://user:pw@host", ""},
		{"http://host/?q=1", ""},
		{"http//192.168.1.20:7077", ""},
		{"https//class.example", ""},
		{"http:/192.168.1.20:7077", ""},
		{"http://192.168.1.20:7077/dashboard/0123abcd/", ""},
		{"http://192.168.1.20:7077/dashboard", ""},
		{"http://class.example/dojo/", "http://class.example/dojo"},
	}
	if _, err := NormalizeURL("http://192.168.1.20:7077/dashboard/0123abcd/"); err == nil || !strings.Contains(err.Error(), "the instructor's dashboard, not of the classroom: join with the address alone (like http://192.168.1.20:7077)") {
		t.Errorf("a dashboard address: %v", err)
	}
	for _, tt := range tests {
		got, err := NormalizeURL(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("NormalizeURL(%q) = %q, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormalizeURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// TestLeftClassrooms: the classrooms a learner left are kept privately,
// the latest last, one per address, MaxLeft at most, until the learner is
// back in one; a torn file is none.
func TestLeftClassrooms(t *testing.T) {
	l := LeftClassrooms{Path: filepath.Join(t.TempDir(), "cfg", "classrooms-left.json")}
	if l.Latest() != nil || l.At("http://a") != nil {
		t.Fatalf("classrooms left before any: %+v", l.All())
	}
	for i := range MaxLeft + 2 {
		if err := l.Add(Config{URL: fmt.Sprintf("http://h%d", i), Name: "Ada", Token: fmt.Sprint("t", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Add(Config{URL: "http://h5", Name: "Ada", Token: "t5b"}); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(l.Path); err != nil || st.Mode().Perm()&0o077 != 0 {
		t.Errorf("the file of the tokens of classrooms left: %v, %v; want it readable by its owner only", st, err)
	}
	all := l.All()
	if len(all) != MaxLeft || all[0].URL != "http://h2" || l.Latest().Token != "t5b" || l.At("http://h1") != nil || l.At("http://h7").Token != "t7" {
		t.Errorf("after %d classrooms left and one left again: %+v", MaxLeft+3, all)
	}
	if err := l.Remove("http://h5"); err != nil || l.At("http://h5") != nil || len(l.All()) != MaxLeft-1 {
		t.Errorf("Remove: %v, %+v", err, l.All())
	}
	for _, c := range l.All() {
		if err := l.Remove(c.URL); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(l.Path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("no classroom left, and the file stays: %v", err)
	}
	if err := os.WriteFile(l.Path, []byte("["), 0o600); err != nil {
		t.Fatal(err)
	}
	if l.Latest() != nil {
		t.Errorf("a torn file of classrooms left: %+v", l.All())
	}
}

func TestConfigIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cfg", "classroom.json")
	c := &Config{URL: "http://127.0.0.1:7077", Name: "Ada", Token: "t0k", Joined: testNow, Kinds: Kinds}
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		t.Errorf("config holding the token is mode %v; want it readable by its owner only", st.Mode().Perm())
	}
	got, err := LoadConfig(path)
	if err != nil || !reflect.DeepEqual(got, c) {
		t.Fatalf("LoadConfig = %+v, %v; want %+v", got, err, c)
	}
	if got, err := LoadConfig(filepath.Join(t.TempDir(), "none.json")); got != nil || err != nil {
		t.Errorf("missing config: %v, %v; want nil, nil", got, err)
	}
	if err := os.WriteFile(path, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfig(path); err == nil {
		t.Errorf("a torn config loads without error")
	}
	// A named pipe where the config goes is refused, not waited on.
	pipe := filepath.Join(t.TempDir(), "classroom.json")
	fifotest.Make(t, pipe)
	done := make(chan error, 1)
	go func() { _, err := LoadConfig(pipe); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "is a named pipe, not a file") {
			t.Errorf("LoadConfig of a named pipe = %v; want it refused as one", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("LoadConfig waited on a named pipe")
	}
}

// TestQueueAndFlush: events queued while the server is away are sent, in
// order and once each, when it is back.
func TestQueueAndFlush(t *testing.T) {
	r := newRoom(t, Options{Now: time.Now})
	ctx := context.Background()
	cfg, err := Join(ctx, r.ts.Client(), r.ts.URL, r.srv.JoinCode(), "Ada", "")
	if err != nil {
		t.Fatal(err)
	}
	q := Queue{Dir: t.TempDir()}
	start := time.Now().Add(-time.Hour)
	for i := 0; i < 45; i++ {
		e := Event{ID: NewEventID(), Kind: KindHint, Exercise: "a/b", At: start.Add(time.Duration(i) * time.Second), Hint: i + 1}
		if err := q.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	// Server away: nothing is lost.
	away := Sender{Config: &Config{URL: "http://127.0.0.1:1", Token: cfg.Token}, Queue: q}
	if _, err := away.Flush(ctx); err == nil {
		t.Fatal("flush to a closed port: no error")
	}
	if q.Len() != 45 {
		t.Fatalf("after a failed flush %d events wait, want 45", q.Len())
	}
	sent, err := Sender{Config: cfg, Queue: q, HTTP: r.ts.Client()}.Flush(ctx)
	if err != nil || sent != 45 || q.Len() != 0 {
		t.Fatalf("flush: sent %d, %v; %d still queued", sent, err, q.Len())
	}
	c := r.srv.Snapshot().Learners[0].Cells["a/b"]
	if c.Hints != 45 {
		t.Errorf("server counts %d hints, want 45", c.Hints)
	}
}

// TestFlushSendsTheLaptopsClock: the events of a laptop whose clock is 20
// minutes slow reach the dashboard at their real time, and the learner who
// just started does not look stuck.
func TestFlushSendsTheLaptopsClock(t *testing.T) {
	r := newRoom(t, Options{})
	cfg, err := Join(context.Background(), r.ts.Client(), r.ts.URL, r.srv.JoinCode(), "Ada", "")
	if err != nil {
		t.Fatal(err)
	}
	laptop := testNow.Add(-20 * time.Minute)
	q := Queue{Dir: t.TempDir()}
	if err := q.Add(Event{ID: NewEventID(), Kind: KindStarted, Exercise: "a/b", At: laptop}); err != nil {
		t.Fatal(err)
	}
	s := Sender{Config: cfg, Queue: q, HTTP: r.ts.Client(), Now: func() time.Time { return laptop }}
	if sent, err := s.Flush(context.Background()); err != nil || sent != 1 {
		t.Fatalf("flush: sent %d, %v", sent, err)
	}
	lv := r.srv.Snapshot().Learners[0]
	if started := lv.Cells["a/b"].Started; !started.Equal(testNow) || lv.Stuck != "" {
		t.Errorf("started %v, stuck %q; want started now (%v) and not stuck", started, lv.Stuck, testNow)
	}
}

func TestFlushGivesUpInTime(t *testing.T) {
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer hang.Close()
	defer close(release)
	q := Queue{Dir: t.TempDir()}
	if err := q.Add(Event{ID: NewEventID(), Kind: KindStarted, Exercise: "a/b", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Sender{Config: &Config{URL: hang.URL, Token: "x"}, Queue: q}.Flush(ctx)
	if err == nil || time.Since(start) > 2*time.Second {
		t.Fatalf("flush to a silent server: %v after %s", err, time.Since(start))
	}
	if q.Len() != 1 {
		t.Errorf("the event was dropped")
	}
}

func TestFlushUnknownLearner(t *testing.T) {
	r := newRoom(t, Options{Now: time.Now})
	q := Queue{Dir: t.TempDir()}
	if err := q.Add(Event{ID: NewEventID(), Kind: KindStarted, Exercise: "a/b", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	_, err := Sender{Config: &Config{URL: r.ts.URL, Token: "forged"}, Queue: q}.Flush(context.Background())
	if !errors.Is(err, ErrNotMember) {
		t.Fatalf("flush with an unknown token: %v, want ErrNotMember", err)
	}
	if q.Len() != 1 {
		t.Errorf("the event was dropped")
	}
}

func TestQueueKeepsTheNewest(t *testing.T) {
	q := Queue{Dir: t.TempDir(), Max: 3}
	for i := 0; i < 5; i++ {
		if err := q.Add(Event{ID: NewEventID(), Kind: KindHint, Exercise: "a/b", At: testNow.Add(time.Duration(i) * time.Minute), Hint: i}); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := q.files()
	if len(files) != 3 {
		t.Fatalf("%d queued, want 3", len(files))
	}
	// A torn file does not block the queue.
	if err := os.WriteFile(filepath.Join(q.Dir, "00000000000000000000-torn.json"), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := newRoom(t, Options{Now: func() time.Time { return testNow.Add(time.Hour) }})
	cfg, err := Join(context.Background(), r.ts.Client(), r.ts.URL, r.srv.JoinCode(), "Ada", "")
	if err != nil {
		t.Fatal(err)
	}
	sent, err := Sender{Config: cfg, Queue: q}.Flush(context.Background())
	if err != nil || sent != 3 || q.Len() != 0 {
		t.Fatalf("sent %d, %v; %d left", sent, err, q.Len())
	}
	if got := r.srv.Snapshot().Learners[0].Cells["a/b"].Hints; got != 4 {
		t.Errorf("hints %d, want 4: the newest three (hints 2, 3, 4) were kept", got)
	}
}

func TestJoinErrors(t *testing.T) {
	r := newRoom(t, Options{})
	_, err := Join(context.Background(), r.ts.Client(), r.ts.URL, "WRONG1", "Ada", "")
	if !errors.Is(err, ErrWrongCode) {
		t.Errorf("wrong code: %v, want ErrWrongCode", err)
	}
	// Not a classroom at all.
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<html>hello</html>"))
	}))
	defer other.Close()
	if _, err := Join(context.Background(), other.Client(), other.URL, "X", "Ada", ""); err == nil {
		t.Errorf("joining a web server that is no classroom: no error")
	}
}

// TestJoinerWaitsOutASlowDown: a join that the classroom slows down after
// a wrong code from the same address waits and tries again by itself, once,
// when the wait is short and the deadline allows it.
func TestJoinerWaitsOutASlowDown(t *testing.T) {
	tests := []struct {
		name     string
		every    time.Duration // the classroom's pace for wrong codes
		timeout  time.Duration // the caller's deadline; zero: none
		joined   bool
		waited   time.Duration // what Waiting was told; zero: not called
		tookLess time.Duration
	}{
		{"a short wait is waited out", time.Second, 0, true, time.Second, 4 * time.Second},
		{"a long one is not", time.Minute, 0, false, 0, time.Second},
		{"nor one past the deadline", time.Second, 500 * time.Millisecond, false, 0, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := DefaultLimits()
			lim.JoinFailBurst, lim.JoinFailEvery = 1, tt.every
			r := newRoom(t, Options{Limits: lim, Now: time.Now})
			ctx := context.Background()
			if _, err := Join(ctx, r.ts.Client(), r.ts.URL, "AAAAAA", "Eve", ""); !errors.Is(err, ErrWrongCode) {
				t.Fatalf("a wrong code: %v", err)
			}
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			var told []*APIError
			j := Joiner{HTTP: r.ts.Client(), Waiting: func(e *APIError) { told = append(told, e) }}
			start := time.Now()
			cfg, _, err := j.Join(ctx, r.ts.URL, JoinRequest{Code: r.srv.JoinCode(), Name: "Ada"})
			took := time.Since(start)
			if joined := err == nil && cfg != nil; joined != tt.joined || took >= tt.tookLess {
				t.Fatalf("joined %v (%v) after %s; want joined %v within %s", joined, err, took, tt.joined, tt.tookLess)
			}
			var slow *APIError
			if !tt.joined && (!errors.As(err, &slow) || slow.Status != 429 || slow.Reason != SlowWrongCodes) {
				t.Errorf("the error: %#v, want the classroom's 429 for wrong codes", err)
			}
			switch {
			case tt.waited == 0 && len(told) > 0:
				t.Errorf("Waiting was told %+v; want no wait", told[0])
			case tt.waited > 0 && (len(told) != 1 || told[0].RetryAfter != tt.waited || took < tt.waited-100*time.Millisecond):
				t.Errorf("Waiting was told %+v after %s; want one wait of %s", told, took, tt.waited)
			}
		})
	}
}

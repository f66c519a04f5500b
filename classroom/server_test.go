package classroom

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// clock is a settable time for the server under test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// room is a classroom server on loopback, with its data in a temporary
// folder that outlives a restart.
type room struct {
	t     *testing.T
	dir   string
	opts  Options
	clock *clock
	store *Store
	srv   *Server
	ts    *httptest.Server
}

func newRoom(t *testing.T, opts Options) *room {
	t.Helper()
	r := &room{t: t, dir: t.TempDir(), opts: opts, clock: &clock{t: testNow}}
	if r.opts.Now == nil {
		r.opts.Now = r.clock.Now
	}
	r.start()
	t.Cleanup(r.stop)
	return r
}

func (r *room) start() {
	r.t.Helper()
	st, err := OpenStore(r.dir)
	if err != nil {
		r.t.Fatal(err)
	}
	srv, err := NewServer(st, r.opts)
	if err != nil {
		r.t.Fatal(err)
	}
	r.store, r.srv, r.ts = st, srv, httptest.NewServer(srv.Handler())
}

func (r *room) stop() {
	if r.ts != nil {
		r.ts.Close()
		r.store.Close()
		r.ts = nil
	}
}

func (r *room) restart(opts Options) {
	r.t.Helper()
	r.stop()
	if opts.Now == nil {
		opts.Now = r.clock.Now
	}
	r.opts = opts
	r.start()
}

// post sends raw bytes and returns the status and the body.
func (r *room) post(path, token, contentType string, body []byte) (int, string) {
	r.t.Helper()
	req, err := http.NewRequest(http.MethodPost, r.ts.URL+path, bytes.NewReader(body))
	if err != nil {
		r.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := r.ts.Client().Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (r *room) postJSON(path, token string, v any) (int, string) {
	r.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		r.t.Fatal(err)
	}
	return r.post(path, token, "application/json", b)
}

func (r *room) join(name string) string {
	r.t.Helper()
	code, body := r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: name})
	if code != 200 {
		r.t.Fatalf("join %s: %d %s", name, code, body)
	}
	var jr JoinResponse
	if err := json.Unmarshal([]byte(body), &jr); err != nil {
		r.t.Fatal(err)
	}
	return jr.Token
}

func (r *room) send(token string, evs ...Event) EventsResponse {
	r.t.Helper()
	code, body := r.postJSON("/api/v1/events", token, EventsRequest{Events: evs})
	if code != 200 {
		r.t.Fatalf("post events: %d %s", code, body)
	}
	var er EventsResponse
	if err := json.Unmarshal([]byte(body), &er); err != nil {
		r.t.Fatal(err)
	}
	return er
}

func (r *room) get(path string) (int, http.Header, string) {
	r.t.Helper()
	resp, err := r.ts.Client().Get(r.ts.URL + path)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// ev makes an event of kind on exercise, at minutes after testNow.
func ev(kind Kind, exercise string, minutes float64) Event {
	e := Event{ID: NewEventID(), Kind: kind, Exercise: exercise, At: testNow.Add(time.Duration(minutes * float64(time.Minute)))}
	if kind == KindCheckFailed {
		e.CheckKind, e.Check, e.Message, e.ChecksOK, e.ChecksTotal = "container_running", "container dojo-web is running", "no container dojo-web", 0, 3
	}
	return e
}

func TestJoin(t *testing.T) {
	r := newRoom(t, Options{})
	code := r.srv.JoinCode()
	lower := strings.ToLower(code[:3]) + "-" + strings.ToLower(code[3:])
	tests := []struct {
		name        string
		contentType string
		body        string
		status      int
		says        string
	}{
		{"wrong code", "application/json", `{"code":"AAAAAA","name":"Ada"}`, 403, "wrong join code"},
		{"right code typed loosely", "application/json", `{"code":"` + lower + `","name":"Ada"}`, 200, `"name":"Ada"`},
		{"name taken, any case", "application/json", `{"code":"` + code + `","name":"ADA"}`, 409, "taken"},
		{"bad name", "application/json", `{"code":"` + code + `","name":"<script>"}`, 400, "use letters"},
		{"form post refused", "application/x-www-form-urlencoded", `code=` + code + `&name=Bob`, 415, "application/json"},
		{"not JSON", "application/json", `{"code":`, 400, "not the expected JSON"},
		{"body too large", "application/json", `{"code":"` + code + `","name":"` + strings.Repeat("a", 5000) + `"}`, 413, "larger than"},
		{"unknown token joins afresh", "application/json", `{"code":"` + code + `","name":"Bob","token":"0000"}`, 200, `"name":"Bob"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := r.post("/api/v1/join", "", tt.contentType, []byte(tt.body))
			if status != tt.status || !strings.Contains(body, tt.says) {
				t.Fatalf("got %d %s, want %d with %q", status, body, tt.status, tt.says)
			}
		})
	}
}

func TestRejoinKeepsIdentity(t *testing.T) {
	r := newRoom(t, Options{})
	ada := r.join("Ada")
	r.join("Bob")
	r.send(ada, ev(KindStarted, "first-run/publish-page", 0))
	// Rejoining with the token renames, keeping the learner and their events.
	status, body := r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: "Ada L", Token: ada})
	if status != 200 || !strings.Contains(body, ada) {
		t.Fatalf("rejoin: %d %s", status, body)
	}
	// Taking another learner's name is refused even with a token.
	if status, body := r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: "bob", Token: ada}); status != 409 {
		t.Fatalf("rename to a taken name: %d %s", status, body)
	}
	snap := r.srv.Snapshot()
	if len(snap.Learners) != 2 || snap.Learners[0].Name != "Ada L" || snap.Learners[0].Cells["first-run/publish-page"].State != "started" {
		t.Fatalf("after rejoin: %+v", snap.Learners)
	}
	// The old name is free again.
	r.join("Ada")
}

func TestJoinWrongCodesAreLimited(t *testing.T) {
	r := newRoom(t, Options{})
	burst := DefaultLimits().JoinFailBurst
	for i := 0; i < burst; i++ {
		if status, body := r.postJSON("/api/v1/join", "", JoinRequest{Code: "AAAAAA", Name: "Eve"}); status != 403 {
			t.Fatalf("wrong code %d: %d %s", i+1, status, body)
		}
	}
	// Now even the right code waits: guessing costs time.
	status, body := r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: "Eve"})
	if status != 429 || !strings.Contains(body, "wait") {
		t.Fatalf("after %d wrong codes: %d %s, want 429", burst, status, body)
	}
}

func TestClassroomFull(t *testing.T) {
	lim := DefaultLimits()
	lim.MaxLearners = 2
	r := newRoom(t, Options{Limits: lim})
	r.join("A")
	r.join("B")
	if status, body := r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: "C"}); status != 503 || !strings.Contains(body, "full") {
		t.Fatalf("third learner: %d %s", status, body)
	}
}

func TestEventsNeedAToken(t *testing.T) {
	r := newRoom(t, Options{})
	ada := r.join("Ada")
	body, _ := json.Marshal(EventsRequest{Events: []Event{ev(KindStarted, "a/b", 0)}})
	tests := []struct {
		name, token string
		status      int
	}{
		{"no token", "", 401},
		{"the join code is not a token", r.srv.JoinCode(), 401},
		{"unknown token", strings.Repeat("0", 32), 401},
		{"learner's token", ada, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if status, resp := r.post("/api/v1/events", tt.token, "application/json", body); status != tt.status {
				t.Fatalf("got %d %s, want %d", status, resp, tt.status)
			}
		})
	}
	if status, _, _ := r.get("/api/v1/events"); status != 405 {
		t.Errorf("GET /api/v1/events: %d, want 405: the API only takes posts", status)
	}
}

func TestEventsAreBounded(t *testing.T) {
	lim := DefaultLimits()
	lim.MaxEventsPerLearner = 5
	r := newRoom(t, Options{Limits: lim})
	ada := r.join("Ada")

	t.Run("too many in one post", func(t *testing.T) {
		evs := make([]Event, lim.MaxBatch+1)
		for i := range evs {
			evs[i] = ev(KindHint, "a/b", 0)
		}
		if status, body := r.postJSON("/api/v1/events", ada, EventsRequest{Events: evs}); status != 413 {
			t.Fatalf("got %d %s, want 413", status, body)
		}
	})
	t.Run("body too large", func(t *testing.T) {
		big := `{"events":[],"pad":"` + strings.Repeat("x", int(lim.MaxBody)) + `"}`
		if status, body := r.post("/api/v1/events", ada, "application/json", []byte(big)); status != 413 {
			t.Fatalf("got %d %s, want 413", status, body)
		}
	})
	t.Run("invalid events are refused one by one", func(t *testing.T) {
		bad := ev(KindStarted, "a/b", 0)
		bad.Kind = "format_disk"
		future := ev(KindStarted, "a/c", 600)
		resp := r.send(ada, ev(KindStarted, "a/b", 0), bad, future)
		if resp.Accepted != 2 || len(resp.Rejected) != 1 || resp.Rejected[0].ID != bad.ID {
			t.Fatalf("got %+v, want 2 accepted and %s rejected", resp, bad.ID)
		}
		// The learner's clock ahead of the server's is not believed.
		if got := r.srv.Snapshot().Learners[0].Cells["a/c"].Started; !got.Equal(testNow) {
			t.Errorf("future start recorded at %v, want the server's now %v", got, testNow)
		}
	})
	t.Run("an event sent twice counts once", func(t *testing.T) {
		e := ev(KindHint, "a/b", 1)
		r.send(ada, e)
		if resp := r.send(ada, e); resp.Accepted != 0 || resp.Duplicates != 1 {
			t.Fatalf("got %+v, want 1 duplicate", resp)
		}
	})
	t.Run("events per learner", func(t *testing.T) {
		// 3 kept so far; room for 2 more.
		resp := r.send(ada, ev(KindHint, "a/b", 2), ev(KindHint, "a/b", 3), ev(KindHint, "a/b", 4))
		if resp.Accepted != 2 || len(resp.Rejected) != 1 || !strings.Contains(resp.Rejected[0].Error, "the most") {
			t.Fatalf("got %+v, want 2 accepted, 1 refused", resp)
		}
	})
}

func TestPostsAreRateLimited(t *testing.T) {
	lim := DefaultLimits()
	lim.PostRate, lim.PostBurst = rate.Every(time.Hour), 3
	r := newRoom(t, Options{Limits: lim})
	ada, bob := r.join("Ada"), r.join("Bob")
	for i := 0; i < 3; i++ {
		r.send(ada, ev(KindHint, "a/b", 0))
	}
	if status, body := r.postJSON("/api/v1/events", ada, EventsRequest{Events: []Event{ev(KindHint, "a/b", 0)}}); status != 429 {
		t.Fatalf("4th post: %d %s, want 429", status, body)
	}
	// One learner's limit is theirs alone.
	r.send(bob, ev(KindHint, "a/b", 0))
}

func TestDataSurvivesRestart(t *testing.T) {
	r := newRoom(t, Options{Exercises: []string{"first-run/publish-page"}})
	ada := r.join("Ada")
	r.send(ada, ev(KindStarted, "first-run/publish-page", 0), ev(KindCheckFailed, "first-run/publish-page", 1))
	code, before := r.srv.JoinCode(), r.srv.Snapshot()
	dashboard := r.srv.DashboardPath()

	r.restart(Options{Exercises: []string{"first-run/publish-page"}})
	after := r.srv.Snapshot()
	if r.srv.JoinCode() != code || r.srv.DashboardPath() != dashboard {
		t.Errorf("join code or dashboard address changed across a restart")
	}
	bj, _ := json.Marshal(before)
	aj, _ := json.Marshal(after)
	if string(bj) != string(aj) {
		t.Errorf("state differs after restart:\nbefore %s\nafter  %s", bj, aj)
	}
	// Ada's token still works, and her name is still hers.
	r.send(ada, ev(KindPassed, "first-run/publish-page", 2))
	if status, _ := r.postJSON("/api/v1/join", "", JoinRequest{Code: code, Name: "ada"}); status != 409 {
		t.Errorf("Ada's name is free after a restart")
	}

	r.restart(Options{NewCode: true})
	if r.srv.JoinCode() == code {
		t.Errorf("--new-code kept the code")
	}
	r.send(ada, ev(KindHint, "first-run/publish-page", 3)) // a joined learner stays in
}

func TestDashboardAccess(t *testing.T) {
	r := newRoom(t, Options{})
	path := r.srv.DashboardPath()
	for _, p := range []string{"", "app.js", "app.css", "state.json", "export.csv", "events.csv"} {
		status, h, _ := r.get(path + p)
		if status != 200 {
			t.Errorf("GET %s: %d", p, status)
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("GET %s: CSP %q", p, csp)
		}
	}
	if status, _, _ := r.get("/dashboard/" + strings.Repeat("0", 32) + "/state.json"); status != 404 {
		t.Errorf("wrong key: %d, want 404", status)
	}
	if status, _, _ := r.get(path + "../../etc/passwd"); status == 200 {
		t.Errorf("path outside the dashboard answered 200")
	}
	// From another machine (the handler sees a LAN address).
	h := r.srv.Handler()
	for _, remote := range []struct {
		addr, local string
		status      int
	}{
		{"192.168.1.31:50000", "192.168.1.20:7077", 403},
		{"192.168.1.20:50000", "192.168.1.20:7077", 200}, // the instructor's own LAN address
		{"[::1]:50000", "[::1]:7077", 200},
	} {
		req := httptest.NewRequest("GET", path+"state.json", nil)
		req.RemoteAddr = remote.addr
		req = req.WithContext(context.WithValue(req.Context(), http.LocalAddrContextKey, addrString(remote.local)))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != remote.status {
			t.Errorf("dashboard from %s: %d, want %d", remote.addr, rec.Code, remote.status)
		}
	}
	remote := newRoom(t, Options{RemoteDashboard: true})
	req := httptest.NewRequest("GET", remote.srv.DashboardPath()+"state.json", nil)
	req.RemoteAddr = "192.168.1.31:50000"
	rec := httptest.NewRecorder()
	remote.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Errorf("--dashboard-remote from another machine: %d, want 200", rec.Code)
	}
}

// addrString is a net.Addr given as text.
type addrString string

func (a addrString) Network() string { return "tcp" }
func (a addrString) String() string  { return string(a) }

func TestStuckAndTripping(t *testing.T) {
	course := []string{"first-run/publish-page", "first-run/inside-the-box", "networks/dns"}
	r := newRoom(t, Options{Exercises: course, StuckFails: 3, StuckAfter: 20 * time.Minute})
	ada, bob, cem := r.join("Ada"), r.join("Bob"), r.join("Cem")
	const pp, box, dns = "first-run/publish-page", "first-run/inside-the-box", "networks/dns"
	// Ada fails publish-page 3 times: stuck by failures.
	r.send(ada, ev(KindStarted, pp, 0), ev(KindCheckFailed, pp, 1), ev(KindCheckFailed, pp, 2), ev(KindCheckFailed, pp, 3))
	// Bob fails once, then passes, then starts the next exercise.
	r.send(bob, ev(KindStarted, pp, 0), ev(KindCheckFailed, pp, 1), ev(KindPassed, pp, 2), ev(KindStarted, box, 3))
	// Cem started dns long ago, failed a different check twice, used hints.
	other := ev(KindCheckFailed, dns, 1)
	other.CheckKind, other.Check = "name_resolves", "web resolves db"
	other2 := other
	other2.ID = NewEventID()
	r.send(cem, ev(KindStarted, dns, 0), other, other2, ev(KindHint, dns, 2), ev(KindHint, dns, 3))
	// A learner's own lesson shows as an extra column.
	r.send(bob, ev(KindStarted, "my-lesson/extra", 4))
	r.clock.Add(25 * time.Minute)

	s := r.srv.Snapshot()
	if want := append(append([]string{}, course...), "my-lesson/extra"); fmt.Sprint(s.Exercises) != fmt.Sprint(want) {
		t.Errorf("columns %v, want %v", s.Exercises, want)
	}
	stuck := map[string]string{}
	for _, st := range s.Stuck {
		stuck[st.Learner] = st.Exercise + ": " + st.Why
	}
	if !strings.Contains(stuck["Ada"], pp+": 3 failed checks") {
		t.Errorf("Ada: %q, want stuck on %s by failures", stuck["Ada"], pp)
	}
	if !strings.Contains(stuck["Cem"], dns+": 25 min since start") {
		t.Errorf("Cem: %q, want stuck on %s by time", stuck["Cem"], dns)
	}
	// Bob passed publish-page and moved on 22 minutes ago: his current
	// exercise is the extra one, started 21 minutes ago.
	if _, ok := stuck["Bob"]; !ok {
		t.Errorf("Bob on my-lesson/extra for 21 min: want stuck by time")
	}
	if c := s.Learners[1].Cells[pp]; c.State != "passed" || c.Stuck != "" {
		t.Errorf("Bob's passed cell: %+v", c)
	}
	if c := s.Learners[2].Cells[dns]; c.Hints != 2 || c.Fails != 2 || c.State != "failing" {
		t.Errorf("Cem's cell: %+v", c)
	}
	if len(s.Tripping) != 2 || s.Tripping[0].Check != "container dojo-web is running" || s.Tripping[0].Learners != 2 || s.Tripping[0].Failures != 4 {
		t.Errorf("tripping: %+v, want the container check first (2 learners, 4 failures)", s.Tripping)
	}
	// Starting again resets the failures that count for stuck.
	r.send(ada, ev(KindStarted, pp, 26))
	for _, st := range r.srv.Snapshot().Stuck {
		if st.Learner == "Ada" {
			t.Errorf("Ada restarted the exercise and is still stuck: %+v", st)
		}
	}
}

func TestCSV(t *testing.T) {
	r := newRoom(t, Options{Exercises: []string{"a/b"}})
	tok := r.join("Ada")
	e := ev(KindCheckFailed, "a/b", 1)
	e.Message = "=HYPERLINK(\"http://evil\")"
	r.send(tok, ev(KindStarted, "a/b", 0), e)

	status, h, body := r.get(r.srv.DashboardPath() + "export.csv")
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !strings.Contains(h.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export.csv: %d %v", status, h)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1][0] != "Ada" || rows[1][1] != "a/b" || rows[1][2] != "failing" || rows[1][6] != "1" {
		t.Fatalf("grid CSV: %q", rows)
	}
	if got := rows[1][10]; !strings.HasPrefix(got, "'=") {
		t.Errorf("a formula in a message is exported as %q; want it quoted", got)
	}
	_, _, body = r.get(r.srv.DashboardPath() + "events.csv")
	rows, err = csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[1][3] != "started" || rows[2][3] != "check_failed" || rows[2][5] != "container_running" {
		t.Fatalf("events CSV: %q", rows)
	}
}

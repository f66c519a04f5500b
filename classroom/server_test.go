package classroom

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"slices"
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
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

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

// newStore is an empty store in a folder of the test's, closed when the
// test ends.
func newStore(tb testing.TB) *Store {
	tb.Helper()
	st, err := OpenStore(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// testExercises is the course of a room whose test gives none.
var testExercises = []string{"a/b", "a/c", "first-run/publish-page", "first-run/inside-the-box", "networks/dns"}

func (r *room) start() {
	r.t.Helper()
	if len(r.opts.Course) == 0 && len(r.opts.Exercises) == 0 {
		r.opts.Exercises = testExercises
	}
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
	return r.joinReady(name, nil)
}

// joinReady joins with a readiness report.
func (r *room) joinReady(name string, ready *Readiness) string {
	r.t.Helper()
	code, body := r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: name, Readiness: ready})
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

// evOK is ev at testNow with ok of its 3 checks passing: a failed check
// after a real attempt when ok > 0.
func evOK(kind Kind, exercise string, ok int) Event {
	e := ev(kind, exercise, 0)
	e.ChecksOK, e.ChecksTotal = ok, 3
	return e
}

// evOKAt is a failed check of exercise at t, after a real attempt.
func evOKAt(exercise string, t time.Time) Event {
	e := evOK(KindCheckFailed, exercise, 1)
	e.At = t
	return e
}

// evAt is ev at minutes after testNow with ok checks passing.
func evAt(kind Kind, exercise string, minutes float64, ok int) Event {
	e := ev(kind, exercise, minutes)
	if kind == KindCheckFailed || kind == KindPassed {
		e.ChecksOK, e.ChecksTotal = ok, 3
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
		{"body too large", "application/json", `{"code":"` + code + `","name":"` + strings.Repeat("a", 40000) + `"}`, 413, "larger than"},
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

// TestJoinWrongCodesAreLimited: after JoinFailBurst wrong codes an address
// waits, the right code too, and is told how long; while it waits the
// answer does not tell a right code from a wrong one.
// TestNamesInEitherUnicodeForm: a name typed with a precomposed letter and
// with a combining mark is one name, for joins and for names kept before
// joins composed them.
func TestNamesInEitherUnicodeForm(t *testing.T) {
	r := newRoom(t, Options{})
	r.join("Zo\u00eb")
	if status, body := r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: "zoe\u0308"}); status != 409 || !strings.Contains(body, "taken") {
		t.Fatalf("Zoë with a combining diaeresis after Zoë: %d %s, want 409", status, body)
	}
	if _, err := r.store.db.Exec(`INSERT INTO learners(name, name_key, token_hash, joined) VALUES(?, ?, 'h', 0)`, "Chloe\u0308", "chloe\u0308"); err != nil {
		t.Fatal(err)
	}
	r.restart(r.opts)
	if status, body := r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: "Chlo\u00eb"}); status != 409 {
		t.Fatalf("Chloë after a Chloë kept with a combining diaeresis: %d %s, want 409", status, body)
	}
}

// TestJoinWithAProofOfTheToken: a learner who joined this classroom at
// another address proves they hold their token without sending it, and
// is the same learner, told so, sent no token; a proof of another token,
// or replayed with another name, is no one's.
func TestJoinWithAProofOfTheToken(t *testing.T) {
	r := newRoom(t, Options{})
	token := r.join("Ada")
	code := r.srv.JoinCode()
	prove := func(token, name string) (int, JoinResponse, string) {
		t.Helper()
		req := JoinRequest{Code: strings.ToLower(code), Name: name}
		req.ProveToken(token)
		if strings.Contains(req.Proof, token) {
			t.Fatalf("the proof %s holds the token", req.Proof)
		}
		status, body := r.postJSON("/api/v1/join", "", req)
		var jr JoinResponse
		_ = json.Unmarshal([]byte(body), &jr)
		return status, jr, body
	}
	if status, jr, body := prove(token, "Ada"); status != 200 || !jr.Known || jr.Token != "" || jr.Name != "Ada" {
		t.Errorf("a proof of Ada's token: %d %s, want 200, known, no token", status, body)
	}
	if status, jr, body := prove(token, "Ada Lovelace"); status != 200 || !jr.Known || jr.Name != "Ada Lovelace" {
		t.Errorf("a proof of Ada's token with a new name: %d %s, want 200, known, renamed", status, body)
	}
	if status, _, body := prove(newSecret(), "Ada Lovelace"); status != 409 {
		t.Errorf("a proof of a token the classroom never gave, as Ada Lovelace: %d %s, want 409 (taken)", status, body)
	}
	// A proof made for one name, sent with another.
	req := JoinRequest{Code: code, Name: "Ada Lovelace"}
	req.ProveToken(token)
	req.Name = "Mallory"
	if status, body := r.postJSON("/api/v1/join", "", req); status != 200 || strings.Contains(body, `"known"`) || len(r.srv.model.learners) != 2 {
		t.Errorf("a proof replayed with another name: %d %s, want a new learner", status, body)
	}
}

// TestLeavingFreesTheName: a learner who leaves (their dockdojo sends a
// left event) shows as left, neither at work nor stuck, and joining again
// from the laptop they left from (its token, or a proof of it) brings them
// back to their row with a new token, after a restart too; anyone else
// typing their name is refused and told to ask the instructor, who can
// let them join again from another laptop: then their name alone brings
// them back. A name whose learner has not left stays taken.
func TestLeavingFreesTheName(t *testing.T) {
	r := newRoom(t, Options{StuckFails: 3})
	ada := r.join("Ada")
	r.send(ada, ev(KindStarted, "a/b", 0))
	for i := range 3 {
		e := ev(KindCheckFailed, "a/b", float64(i+1))
		e.ChecksOK = 1 // a real attempt
		r.send(ada, e)
	}
	r.clock.Add(5 * time.Minute)
	if len(r.srv.Snapshot().Stuck) != 1 {
		t.Fatalf("Ada should look stuck before she leaves: %+v", r.srv.Snapshot().Stuck)
	}
	// Ada on another laptop is told how to move there; anyone else, to
	// choose another name.
	if status, body := r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: "Ada"}); status != 409 ||
		!strings.Contains(body, "If you are Ada on another laptop, ask your instructor to let you join again from it (on your page of the dashboard), then type your join line again; if you are not, choose another name with --name") {
		t.Errorf("Ada's name while she is in: %d %s, want 409 saying how she moves to another laptop", status, body)
	}
	r.send(ada, Event{ID: NewEventID(), Kind: KindLeft, At: r.clock.Now()})
	snap := r.srv.Snapshot()
	if lv := snap.Learners[0]; !lv.Left || !lv.Idle || lv.Stuck != "" || len(snap.Stuck) != 0 {
		t.Errorf("after she left: %+v, stuck %+v", lv, snap.Stuck)
	}
	r.clock.Add(time.Minute)
	r.restart(r.opts)
	if !r.srv.Snapshot().Learners[0].Left {
		t.Errorf("after a restart Ada no longer shows as left")
	}
	r.clock.Add(time.Minute)
	// Her name alone, with the join code anyone in the room has, takes
	// nothing: it would be anyone's way to her row and her history.
	status, body := r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: "ada"})
	if status != 409 || !strings.Contains(body, "only the laptop they left from") || !strings.Contains(body, "ask your instructor to let you join again") {
		t.Fatalf("Ada's name alone after she left: %d %s, want 409 saying to ask the instructor", status, body)
	}
	if snap := r.srv.Snapshot(); !snap.Learners[0].Left || snap.Learners[0].LetBack {
		t.Errorf("after her name was refused Ada is not shown as left, or shown as let back: %+v", snap.Learners[0])
	}
	status, body = r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: "ada", Token: ada})
	var jr JoinResponse
	_ = json.Unmarshal([]byte(body), &jr)
	if status != 200 || !jr.Back || !jr.Known || jr.Token == "" || jr.Token == ada {
		t.Fatalf("Ada joining again with the token she left with: %d %s, want 200, back, known, a new token", status, body)
	}
	snap = r.srv.Snapshot()
	if len(snap.Learners) != 1 || snap.Learners[0].Left || snap.Learners[0].Name != "ada" || snap.Learners[0].Cells["a/b"].Fails != 3 {
		t.Errorf("Ada back: %+v", snap.Learners)
	}
	if status, _ := r.postJSON("/api/v1/events", ada, EventsRequest{Events: []Event{ev(KindHint, "a/b", 4)}}); status != 401 {
		t.Errorf("the token she left with still posts: %d, want 401", status)
	}
	r.restart(r.opts)
	if r.srv.Snapshot().Learners[0].Left {
		t.Errorf("after a restart Ada, who came back, shows as left")
	}

	// She leaves again. A proof of her token does not bring her back: it
	// goes to whatever address she types, the same each time, and a server
	// that is not her classroom could replay it. Her token itself does.
	r.send(jr.Token, Event{ID: NewEventID(), Kind: KindLeft, At: r.clock.Now()})
	r.clock.Add(time.Minute)
	proof := JoinRequest{Code: r.srv.JoinCode(), Name: "ada"}
	proof.ProveToken(jr.Token)
	status, body = r.postJSON("/api/v1/join", "", proof)
	if status != 409 || !strings.Contains(body, "ada left this classroom, at another address") || !r.srv.Snapshot().Learners[0].Left {
		t.Fatalf("a proof of the token Ada left with: %d %s, want 409, and her row still left", status, body)
	}
	status, body = r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: "ada", Token: jr.Token})
	var proved JoinResponse
	_ = json.Unmarshal([]byte(body), &proved)
	if status != 200 || !proved.Back || proved.Token == "" || proved.Token == jr.Token || r.srv.Snapshot().Learners[0].Left {
		t.Fatalf("Ada joining again with the token she left with: %d %s, want 200, back, a new token", status, body)
	}

	// The instructor lets her join again from another laptop.
	r.clock.Add(time.Minute)
	if name, err := r.srv.LetBack(snap.Learners[0].ID); err != nil || name != "ada" {
		t.Fatalf("LetBack: %q, %v", name, err)
	}
	r.restart(r.opts)
	if lv := r.srv.Snapshot().Learners[0]; !lv.Left || !lv.LetBack {
		t.Errorf("let back, after a restart: %+v, want left and let back", lv)
	}
	if status, body := r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: "\u0410\u0501\u0430"}); status != 409 || !strings.Contains(body, "looks the same") {
		t.Errorf("Аԁа, which only looks like Ada, on her free row: %d %s, want 409", status, body)
	}
	if status, body := r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: "Ada"}); status != 200 || !strings.Contains(body, `"back":true`) {
		t.Errorf("Ada on another laptop, let in again: %d %s", status, body)
	}
	if _, err := r.srv.LetBack(99); !errors.Is(err, ErrNoLearner) {
		t.Errorf("LetBack of no one: %v", err)
	}
}

// TestNamesThatLookAlike: a name another learner has, typed in fullwidth
// letters, with a Cyrillic capital or in Cyrillic lookalikes throughout,
// is not a second learner beside them on the dashboard.
func TestNamesThatLookAlike(t *testing.T) {
	r := newRoom(t, Options{})
	r.join("Ada")
	r.join("mary")
	r.join("AI")
	for _, tt := range []struct {
		name   string
		status int
		says   string
	}{
		{"\uff21da", 409, "taken"},           // a fullwidth A
		{"\u0410da", 400, "one alphabet"},    // a Cyrillic A
		{"\u0410\u0434\u0430", 200, ""},      // Ада, all Cyrillic: another name
		{"\u0410\u0501\u0430", 409, "taken"}, // Аԁа, all Cyrillic, and looks like Ada
		{"AdA", 409, "taken"},
		{"Mary", 409, "taken"},                   // m and rn look alike: its skeleton in small letters
		{"Al", 409, "taken"},                     // l and I look alike: its skeleton as written
		{"ai", 409, "taken"},                     // AI in small letters
		{"\u0412ea", 400, "one"},                 // a Cyrillic В among Latin letters
		{"\u0412\u0435\u0430", 200, ""},          // Веа: not like any name here
		{"B\u0435a", 400, "one"},                 // a Cyrillic е among Latin letters
		{"Bea", 409, `(\"Веа\" looks the same)`}, // Веа, in Cyrillic letters, looks like it
		{"Stra\u00dfe", 200, ""},
		{"STRASSE", 409, "taken"}, // ß is ss
		// Punctuation before or after a name: two rows that look alike.
		{"Ada.", 409, `(\"Ada\" looks the same)`},
		{".Ada", 409, `(\"Ada\" looks the same)`},
		{"'Ada'", 409, `(\"Ada\" looks the same)`},
		{"Ada -", 409, `(\"Ada\" looks the same)`},
		{"Mary-Ann", 200, ""}, // within a name, it tells names apart
		{"Mary-Ann.", 409, "taken"},
	} {
		status, body := r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: tt.name})
		if status != tt.status || !strings.Contains(body, tt.says) {
			t.Errorf("join as %q after Ada: %d %s, want %d with %q", tt.name, status, body, tt.status, tt.says)
		}
	}
}

func TestJoinWrongCodesAreLimited(t *testing.T) {
	lim := DefaultLimits()
	lim.JoinFailBurst, lim.JoinFailEvery = 3, 10*time.Second
	r := newRoom(t, Options{Limits: lim})
	try := func(code string) (int, string, string) {
		t.Helper()
		b, _ := json.Marshal(JoinRequest{Code: code, Name: "Eve"})
		req, _ := http.NewRequest(http.MethodPost, r.ts.URL+"/api/v1/join", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		resp, err := r.ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Retry-After"), string(body)
	}
	for i := 0; i < lim.JoinFailBurst; i++ {
		if status, _, body := try("AAAAAA"); status != 403 {
			t.Fatalf("wrong code %d: %d %s", i+1, status, body)
		}
	}
	for _, tt := range []struct {
		name       string
		after      time.Duration // on the clock since the last wrong code
		retryAfter string
	}{
		{"at once", 0, "10"},
		{"a moment later, rounded up", 3500 * time.Millisecond, "7"},
		{"a second before", 9 * time.Second, "1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r.clock.Set(testNow.Add(tt.after))
			status, retry, right := try(r.srv.JoinCode())
			if status != 429 || retry != tt.retryAfter || !strings.Contains(right, "from your address; try again in "+tt.retryAfter+" s") {
				t.Fatalf("the right code: %d, Retry-After %q, %s; want 429 saying %s s", status, retry, right, tt.retryAfter)
			}
			if wStatus, wRetry, wrong := try("AAAAAA"); wStatus != status || wRetry != retry || wrong != right {
				t.Errorf("a wrong code is answered otherwise than the right one:\n%d %s %s\n%d %s %s", wStatus, wRetry, wrong, status, retry, right)
			}
		})
	}
	r.clock.Set(testNow.Add(lim.JoinFailEvery))
	if status, _, body := try(r.srv.JoinCode()); status != 200 {
		t.Fatalf("the right code once the wait is over: %d %s", status, body)
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

// TestLearnerClocks: a post carries the laptop's clock; events of a laptop
// whose clock is off by more than ClockTolerance are put on the server's
// clock, keeping their age, and a post without it (an older dockdojo) is
// taken as before, with only the future clamped.
func TestLearnerClocks(t *testing.T) {
	r := newRoom(t, Options{})
	tests := []struct {
		name    string
		off     time.Duration // the laptop's clock minus the server's; -1: not sent
		age     time.Duration // how long before the post it started, in truth
		started time.Time     // what the server keeps
	}{
		{"slow by 20 minutes", -20 * time.Minute, 0, testNow},
		{"slow, and queued an hour offline", -20 * time.Minute, time.Hour, testNow.Add(-time.Hour)},
		{"fast by an hour, queued 10 minutes", time.Hour, 10 * time.Minute, testNow.Add(-10 * time.Minute)},
		{"a few seconds off is left alone", -3 * time.Second, 0, testNow.Add(-3 * time.Second)},
		{"an older dockdojo: as it says", -1, 20 * time.Minute, testNow.Add(-20 * time.Minute)},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := r.join(fmt.Sprintf("learner %d", i))
			e := ev(KindStarted, "a/b", 0)
			req := EventsRequest{Events: []Event{e}}
			if tt.off == -1 {
				e.At = testNow.Add(-tt.age)
			} else {
				e.At = testNow.Add(tt.off - tt.age)
				req.SentAt = testNow.Add(tt.off)
			}
			req.Events[0] = e
			if status, body := r.postJSON("/api/v1/events", tok, req); status != 200 || !strings.Contains(body, `"accepted":1`) {
				t.Fatalf("post: %d %s", status, body)
			}
			lv := r.srv.Snapshot().Learners[i]
			if got := lv.Cells["a/b"].Started; !got.Equal(tt.started) {
				t.Errorf("started %v, want %v", got, tt.started)
			}
			if stuck := tt.started.Add(DefaultStuckAfter).After(testNow); stuck == (lv.Stuck != "") {
				t.Errorf("stuck %q, started %v ago", lv.Stuck, testNow.Sub(tt.started))
			}
		})
	}
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
	const pp, box, dns = "first-run/publish-page", "first-run/inside-the-box", "networks/dns"
	course := []string{pp, box, dns}
	r := newRoom(t, Options{Exercises: course, StuckFails: 3, StuckAfter: 20 * time.Minute})
	ada, bob, cem := r.join("Ada"), r.join("Bob"), r.join("Cem")
	r.clock.Add(5 * time.Minute) // the events below happened in the server's past
	// Ada checks before trying (nothing passes: not an attempt), then fails
	// publish-page 3 times after real attempts: stuck by failures.
	r.send(ada, ev(KindStarted, pp, 0), evAt(KindCheckFailed, pp, 1, 0), evAt(KindCheckFailed, pp, 2, 1),
		evAt(KindCheckFailed, pp, 3, 1), evAt(KindCheckFailed, pp, 4, 2))
	// Bob fails once, then passes, then starts the next exercise.
	r.send(bob, ev(KindStarted, pp, 0), evAt(KindCheckFailed, pp, 1, 2), evAt(KindPassed, pp, 2, 3), ev(KindStarted, box, 3))
	// Cem started dns long ago, failed a different check twice, used hints.
	other := evAt(KindCheckFailed, dns, 1, 1)
	other.CheckKind, other.Check = "name_resolves", "web resolves db"
	other2 := other
	other2.ID, other2.At = NewEventID(), other.At.Add(time.Minute)
	r.send(cem, ev(KindStarted, dns, 0), other, other2, ev(KindHint, dns, 2), ev(KindHint, dns, 3))
	r.clock.Add(20 * time.Minute)

	s := r.srv.Snapshot()
	if fmt.Sprint(s.Exercises) != fmt.Sprint(course) {
		t.Errorf("columns %v, want %v", s.Exercises, course)
	}
	stuck := map[string]StuckView{}
	for _, st := range s.Stuck {
		stuck[st.Learner] = st
	}
	if st := stuck["Ada"]; st.Exercise != pp || !strings.Contains(st.Why, "3 failed checks") || st.Fails != 3 || !st.Since.Equal(testNow.Add(4*time.Minute)) {
		t.Errorf("Ada: %+v, want stuck on %s by 3 failed checks, since her third attempt", st, pp)
	}
	if st := stuck["Cem"]; st.Exercise != dns || !strings.Contains(st.Why, "25 min since start") || !st.Since.Equal(testNow.Add(20*time.Minute)) {
		t.Errorf("Cem: %+v, want stuck on %s by time, since 20 min after his start", st, dns)
	}
	if st, ok := stuck["Bob"]; !ok || st.Exercise != box {
		t.Errorf("Bob on %s for 22 min: %+v, want stuck by time", box, st)
	}
	// ✗ N and stuck count the same: Ada's cell says 3.
	if c := s.Learners[0].Cells[pp]; c.FailsSinceStart != 3 || c.Fails != 4 || c.State != "failing" || c.Stuck == "" {
		t.Errorf("Ada's cell: %+v, want 3 failed attempts (4 failed checks), stuck", c)
	}
	if c := s.Learners[1].Cells[pp]; c.State != "passed" || c.Stuck != "" || c.Check != "" {
		t.Errorf("Bob's passed cell: %+v", c)
	}
	if c := s.Learners[2].Cells[dns]; c.Hints != 2 || c.Fails != 2 || c.FailsSinceStart != 2 || c.State != "failing" {
		t.Errorf("Cem's cell: %+v", c)
	}
	// Failing now: Ada on the container check, Cem on the name check; Bob
	// passed since, so his failure does not count.
	want := []string{pp + " container dojo-web is running 1 3", dns + " web resolves db 1 2"}
	var got []string
	for _, tr := range s.Tripping {
		got = append(got, fmt.Sprint(tr.Exercise, " ", tr.Check, " ", tr.Learners, " ", tr.Failures))
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("tripping: %q, want %q", got, want)
	}
	// Pacing: pp passed by Bob and worked on by stuck Ada; box and dns each
	// have one stuck learner.
	pace := map[string]ExerciseView{}
	for _, l := range s.Lessons {
		for _, x := range l.Exercises {
			pace[x.Key] = x
		}
	}
	if p := pace[pp]; p.Passed != 1 || p.Working != 0 || p.Stuck != 1 || p.Label != "1.1" {
		t.Errorf("pacing of %s: %+v", pp, p)
	}
	if p := pace[dns]; p.Stuck != 1 || p.Label != "2.1" {
		t.Errorf("pacing of %s: %+v", dns, p)
	}
	// Starting again counts the failures afresh.
	r.send(ada, ev(KindStarted, pp, 26))
	for _, st := range r.srv.Snapshot().Stuck {
		if st.Learner == "Ada" {
			t.Errorf("Ada restarted the exercise and is still stuck: %+v", st)
		}
	}
	if trips := r.srv.Snapshot().Tripping; len(trips) != 1 || trips[0].Exercise != dns {
		t.Errorf("after Ada restarted, tripping: %+v, want only Cem's check", trips)
	}
}

// TestLookBeforeTryingIsNoAttempt: a first check that passes nothing is the
// learner looking at what is asked: it trips nothing and is not "✗ 1".
// TestFirstEventIsTheStart: on an exercise the learner never ran start on,
// their first event of any kind is its start: the dashboard, the grid CSV
// and the stuck rule give it the same time. A start of theirs, even one
// that arrives late, is the start.
func TestFirstEventIsTheStart(t *testing.T) {
	r := newRoom(t, Options{Exercises: []string{"a/b"}, StuckFails: 1})
	r.clock.Add(20 * time.Minute)
	at := func(minutes float64) time.Time { return testNow.Add(time.Duration(minutes * float64(time.Minute))) }
	tests := []struct {
		name    string
		events  []Event
		started time.Time
		stuck   string
	}{
		{"a hint", []Event{ev(KindHint, "a/b", 2)}, at(2), "18 min since start"},
		{"the solution", []Event{ev(KindSolution, "a/b", 3)}, at(3), "17 min since start"},
		{"a failed check", []Event{evAt(KindCheckFailed, "a/b", 4, 1)}, at(4), "1 failed check, 16 min since start"},
		{"a hint, then start", []Event{ev(KindHint, "a/b", 2), ev(KindStarted, "a/b", 10)}, at(10), ""},
		{"a hint, and a start that arrives late", []Event{ev(KindHint, "a/b", 2), ev(KindStarted, "a/b", 1)}, at(1), "19 min since start"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := fmt.Sprintf("learner %d", i)
			tok := r.join(name)
			for _, e := range tt.events {
				r.send(tok, e)
			}
			lv := r.srv.Snapshot().Learners[i]
			if c := lv.Cells["a/b"]; !c.Started.Equal(tt.started) || lv.Stuck != tt.stuck || !lv.OnCurrentSince.Equal(tt.started) {
				t.Errorf("started %v, on it since %v, stuck %q; want %v and %q", c.Started, lv.OnCurrentSince, lv.Stuck, tt.started, tt.stuck)
			}
			var csvOut bytes.Buffer
			if err := r.srv.WriteGridCSV(&csvOut); err != nil {
				t.Fatal(err)
			}
			rows := readCSV(t, csvOut.String())
			for _, row := range rows {
				if row[0] == name && row[3] != tt.started.Format(time.RFC3339) {
					t.Errorf("the grid CSV's started: %q, want %s", row[3], tt.started.Format(time.RFC3339))
				}
			}
		})
	}
}

func TestLookBeforeTryingIsNoAttempt(t *testing.T) {
	const pp = "first-run/publish-page"
	r := newRoom(t, Options{})
	ada := r.join("Ada")
	r.clock.Add(5 * time.Minute)
	r.send(ada, ev(KindStarted, pp, 0), evAt(KindCheckFailed, pp, 0.5, 0))
	s := r.srv.Snapshot()
	if c := s.Learners[0].Cells[pp]; c.State != "started" || c.FailsSinceStart != 0 || c.Fails != 1 {
		t.Errorf("after one look: %+v, want started, no attempt, 1 failed check", c)
	}
	if len(s.Tripping) != 0 {
		t.Errorf("a look before trying trips: %+v", s.Tripping)
	}
	// The next failure, even with nothing passing, is an attempt.
	r.send(ada, evAt(KindCheckFailed, pp, 3, 0))
	s = r.srv.Snapshot()
	if c := s.Learners[0].Cells[pp]; c.State != "failing" || c.FailsSinceStart != 1 {
		t.Errorf("after a real attempt: %+v, want failing, 1 attempt", c)
	}
	if len(s.Tripping) != 1 || s.Tripping[0].Learners != 1 {
		t.Errorf("tripping %+v, want Ada's check", s.Tripping)
	}
}

// TestIdleAndNewlyStuck: idle after IdleAfter without a word; a learner
// who became stuck is new for NewlyStuckFor.
func TestIdleAndNewlyStuck(t *testing.T) {
	const pp = "first-run/publish-page"
	r := newRoom(t, Options{StuckFails: 2})
	ada, bob := r.join("Ada"), r.join("Bob")
	r.send(ada, ev(KindStarted, pp, 0), evAt(KindCheckFailed, pp, 0, 1), evAt(KindCheckFailed, pp, 0, 1))
	s := r.srv.Snapshot()
	if !s.Learners[0].NewlyStuck || !s.Stuck[0].New {
		t.Errorf("Ada just got stuck: %+v, %+v", s.Learners[0], s.Stuck)
	}
	if s.Learners[0].Idle || s.Learners[1].Idle {
		t.Errorf("nobody is idle yet: %+v", s.Learners)
	}
	r.clock.Add(NewlyStuckFor + time.Second)
	if s := r.srv.Snapshot(); s.Learners[0].NewlyStuck || s.Stuck[0].New || s.Learners[0].Stuck == "" {
		t.Errorf("Ada stuck for longer than %s is no longer new: %+v", NewlyStuckFor, s.Learners[0])
	}
	r.clock.Add(DefaultIdleAfter)
	r.send(bob, ev(KindHint, pp, 13))
	s = r.srv.Snapshot()
	if !s.Learners[0].Idle || s.Learners[1].Idle {
		t.Errorf("Ada quiet for %s is idle, Bob just sent: %v, %v", DefaultIdleAfter, s.Learners[0].Idle, s.Learners[1].Idle)
	}
	if s.IdleAfter != DefaultIdleAfter.Minutes() {
		t.Errorf("idle_after_minutes %v", s.IdleAfter)
	}
}

// TestStuckRuleBounds: values under the documented least are refused.
func TestStuckRuleBounds(t *testing.T) {
	st := newStore(t)
	for _, o := range []Options{{StuckAfter: 30 * time.Second}, {StuckFails: -1}} {
		if _, err := NewServer(st, o); err == nil || !strings.Contains(err.Error(), "at least") {
			t.Errorf("NewServer(%+v): %v, want an error saying the least value", o, err)
		}
	}
	if _, err := NewServer(st, Options{StuckAfter: MinStuckAfter, StuckFails: MinStuckFails}); err != nil {
		t.Errorf("the least values: %v", err)
	}
}

// TestOnlyTheCourse: events of exercises outside the course are refused
// with the reason, so no learner can grow the dashboard.
func TestOnlyTheCourse(t *testing.T) {
	r := newRoom(t, Options{Course: []CourseLesson{
		{ID: "first-run", Title: "Containers: your first run", Exercises: []CourseExercise{{ID: "publish-page"}}},
		{ID: "what-is-docker"}, // no exercises: numbered, no column
		{ID: "networks", Exercises: []CourseExercise{{ID: "dns", Title: "Names"}}},
	}})
	ada := r.join("Ada")
	resp := r.send(ada, ev(KindStarted, "first-run/publish-page", 0), ev(KindStarted, "my-lesson/extra", 0))
	if resp.Accepted != 1 || len(resp.Rejected) != 1 || !strings.Contains(resp.Rejected[0].Error, `"my-lesson/extra" is not in this classroom's course`) {
		t.Fatalf("got %+v, want the extra exercise refused with the reason", resp)
	}
	for i := 0; i < 20; i++ {
		var evs []Event
		for j := 0; j < 50; j++ {
			evs = append(evs, ev(KindStarted, fmt.Sprintf("junk-%d/x-%d", i, j), 0))
		}
		if resp := r.send(ada, evs...); resp.Accepted != 0 {
			t.Fatalf("junk accepted: %+v", resp)
		}
	}
	s := r.srv.Snapshot()
	if fmt.Sprint(s.Exercises) != "[first-run/publish-page networks/dns]" {
		t.Errorf("columns %v after 1,000 junk events", s.Exercises)
	}
	if len(s.Lessons) != 2 || s.Lessons[1].Number != 3 || s.Lessons[1].Exercises[0].Label != "3.1" || s.Lessons[1].Exercises[0].Title != "Names" || s.Lessons[0].Title != "Containers: your first run" {
		t.Errorf("lessons %+v", s.Lessons)
	}
}

func TestCourseErrors(t *testing.T) {
	st := newStore(t)
	for _, tt := range []struct {
		name   string
		course []CourseLesson
		want   string
	}{
		{"lesson twice", []CourseLesson{{ID: "a", Exercises: []CourseExercise{{ID: "b"}}}, {ID: "a"}}, "twice"},
		{"bad key", []CourseLesson{{ID: "A", Exercises: []CourseExercise{{ID: "b"}}}}, `"A/b"`},
		{"exercise twice", []CourseLesson{{ID: "a", Exercises: []CourseExercise{{ID: "b"}, {ID: "b"}}}}, "twice"},
	} {
		if _, err := NewServer(st, Options{Course: tt.course}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error with %q", tt.name, err, tt.want)
		}
	}
	// The older Exercises field makes the same course.
	srv, err := NewServer(st, Options{Exercises: []string{"a/b", "c/d", "a/e"}})
	if err != nil {
		t.Fatal(err)
	}
	if s := srv.Snapshot(); fmt.Sprint(s.Exercises) != "[a/b a/e c/d]" || s.Lessons[0].Exercises[1].Label != "1.2" {
		t.Errorf("course from keys: %v %+v", s.Exercises, s.Lessons)
	}
}

// readCSV reads a CSV file the classroom wrote, which starts with CSVBOM.
func readCSV(t *testing.T, text string) [][]string {
	t.Helper()
	body, ok := strings.CutPrefix(text, CSVBOM)
	if !ok {
		t.Errorf("a CSV file starts with %q, not with the UTF-8 byte order mark that tells Excel its encoding", text[:min(len(text), 12)])
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	return rows
}

func TestCSV(t *testing.T) {
	r := newRoom(t, Options{Exercises: []string{"a/b", "a/c"}, StuckFails: 1})
	tok := r.join("Zoë Ñandú") // Excel shows her name right after the byte order mark (readCSV)
	r.joinReady("Bob", &Readiness{Engine: true, ImagesMissing: 1, MissingImages: []string{"httpd:2.4"}})
	e := evAt(KindCheckFailed, "a/b", 1, 1)
	e.Message = "=HYPERLINK(\"http://evil\")"
	r.send(tok, ev(KindStarted, "a/b", 0), e)

	status, h, body := r.get(r.srv.DashboardPath() + "export.csv")
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !strings.Contains(h.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export.csv: %d %v", status, h)
	}
	rows := readCSV(t, body)
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	if len(rows) != 3 || rows[1][0] != "Zoë Ñandú" || rows[1][1] != "a/b" || rows[1][2] != "failing" || rows[1][col["failed_checks"]] != "1" {
		t.Fatalf("grid CSV: %q", rows)
	}
	if got := rows[1][col["last_message"]]; !strings.HasPrefix(got, "'=") {
		t.Errorf("a formula in a message is exported as %q; want it quoted", got)
	}
	zoe := map[string]string{}
	bob := map[string]string{}
	for name, i := range col {
		zoe[name], bob[name] = rows[1][i], rows[2][i]
	}
	if zoe["stuck"] != "1 failed check" || zoe["current_exercise"] != "a/b" || zoe["last_seen"] != "2026-11-27T10:00:00Z" || zoe["idle"] != "false" || zoe["failed_since_start"] != "1" || zoe["ready"] != "" {
		t.Errorf("Zoë's row: %v", zoe)
	}
	// A learner who did nothing yet has a row too, with her readiness.
	if bob["learner"] != "Bob" || bob["exercise"] != "" || bob["ready"] != "false" || bob["not_ready_because"] != "1 image missing: httpd:2.4" {
		t.Errorf("Bob's row: %v", bob)
	}
	_, _, body = r.get(r.srv.DashboardPath() + "events.csv")
	rows = readCSV(t, body)
	if len(rows) != 4 || rows[1][3] != "readiness" || rows[1][0] != "Bob" || rows[1][11] != "1 image missing: httpd:2.4" ||
		rows[2][3] != "started" || rows[3][3] != "check_failed" || rows[3][5] != "container_running" {
		t.Fatalf("events CSV: %q", rows)
	}
}

// TestJoinsPerAddress: one address gets JoinBurst new learners at once,
// then one every JoinEvery; renames with one's token and refused names do
// not count, and other addresses have their own allowance.
func TestJoinsPerAddress(t *testing.T) {
	lim := DefaultLimits()
	lim.JoinBurst, lim.JoinEvery = 3, time.Hour
	r := newRoom(t, Options{Limits: lim})
	ada := r.join("Ada")
	r.join("Bob")
	if status, _ := r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: "ada"}); status != 409 {
		t.Fatalf("a taken name: %d", status)
	}
	r.join("Cem")
	status, body := r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: "Dan"})
	if status != 429 || !strings.Contains(body, "too many learners joined from your address") {
		t.Fatalf("4th new learner from one address: %d %s, want 429", status, body)
	}
	if status, body := r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: "Ada L", Token: ada}); status != 200 {
		t.Fatalf("a rename with one's token: %d %s", status, body)
	}
	b, _ := json.Marshal(JoinRequest{Code: r.srv.JoinCode(), Name: "Dan"})
	req := httptest.NewRequest("POST", "/api/v1/join", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = "192.168.1.31:50000"
	rec := httptest.NewRecorder()
	r.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Errorf("a learner from another address: %d %s", rec.Code, rec.Body)
	}
}

// TestRoomBehindOneNAT: with the default limits a room of 60 behind one
// address joins at once, even when 20 of them mistyped the code first.
func TestRoomBehindOneNAT(t *testing.T) {
	r := newRoom(t, Options{})
	for i := 0; i < 20; i++ {
		if status, body := r.postJSON("/api/v1/join", "", JoinRequest{Code: "AAAAAA", Name: fmt.Sprintf("learner %d", i)}); status != 403 {
			t.Fatalf("typo %d: %d %s", i+1, status, body)
		}
	}
	for i := 0; i < DefaultLimits().JoinBurst; i++ {
		r.join(fmt.Sprintf("learner %d", i))
	}
	if n := len(r.srv.Snapshot().Learners); n != 60 {
		t.Fatalf("%d joined, want 60", n)
	}
}

func TestReadiness(t *testing.T) {
	const pp = "first-run/publish-page"
	r := newRoom(t, Options{})
	ada := r.joinReady("Ada", &Readiness{Engine: true, EngineVersion: "20.10.24", ImagesMissing: 3, MissingImages: []string{"httpd:2.4", "busybox:1.36"}, Version: "v0.4.0"})
	r.join("Bob")
	s := r.srv.Snapshot()
	if ready := s.Learners[0].Ready; ready == nil || ready.Ready || fmt.Sprint(ready.Problems) != "[3 images missing: httpd:2.4, busybox:1.36, …]" || ready.EngineVersion != "20.10.24" {
		t.Fatalf("Ada's readiness: %+v", ready)
	}
	if s.NotReady != 1 || s.Unreported != 1 || s.Learners[1].Ready != nil {
		t.Errorf("not ready %d, unreported %d, want 1 and 1", s.NotReady, s.Unreported)
	}
	// She runs prepare and doctor again: a readiness event.
	fixed := Event{ID: NewEventID(), Kind: KindReadiness, At: testNow, Readiness: &Readiness{Engine: true, Version: "v0.4.0"}}
	wrong := []Event{
		{ID: NewEventID(), Kind: KindReadiness, At: testNow},
		{ID: NewEventID(), Kind: KindReadiness, Exercise: pp, At: testNow, Readiness: &Readiness{Engine: true}},
		{ID: NewEventID(), Kind: KindReadiness, At: testNow, Readiness: &Readiness{Engine: true, MissingImages: []string{"a b"}, ImagesMissing: 1}},
		{ID: NewEventID(), Kind: KindStarted, Exercise: pp, At: testNow, Readiness: &Readiness{Engine: true}},
	}
	resp := r.send(ada, append([]Event{fixed}, wrong...)...)
	if resp.Accepted != 1 || len(resp.Rejected) != len(wrong) {
		t.Fatalf("got %+v, want the good report taken and %d refused", resp, len(wrong))
	}
	for i, want := range []string{"readiness: missing", "leave it out", `"a b" is not an image name`, "readiness events only"} {
		if !strings.Contains(resp.Rejected[i].Error, want) {
			t.Errorf("refusal %d: %q, want %q", i, resp.Rejected[i].Error, want)
		}
	}
	check := func(when string) {
		t.Helper()
		if ready := r.srv.Snapshot().Learners[0].Ready; ready == nil || !ready.Ready || len(ready.Problems) != 0 {
			t.Errorf("%s: Ada's readiness %+v, want ready", when, ready)
		}
	}
	check("after her report")
	r.restart(r.opts)
	check("after a restart")
	// A bad report at join is refused with the reason.
	status, body := r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: "Cem", Readiness: &Readiness{Failed: []string{"Engine!"}}})
	if status != 400 || !strings.Contains(body, "doctor check") {
		t.Errorf("a bad report at join: %d %s", status, body)
	}
}

func TestReadinessClean(t *testing.T) {
	var refs []string
	for i := 0; i < 80; i++ {
		refs = append(refs, fmt.Sprintf("img%d:1", i))
	}
	r := Readiness{MissingImages: append(refs, "not an image", strings.Repeat("a", 300)), Failed: []string{"engine", "Bad Name"},
		EngineVersion: "20.10.24\n" + strings.Repeat("x", 100), Version: "v1"}
	r.Clean()
	if err := r.Validate(); err != nil {
		t.Fatalf("a cleaned report is invalid: %v", err)
	}
	if len(r.MissingImages) != MaxMissingImages || r.ImagesMissing != 82 || fmt.Sprint(r.Failed) != "[engine]" {
		t.Errorf("cleaned: %d names, %d missing, failed %v", len(r.MissingImages), r.ImagesMissing, r.Failed)
	}
}

func TestRemoveLearner(t *testing.T) {
	const pp = "first-run/publish-page"
	r := newRoom(t, Options{})
	ada, bob := r.join("Ada"), r.join("Bob")
	r.send(ada, ev(KindStarted, pp, 0), evOK(KindCheckFailed, pp, 1))
	r.send(bob, ev(KindStarted, pp, 0))
	path := r.srv.DashboardPath() + "learners/1/remove"
	do := func(path, contentType, remote string, header map[string]string) (int, string) {
		t.Helper()
		req := httptest.NewRequest("POST", path, strings.NewReader("{}"))
		req.Header.Set("Content-Type", contentType)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		req.RemoteAddr = remote
		rec := httptest.NewRecorder()
		r.srv.Handler().ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	for _, tt := range []struct {
		name, path, contentType, remote string
		header                          map[string]string
		status                          int
	}{
		{"wrong key", "/dashboard/" + strings.Repeat("0", 32) + "/learners/1/remove", "application/json", "127.0.0.1:5000", nil, 404},
		{"another machine", path, "application/json", "192.168.1.31:5000", nil, 403},
		{"a form", path, "application/x-www-form-urlencoded", "127.0.0.1:5000", nil, 415},
		{"another site's page", path, "application/json", "127.0.0.1:5000", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"no such learner", r.srv.DashboardPath() + "learners/99/remove", "application/json", "127.0.0.1:5000", nil, 404},
	} {
		if status, body := do(tt.path, tt.contentType, tt.remote, tt.header); status != tt.status {
			t.Errorf("%s: %d %s, want %d", tt.name, status, body, tt.status)
		}
	}
	if len(r.srv.Snapshot().Learners) != 2 {
		t.Fatal("a refused removal removed someone")
	}
	status, body := do(path, "application/json", "127.0.0.1:5000", map[string]string{"Sec-Fetch-Site": "same-origin"})
	if status != 200 || !strings.Contains(body, `"removed":"Ada"`) {
		t.Fatalf("removal: %d %s", status, body)
	}
	check := func(when string) {
		t.Helper()
		s := r.srv.Snapshot()
		if len(s.Learners) != 1 || s.Learners[0].Name != "Bob" || len(s.Tripping) != 0 {
			t.Errorf("%s: learners %+v, tripping %+v; want Bob alone", when, s.Learners, s.Tripping)
		}
		_, _, events := r.get(r.srv.DashboardPath() + "events.csv")
		if strings.Contains(events, "Ada") || strings.Count(events, "\n") != 2 {
			t.Errorf("%s: events.csv still has Ada's events:\n%s", when, events)
		}
	}
	check("after the removal")
	if status, _ := r.postJSON("/api/v1/events", ada, EventsRequest{Events: []Event{ev(KindHint, pp, 2)}}); status != 401 {
		t.Errorf("a removed learner's post: %d, want 401", status)
	}
	r.restart(r.opts)
	check("after a restart")
	r.join("Ada") // her name is free again
}

func TestLearnerDetail(t *testing.T) {
	const pp = "first-run/publish-page"
	r := newRoom(t, Options{})
	ada := r.joinReady("Ada", &Readiness{Engine: false, Failed: []string{"engine"}})
	r.clock.Add(10 * time.Minute)
	// Sent out of order: the timeline is in the order they happened.
	r.send(ada, ev(KindHint, pp, 3), ev(KindStarted, pp, 1), evAt(KindCheckFailed, pp, 2, 1))
	status, _, body := r.get(r.srv.DashboardPath() + "learners/1")
	if status != 200 {
		t.Fatalf("learner page: %d %s", status, body)
	}
	var d LearnerDetail
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range d.Timeline {
		kinds = append(kinds, string(e.Kind)+" "+e.Label)
	}
	if d.Learner.Name != "Ada" || fmt.Sprint(kinds) != "[readiness  started 2.1 check_failed 2.1 hint 2.1]" {
		t.Errorf("detail: %s %v", d.Learner.Name, kinds)
	}
	if p := d.Timeline[0].Problems; fmt.Sprint(p) != "[Docker engine not reachable doctor fails: engine]" {
		t.Errorf("readiness problems %q", p)
	}
	for _, p := range []string{"learners/2", "learners/x"} {
		if status, _, _ := r.get(r.srv.DashboardPath() + p); status != 404 {
			t.Errorf("GET %s: %d, want 404", p, status)
		}
	}
}

// TestStoreUpgrades: a classroom.db of an older schema (1, before
// readiness; 2, before quizzes; 3, a let-back as a left event) opens, is upgraded, and keeps its learners
// and events; the events of what came later then go in.
func TestStoreUpgrades(t *testing.T) {
	const (
		readiness = "\treadiness    TEXT NOT NULL DEFAULT '',\n"
		quizzes   = "\tcorrect      INTEGER NOT NULL DEFAULT 0,\n\tattempt      INTEGER NOT NULL DEFAULT 0,\n"
	)
	for _, tt := range []struct {
		version string
		columns []string // the columns it lacks, as the schema writes them
	}{
		{"1", []string{readiness, quizzes}},
		{"2", []string{quizzes}},
		{"3", nil},
	} {
		t.Run("schema "+tt.version, func(t *testing.T) {
			dir := t.TempDir()
			db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "classroom.db"))
			if err != nil {
				t.Fatal(err)
			}
			old := schema
			for _, c := range tt.columns {
				if old = strings.Replace(old, c, "", 1); old == schema {
					t.Fatalf("the schema has no column %q", c)
				}
			}
			for _, q := range []string{old, `INSERT INTO meta VALUES ('schema', '` + tt.version + `')`,
				`INSERT INTO learners VALUES (1, 'Ada', 'ada', 'h', 0)`,
				`INSERT INTO events (learner, client_id, kind, exercise, at, received) VALUES (1, '0123456789abcdef', 'started', 'a/b', 1, 1)`,
				`INSERT INTO events (learner, client_id, kind, exercise, at, received, message) VALUES (1, '0123456789abcdee', 'left', '', 2, 2, 'the instructor let them join again from another laptop')`} {
				if _, err := db.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()
			st, err := OpenStore(dir)
			if err != nil {
				t.Fatalf("open a schema %s database: %v", tt.version, err)
			}
			defer st.Close()
			if v, _, _ := st.Meta("schema"); v != schemaVersion {
				t.Errorf("schema %s after opening, want %s", v, schemaVersion)
			}
			answer := Event{ID: "fedcba9876543211", Kind: KindAnswered, Exercise: "a/q", At: testNow, Correct: true, Attempt: 2}
			if _, err := st.AddEvents(1, []Event{
				{ID: "fedcba9876543210", Kind: KindReadiness, At: testNow, Readiness: &Readiness{Engine: true}}, answer,
			}, testNow); err != nil {
				t.Errorf("a readiness event and an answer in an upgraded database: %v", err)
			}
			evs, err := st.Events()
			if err != nil || len(evs) != 4 || evs[0].Exercise != "a/b" || !reflect.DeepEqual(evs[3].Event, answer) {
				t.Fatalf("events after the upgrade: %+v, %v", evs, err)
			}
			// The instructor's let-back, once a left event with a message.
			if evs[1].Kind != KindLetBack || evs[1].Message != "" {
				t.Errorf("a let-back after the upgrade: %+v", evs[1].Event)
			}
		})
	}
}

// TestExportShowsWhatWasServed: an export made with a course that lacks
// the instructor's lessons, and the default stuck rule, still shows the
// grid the dashboard showed: the course and the rule of the last serve are
// kept in the store. A restart with a smaller course lists the exercises it
// hides.
func TestExportShowsWhatWasServed(t *testing.T) {
	served := []CourseLesson{
		{ID: "first-run", Exercises: []CourseExercise{{ID: "publish-page"}}},
		{ID: "own", Exercises: []CourseExercise{{ID: "mine"}}},
	}
	r := newRoom(t, Options{Course: served, StuckFails: 2, StuckAfter: time.Hour})
	ada := r.join("Ada")
	r.send(ada, ev(KindStarted, "own/mine", 0), evAt(KindCheckFailed, "own/mine", 1, 1), evAt(KindCheckFailed, "own/mine", 2, 1))
	want := new(bytes.Buffer)
	if err := r.srv.WriteGridCSV(want); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(want.String(), "own/mine") {
		t.Fatalf("the served grid lacks own/mine:\n%s", want)
	}

	builtIn := []CourseLesson{{ID: "first-run", Exercises: []CourseExercise{{ID: "publish-page"}}}}
	export, err := NewServer(r.store, Options{Course: builtIn, Export: true, Now: r.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	got := new(bytes.Buffer)
	if err := export.WriteGridCSV(got); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("export differs from the served grid:\n got %s\nwant %s", got, want)
	}

	r.restart(Options{Course: builtIn})
	if out, quizzes := r.srv.Outside(); strings.Join(out, " ") != "own/mine" || len(quizzes) > 0 {
		t.Errorf("a serve without the own lesson hides %v and the quizzes %v, want [own/mine] and none", out, quizzes)
	}
}

// TestRemovingALearnerTakesTheirHiddenExercises: the exercises a serve
// without the instructor's lessons hides are those with events in the
// store; removing the learners who sent them deletes those events, and the
// exercises are hidden no more.
func TestRemovingALearnerTakesTheirHiddenExercises(t *testing.T) {
	served := []CourseLesson{
		{ID: "first-run", Exercises: []CourseExercise{{ID: "publish-page"}}},
		{ID: "own", Exercises: []CourseExercise{{ID: "mine"}, {ID: "yours"}}},
	}
	r := newRoom(t, Options{Course: served})
	ada, bob := r.join("Ada"), r.join("Bob")
	r.send(ada, ev(KindStarted, "own/mine", 0), ev(KindStarted, "own/yours", 1))
	r.send(bob, ev(KindStarted, "own/mine", 0), ev(KindStarted, "first-run/publish-page", 1))
	r.restart(Options{Course: served[:1]})
	hidden := func(when, want string) {
		t.Helper()
		if got, _ := r.srv.Outside(); strings.Join(got, " ") != want {
			t.Errorf("%s: the classroom hides %q, want %q", when, got, want)
		}
	}
	hidden("before any removal", "own/mine own/yours")
	if _, err := r.srv.RemoveLearner(1); err != nil {
		t.Fatal(err)
	}
	hidden("Ada removed", "own/mine")
	if _, err := r.srv.RemoveLearner(2); err != nil {
		t.Fatal(err)
	}
	hidden("Bob removed too", "")
	r.restart(r.opts)
	hidden("after a restart", "")
}

// answer is an answer to quiz, right or not, the learner's attempt-th, at
// minutes after testNow.
func answer(quiz string, right bool, attempt int, minutes float64) Event {
	e := ev(KindAnswered, quiz, minutes)
	e.Correct, e.Attempt = right, attempt
	return e
}

// quizCourse has a lesson of quizzes only, one with an exercise and a
// quiz, and one with neither.
var quizCourse = []CourseLesson{
	{ID: "what-is-docker", Title: "What is Docker", Quizzes: []CourseQuiz{{ID: "q1"}, {ID: "q2"}}},
	{ID: "reading"},
	{ID: "first-run", Exercises: []CourseExercise{{ID: "publish-page"}}, Quizzes: []CourseQuiz{{ID: "publish-meaning"}}},
}

// TestQuizzes: a lesson of quizzes only has its place on the dashboard, and
// answers count in each learner's progress as their own `dockdojo
// progress` counts them: a quiz is done while its latest answer is right.
// Answers do not move a learner off their exercise.
func TestQuizzes(t *testing.T) {
	const q1, q2, meaning, pp = "what-is-docker/q1", "what-is-docker/q2", "first-run/publish-meaning", "first-run/publish-page"
	r := newRoom(t, Options{Course: quizCourse})
	ada, bob := r.join("Ada"), r.join("Bob")
	r.clock.Add(10 * time.Minute)
	if resp := r.send(ada, answer(q1, false, 1, 1), answer(q1, true, 2, 2), answer(q2, true, 1, 3),
		ev(KindStarted, pp, 4), answer(meaning, false, 1, 5)); resp.Accepted != 5 {
		t.Fatalf("Ada's answers: %+v", resp)
	}
	// Bob's later answer arrives first: the latest by time decides.
	r.send(bob, answer(q1, false, 2, 2), answer(q1, true, 1, 1))
	resp := r.send(bob,
		answer("what-is-docker/q9", true, 1, 3), // not in the course
		answer(pp, true, 1, 3),                  // an exercise, not a quiz
		ev(KindHint, q1, 3),                     // a quiz, not an exercise
		answer(q2, true, 0, 3))                  // no attempt
	var why []string
	for _, rj := range resp.Rejected {
		why = append(why, rj.Error)
	}
	if resp.Accepted != 0 || len(why) != 4 || !strings.Contains(why[0], `quiz "what-is-docker/q9" is not in this classroom's course`) ||
		!strings.Contains(why[1], `quiz "first-run/publish-page"`) || !strings.Contains(why[2], `exercise "what-is-docker/q1"`) || !strings.Contains(why[3], "attempt") {
		t.Errorf("refused: %q", why)
	}

	check := func(when string) {
		t.Helper()
		s := r.srv.Snapshot()
		var lessons []string
		for _, l := range s.Lessons {
			var labels []string
			for _, q := range l.Quizzes {
				labels = append(labels, fmt.Sprintf("%s:%d/%d", q.Label, q.Right, q.Wrong))
			}
			lessons = append(lessons, fmt.Sprintf("%d %s ex=%d quizzes=%v all=%d answering=%d", l.Number, l.ID, len(l.Exercises), labels, l.QuizzesAllRight, l.QuizzesAnswering))
		}
		want := "[1 what-is-docker ex=0 quizzes=[1.Q1:1/1 1.Q2:1/0] all=1 answering=1 3 first-run ex=1 quizzes=[3.Q1:0/1] all=0 answering=1]"
		if fmt.Sprint(lessons) != want {
			t.Errorf("%s: lessons\n got %v\nwant %s", when, lessons, want)
		}
		if fmt.Sprint(s.Quizzes) != "["+q1+" "+q2+" "+meaning+"]" {
			t.Errorf("%s: quizzes %v", when, s.Quizzes)
		}
		a, b := s.Learners[0], s.Learners[1]
		if a.QuizzesRight != 2 || a.Quizzes[q1] != (QuizCellView{Right: true, Tries: 2, Wrong: 1, First: testNow.Add(time.Minute), Answered: testNow.Add(2 * time.Minute)}) ||
			a.Quizzes[meaning].Right || a.Quizzes[meaning].Tries != 1 {
			t.Errorf("%s: Ada's quizzes %d right, %+v", when, a.QuizzesRight, a.Quizzes)
		}
		if a.Current != pp || a.Done != 0 {
			t.Errorf("%s: Ada is on %q with %d done; an answer must not move her off %s", when, a.Current, a.Done, pp)
		}
		if b.QuizzesRight != 0 || b.Quizzes[q1].Right || b.Quizzes[q1].Tries != 2 || b.Current != "" {
			t.Errorf("%s: Bob's quizzes %d right, %+v, on %q; his latest answer was wrong", when, b.QuizzesRight, b.Quizzes, b.Current)
		}
	}
	check("as answered")
	r.restart(r.opts)
	check("after a restart")

	// The grid CSV has a row per quiz answered; the events CSV says each
	// answer and its attempt.
	grid := new(bytes.Buffer)
	if err := r.srv.WriteGridCSV(grid); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, grid.String())
	var quizRows []string
	for _, row := range rows[1:] {
		if row[2] == "right" || row[2] == "wrong" {
			quizRows = append(quizRows, strings.Join(row[:7], ","))
		}
	}
	if want := "[Ada,what-is-docker/q1,right,2026-11-27T10:01:00Z,2026-11-27T10:02:00Z,2,1 " +
		"Ada,what-is-docker/q2,right,2026-11-27T10:03:00Z,2026-11-27T10:03:00Z,1,0 " +
		"Ada,first-run/publish-meaning,wrong,2026-11-27T10:05:00Z,,1,1 " +
		"Bob,what-is-docker/q1,wrong,2026-11-27T10:01:00Z,,2,1]"; fmt.Sprint(quizRows) != want {
		t.Errorf("grid CSV's quiz rows\n got %v\nwant %s", quizRows, want)
	}
	events := new(bytes.Buffer)
	if err := r.srv.WriteEventsCSV(events); err != nil {
		t.Fatal(err)
	}
	rows = readCSV(t, events.String())
	if h, first := rows[0], rows[1]; strings.Join(h[len(h)-2:], ",") != "answer,attempt" || first[3] != "answered" || strings.Join(first[len(first)-2:], ",") != "wrong,1" {
		t.Errorf("events CSV: %q, %q", h, first)
	}

	// Ada's page: her answers in the timeline, with each quiz's label.
	d, err := r.srv.LearnerDetail(1)
	if err != nil {
		t.Fatal(err)
	}
	if e := d.Timeline[1]; e.Kind != KindAnswered || e.Label != "1.Q1" || !e.Correct || e.Attempt != 2 {
		t.Errorf("Ada's second event on her page: %+v", e)
	}
}

// TestAnswersGoOnlyToAClassroomThatTakesThem: a classroom older than quiz
// answers says nothing of the kinds it takes, and would refuse an answer;
// the learner's dockdojo does not send it one, so the learner is not told
// at every quiz to tell their instructor. A classroom that takes them gets
// them.
func TestAnswersGoOnlyToAClassroomThatTakesThem(t *testing.T) {
	var mu sync.Mutex
	var heard []Kind
	older := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/join":
			writeJSONStatus(w, 200, map[string]string{"token": "t0k", "name": "Ada"}) // no kinds
		case "/api/v1/events":
			var req EventsRequest
			_ = json.NewDecoder(r.Body).Decode(&req)
			resp := EventsResponse{Rejected: []Rejected{}}
			mu.Lock()
			for _, e := range req.Events {
				heard = append(heard, e.Kind)
				if e.Kind == KindAnswered {
					resp.Rejected = append(resp.Rejected, Rejected{ID: e.ID, Error: `kind "answered": want one of readiness, started, check_failed, passed, hint, solution`})
				}
			}
			mu.Unlock()
			writeJSONStatus(w, 200, resp)
		}
	}))
	defer older.Close()
	newer := newRoom(t, Options{Course: quizCourse})

	for _, tt := range []struct {
		name, url, code string
		want            string // the kinds the classroom hears
	}{
		{"older classroom", older.URL, "KXRMTP", "[hint]"},
		{"this classroom", newer.ts.URL, newer.srv.JoinCode(), "[answered hint]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			home := t.TempDir()
			getenv := func(string) string { return "" }
			cfg, _, err := JoinWith(context.Background(), http.DefaultClient, tt.url, JoinRequest{Code: tt.code, Name: "Ada"})
			if err != nil {
				t.Fatal(err)
			}
			if err := cfg.Save(ConfigPath(getenv, home)); err != nil {
				t.Fatal(err)
			}
			link := OpenLink(getenv, home)
			link.Report(Event{Kind: KindAnswered, Exercise: "what-is-docker/q1", Correct: true, Attempt: 1})
			link.Report(Event{Kind: KindHint, Exercise: "first-run/publish-page", Hint: 1})
			if notice := link.Finish(); notice != "" {
				t.Errorf("the learner is told %q", notice)
			}
			var got []string
			if tt.url == older.URL {
				mu.Lock()
				for _, k := range heard {
					got = append(got, string(k))
				}
				mu.Unlock()
			} else {
				d, err := newer.srv.LearnerDetail(1)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range d.Timeline {
					got = append(got, string(e.Kind))
				}
				slices.Sort(got)
			}
			if fmt.Sprint(got) != tt.want {
				t.Errorf("the classroom heard %v, want %s", got, tt.want)
			}
		})
	}
}

// TestLetBackAndBackInTheEvents: the instructor's "let them join again
// from another laptop" and the learner's coming back are events of their
// own kinds, let_back and back, in the events CSV and on the learner's
// timeline; the learner's row keeps the time they first joined, and says
// when they were back.
func TestLetBackAndBackInTheEvents(t *testing.T) {
	r := newRoom(t, Options{Exercises: []string{"a/b"}})
	first := r.clock.Now().UTC()
	ada := r.join("Ada")
	r.send(ada, ev(KindStarted, "a/b", 0))
	r.clock.Add(10 * time.Minute)
	id := r.srv.Snapshot().Learners[0].ID
	if _, err := r.srv.LetBack(id); err != nil {
		t.Fatal(err)
	}
	r.clock.Add(5 * time.Minute)
	back := r.clock.Now().UTC()
	status, body := r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: "Ada"})
	var jr JoinResponse
	if err := json.Unmarshal([]byte(body), &jr); status != 200 || err != nil || !jr.Back {
		t.Fatalf("Ada on another laptop, let in again: %d %s", status, body)
	}
	ada = jr.Token
	check := func(when string) {
		t.Helper()
		lv := r.srv.Snapshot().Learners[0]
		if !lv.Joined.Equal(first) || !lv.BackAt.Equal(back) || lv.Left {
			t.Errorf("%s: Ada's row joined %v, back at %v, left %v; want joined %v, back at %v", when, lv.Joined, lv.BackAt, lv.Left, first, back)
		}
		_, _, body := r.get(r.srv.DashboardPath() + "events.csv")
		var kinds []string
		for _, row := range readCSV(t, body)[1:] {
			kinds = append(kinds, row[3])
		}
		if want := []string{"started", "let_back", "back"}; !slices.Equal(kinds, want) {
			t.Errorf("%s: the events CSV has the kinds %q; want %q", when, kinds, want)
		}
	}
	check("at once")
	r.restart(r.opts)
	check("after a restart")
	// A learner's own kinds only: no learner posts the instructor's.
	for _, k := range []Kind{KindLetBack, KindBack} {
		if status, body := r.postJSON("/api/v1/events", ada, EventsRequest{Events: []Event{{ID: NewEventID(), Kind: k, At: r.clock.Now()}}}); status == 200 && !strings.Contains(body, "rejected") {
			t.Errorf("a learner's post of a %s event: %d %s, want it refused", k, status, body)
		}
	}
}

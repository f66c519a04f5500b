package classroom

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dockdojo/dockdojo/internal/regfile"
	"github.com/dockdojo/dockdojo/internal/termsafe"
)

// Config is the classroom a learner joined, kept in
// $XDG_CONFIG_HOME/dockdojo/classroom.json (by default
// ~/.config/dockdojo/classroom.json), readable by the learner alone since
// it holds their token:
//
//	{
//	  "url": "http://192.168.1.20:7077",
//	  "name": "Ada",
//	  "token": "9f2c…",                  // authorises this learner's posts
//	  "joined": "2026-11-27T10:00:00Z",
//	  "kinds": ["readiness", "started", …] // the events it takes; absent for an older classroom
//	}
type Config struct {
	URL    string    `json:"url"`
	Name   string    `json:"name"`
	Token  string    `json:"token"`
	Joined time.Time `json:"joined"`
	Kinds  []Kind    `json:"kinds,omitempty"`
}

// takenByEvery are the kinds of event that every classroom takes, one
// older than the answers to quizzes too.
var takenByEvery = []Kind{KindReadiness, KindStarted, KindCheckFailed, KindPassed, KindHint, KindSolution}

// Takes reports whether the classroom takes events of kind k: those every
// classroom takes, and the others it said it takes when the learner
// joined. An older classroom would refuse the others, and the learner
// would be told to tell their instructor, at every quiz, of something
// neither can change; a learner who joined with an older dockdojo sends
// them once they type their join line again.
func (c *Config) Takes(k Kind) bool {
	return slices.Contains(takenByEvery, k) || slices.Contains(c.Kinds, k)
}

// ConfigPath is where the joined classroom is kept: $XDG_CONFIG_HOME/dockdojo,
// else ~/.config/dockdojo.
func ConfigPath(getenv func(string) string, home string) string {
	dir := getenv("XDG_CONFIG_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "dockdojo", "classroom.json")
}

// QueueDir is where events wait to be sent: $XDG_STATE_HOME/dockdojo/classroom-queue,
// else ~/.local/state/dockdojo/classroom-queue.
func QueueDir(getenv func(string) string, home string) string {
	dir := getenv("XDG_STATE_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "dockdojo", "classroom-queue")
}

// LoadConfig reads the joined classroom; nil when none was joined.
func LoadConfig(path string) (*Config, error) {
	data, err := regfile.Read(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read classroom config: %w", err)
	}
	var c Config
	if err := json.Unmarshal(data, &c); err != nil || c.URL == "" || c.Token == "" {
		return nil, fmt.Errorf("classroom config %s cannot be read; join again with `dockdojo join URL CODE` or forget it with `dockdojo join --leave`", path)
	}
	return &c, nil
}

// Save writes the config atomically, readable by its owner alone.
func (c *Config) Save(path string) error {
	return saveJSON(path, c, "save classroom config")
}

// saveJSON writes v as JSON to path atomically, readable by its owner
// alone; what says what failed.
func saveJSON(path string, v any, what string) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	// CreateTemp makes the file 0600, and the rename keeps that.
	if err := writeFileAtomic(path, append(data, '\n')); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// MaxLeft is how many classrooms a learner left LeftClassrooms keeps.
const MaxLeft = 10

// LeftClassrooms are the classrooms the learner left (`dockdojo join
// --leave`, or joining another), kept in a file beside the joined one's
// (LeftPath), readable by the learner alone: each one's config, token
// included. A classroom gives the name of a learner who left back to the
// laptop that proves it holds their token, and to another only once the
// instructor lets them: anyone in the room has the join code, and may type
// any name.
type LeftClassrooms struct{ Path string }

// LeftPath is where the classrooms the learner left are kept, beside
// ConfigPath's file.
func LeftPath(getenv func(string) string, home string) string {
	return filepath.Join(filepath.Dir(ConfigPath(getenv, home)), "classrooms-left.json")
}

// All lists the classrooms left, the latest last; none when the file
// cannot be read (the learner's instructor can still let them back).
func (l LeftClassrooms) All() []Config {
	data, err := regfile.Read(l.Path)
	if err != nil {
		return nil
	}
	var all []Config
	if json.Unmarshal(data, &all) != nil {
		return nil
	}
	return slices.DeleteFunc(all, func(c Config) bool { return c.URL == "" || c.Token == "" })
}

// At is the classroom left at url; nil when none was.
func (l LeftClassrooms) At(url string) *Config {
	all := l.All()
	if i := slices.IndexFunc(all, func(c Config) bool { return c.URL == url }); i >= 0 {
		return &all[i]
	}
	return nil
}

// Latest is the classroom left last; nil when none was.
func (l LeftClassrooms) Latest() *Config {
	if all := l.All(); len(all) > 0 {
		return &all[len(all)-1]
	}
	return nil
}

// Add keeps c as the classroom left last, in place of one left before at
// its address; the oldest go beyond MaxLeft.
func (l LeftClassrooms) Add(c Config) error {
	all := slices.DeleteFunc(l.All(), func(o Config) bool { return o.URL == c.URL })
	all = append(all, c)
	return l.save(all[max(0, len(all)-MaxLeft):])
}

// Remove forgets the classroom left at url: the learner is back in it, or
// in another at its address.
func (l LeftClassrooms) Remove(url string) error {
	all := l.All()
	kept := slices.DeleteFunc(slices.Clone(all), func(c Config) bool { return c.URL == url })
	if len(kept) == len(all) {
		return nil
	}
	if len(kept) == 0 {
		if err := os.Remove(l.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("forget a classroom left: %w", err)
		}
		return nil
	}
	return l.save(kept)
}

func (l LeftClassrooms) save(all []Config) error {
	return saveJSON(l.Path, all, "keep the classroom left")
}

// NormalizeURL accepts what an instructor writes on a whiteboard
// ("192.168.1.20:7077", "http://host:7077/") and returns the server's base
// URL.
func NormalizeURL(raw string) (string, error) {
	given := strings.TrimSpace(raw)
	raw = given
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	// A host named http or https is a scheme typed without its colon
	// (http//192.168.1.20:7077).
	if err != nil || u.Host == "" || u.Hostname() == "http" || u.Hostname() == "https" ||
		(u.Scheme != "http" && u.Scheme != "https") || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q is not a classroom address; give the one the instructor shows, like http://192.168.1.20:7077", given)
	}
	if strings.Contains(u.Path+"/", "/dashboard/") {
		// The instructor's page, pasted: its key is not the learner's to
		// have, and the server has no classroom there.
		return "", fmt.Errorf("%q is the address of the instructor's dashboard, not of the classroom: join with the address alone (like %s://%s) and the join code", given, u.Scheme, u.Host)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u.String(), nil
}

// Errors of the API that the learner can act on.
var (
	ErrWrongCode = errors.New("wrong join code")
	ErrNotMember = errors.New("the classroom does not know this learner")
	// ErrNotClassroom: a server answered, so it was reached, but not as
	// a dockdojo classroom does (or as a hostile one does).
	ErrNotClassroom = errors.New("did not answer as a dockdojo classroom does")
)

// What a classroom slows down from one address, in a 429's reason.
const (
	SlowWrongCodes = "wrong_codes" // wrong join codes: every join from it waits
	SlowJoins      = "joins"       // new learners
)

// APIError is an answer of the server other than success.
type APIError struct {
	Status  int
	Message string
	// Reason and RetryAfter come with a 429: what the classroom slows down
	// (SlowWrongCodes, SlowJoins; "" from an older classroom) and how long
	// it asks to wait (zero when it does not say).
	Reason     string
	RetryAfter time.Duration
	kind       error
}

func (e *APIError) Error() string {
	if e.Message != "" {
		return e.Message
	}
	return fmt.Sprintf("the classroom server answered %d", e.Status)
}

// Unwrap lets errors.Is find ErrWrongCode and ErrNotMember.
func (e *APIError) Unwrap() error { return e.kind }

// post sends a JSON body and decodes a JSON answer.
func post(ctx context.Context, hc *http.Client, u, token string, body, answer any) error {
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(data))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return apiErrorOf(resp.StatusCode, resp.Header, raw)
	}
	if err := json.Unmarshal(raw, answer); err != nil {
		return fmt.Errorf("%s %w: %w", u, ErrNotClassroom, err)
	}
	return nil
}

// apiErrorOf is the error for an answer other than 200. Its message is
// the server's, escaped: whatever prints it shows a hostile classroom's
// escape sequences rather than obeys them.
func apiErrorOf(status int, h http.Header, body []byte) error {
	e := &APIError{Status: status}
	var ae apiError
	if json.Unmarshal(body, &ae) == nil {
		e.Message, e.Reason = termsafe.Printable(ae.Error), ae.Reason
	}
	if secs, err := strconv.Atoi(h.Get("Retry-After")); err == nil && secs > 0 {
		e.RetryAfter = time.Duration(secs) * time.Second
	}
	switch status {
	case http.StatusForbidden:
		e.kind = ErrWrongCode
	case http.StatusUnauthorized:
		e.kind = ErrNotMember
	}
	return e
}

// Join asks the server at base to let this learner in with code and name.
// oldToken, from an earlier join of the same classroom, keeps the learner's
// identity.
func Join(ctx context.Context, hc *http.Client, base, code, name, oldToken string) (*Config, error) {
	cfg, _, err := JoinWith(ctx, hc, base, JoinRequest{Code: code, Name: name, Token: oldToken})
	return cfg, err
}

// JoinWith is Join with the whole request, the laptop's readiness
// included; it also returns the server's answer, which says which lessons
// the classroom offers (fetch them with SyncLessons).
func JoinWith(ctx context.Context, hc *http.Client, base string, req JoinRequest) (*Config, *JoinResponse, error) {
	if req.Readiness != nil {
		r := *req.Readiness
		r.Clean()
		req.Readiness = &r
	}
	var resp JoinResponse
	if err := post(ctx, hc, base+"/api/v1/join", "", req, &resp); err != nil {
		return nil, nil, err
	}
	token := resp.Token
	if token == "" && resp.Known && req.held != "" {
		token = req.held // known by the proof of it
	}
	if token == "" {
		return nil, nil, fmt.Errorf("%s %w: no token", base, ErrNotClassroom)
	}
	// The name is shown to the learner from now on: one they could not
	// have typed (control characters, escape sequences) is no classroom's.
	if clean, err := CleanName(resp.Name); err != nil || clean != resp.Name {
		return nil, nil, fmt.Errorf("%s %w: it calls you %q, not a name you could have joined with", base, ErrNotClassroom, resp.Name)
	}
	return &Config{URL: base, Name: resp.Name, Token: token, Joined: time.Now().UTC(), Kinds: resp.Kinds}, &resp, nil
}

// JoinMaxWait is the longest a Joiner waits by itself: the classroom's own
// pace for wrong codes (one every 6 s) fits, and a learner is not left
// wondering whether it hangs.
const JoinMaxWait = 15 * time.Second

// Joiner joins a classroom, and tries once more by itself when the
// classroom answers that it is slowing down joins from the learner's
// address (429) for at most JoinMaxWait: in a room behind one router the
// neighbours' typos of the join code make everyone's join wait, the right
// code too, and a learner should not have to type it again for that.
type Joiner struct {
	HTTP *http.Client  // nil: http.DefaultClient
	Try  time.Duration // bounds each attempt; zero: 5 s
	// Waiting is told before the wait, with the classroom's answer (its
	// RetryAfter says how long); nil: nothing is said.
	Waiting func(*APIError)
}

// Join asks the classroom at base to let the learner in, as JoinWith does.
// It takes at most two tries and one wait, and no longer than ctx allows.
func (j Joiner) Join(ctx context.Context, base string, req JoinRequest) (*Config, *JoinResponse, error) {
	hc := cmp.Or(j.HTTP, http.DefaultClient)
	try := cmp.Or(j.Try, 5*time.Second)
	ctx, cancel := context.WithTimeout(ctx, 2*try+JoinMaxWait)
	defer cancel()
	attempt := func() (*Config, *JoinResponse, error) {
		ctx, cancel := context.WithTimeout(ctx, try)
		defer cancel()
		return JoinWith(ctx, hc, base, req)
	}
	cfg, resp, err := attempt()
	var slow *APIError
	if !errors.As(err, &slow) || slow.Status != http.StatusTooManyRequests || slow.RetryAfter == 0 || slow.RetryAfter > JoinMaxWait {
		return cfg, resp, err
	}
	if deadline, _ := ctx.Deadline(); time.Until(deadline) < slow.RetryAfter+time.Second {
		return nil, nil, err // no time left to try again
	}
	if j.Waiting != nil {
		j.Waiting(slow)
	}
	wait := time.NewTimer(slow.RetryAfter)
	defer wait.Stop()
	select {
	case <-ctx.Done():
		return nil, nil, err
	case <-wait.C:
	}
	return attempt()
}

// Queue is a folder of events waiting to be sent, one file each, named so
// that they sort in the order they happened. Files make concurrent dockdojo
// processes safe without locks: each writes its own file and renames it into
// place; a sender deletes only the files it sent.
type Queue struct {
	Dir string
	Max int // events kept at most; the oldest go first. Zero: 2000.
}

func (q Queue) max() int {
	if q.Max > 0 {
		return q.Max
	}
	return 2000
}

// Add queues an event. A file where the queue's folder, or the state
// folder it is in, should be is a *regfile.NotFolderError, which says how
// to move it away.
func (q Queue) Add(e Event) error {
	if err := os.MkdirAll(q.Dir, 0o700); err != nil {
		if nf := cmp.Or(regfile.InTheWay("state folder", filepath.Dir(q.Dir)), regfile.InTheWay("classroom queue folder", q.Dir)); nf != nil {
			return nf
		}
		return fmt.Errorf("queue classroom event: %w", err)
	}
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("%020d-%s.json", e.At.UnixNano(), e.ID)
	tmp, err := os.CreateTemp(q.Dir, ".event-*")
	if err != nil {
		return fmt.Errorf("queue classroom event: %w", err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("queue classroom event: %w", errors.Join(werr, cerr))
	}
	if err := os.Rename(tmp.Name(), filepath.Join(q.Dir, name)); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("queue classroom event: %w", err)
	}
	files, err := q.files()
	if err == nil && len(files) > q.max() {
		for _, f := range files[:len(files)-q.max()] {
			os.Remove(filepath.Join(q.Dir, f))
		}
	}
	return nil
}

// files lists the queued event files, oldest first.
func (q Queue) files() ([]string, error) {
	entries, err := os.ReadDir(q.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); !strings.HasPrefix(n, ".") && strings.HasSuffix(n, ".json") {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names, nil
}

// Len is the number of events waiting.
func (q Queue) Len() int {
	files, _ := q.files()
	return len(files)
}

// Clear forgets every queued event.
func (q Queue) Clear() error {
	err := os.RemoveAll(q.Dir)
	if err != nil {
		return fmt.Errorf("forget queued classroom events: %w", err)
	}
	return nil
}

// Sender sends a queue's events to the classroom.
type Sender struct {
	Config *Config
	Queue  Queue
	HTTP   *http.Client     // nil: http.DefaultClient; the context bounds the time
	Batch  int              // events per post; zero: 20, which stays under the server's body limit
	Now    func() time.Time // the clock the events' times were read from; nil: time.Now
}

// Flush sends queued events, oldest first, in batches, until the queue is
// empty, the context ends or the server refuses. It returns how many events
// the server took (recorded, already known, or refused as invalid: none of
// them is sent again). An error leaves the rest queued for the next flush.
func (s Sender) Flush(ctx context.Context) (int, error) {
	f, err := s.Send(ctx)
	return f.Sent, err
}

// Flushed says what became of the events a flush sent.
type Flushed struct {
	Sent    int            // taken by the server, refused ones included
	Refused []RefusedEvent // refused as invalid: not shown, never sent again
}

// RefusedEvent is an event the classroom refused, and why.
type RefusedEvent struct {
	Kind     Kind
	Exercise string
	Why      string // the classroom's words, escaped (termsafe.Printable)
}

// Send is Flush, saying which events the classroom refused.
func (s Sender) Send(ctx context.Context) (Flushed, error) {
	var f Flushed
	hc := s.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	batch := s.Batch
	if batch <= 0 {
		batch = 20
	}
	now := s.Now
	if now == nil {
		now = time.Now
	}
	for {
		if err := ctx.Err(); err != nil {
			return f, err
		}
		files, err := s.Queue.files()
		if err != nil || len(files) == 0 {
			return f, err
		}
		files = files[:min(len(files), batch)]
		var evs []Event
		var names []string
		for _, file := range files {
			p := filepath.Join(s.Queue.Dir, file)
			data, err := regfile.Read(p)
			if errors.Is(err, fs.ErrNotExist) {
				continue // another dockdojo sent it meanwhile
			}
			var e Event
			if err != nil || json.Unmarshal(data, &e) != nil {
				os.Remove(p) // a torn or foreign file would block the queue forever
				continue
			}
			evs = append(evs, e)
			names = append(names, p)
		}
		if len(evs) == 0 {
			continue
		}
		// The clock goes with the events, so that the classroom can put
		// them on its own.
		req := EventsRequest{Events: evs, SentAt: now().UTC()}
		var resp EventsResponse
		if err := post(ctx, hc, s.Config.URL+"/api/v1/events", s.Config.Token, req, &resp); err != nil {
			return f, err
		}
		for _, p := range names {
			os.Remove(p)
		}
		f.Sent += len(evs)
		for _, r := range resp.Rejected {
			for _, e := range evs {
				if e.ID == r.ID {
					f.Refused = append(f.Refused, RefusedEvent{Kind: e.Kind, Exercise: e.Exercise, Why: termsafe.Printable(r.Error)})
					break
				}
			}
		}
	}
}

package classroom

import (
	"bytes"
	"cmp"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/time/rate"
)

//go:embed web
var web embed.FS

// Limits bound what learners can make the server do. The defaults suit a room
// of up to a few hundred learners; tests and benchmarks change them.
type Limits struct {
	MaxLearners         int           // learners in one classroom
	MaxEventsPerLearner int           // events kept per learner; later ones are refused
	MaxBatch            int           // events in one post
	MaxBody             int64         // bytes of one post
	PostRate            rate.Limit    // posts per second per learner, on average
	PostBurst           int           // posts per learner in a burst
	JoinFailEvery       time.Duration // one more wrong join code allowed per address this often
	JoinFailBurst       int           // wrong join codes per address in a burst
	JoinEvery           time.Duration // one more new learner allowed per address this often
	JoinBurst           int           // new learners per address in a burst
}

// DefaultLimits are the limits of `dockdojo classroom serve`. A learner
// posts once per command (check, hint, ...): a few a minute, and a burst when
// a queue kept offline is sent. New learners from one address: a room of 60
// behind one NAT can all join at once, then one more every 2 seconds (a
// room of 100 is in within 80 seconds), while one machine with the join code
// needs 8 minutes to fill the classroom's 300 places, time enough for the
// instructor to see it and remove them (rejoining with one's token, to
// change one's name, is not counted).
//
// Wrong join codes: while an address has none left, every join from it
// waits, the right code too, or the answer would tell a guesser which code
// is right. So the burst is sized for a room of 60 behind one NAT: 30 typos,
// half the room mistyping once, before anyone waits, and then a right code
// waits at most 6 seconds, which the learner's dockdojo waits out by itself
// (Joiner). Guessing stays hopeless: a code is one of 18^6 = 34,012,224, and
// one address gets 30 guesses and then 10 a minute, 4,830 in an 8-hour day
// (a 0.014% chance) and 17 million, the average it needs, in 3.2 years. All
// addresses together get 10 times the burst and 20 times the pace (300, then
// 200 a minute: a 0.28% chance in a day, 59 days on average).
func DefaultLimits() Limits {
	return Limits{
		MaxLearners:         300,
		MaxEventsPerLearner: 5000,
		MaxBatch:            50,
		MaxBody:             128 << 10,
		PostRate:            5,
		PostBurst:           30,
		JoinFailEvery:       6 * time.Second,
		JoinFailBurst:       30,
		JoinEvery:           2 * time.Second,
		JoinBurst:           60,
	}
}

// The stuck rule's defaults and least values. Under a minute the time rule
// would flag every learner who has just opened an exercise and is still
// reading it, and the dashboard would cry wolf; one failed attempt is the
// least that says anything.
const (
	DefaultStuckFails = 5
	DefaultStuckAfter = 15 * time.Minute
	MinStuckFails     = 1
	MinStuckAfter     = time.Minute
	// DefaultIdleAfter: a learner not heard from for this long is marked
	// idle. Reading a lesson sends nothing, so idle is a question to ask,
	// not a verdict.
	DefaultIdleAfter = 10 * time.Minute
	// NewlyStuckFor is how long a learner who became stuck is marked new.
	NewlyStuckFor = 2 * time.Minute
)

// Options configure a Server.
type Options struct {
	// Course is the course's lessons and their exercises, in course order:
	// the dashboard's columns, grouped by lesson. The server accepts events
	// for these exercises only.
	Course []CourseLesson
	// Exercises is the older way to give the course: exercise keys
	// ("lesson/exercise") in course order, used when Course is empty.
	Exercises []string
	// JoinURLs are the addresses learners join with, as the command line
	// prints them; the dashboard's join banner shows one command each.
	JoinURLs []string
	// Lessons is the instructor's lesson folder, offered to the learners
	// who join (see SyncLessons); nil offers none. It is read by NewServer
	// (and again by SetLessons), within the bounds of MaxLessonFiles and
	// friends. Give it
	// the FS of an os.Root (lessons.Folder's), which refuses links that
	// lead out of the folder; os.DirFS follows them.
	Lessons fs.FS
	// Replace: Lessons are the whole course, in place of the built-in
	// lessons, for the learners too (see LessonsInfo.Replace).
	Replace bool
	// A learner looks stuck on their current exercise when it has not
	// passed and has failed StuckFails checks since its start, or was
	// begun StuckAfter ago. Zero means DefaultStuckFails and
	// DefaultStuckAfter; less than MinStuckFails or MinStuckAfter is an
	// error.
	StuckFails int
	StuckAfter time.Duration
	// IdleAfter marks a learner idle when nothing was heard from them for
	// that long. Zero means DefaultIdleAfter.
	IdleAfter time.Duration
	Limits    Limits // zero: DefaultLimits
	// NewCode makes a new join code; otherwise the code survives restarts,
	// so the one on the whiteboard keeps working.
	NewCode bool
	// RemoteDashboard serves the dashboard to other machines too (with the
	// key). By default it answers only the machine the server runs on, so a
	// learner who reads the key off a projected screen still cannot open it.
	RemoteDashboard bool
	// Downloads are handed out to anyone who reaches the server (see
	// Downloads); nil: none.
	Downloads *Downloads
	// Export makes a server for `classroom export`: its course and stuck
	// rule are the ones the classroom was last served with, as the store
	// keeps them, so the export shows what the dashboard showed, and the
	// exercises with events that course lacks are added at its end;
	// Course, StuckFails and StuckAfter count only for a store that kept
	// none. A server that is not for export keeps its course and rule in
	// the store.
	Export bool
	Now    func() time.Time // nil: time.Now
}

// Server is the classroom's HTTP server: the learners' API and the
// instructor's dashboard.
type Server struct {
	store           *Store
	now             func() time.Time
	rule            viewRule
	limits          Limits
	remoteDashboard bool
	downloads       *Downloads
	code, key       string
	joinURLs        []string

	mu          sync.Mutex // guards everything below and orders writes to the store
	course      *course
	lessons     []byte // the lesson archive; nil: none offered
	lessonsInfo LessonsInfo
	model       *model
	tokens      map[string]int64 // token hash -> learner id
	names       map[string]int64 // name key -> learner id
	postLimit   map[int64]*rate.Limiter
	joinFail    map[string]*rate.Limiter // wrong codes, by client address
	joinFailAll *rate.Limiter            // wrong codes across all addresses
	joins       map[string]*rate.Limiter // new learners, by client address
}

// NewServer loads the classroom kept in store: its join code and instructor
// key (made on first use), its learners and their events.
func NewServer(store *Store, opts Options) (*Server, error) {
	lessons := opts.Course
	if len(lessons) == 0 {
		lessons = courseFromKeys(opts.Exercises)
	}
	if opts.Export {
		if err := servedWith(store, &lessons, &opts); err != nil {
			return nil, err
		}
	}
	c, err := newCourse(lessons)
	if err != nil {
		return nil, err
	}
	s := &Server{
		store: store, now: opts.Now, limits: opts.Limits, remoteDashboard: opts.RemoteDashboard, downloads: opts.Downloads,
		rule: viewRule{
			fails: cmp.Or(opts.StuckFails, DefaultStuckFails), after: cmp.Or(opts.StuckAfter, DefaultStuckAfter),
			idle: cmp.Or(opts.IdleAfter, DefaultIdleAfter), newlyStuck: NewlyStuckFor,
		},
		course: c, joinURLs: opts.JoinURLs,
		tokens: map[string]int64{}, names: map[string]int64{},
		postLimit: map[int64]*rate.Limiter{}, joinFail: map[string]*rate.Limiter{}, joins: map[string]*rate.Limiter{},
	}
	switch {
	case s.rule.fails < MinStuckFails:
		return nil, fmt.Errorf("stuck after %d failed checks: want at least %d", s.rule.fails, MinStuckFails)
	case s.rule.after < MinStuckAfter:
		return nil, fmt.Errorf("stuck after %s: want at least %s", s.rule.after, MinStuckAfter)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.limits == (Limits{}) {
		s.limits = DefaultLimits()
	}
	if opts.Lessons != nil {
		if s.lessons, s.lessonsInfo, err = packLessons(opts.Lessons); err != nil {
			return nil, err
		}
		s.lessonsInfo.Replace = opts.Replace
	}
	s.joinFailAll = rate.NewLimiter(rate.Every(s.limits.JoinFailEvery/20), 10*s.limits.JoinFailBurst)
	if s.code, err = s.secret("join_code", NewJoinCode, opts.NewCode); err != nil {
		return nil, err
	}
	if s.key, err = s.secret("instructor_key", newSecret, false); err != nil {
		return nil, err
	}
	if s.model, err = s.load(c); err != nil {
		return nil, err
	}
	if exercises, quizzes := s.model.outside(); opts.Export && len(exercises)+len(quizzes) > 0 {
		// An export shows every exercise and quiz with events, also those
		// of lessons the last serve was not given.
		if s.course, err = newCourse(withKeys(lessons, exercises, quizzes)); err != nil {
			return nil, err
		}
		if s.model, err = s.load(s.course); err != nil {
			return nil, err
		}
	}
	if !opts.Export {
		if err := s.keepServedWith(lessons); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// The meta keys of what a classroom was last served with.
const (
	metaCourse     = "served_course"      // JSON of []CourseLesson
	metaStuckFails = "served_stuck_fails" // decimal
	metaStuckAfter = "served_stuck_after" // a time.Duration's String
)

// keepServedWith records the course and the stuck rule in the store, for
// `classroom export`.
func (s *Server) keepServedWith(lessons []CourseLesson) error {
	b, err := json.Marshal(lessons)
	if err != nil {
		return err
	}
	for k, v := range map[string]string{
		metaCourse:     string(b),
		metaStuckFails: strconv.Itoa(s.rule.fails),
		metaStuckAfter: s.rule.after.String(),
	} {
		if err := s.store.SetMeta(k, v); err != nil {
			return err
		}
	}
	return nil
}

// servedWith sets lessons and opts's stuck rule to what the store says the
// classroom was last served with, where it says so.
func servedWith(store *Store, lessons *[]CourseLesson, opts *Options) error {
	if v, ok, err := store.Meta(metaCourse); err != nil {
		return err
	} else if ok {
		var served []CourseLesson
		if err := json.Unmarshal([]byte(v), &served); err != nil {
			return fmt.Errorf("read the classroom's course from %s: %w", store.Path(), err)
		}
		*lessons = served
	}
	if v, ok, err := store.Meta(metaStuckFails); err != nil {
		return err
	} else if n, perr := strconv.Atoi(v); ok && perr == nil {
		opts.StuckFails = n
	}
	if v, ok, err := store.Meta(metaStuckAfter); err != nil {
		return err
	} else if d, perr := time.ParseDuration(v); ok && perr == nil {
		opts.StuckAfter = d
	}
	return nil
}

// Outside lists the exercises and the quizzes whose events the store keeps
// but the course lacks, each sorted: a classroom served earlier with
// lessons this serve was not given. The dashboard does not show them and
// their new events are refused.
func (s *Server) Outside() (exercises, quizzes []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.model.outside()
}

// load reads the learners and their events from the store into a new model
// of course c, and (re)makes the maps of tokens and names. Called with s.mu
// held, or before the server serves.
func (s *Server) load(c *course) (*model, error) {
	learners, err := s.store.Learners()
	if err != nil {
		return nil, err
	}
	evs, err := s.store.Events()
	if err != nil {
		return nil, err
	}
	m := newModel(c)
	clear(s.tokens)
	clear(s.names)
	for _, l := range learners {
		s.tokens[l.TokenHash] = l.ID
		s.holdName(l.Name, l.ID)
		m.addLearner(l.ID, l.Name, l.Joined)
	}
	for _, e := range evs {
		m.apply(e.Learner, e.Event, e.Received)
	}
	m.cameBack()
	return m, nil
}

func (s *Server) secret(key string, make func() string, renew bool) (string, error) {
	v, ok, err := s.store.Meta(key)
	if err != nil || (ok && !renew) {
		return v, err
	}
	v = make()
	return v, s.store.SetMeta(key, v)
}

// JoinCode is the code learners type to join.
func (s *Server) JoinCode() string { return s.code }

// DashboardPath is the dashboard's path, with the instructor key in it.
func (s *Server) DashboardPath() string { return "/dashboard/" + s.key + "/" }

// Lessons says which lesson archive the classroom offers; SHA256 is ""
// when none.
func (s *Server) Lessons() LessonsInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lessonsInfo
}

// Snapshot is what the dashboard shows now.
func (s *Server) Snapshot() Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.model.snapshot(s.now(), s.rule, s.joinView())
}

func (s *Server) joinView() JoinView {
	j := JoinView{Code: s.code, Commands: []string{}}
	for _, u := range s.joinURLs {
		j.Commands = append(j.Commands, "dockdojo join "+u+" "+s.code)
	}
	return j
}

// WriteGridCSV writes the grid as CSV: one row per learner and exercise
// they worked on (one with an empty exercise for a learner who did none
// yet), with the learner's current exercise, last seen, idle and readiness
// on each row.
func (s *Server) WriteGridCSV(w io.Writer) error {
	var buf bytes.Buffer
	s.mu.Lock()
	err := s.model.writeGridCSV(&buf, s.now(), s.rule)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// WriteEventsCSV writes every event as CSV, in the order received.
func (s *Server) WriteEventsCSV(w io.Writer) error {
	evs, err := s.store.Events()
	if err != nil {
		return err
	}
	names := map[int64]string{}
	s.mu.Lock()
	for id, l := range s.model.learners {
		names[id] = l.name
	}
	s.mu.Unlock()
	return writeEventsCSV(w, names, evs)
}

// Handler serves the learners' API and the dashboard.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleRoot)
	mux.HandleFunc("POST /api/v1/join", s.handleJoin)
	mux.HandleFunc("POST /api/v1/events", s.handleEvents)
	mux.HandleFunc("GET /dashboard/{key}/{file...}", s.handleDashboard)
	s.downloadRoutes(mux)
	mux.HandleFunc("GET /dashboard/{key}/learners/{id}", s.handleLearnerDetail)
	mux.HandleFunc("POST /dashboard/{key}/learners/{id}/remove", s.handleRemoveLearner)
	mux.HandleFunc("POST /dashboard/{key}/learners/{id}/let-back", s.handleLetBack)
	mux.HandleFunc("GET /api/v1/lessons", s.handleLessonsInfo)
	mux.HandleFunc("GET /api/v1/lessons/archive", s.handleLessonsArchive)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer") // the dashboard's URL holds its key
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
		mux.ServeHTTP(w, r)
	})
}

func (s *Server) handleRoot(w http.ResponseWriter, r *http.Request) {
	if s.downloads != nil {
		s.handleDownloadsPage(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "This is a dockdojo classroom.\n\nJoin it from your terminal with\n\n    dockdojo join %s CODE\n\nwhere CODE is the join code on the instructor's screen.\n", "http://"+r.Host)
}

// apiError is the body of every error answer of the API. Reason comes with
// a 429 of a join: what the classroom is slowing down from the learner's
// address (SlowWrongCodes, SlowJoins).
type apiError struct {
	Error  string `json:"error"`
	Reason string `json:"reason,omitempty"`
}

func writeJSONStatus(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSONStatus(w, status, apiError{Error: fmt.Sprintf(format, args...)})
}

// readJSON decodes a bounded JSON body. Requiring the JSON content type
// keeps a web page elsewhere from posting here with a plain form.
func readJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		fail(w, http.StatusUnsupportedMediaType, "send Content-Type: application/json")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(w, http.StatusRequestEntityTooLarge, "body larger than %d bytes", limit)
		} else {
			fail(w, http.StatusBadRequest, "body is not the expected JSON: %v", err)
		}
		return false
	}
	return true
}

// JoinRequest is the body of POST /api/v1/join. Token, when the learner
// joined this classroom before, keeps their identity (a change of name).
// Proof, from a learner who joined a classroom at another address, keeps
// it too when this is that classroom, moved (see TokenProof and
// ProveToken). Readiness is the laptop's doctor summary, when the
// learner's dockdojo has one.
type JoinRequest struct {
	Code      string     `json:"code"`
	Name      string     `json:"name"`
	Token     string     `json:"token,omitempty"`
	Proof     string     `json:"proof,omitempty"`
	Readiness *Readiness `json:"readiness,omitempty"`

	// held is the token Proof was made from: never sent, kept as the
	// learner's token when the classroom knows them.
	held string
}

// ProveToken makes r prove that the learner holds token, the token of a
// classroom at another address, without sending it; Code and Name must be
// set first.
func (r *JoinRequest) ProveToken(token string) {
	r.Proof, r.held = TokenProof(token, r.Code, r.Name), token
}

// JoinResponse is the answer to a join. Lessons, when the classroom offers
// lessons of its own, describes their archive. Kinds are the kinds of
// event the classroom takes; an older classroom says none, and takes
// those that came before answered (see Config.Takes).
type JoinResponse struct {
	Token string `json:"token"`
	Name  string `json:"name"`
	// Known: the classroom knew this learner, by their token or their
	// proof of it. Token is "" when it was a proof: the learner keeps the
	// token they hold; unless they are Back, with a new one.
	Known bool `json:"known,omitempty"`
	// Back: the learner had left, or the instructor let them join again
	// from another laptop; they are back under their name, with what they
	// did.
	Back bool `json:"back,omitempty"`
	// Removed: the token the learner sent was of a learner the instructor
	// removed; they joined as a new learner.
	Removed bool         `json:"removed,omitempty"`
	Lessons *LessonsInfo `json:"lessons,omitempty"`
	Kinds   []Kind       `json:"kinds,omitempty"`
}

func (s *Server) handleJoin(w http.ResponseWriter, r *http.Request) {
	var req JoinRequest
	if !readJSON(w, r, 8<<10, &req) {
		return
	}
	ip := clientIP(r)
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	lim := addressLimiter(s.joinFail, ip, s.limits.JoinFailEvery, s.limits.JoinFailBurst)
	// Judged before the code is looked at: while an address waits, the
	// right code and a wrong one get the same answer.
	if mine, all := waitFor(lim, now), waitFor(s.joinFailAll, now); mine > 0 || all > 0 {
		from := "your address"
		if all > mine {
			from = "many addresses"
		}
		secs := wholeSeconds(max(mine, all))
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		writeJSONStatus(w, http.StatusTooManyRequests, apiError{
			Error:  fmt.Sprintf("too many wrong join codes from %s; try again in %d s", from, secs),
			Reason: SlowWrongCodes,
		})
		return
	}
	if subtle.ConstantTimeCompare([]byte(NormalizeCode(req.Code)), []byte(s.code)) != 1 {
		lim.AllowN(now, 1)
		s.joinFailAll.AllowN(now, 1)
		fail(w, http.StatusForbidden, "wrong join code")
		return
	}
	name, err := CleanName(req.Name)
	if err != nil {
		fail(w, http.StatusBadRequest, "%v", err)
		return
	}
	if req.Readiness != nil {
		if err := req.Readiness.Validate(); err != nil {
			fail(w, http.StatusBadRequest, "%v", err)
			return
		}
	}
	if req.Token != "" {
		if id, ok := s.tokens[tokenHash(req.Token)]; ok {
			s.rejoin(w, id, name, req)
			return
		}
	}
	if req.Proof != "" {
		if id, ok := provenBy(s.tokens, req.Proof, req.Code, name); ok {
			// A proof is sent to whatever address the learner types, and
			// the same each time: a server that is not their classroom
			// could replay it. It keeps a learner who is in on their row,
			// and gets no token; a row whose learner left it would give
			// one, so it goes back only for the token itself, or once the
			// instructor let them (by name, below).
			switch l := s.model.learners[id]; {
			case l != nil && l.away && !l.letBack:
				fail(w, http.StatusConflict, "%s left this classroom, at another address: it takes back a learner who left only from the address they left from, or once your instructor lets you join again (on your page of the dashboard); ask them, then type your join line again", l.name)
				return
			case l == nil || !l.away:
				req.Token = "" // what the learner holds stays theirs
				s.rejoin(w, id, name, req)
				return
			}
		}
	}
	if owner, taken := s.nameOwner(name); taken {
		l := s.model.learners[owner]
		// Back on their row by their name, not by one that only looks
		// like it, once the instructor let them: anyone may type a name,
		// and the join code is on the wall. One who left comes back from
		// the laptop they left from, by its token (above).
		switch {
		case l != nil && l.away && l.letBack && sameName(l.name, name):
			s.back(w, owner, name, req, now.UTC(), false)
		case l != nil && l.away && sameName(l.name, name):
			fail(w, http.StatusConflict, "%s left this classroom, and only the laptop they left from takes the name back. "+
				"If you are %s on another laptop, ask your instructor to let you join again from it (on your page of the dashboard), then type your join line again; "+
				"else choose another name with --name", l.name, l.name)
		case l != nil && !l.away:
			// It may be them, at another laptop (theirs broke): the
			// instructor's let-back moves them, as for one who left.
			fail(w, http.StatusConflict, "%s. If you are %s on another laptop, ask your instructor to let you join again from it (on your page of the dashboard), "+
				"then type your join line again; if you are not, choose another name with --name", s.takenBy(owner, name), l.name)
		default:
			fail(w, http.StatusConflict, "%s; choose another with --name", s.takenBy(owner, name))
		}
		return
	}
	if len(s.tokens) >= s.limits.MaxLearners {
		fail(w, http.StatusServiceUnavailable, "the classroom is full (%d learners)", s.limits.MaxLearners)
		return
	}
	if !addressLimiter(s.joins, ip, s.limits.JoinEvery, s.limits.JoinBurst).Allow() {
		w.Header().Set("Retry-After", strconv.Itoa(wholeSeconds(s.limits.JoinEvery)))
		writeJSONStatus(w, http.StatusTooManyRequests, apiError{
			Error:  fmt.Sprintf("too many learners joined from your address (%d at once, then one every %s); wait a few seconds and try again", s.limits.JoinBurst, s.limits.JoinEvery),
			Reason: SlowJoins,
		})
		return
	}
	token := newSecret()
	now = now.UTC()
	id, err := s.store.AddLearner(name, tokenHash(token), now)
	if err != nil {
		fail(w, http.StatusInternalServerError, "%v", err)
		return
	}
	s.tokens[tokenHash(token)] = id
	s.holdName(name, id)
	s.model.addLearner(id, name, now)
	s.recordReadiness(id, req.Readiness, now)
	// A failure to read it costs only the learner's being told why.
	removed, _ := s.store.Removed(tokenHash(req.Token))
	s.joined(w, JoinResponse{Token: token, Name: name, Removed: req.Token != "" && removed})
}

// nameOwner is the learner whose name looks like name (see nameKeys).
// Called with s.mu held.
func (s *Server) nameOwner(name string) (int64, bool) {
	for _, k := range nameKeys(name) {
		if id, ok := s.names[k]; ok {
			return id, true
		}
	}
	return 0, false
}

// takenBy says that name is taken by learner owner's, which may only look
// like it. Called with s.mu held.
func (s *Server) takenBy(owner int64, name string) string {
	msg := fmt.Sprintf("the name %q is taken in this classroom", name)
	if l := s.model.learners[owner]; l != nil && l.name != name {
		msg += fmt.Sprintf(" (%q looks the same)", l.name)
	}
	return msg
}

// sameName reports whether a and b are one name but for case and
// Unicode's compatibility form, not names that only look alike.
func sameName(a, b string) bool {
	fold := cases.Fold()
	return fold.String(norm.NFKC.String(a)) == fold.String(norm.NFKC.String(b))
}

// holdName and forgetName keep s.names, under each of a name's keys.
// Called with s.mu held.
func (s *Server) holdName(name string, id int64) {
	for _, k := range nameKeys(name) {
		s.names[k] = id
	}
}

func (s *Server) forgetName(name string) {
	for _, k := range nameKeys(name) {
		delete(s.names, k)
	}
}

// addressLimiter is the limiter of one client address in m, made on first
// use. Called with s.mu held.
func addressLimiter(m map[string]*rate.Limiter, ip string, every time.Duration, burst int) *rate.Limiter {
	lim := m[ip]
	if lim == nil {
		if len(m) >= 10000 {
			clear(m) // forget old addresses rather than grow without bound
		}
		lim = rate.NewLimiter(rate.Every(every), burst)
		m[ip] = lim
	}
	return lim
}

// waitFor is how long lim, judged at now, needs before it allows one more;
// zero when it allows one now.
func waitFor(lim *rate.Limiter, now time.Time) time.Duration {
	tokens := lim.TokensAt(now)
	if tokens >= 1 || lim.Limit() == rate.Inf {
		return 0
	}
	if lim.Limit() <= 0 {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration((1 - tokens) / float64(lim.Limit()) * float64(time.Second))
}

// wholeSeconds is d rounded up to whole seconds, at least 1: what
// Retry-After and a message can say.
func wholeSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// recordReadiness keeps the readiness a join carried, as a readiness event
// of the server's making. Called with s.mu held; a failure to record it
// does not fail the join.
func (s *Server) recordReadiness(id int64, r *Readiness, now time.Time) {
	if r == nil {
		return
	}
	e := Event{ID: NewEventID(), Kind: KindReadiness, At: now, Readiness: r}
	if added, err := s.store.AddEvents(id, []Event{e}, now); err == nil && len(added) == 1 {
		s.model.apply(id, e, now)
	}
}

// joined answers a join with resp, and what every join is told.
func (s *Server) joined(w http.ResponseWriter, resp JoinResponse) {
	resp.Kinds = Kinds
	if s.lessons != nil {
		info := s.lessonsInfo
		resp.Lessons = &info
	}
	writeJSONStatus(w, http.StatusOK, resp)
}

// back takes in a learner who left (or whom the instructor let join again
// from another laptop) under name: their row, with a new token. known:
// they came with their token, or a proof of it. Called with s.mu held.
func (s *Server) back(w http.ResponseWriter, id int64, name string, req JoinRequest, now time.Time, known bool) {
	token := newSecret()
	if err := s.store.LearnerBack(id, name, tokenHash(token)); err != nil {
		fail(w, http.StatusInternalServerError, "%v", err)
		return
	}
	// Their coming back is on their timeline and in the events CSV; a
	// failure to record it does not fail the join.
	e := Event{ID: NewEventID(), Kind: KindBack, At: now}
	if added, err := s.store.AddEvents(id, []Event{e}, now); err == nil && len(added) == 1 {
		s.model.apply(id, e, now)
	}
	for hash, owner := range s.tokens {
		if owner == id {
			delete(s.tokens, hash) // the laptop they left with sends no more
		}
	}
	s.tokens[tokenHash(token)] = id
	s.forgetName(s.model.learners[id].name)
	s.holdName(name, id)
	s.model.backAgain(id, name)
	s.recordReadiness(id, req.Readiness, now)
	s.joined(w, JoinResponse{Token: token, Name: name, Back: true, Known: known})
}

// rejoin renames a learner who joins again with their token, or a proof
// of it; one who had left is back (see back). Called with s.mu held.
func (s *Server) rejoin(w http.ResponseWriter, id int64, name string, req JoinRequest) {
	if owner, taken := s.nameOwner(name); taken && owner != id {
		fail(w, http.StatusConflict, "%s; choose another with --name", s.takenBy(owner, name))
		return
	}
	if s.model.learners[id].away {
		s.back(w, id, name, req, s.now().UTC(), true)
		return
	}
	old := s.model.learners[id].name
	if old != name {
		if err := s.store.RenameLearner(id, name); err != nil {
			fail(w, http.StatusInternalServerError, "%v", err)
			return
		}
		s.forgetName(old)
		s.holdName(name, id)
		s.model.addLearner(id, name, time.Time{})
	}
	s.recordReadiness(id, req.Readiness, s.now().UTC())
	s.joined(w, JoinResponse{Token: req.Token, Name: name, Known: true})
}

// EventsRequest is the body of POST /api/v1/events. SentAt is the
// learner's clock as the post was made: the server moves the events' times
// by how far that clock is from its own (see clockSkew). An older dockdojo
// sends none.
type EventsRequest struct {
	Events []Event   `json:"events"`
	SentAt time.Time `json:"sent_at,omitzero"`
}

// ClockTolerance is how far a learner's clock may be from the server's
// before their events' times are moved: more than a post takes to arrive,
// less than anything the dashboard shows.
const ClockTolerance = 5 * time.Second

// clockSkew is how far the server's clock (now) is ahead of a learner's
// (sentAt, read by the learner as they posted), or zero: within
// ClockTolerance, or not said. Adding it to an event's time puts it on the
// server's clock and keeps its age: an event queued offline an hour ago is
// an hour old, on either clock.
func clockSkew(sentAt, now time.Time) time.Duration {
	if sentAt.IsZero() {
		return 0
	}
	if d := now.Sub(sentAt); d.Abs() > ClockTolerance {
		return d
	}
	return 0
}

// EventsResponse says what became of a post's events. Rejected events are
// invalid and will never be accepted: the client drops them too.
type EventsResponse struct {
	Accepted   int        `json:"accepted"`
	Duplicates int        `json:"duplicates"`
	Rejected   []Rejected `json:"rejected"`
}

// Rejected is an event the server refused, and why.
type Rejected struct {
	ID    string `json:"id"`
	Error string `json:"error"`
}

func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	id, ok := s.learnerRequest(w, r)
	if !ok {
		return
	}
	// The body is read outside the lock: a slow learner holds up no one.
	var req EventsRequest
	if !readJSON(w, r, s.limits.MaxBody, &req) {
		return
	}
	if len(req.Events) > s.limits.MaxBatch {
		fail(w, http.StatusRequestEntityTooLarge, "%d events in one post; at most %d", len(req.Events), s.limits.MaxBatch)
		return
	}
	now := s.now().UTC()
	skew := clockSkew(req.SentAt, now)
	resp := EventsResponse{Rejected: []Rejected{}}
	var valid []Event
	s.mu.Lock()
	c := s.course
	s.mu.Unlock()
	for _, e := range req.Events {
		if !e.At.IsZero() {
			e.At = e.At.Add(skew)
		}
		err := e.Validate(now)
		if err == nil {
			err = c.takes(e)
		}
		if err != nil {
			resp.Rejected = append(resp.Rejected, Rejected{ID: truncate(e.ID, 32), Error: err.Error()})
			continue
		}
		if e.At.After(now) {
			e.At = now // from the future by a clock within ClockTolerance, or an older dockdojo's: believe ours
		}
		e.At = e.At.UTC()
		valid = append(valid, e)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.model.learners[id]
	if l == nil {
		fail(w, http.StatusUnauthorized, "unknown token: join the classroom again")
		return
	}
	room := s.limits.MaxEventsPerLearner - l.events
	if len(valid) > room {
		for _, e := range valid[max(room, 0):] {
			resp.Rejected = append(resp.Rejected, Rejected{ID: e.ID, Error: fmt.Sprintf("this learner has sent %d events, the most one classroom keeps", s.limits.MaxEventsPerLearner)})
		}
		valid = valid[:max(room, 0)]
	}
	added, err := s.store.AddEvents(id, valid, now)
	if err != nil {
		fail(w, http.StatusInternalServerError, "%v", err)
		return
	}
	for _, e := range added {
		s.model.apply(id, e, now)
	}
	resp.Accepted, resp.Duplicates = len(added), len(valid)-len(added)
	writeJSONStatus(w, http.StatusOK, resp)
}

// learnerRequest authorises a learner's request by its token, within the
// learner's rate of requests, and says whose it is.
func (s *Server) learnerRequest(w http.ResponseWriter, r *http.Request) (int64, bool) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		fail(w, http.StatusUnauthorized, "missing token: join the classroom first")
		return 0, false
	}
	hash := tokenHash(token)
	s.mu.Lock()
	id, known := s.tokens[hash]
	var allowed bool
	var retry time.Duration
	if known {
		lim := s.postLimit[id]
		if lim == nil {
			lim = rate.NewLimiter(s.limits.PostRate, s.limits.PostBurst)
			s.postLimit[id] = lim
		}
		now := time.Now()
		if allowed = lim.AllowN(now, 1); !allowed {
			retry = waitFor(lim, now)
		}
	}
	s.mu.Unlock()
	switch {
	case !known:
		fail(w, http.StatusUnauthorized, "unknown token: join the classroom again")
		return 0, false
	case !allowed:
		// When it takes posts again, to the second: the learner's
		// dockdojo waits that out at the end of a command (HeldBackTimeout).
		w.Header().Set("Retry-After", strconv.Itoa(wholeSeconds(retry)))
		fail(w, http.StatusTooManyRequests, "too many posts; slow down")
		return 0, false
	}
	return id, true
}

// dashboardAllowed answers a dashboard request without the instructor's
// key (404, as if there were nothing) or from another machine (403, unless
// RemoteDashboard), and says whether to go on.
func (s *Server) dashboardAllowed(w http.ResponseWriter, r *http.Request) bool {
	if subtle.ConstantTimeCompare([]byte(r.PathValue("key")), []byte(s.key)) != 1 {
		http.NotFound(w, r)
		return false
	}
	if !s.remoteDashboard && !fromThisMachine(r) {
		http.Error(w, "The dashboard is only shown on the machine that runs the classroom (start it with --dashboard-remote to change that).", http.StatusForbidden)
		return false
	}
	return true
}

func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) {
	if !s.dashboardAllowed(w, r) {
		return
	}
	stamp := s.now().UTC().Format("20060102-1504")
	switch file := r.PathValue("file"); file {
	case "", "app.js", "app.css":
		name := map[string]string{"": "web/index.html", "app.js": "web/app.js", "app.css": "web/app.css"}[file]
		data, err := web.ReadFile(name)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		ct := map[string]string{"": "text/html; charset=utf-8", "app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}[file]
		w.Header().Set("Content-Type", ct)
		_, _ = w.Write(data)
	case "state.json":
		writeJSONStatus(w, http.StatusOK, s.Snapshot())
	case "export.csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="dockdojo-classroom-`+stamp+`.csv"`)
		if err := s.WriteGridCSV(w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	case "events.csv":
		var buf bytes.Buffer
		if err := s.WriteEventsCSV(&buf); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="dockdojo-classroom-events-`+stamp+`.csv"`)
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		_, _ = w.Write(buf.Bytes())
	default:
		http.NotFound(w, r)
	}
}

// clientIP is the address the request came from. Headers such as
// X-Forwarded-For are not believed: anyone can set them.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// fromThisMachine reports whether the request came from the machine the
// server runs on: over loopback, or to one of its own addresses from that
// same address.
func fromThisMachine(r *http.Request) bool {
	remote := net.ParseIP(clientIP(r))
	if remote == nil {
		return false
	}
	if remote.IsLoopback() {
		return true
	}
	local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return false
	}
	host, _, err := net.SplitHostPort(local.String())
	return err == nil && net.ParseIP(host).Equal(remote)
}

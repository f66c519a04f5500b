package classroom

import (
	"cmp"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// model is what the dashboard shows, kept in memory and updated as events
// arrive; at start it is rebuilt by replaying the database.
type model struct {
	course   []string // exercise keys in course order: the grid's columns
	learners map[int64]*learnerState
	order    []int64 // learner ids in the order they joined
	trips    map[tripKey]*tripStat
	extra    map[string]bool // exercise keys seen that the course does not have
}

type learnerState struct {
	id       int64
	name     string
	joined   time.Time
	lastSeen time.Time // when an event of theirs last arrived
	current  string    // the exercise of their latest event
	latest   time.Time // the At of that event
	events   int
	cells    map[string]*cell
}

// cell is one learner's work on one exercise.
type cell struct {
	started         time.Time // latest start
	passed          time.Time // first pass
	checks, fails   int
	failsSinceStart int
	hints           int
	solution        bool
	checkKind       string // the first failing check of the latest failed check
	check           string
	message         string
	checksOK        int
	checksTotal     int
}

type tripKey struct{ exercise, checkKind, check string }

type tripStat struct {
	learners map[int64]bool
	failures int
	message  string // the latest message, as an example
}

func newModel(course []string) *model {
	return &model{course: course, learners: map[int64]*learnerState{}, trips: map[tripKey]*tripStat{}, extra: map[string]bool{}}
}

func (m *model) addLearner(id int64, name string, joined time.Time) {
	if l := m.learners[id]; l != nil {
		l.name = name
		return
	}
	m.learners[id] = &learnerState{id: id, name: name, joined: joined, cells: map[string]*cell{}}
	m.order = append(m.order, id)
}

// apply adds one event. Events may arrive late (queued offline) and out of
// order between two processes: times are compared, not arrival order.
func (m *model) apply(learner int64, e Event, received time.Time) {
	l := m.learners[learner]
	if l == nil {
		return
	}
	l.events++
	if received.After(l.lastSeen) {
		l.lastSeen = received
	}
	if !e.At.Before(l.latest) {
		l.latest, l.current = e.At, e.Exercise
	}
	if !slices.Contains(m.course, e.Exercise) {
		m.extra[e.Exercise] = true
	}
	c := l.cells[e.Exercise]
	if c == nil {
		c = &cell{}
		l.cells[e.Exercise] = c
	}
	switch e.Kind {
	case KindStarted:
		if !e.At.Before(c.started) {
			c.started, c.failsSinceStart = e.At, 0
		}
	case KindCheckFailed:
		c.checks++
		c.fails++
		if !e.At.Before(c.started) {
			c.failsSinceStart++
		}
		c.checkKind, c.check, c.message = e.CheckKind, e.Check, e.Message
		c.checksOK, c.checksTotal = e.ChecksOK, e.ChecksTotal
		k := tripKey{e.Exercise, e.CheckKind, e.Check}
		t := m.trips[k]
		if t == nil {
			t = &tripStat{learners: map[int64]bool{}}
			m.trips[k] = t
		}
		t.learners[learner] = true
		t.failures++
		t.message = e.Message
	case KindPassed:
		c.checks++
		if c.passed.IsZero() || e.At.Before(c.passed) {
			c.passed = e.At
		}
	case KindHint:
		if e.Hint > 0 {
			c.hints = max(c.hints, e.Hint) // asking again after the last hint shows no new one
		} else {
			c.hints++
		}
	case KindSolution:
		c.solution = true
	}
}

// Snapshot is the dashboard's state.json.
type Snapshot struct {
	Now        time.Time `json:"now"`
	StuckFails int       `json:"stuck_fails"`
	StuckAfter float64   `json:"stuck_after_minutes"`
	// Exercises are the grid's columns: the course's, in order, then any
	// other exercise a learner reported (their own lessons).
	Exercises []string      `json:"exercises"`
	Learners  []LearnerView `json:"learners"`
	Stuck     []StuckView   `json:"stuck"`
	Tripping  []TripView    `json:"tripping"`
}

// LearnerView is one row of the grid.
type LearnerView struct {
	ID       int64               `json:"id"`
	Name     string              `json:"name"`
	Joined   time.Time           `json:"joined"`
	LastSeen time.Time           `json:"last_seen,omitzero"`
	Current  string              `json:"current,omitempty"`
	Done     int                 `json:"done"`
	Cells    map[string]CellView `json:"cells"`
}

// CellView is one learner's work on one exercise.
type CellView struct {
	State           string    `json:"state"` // "started", "failing" or "passed"
	Started         time.Time `json:"started,omitzero"`
	Passed          time.Time `json:"passed,omitzero"`
	Checks          int       `json:"checks"`
	Fails           int       `json:"fails"`
	FailsSinceStart int       `json:"fails_since_start"`
	Hints           int       `json:"hints"`
	Solution        bool      `json:"solution"`
	CheckKind       string    `json:"check_kind,omitempty"`
	Check           string    `json:"check,omitempty"`
	Message         string    `json:"message,omitempty"`
	ChecksOK        int       `json:"checks_ok"`
	ChecksTotal     int       `json:"checks_total"`
	Stuck           string    `json:"stuck,omitempty"` // why the learner looks stuck here; "" when not
}

// StuckView is a learner who looks stuck, on their current exercise.
type StuckView struct {
	Learner  string  `json:"learner"`
	Exercise string  `json:"exercise"`
	Why      string  `json:"why"`
	Fails    int     `json:"fails_since_start"`
	Minutes  float64 `json:"minutes_since_start"`
	Check    string  `json:"check,omitempty"`
}

// TripView is a check that failed for learners, most learners first.
type TripView struct {
	Exercise  string `json:"exercise"`
	CheckKind string `json:"check_kind"`
	Check     string `json:"check"`
	Learners  int    `json:"learners"`
	Failures  int    `json:"failures"`
	Message   string `json:"message"`
}

// stuckRule says when a learner looks stuck on their current exercise: not
// passed, and either this many failed checks since its start or this long
// since its start.
type stuckRule struct {
	fails int
	after time.Duration
}

func (m *model) columns() []string {
	cols := slices.Clone(m.course)
	var extra []string
	for k := range m.extra {
		extra = append(extra, k)
	}
	slices.Sort(extra)
	return append(cols, extra...)
}

func (m *model) snapshot(now time.Time, rule stuckRule) Snapshot {
	s := Snapshot{
		Now: now, StuckFails: rule.fails, StuckAfter: rule.after.Minutes(),
		Exercises: m.columns(), Learners: []LearnerView{}, Stuck: []StuckView{}, Tripping: []TripView{},
	}
	for _, id := range m.order {
		l := m.learners[id]
		lv := LearnerView{ID: id, Name: l.name, Joined: l.joined, LastSeen: l.lastSeen, Current: l.current, Cells: map[string]CellView{}}
		for key, c := range l.cells {
			cv := c.view()
			if key == l.current {
				cv.Stuck = rule.why(c, now)
				if cv.Stuck != "" {
					s.Stuck = append(s.Stuck, StuckView{
						Learner: l.name, Exercise: key, Why: cv.Stuck, Fails: c.failsSinceStart,
						Minutes: minutesSince(c.started, now), Check: c.check,
					})
				}
			}
			if cv.State == "passed" {
				lv.Done++
			}
			lv.Cells[key] = cv
		}
		s.Learners = append(s.Learners, lv)
	}
	slices.SortStableFunc(s.Stuck, func(a, b StuckView) int {
		return cmp.Or(cmp.Compare(b.Fails, a.Fails), cmp.Compare(b.Minutes, a.Minutes))
	})
	for k, t := range m.trips {
		s.Tripping = append(s.Tripping, TripView{
			Exercise: k.exercise, CheckKind: k.checkKind, Check: k.check,
			Learners: len(t.learners), Failures: t.failures, Message: t.message,
		})
	}
	slices.SortFunc(s.Tripping, func(a, b TripView) int {
		return cmp.Or(cmp.Compare(b.Learners, a.Learners), cmp.Compare(b.Failures, a.Failures),
			strings.Compare(a.Exercise, b.Exercise), strings.Compare(a.Check, b.Check))
	})
	if len(s.Tripping) > 10 {
		s.Tripping = s.Tripping[:10]
	}
	return s
}

func (c *cell) view() CellView {
	state := "started"
	switch {
	case !c.passed.IsZero():
		state = "passed"
	case c.fails > 0:
		state = "failing"
	}
	return CellView{
		State: state, Started: c.started, Passed: c.passed, Checks: c.checks, Fails: c.fails,
		FailsSinceStart: c.failsSinceStart, Hints: c.hints, Solution: c.solution,
		CheckKind: c.checkKind, Check: c.check, Message: c.message,
		ChecksOK: c.checksOK, ChecksTotal: c.checksTotal,
	}
}

func (r stuckRule) why(c *cell, now time.Time) string {
	if !c.passed.IsZero() {
		return ""
	}
	var parts []string
	if r.fails > 0 && c.failsSinceStart >= r.fails {
		parts = append(parts, strconv.Itoa(c.failsSinceStart)+" failed checks")
	}
	if r.after > 0 && !c.started.IsZero() && now.Sub(c.started) >= r.after {
		parts = append(parts, strconv.Itoa(int(now.Sub(c.started).Minutes()))+" min since start")
	}
	return strings.Join(parts, ", ")
}

func minutesSince(t, now time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(now.Sub(t).Round(time.Second)) / float64(time.Minute)
}

// writeGridCSV writes one row per learner and exercise they worked on.
func (m *model) writeGridCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"learner", "exercise", "state", "started", "passed", "checks", "failed_checks", "hints", "solution_seen", "last_failing_check", "last_message"})
	cols := m.columns()
	for _, id := range m.order {
		l := m.learners[id]
		for _, key := range cols {
			c := l.cells[key]
			if c == nil {
				continue
			}
			v := c.view()
			_ = cw.Write(csvSafe(l.name, key, v.State, csvTime(v.Started), csvTime(v.Passed),
				strconv.Itoa(v.Checks), strconv.Itoa(v.Fails), strconv.Itoa(v.Hints), strconv.FormatBool(v.Solution),
				v.Check, v.Message))
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeEventsCSV writes every event, in the order received.
func writeEventsCSV(w io.Writer, names map[int64]string, evs []Stored) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"learner", "at", "received", "kind", "exercise", "check_kind", "check", "message", "checks_ok", "checks_total", "hint"})
	for _, e := range evs {
		_ = cw.Write(csvSafe(names[e.Learner], csvTime(e.At), csvTime(e.Received), string(e.Kind), e.Exercise,
			e.CheckKind, e.Check, e.Message, strconv.Itoa(e.ChecksOK), strconv.Itoa(e.ChecksTotal), strconv.Itoa(e.Hint)))
	}
	cw.Flush()
	return cw.Error()
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// csvSafe keeps a spreadsheet from taking a learner's text for a formula:
// a field starting with = + - @ (or a tab or carriage return) gets a leading
// apostrophe.
func csvSafe(fields ...string) []string {
	for i, f := range fields {
		if f != "" && strings.ContainsRune("=+-@\t\r", rune(f[0])) {
			fields[i] = "'" + f
		}
	}
	return fields
}

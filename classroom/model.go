package classroom

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// model is what the dashboard shows, kept in memory and updated as events
// arrive; at start it is rebuilt by replaying the database.
//
// How failures count, the same everywhere (a cell's "✗ N", the stuck rule,
// the checks that trip): a failed check counts as an attempt when it came
// after the exercise's latest start, except the first check after that start
// when none of its checks passed: that is the learner looking at what is
// asked before trying ("nothing exists yet").
//
// How quizzes count, as the learner's own progress counts them
// (session.Overview): a quiz is done while its latest answer is right.
// Answering one tells that the learner is there (last seen) but does not
// move them off their current exercise: a quiz is a question read in
// passing, and the stuck rule is about exercises.
type model struct {
	course   *course
	learners map[int64]*learnerState
	order    []int64 // learner ids in the order they joined
}

type learnerState struct {
	id       int64
	name     string
	joined   time.Time
	lastSeen time.Time // when an event of theirs last arrived
	current  string    // the exercise of their latest event
	latest   time.Time // the At of that event
	events   int       // every event kept, those of exercises no longer in the course too
	cells    map[string]*cell
	quizzes  map[string]*quizCell
	outside  map[string]bool // exercises and quizzes (true) of their events that the course lacks
	ready    *Readiness      // the latest readiness report; nil: none yet
	readyAt  time.Time
	// away: they left the classroom (or the instructor let them join
	// again from another laptop), at leftAt, as the server received it,
	// and nothing was heard of them since: their name is free for them to
	// join with again, from the laptop they left from (which proves it
	// holds their token) or, letBack, from any.
	away    bool
	leftAt  time.Time
	letBack bool
	backAt  time.Time // when they last joined again (a back event); zero: never
}

// quizCell is one learner's answers to one quiz.
type quizCell struct {
	first time.Time // the earliest answer
	at    time.Time // the latest answer, by At
	right bool      // whether the latest answer was right: the quiz is done
	tries int       // answers given, as the learner's dockdojo counts them
	heard int       // answers the classroom heard
	wrong int       // wrong answers the classroom heard
}

// cell is one learner's work on one exercise.
type cell struct {
	first    time.Time // the earliest event on it
	started  time.Time // latest start
	passed   time.Time // first pass
	checks   int       // checks run, passed or not
	fails    int       // failed checks, ever
	hints    int
	solution bool
	failures []failure // every failed check, by At
	last     lastCheck // the latest check, by At
}

type failure struct {
	at time.Time
	ok int // checks that passed in it
}

// lastCheck is the latest check of a cell: passed or the first check that
// failed in it, and what it said.
type lastCheck struct {
	at                 time.Time
	failed             bool
	kind, desc, msg    string
	checksOK, checksOf int
}

func newModel(c *course) *model {
	return &model{course: c, learners: map[int64]*learnerState{}}
}

func (m *model) addLearner(id int64, name string, joined time.Time) {
	if l := m.learners[id]; l != nil {
		l.name = name
		return
	}
	m.learners[id] = &learnerState{id: id, name: name, joined: joined, cells: map[string]*cell{}, quizzes: map[string]*quizCell{}, outside: map[string]bool{}}
	m.order = append(m.order, id)
}

// backAgain is a learner who was away joining again, under name.
func (m *model) backAgain(id int64, name string) {
	if l := m.learners[id]; l != nil {
		l.name, l.away, l.letBack = name, false, false
	}
}

// cameBack marks, once the events are read, those who left and joined
// again since, in a database kept before a back event said so (their row
// kept the time they joined again).
func (m *model) cameBack() {
	for _, l := range m.learners {
		if l.away && !l.joined.Before(l.leftAt) {
			l.away, l.letBack = false, false
		}
	}
}

func (m *model) removeLearner(id int64) {
	delete(m.learners, id)
	m.order = slices.DeleteFunc(m.order, func(v int64) bool { return v == id })
}

// outside lists, sorted, the exercises and the quizzes with events that
// the course lacks, of the learners the model has: the events of a learner
// removed are deleted with them, and so are the exercises only they had.
func (m *model) outside() (exercises, quizzes []string) {
	out := map[string]bool{}
	for _, l := range m.learners {
		maps.Copy(out, l.outside)
	}
	for _, key := range slices.Sorted(maps.Keys(out)) {
		if out[key] {
			quizzes = append(quizzes, key)
		} else {
			exercises = append(exercises, key)
		}
	}
	return exercises, quizzes
}

// apply adds one event. Events may arrive late (queued offline) and out of
// order between two processes: times are compared, not arrival order. An
// event of an exercise or quiz the course no longer has (kept from an
// earlier serve) only counts towards the learner's events.
func (m *model) apply(learner int64, e Event, received time.Time) {
	l := m.learners[learner]
	if l == nil {
		return
	}
	l.events++
	if e.Kind == KindLeft || e.Kind == KindLetBack {
		// Not a sign of life: the instructor's let-back is one of these.
		l.away, l.leftAt, l.letBack = true, received, e.Kind == KindLetBack
		return
	}
	if received.After(l.lastSeen) {
		l.lastSeen = received
	}
	l.away = false
	if e.Kind == KindBack {
		l.letBack, l.backAt = false, received
		return
	}
	if e.Kind == KindReadiness {
		if e.Readiness != nil && !e.At.Before(l.readyAt) {
			l.ready, l.readyAt = e.Readiness, e.At
		}
		return
	}
	if e.Kind == KindAnswered {
		if !m.course.hasQuiz(e.Exercise) {
			l.outside[e.Exercise] = true
			return
		}
		q := l.quizzes[e.Exercise]
		if q == nil {
			q = &quizCell{first: e.At}
			l.quizzes[e.Exercise] = q
		}
		q.answer(e)
		return
	}
	if !m.course.has(e.Exercise) {
		l.outside[e.Exercise] = false
		return
	}
	if !e.At.Before(l.latest) {
		l.latest, l.current = e.At, e.Exercise
	}
	c := l.cells[e.Exercise]
	if c == nil {
		c = &cell{first: e.At}
		l.cells[e.Exercise] = c
	}
	if e.At.Before(c.first) {
		c.first = e.At
	}
	switch e.Kind {
	case KindStarted:
		if e.At.After(c.started) {
			c.started = e.At
		}
	case KindCheckFailed:
		c.checks++
		c.fails++
		// After every failure of the same time: those of one time stay in
		// the order they arrived.
		i := len(c.failures)
		for i > 0 && c.failures[i-1].at.After(e.At) {
			i--
		}
		c.failures = slices.Insert(c.failures, i, failure{at: e.At, ok: e.ChecksOK})
		if !e.At.Before(c.last.at) {
			c.last = lastCheck{at: e.At, failed: true, kind: e.CheckKind, desc: e.Check, msg: e.Message, checksOK: e.ChecksOK, checksOf: e.ChecksTotal}
		}
	case KindPassed:
		c.checks++
		if c.passed.IsZero() || e.At.Before(c.passed) {
			c.passed = e.At
		}
		if !e.At.Before(c.last.at) {
			c.last = lastCheck{at: e.At, checksOK: e.ChecksOK, checksOf: e.ChecksTotal}
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

// answer adds an answer to the quiz. The latest by At decides whether the
// quiz is done; of two at one time, the one that arrived last.
func (q *quizCell) answer(e Event) {
	q.heard++
	if !e.Correct {
		q.wrong++
	}
	q.tries = max(q.tries, e.Attempt, q.heard)
	if e.At.Before(q.first) {
		q.first = e.At
	}
	if !e.At.Before(q.at) {
		q.at, q.right = e.At, e.Correct
	}
}

// attempts are the failed checks that count since the latest start (see
// model), oldest first.
func (c *cell) attempts() []failure {
	i, _ := slices.BinarySearchFunc(c.failures, c.started, func(f failure, t time.Time) int { return f.at.Compare(t) })
	since := c.failures[i:]
	if len(since) > 0 && since[0].ok == 0 {
		since = since[1:]
	}
	return since
}

// begun is when the learner began the exercise as it stands: its latest
// start, or their first event on it when they never started it.
func (c *cell) begun() time.Time {
	if !c.started.IsZero() {
		return c.started
	}
	return c.first
}

// failingNow says whether the cell's latest check failed and counts: the
// learner is failing it now, after a real attempt.
func (c *cell) failingNow() bool {
	return c.passed.IsZero() && c.last.failed && !c.last.at.Before(c.started) && len(c.attempts()) > 0
}

// Snapshot is the dashboard's state.json.
type Snapshot struct {
	Now        time.Time `json:"now"`
	StuckFails int       `json:"stuck_fails"`
	StuckAfter float64   `json:"stuck_after_minutes"`
	IdleAfter  float64   `json:"idle_after_minutes"`
	// NewlyStuck is how long a learner counts as newly stuck.
	NewlyStuck float64  `json:"newly_stuck_minutes"`
	Join       JoinView `json:"join"`
	// Lessons group the grid's columns: the course's lessons that have
	// exercises or quizzes, in course order, with each exercise's pacing
	// and how its quizzes were answered.
	Lessons []LessonView `json:"lessons"`
	// Exercises are the grid's exercise columns, in course order; Quizzes
	// every quiz of the course, in course order.
	Exercises []string      `json:"exercises"`
	Quizzes   []string      `json:"quizzes"`
	Learners  []LearnerView `json:"learners"`
	Stuck     []StuckView   `json:"stuck"`
	Tripping  []TripView    `json:"tripping"`
	// NotReady counts learners whose latest readiness report is not ready;
	// Unreported those who sent none.
	NotReady   int `json:"not_ready"`
	Unreported int `json:"unreported"`
}

// JoinView is what the join banner shows.
type JoinView struct {
	Code     string   `json:"code"`
	Commands []string `json:"commands"` // "dockdojo join http://192.168.1.20:7077 KXRMTP"
}

// LessonView is one lesson of the grid.
type LessonView struct {
	ID        string         `json:"id"`
	Title     string         `json:"title"`
	Number    int            `json:"number"` // its place in the course, counting lessons without exercises
	Exercises []ExerciseView `json:"exercises"`
	// Quizzes are the lesson's quizzes, in reading order. AllRight counts
	// the learners whose latest answer to each of them is right (the
	// lesson's quizzes done), Answering those who answered some and have
	// not all of them right yet.
	Quizzes          []QuizView `json:"quizzes"`
	QuizzesAllRight  int        `json:"quizzes_all_right"`
	QuizzesAnswering int        `json:"quizzes_answering"`
}

// QuizView is one quiz of a lesson: how many learners' latest answer to it
// is right, and how many wrong.
type QuizView struct {
	Key   string `json:"key"`
	ID    string `json:"id"`
	Label string `json:"label"` // "3.Q1"
	Right int    `json:"right"`
	Wrong int    `json:"wrong"`
}

// ExerciseView is one column of the grid and its pacing: how many learners
// passed it, and how many have it as their current exercise, working or
// stuck.
type ExerciseView struct {
	Key     string `json:"key"`
	ID      string `json:"id"`
	Title   string `json:"title"`
	Label   string `json:"label"` // "3.2"
	Passed  int    `json:"passed"`
	Working int    `json:"working"`
	Stuck   int    `json:"stuck"`
}

// LearnerView is one row of the grid.
type LearnerView struct {
	ID     int64     `json:"id"`
	Name   string    `json:"name"`
	Joined time.Time `json:"joined"` // when they first joined
	// BackAt: when they last joined again after they left (or after the
	// instructor let them); zero when they never left.
	BackAt   time.Time `json:"back_at,omitzero"`
	LastSeen time.Time `json:"last_seen,omitzero"`
	// Idle: nothing heard from them (event or join) for IdleAfter, or
	// they left.
	Idle bool `json:"idle"`
	// Left: they left the classroom (`dockdojo join --leave`), or the
	// instructor let them join again from another laptop; their name is
	// free for them, and joining under it brings them back to this row:
	// from the laptop they left from, or, LetBack, from any.
	Left bool `json:"left,omitempty"`
	// LetBack: the instructor let them join again from another laptop.
	LetBack bool `json:"let_back,omitempty"`
	// Current is the exercise of their latest event, CurrentLabel its
	// "3.2", OnCurrentSince when they began it.
	Current        string    `json:"current,omitempty"`
	CurrentLabel   string    `json:"current_label,omitempty"`
	OnCurrentSince time.Time `json:"on_current_since,omitzero"`
	// Stuck says why they look stuck on their current exercise ("" when
	// not), since when, and whether that is new.
	Stuck      string    `json:"stuck,omitempty"`
	StuckSince time.Time `json:"stuck_since,omitzero"`
	NewlyStuck bool      `json:"newly_stuck,omitempty"`
	// Done counts the exercises they passed, QuizzesRight the quizzes
	// whose latest answer is right: what their `dockdojo progress` counts
	// done.
	Done         int            `json:"done"`
	QuizzesRight int            `json:"quizzes_right"`
	Ready        *ReadinessView `json:"readiness,omitempty"` // nil: no report yet
	// Cells are their exercises, Quizzes their answers, by key.
	Cells   map[string]CellView     `json:"cells"`
	Quizzes map[string]QuizCellView `json:"quizzes"`
}

// QuizCellView is one learner's answers to one quiz: right or wrong (the
// latest answer decides), after how many tries.
type QuizCellView struct {
	Right    bool      `json:"right"`
	Tries    int       `json:"tries"` // answers given, as the learner's dockdojo counts them
	Wrong    int       `json:"wrong"` // wrong answers the classroom heard
	First    time.Time `json:"first"` // the first answer the classroom heard
	Answered time.Time `json:"answered"`
}

// ReadinessView is a learner's latest readiness report.
type ReadinessView struct {
	Reported time.Time `json:"reported"`
	Ready    bool      `json:"ready"`
	Problems []string  `json:"problems"`
	Readiness
}

// CellView is one learner's work on one exercise.
type CellView struct {
	State string `json:"state"` // "started", "failing" or "passed"
	// Started is when they began it as it stands (cell.begun): their latest
	// start, or, when they never ran start on it, their first event on it.
	// A hint or the solution seen is a start of its own: the learner is on
	// that exercise, as the stuck rule and the grid CSV both count it.
	Started time.Time `json:"started,omitzero"`
	Passed  time.Time `json:"passed,omitzero"`
	Checks  int       `json:"checks"`
	Fails   int       `json:"fails"` // every failed check, ever
	// FailsSinceStart counts failed attempts since the latest start, as
	// the model says: the number of "✗ N" and of the stuck rule.
	FailsSinceStart int    `json:"fails_since_start"`
	Hints           int    `json:"hints"`
	Solution        bool   `json:"solution"`
	CheckKind       string `json:"check_kind,omitempty"` // of the latest failed check, while not passed
	Check           string `json:"check,omitempty"`
	Message         string `json:"message,omitempty"`
	ChecksOK        int    `json:"checks_ok"`
	ChecksTotal     int    `json:"checks_total"`
	Stuck           string `json:"stuck,omitempty"` // why the learner looks stuck here; "" when not
}

// StuckView is a learner who looks stuck, on their current exercise.
type StuckView struct {
	LearnerID int64     `json:"learner_id"`
	Learner   string    `json:"learner"`
	Exercise  string    `json:"exercise"`
	Label     string    `json:"label"`
	Why       string    `json:"why"`
	Fails     int       `json:"fails_since_start"`
	Minutes   float64   `json:"minutes_since_start"`
	Since     time.Time `json:"since"`
	New       bool      `json:"new"`
	Check     string    `json:"check,omitempty"`
}

// TripView is a check that learners are failing now, most learners first.
type TripView struct {
	Exercise  string `json:"exercise"`
	Label     string `json:"label"`
	CheckKind string `json:"check_kind"`
	Check     string `json:"check"`
	Learners  int    `json:"learners"` // failing it now, after a real attempt
	Failures  int    `json:"failures"` // their failed attempts since their start
	Message   string `json:"message"`  // the latest thing it said
}

// viewRule is what the snapshot judges with: when a learner looks stuck on
// their current exercise (not passed, and either this many failed attempts
// since its start or this long since it began), when they are idle, and
// how long a learner who became stuck is "new".
type viewRule struct {
	fails      int
	after      time.Duration
	idle       time.Duration
	newlyStuck time.Duration
}

// stuckSince says since when a cell looks stuck, and why; zero and "" when
// it does not.
func (r viewRule) stuckSince(c *cell, now time.Time) (time.Time, string) {
	if !c.passed.IsZero() {
		return time.Time{}, ""
	}
	var since time.Time
	var parts []string
	if a := c.attempts(); r.fails > 0 && len(a) >= r.fails {
		since = a[r.fails-1].at
		parts = append(parts, plural(len(a), "failed check"))
	}
	if b := c.begun(); r.after > 0 && !b.IsZero() && now.Sub(b) >= r.after {
		if t := b.Add(r.after); since.IsZero() || t.Before(since) {
			since = t
		}
		parts = append(parts, strconv.Itoa(int(now.Sub(b).Minutes()))+" min since start")
	}
	return since, strings.Join(parts, ", ")
}

func (m *model) snapshot(now time.Time, rule viewRule, join JoinView) Snapshot {
	s := Snapshot{
		Now: now, StuckFails: rule.fails, StuckAfter: rule.after.Minutes(), IdleAfter: rule.idle.Minutes(),
		NewlyStuck: rule.newlyStuck.Minutes(), Join: join,
		Exercises: append([]string{}, m.course.keys...), Quizzes: append([]string{}, m.course.quizKeys...),
		Learners: []LearnerView{}, Stuck: []StuckView{}, Tripping: []TripView{},
	}
	type pace struct{ passed, working, stuck int }
	paces := map[string]*pace{}
	for _, key := range m.course.keys {
		paces[key] = &pace{}
	}
	answers := map[string]*QuizView{} // right and wrong, by quiz
	for _, key := range m.course.quizKeys {
		answers[key] = &QuizView{}
	}
	trips := map[[3]string]*TripView{}
	tripAt := map[[3]string]time.Time{}
	for _, id := range m.order {
		l := m.learners[id]
		lv := LearnerView{ID: id, Name: l.name, Joined: l.joined, BackAt: l.backAt, LastSeen: l.lastSeen, Cells: map[string]CellView{}, Quizzes: map[string]QuizCellView{}}
		heard := l.lastSeen
		if heard.IsZero() {
			heard = l.joined
		}
		lv.Idle = rule.idle > 0 && now.Sub(heard) >= rule.idle
		// One who left is neither at work nor stuck, nor a laptop to fix.
		away := l.away
		if away {
			lv.Left, lv.Idle, lv.LetBack = true, true, l.letBack
		}
		if l.ready != nil {
			lv.Ready = &ReadinessView{Reported: l.readyAt, Ready: l.ready.Ready(), Problems: l.ready.Problems(), Readiness: *l.ready}
			if lv.Ready.Problems == nil {
				lv.Ready.Problems = []string{}
			}
			if !lv.Ready.Ready && !away {
				s.NotReady++
			}
		} else if !away {
			s.Unreported++
		}
		for key, c := range l.cells {
			cv := c.view()
			if cv.State == "passed" {
				lv.Done++
				paces[key].passed++
			}
			if key == l.current {
				lv.Current, lv.CurrentLabel, lv.OnCurrentSince = key, m.course.label(key), c.begun()
				since, why := rule.stuckSince(c, now)
				if away {
					since, why = time.Time{}, ""
				}
				cv.Stuck, lv.Stuck, lv.StuckSince = why, why, since
				switch {
				case why != "":
					lv.NewlyStuck = now.Sub(since) < rule.newlyStuck
					paces[key].stuck++
					s.Stuck = append(s.Stuck, StuckView{
						LearnerID: id, Learner: l.name, Exercise: key, Label: m.course.label(key), Why: why,
						Fails: cv.FailsSinceStart, Minutes: minutesSince(c.begun(), now), Since: since,
						New: lv.NewlyStuck, Check: cv.Check,
					})
				case cv.State != "passed" && !away:
					paces[key].working++
				}
			}
			if c.failingNow() && !away {
				k := [3]string{key, c.last.kind, c.last.desc}
				t := trips[k]
				if t == nil {
					t = &TripView{Exercise: key, Label: m.course.label(key), CheckKind: c.last.kind, Check: c.last.desc}
					trips[k] = t
				}
				t.Learners++
				t.Failures += cv.FailsSinceStart
				if c.last.at.After(tripAt[k]) {
					t.Message, tripAt[k] = c.last.msg, c.last.at
				}
			}
			lv.Cells[key] = cv
		}
		for key, q := range l.quizzes {
			lv.Quizzes[key] = q.view()
			if q.right {
				lv.QuizzesRight++
				answers[key].Right++
			} else {
				answers[key].Wrong++
			}
		}
		s.Learners = append(s.Learners, lv)
	}
	for _, cl := range m.course.lessons {
		lv := LessonView{ID: cl.id, Title: cmp.Or(cl.title, cl.id), Number: cl.number, Exercises: []ExerciseView{}, Quizzes: []QuizView{}}
		for _, ex := range cl.exercises {
			p := paces[ex.key]
			lv.Exercises = append(lv.Exercises, ExerciseView{
				Key: ex.key, ID: ex.id, Title: cmp.Or(ex.title, ex.id), Label: ex.label,
				Passed: p.passed, Working: p.working, Stuck: p.stuck,
			})
		}
		for _, q := range cl.quizzes {
			lv.Quizzes = append(lv.Quizzes, QuizView{Key: q.key, ID: q.id, Label: q.label, Right: answers[q.key].Right, Wrong: answers[q.key].Wrong})
		}
		for _, learner := range s.Learners {
			right, answered := 0, 0
			for _, q := range cl.quizzes {
				if a, ok := learner.Quizzes[q.key]; ok {
					answered++
					right += btoi(a.Right)
				}
			}
			switch {
			case answered == 0:
			case right == len(cl.quizzes):
				lv.QuizzesAllRight++
			default:
				lv.QuizzesAnswering++
			}
		}
		s.Lessons = append(s.Lessons, lv)
	}
	slices.SortStableFunc(s.Stuck, func(a, b StuckView) int {
		return cmp.Or(cmp.Compare(b.Since.UnixNano(), a.Since.UnixNano()), cmp.Compare(b.Fails, a.Fails))
	})
	for _, t := range trips {
		s.Tripping = append(s.Tripping, *t)
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
	attempts := len(c.attempts())
	state := "started"
	switch {
	case !c.passed.IsZero():
		state = "passed"
	case attempts > 0:
		state = "failing"
	}
	v := CellView{
		State: state, Started: c.begun(), Passed: c.passed, Checks: c.checks, Fails: c.fails,
		FailsSinceStart: attempts, Hints: c.hints, Solution: c.solution,
		ChecksOK: c.last.checksOK, ChecksTotal: c.last.checksOf,
	}
	if c.passed.IsZero() && c.last.failed {
		v.CheckKind, v.Check, v.Message = c.last.kind, c.last.desc, c.last.msg
	}
	return v
}

func (q *quizCell) view() QuizCellView {
	return QuizCellView{Right: q.right, Tries: q.tries, Wrong: q.wrong, First: q.first, Answered: q.at}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// plural is "1 failed check", "3 failed checks".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

func minutesSince(t, now time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(now.Sub(t).Round(time.Second)) / float64(time.Minute)
}

// gridCSVHeader is the grid CSV's first row; its columns are documented in
// docs/workshop.md.
var gridCSVHeader = []string{"learner", "exercise", "state", "started", "passed", "checks", "failed_checks", "hints",
	"solution_seen", "last_failing_check", "last_message",
	"failed_since_start", "stuck", "current_exercise", "last_seen", "idle", "ready", "not_ready_because"}

// writeGridCSV writes one row per learner and exercise they worked on, then
// one per quiz they answered (state "right" or "wrong", its latest answer;
// checks are their answers, failed checks the wrong ones), and one row
// with an empty exercise for a learner who did none yet.
func (m *model) writeGridCSV(w io.Writer, now time.Time, rule viewRule) error {
	cw := newCSV(w)
	_ = cw.Write(gridCSVHeader)
	s := m.snapshot(now, rule, JoinView{})
	for _, lv := range s.Learners {
		ready, why := "", ""
		if lv.Ready != nil {
			ready, why = strconv.FormatBool(lv.Ready.Ready), strings.Join(lv.Ready.Problems, "; ")
		}
		learner := []string{lv.Current, csvTime(lv.LastSeen), strconv.FormatBool(lv.Idle), ready, why}
		rows := 0
		for _, key := range s.Exercises {
			v, ok := lv.Cells[key]
			if !ok {
				continue
			}
			rows++
			_ = cw.Write(csvSafe(append([]string{lv.Name, key, v.State, csvTime(v.Started), csvTime(v.Passed),
				strconv.Itoa(v.Checks), strconv.Itoa(v.Fails), strconv.Itoa(v.Hints), strconv.FormatBool(v.Solution),
				v.Check, v.Message, strconv.Itoa(v.FailsSinceStart), v.Stuck}, learner...)...))
		}
		for _, key := range s.Quizzes {
			q, ok := lv.Quizzes[key]
			if !ok {
				continue
			}
			rows++
			state, passed := "wrong", ""
			if q.Right {
				state, passed = "right", csvTime(q.Answered)
			}
			_ = cw.Write(csvSafe(append([]string{lv.Name, key, state, csvTime(q.First), passed,
				strconv.Itoa(q.Tries), strconv.Itoa(q.Wrong), "0", "false", "", "", "0", ""}, learner...)...))
		}
		if rows == 0 {
			_ = cw.Write(csvSafe(append([]string{lv.Name, "", "", "", "", "0", "0", "0", "false", "", "", "0", ""}, learner...)...))
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeEventsCSV writes every event, in the order received.
func writeEventsCSV(w io.Writer, names map[int64]string, evs []Stored) error {
	cw := newCSV(w)
	_ = cw.Write([]string{"learner", "at", "received", "kind", "exercise", "check_kind", "check", "message", "checks_ok", "checks_total", "hint", "readiness", "answer", "attempt"})
	for _, e := range evs {
		ready := ""
		if e.Readiness != nil {
			ready = "ready"
			if p := e.Readiness.Problems(); len(p) > 0 {
				ready = strings.Join(p, "; ")
			}
		}
		answer, attempt := "", ""
		if e.Kind == KindAnswered {
			answer, attempt = "wrong", strconv.Itoa(e.Attempt)
			if e.Correct {
				answer = "right"
			}
		}
		_ = cw.Write(csvSafe(names[e.Learner], csvTime(e.At), csvTime(e.Received), string(e.Kind), e.Exercise,
			e.CheckKind, e.Check, e.Message, strconv.Itoa(e.ChecksOK), strconv.Itoa(e.ChecksTotal), strconv.Itoa(e.Hint), ready,
			answer, attempt))
	}
	cw.Flush()
	return cw.Error()
}

// CSVBOM is the UTF-8 byte order mark that starts each CSV file the
// classroom writes. Excel, opening a CSV by double-click, reads it in the
// computer's code page unless the file starts with it: "Zoë Ñandú" would
// show as "ZoÃ« Ã‘andÃº". A program reading the files skips it (Python's
// encoding="utf-8-sig" does; Go's encoding/csv does not).
const CSVBOM = "\ufeff"

// newCSV starts a CSV file on w with CSVBOM; its writer's Flush writes
// both, and its Error says whether it could.
func newCSV(w io.Writer) *csv.Writer {
	bw := bufio.NewWriter(w)
	_, _ = bw.WriteString(CSVBOM) // an error sticks to bw, for Flush
	return csv.NewWriter(bw)
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

package classroom

import (
	"errors"
	"net/http"
	"strconv"
	"time"
)

// The dashboard's pages beyond the grid, under /dashboard/KEY/:
//
//	GET  learners/ID         LearnerDetail: one learner's row and timeline
//	POST learners/ID/remove  remove the learner (Content-Type:
//	                         application/json, from the dashboard's own page)

// LearnerDetail is the dashboard's page of one learner: their row of the
// grid and everything they did, in the order it happened.
type LearnerDetail struct {
	Learner  LearnerView     `json:"learner"`
	Timeline []TimelineEntry `json:"timeline"`
}

// TimelineEntry is one event of a learner's timeline.
type TimelineEntry struct {
	Event
	Received time.Time `json:"received"`
	Label    string    `json:"label,omitempty"`    // the exercise's "3.2"; "" when not in the course
	Problems []string  `json:"problems,omitempty"` // for readiness: what keeps the laptop from being ready
}

// ErrNoLearner is the error for a learner the classroom does not have.
var ErrNoLearner = errors.New("no such learner in this classroom")

// LearnerDetail returns one learner's row and timeline.
func (s *Server) LearnerDetail(id int64) (LearnerDetail, error) {
	snap := s.Snapshot()
	d := LearnerDetail{Timeline: []TimelineEntry{}}
	found := false
	for _, lv := range snap.Learners {
		if lv.ID == id {
			d.Learner, found = lv, true
		}
	}
	if !found {
		return d, ErrNoLearner
	}
	evs, err := s.store.LearnerEvents(id)
	if err != nil {
		return d, err
	}
	s.mu.Lock()
	c := s.course
	s.mu.Unlock()
	for _, e := range evs {
		te := TimelineEntry{Event: e.Event, Received: e.Received, Label: c.label(e.Exercise)}
		if e.Readiness != nil {
			te.Problems = e.Readiness.Problems()
		}
		d.Timeline = append(d.Timeline, te)
	}
	return d, nil
}

// RemoveLearner removes a learner from the classroom: their row and events
// go, their token stops working (their dockdojo says so and keeps its
// events), and their name is free again. It returns the name they had.
func (s *Server) RemoveLearner(id int64) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.model.learners[id]
	if l == nil {
		return "", ErrNoLearner
	}
	if err := s.store.DeleteLearner(id, s.now().UTC()); err != nil {
		return "", err
	}
	for hash, owner := range s.tokens {
		if owner == id {
			delete(s.tokens, hash)
		}
	}
	s.forgetName(l.name)
	delete(s.postLimit, id)
	s.model.removeLearner(id)
	return l.name, nil
}

// LetBack lets learner id join again under their name, from another
// laptop (theirs broke, they borrowed one): they count as having left, as
// after `dockdojo join --leave`, until they join, and whoever joins under
// their name takes their row (after a leave, only the laptop they left
// from does). Their row and what they did stay. It returns their name.
func (s *Server) LetBack(id int64) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.model.learners[id]
	if l == nil {
		return "", ErrNoLearner
	}
	now := s.now().UTC()
	e := Event{ID: NewEventID(), Kind: KindLetBack, At: now}
	if _, err := s.store.AddEvents(id, []Event{e}, now); err != nil {
		return "", err
	}
	s.model.apply(id, e, now)
	return l.name, nil
}

func (s *Server) handleLetBack(w http.ResponseWriter, r *http.Request) {
	s.changeLearner(w, r, "letting a learner join again", func(id int64) (any, error) {
		name, err := s.LetBack(id)
		return letBackResponse{LetBack: name}, err
	})
}

// letBackResponse is the answer to LetBack.
type letBackResponse struct {
	LetBack string `json:"let_back"`
}

func (s *Server) handleLearnerDetail(w http.ResponseWriter, r *http.Request) {
	if !s.dashboardAllowed(w, r) {
		return
	}
	s.onLearner(w, r, func(id int64) (any, error) { return s.LearnerDetail(id) })
}

// removeResponse is the answer to a removal.
type removeResponse struct {
	Removed string `json:"removed"`
}

func (s *Server) handleRemoveLearner(w http.ResponseWriter, r *http.Request) {
	s.changeLearner(w, r, "removing a learner", func(id int64) (any, error) {
		name, err := s.RemoveLearner(id)
		return removeResponse{Removed: name}, err
	})
}

// changeLearner is onLearner for what the dashboard changes (what, e.g.
// "removing a learner"). A page of another site cannot make the browser
// send it: the key in the address and the JSON content type stand in its
// way, and the browser's own Sec-Fetch-Site and Origin headers are checked
// too.
func (s *Server) changeLearner(w http.ResponseWriter, r *http.Request, what string, do func(id int64) (any, error)) {
	if !s.dashboardAllowed(w, r) {
		return
	}
	if err := http.NewCrossOriginProtection().Check(r); err != nil {
		fail(w, http.StatusForbidden, "%s is done from the dashboard's own page", what)
		return
	}
	var body struct{}
	if !readJSON(w, r, 1<<10, &body) {
		return
	}
	s.onLearner(w, r, do)
}

// onLearner does something to the learner the path names and answers with
// its result: 404 for a learner the classroom does not have.
func (s *Server) onLearner(w http.ResponseWriter, r *http.Request, do func(id int64) (any, error)) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		fail(w, http.StatusNotFound, "%v", ErrNoLearner)
		return
	}
	v, err := do(id)
	switch {
	case errors.Is(err, ErrNoLearner):
		fail(w, http.StatusNotFound, "%v", err)
	case err != nil:
		fail(w, http.StatusInternalServerError, "%v", err)
	default:
		writeJSONStatus(w, http.StatusOK, v)
	}
}

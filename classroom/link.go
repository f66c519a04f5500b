package classroom

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/dockdojo/dockdojo/internal/regfile"
)

// SendTimeout bounds how long a command waits for its events to reach the
// classroom: an unreachable server (Wi-Fi down, instructor gone) costs the
// learner at most this, and the events stay queued for the next command.
const SendTimeout = time.Second

// HeldBackTimeout bounds how long a command waits, at its end, for events
// the classroom held back: it takes a learner's posts only so fast
// (Limits.PostRate), and one who runs many commands within seconds is
// told to wait a second (Retry-After). The link waits that out and sends
// them, so that the dashboard shows what the learner did last, not what
// came before; what the classroom would take only later waits for the
// next command, and the learner is told so.
const HeldBackTimeout = 3 * time.Second

// Link is a learner's link to the classroom they joined, for the length of
// one command: each event is queued on disk at once and sent in the
// background, and Finish waits for the sending at most SendTimeout. A Link
// of a learner who joined no classroom does nothing.
type Link struct {
	cfg    *Config // nil: not in a classroom
	queue  Queue
	client *http.Client

	mu      sync.Mutex
	running bool
	again   bool          // another event arrived while sending
	done    chan struct{} // closed when the current sending ends
	notice  string        // said once, when the command ends
	unsent  bool          // the last sending did not reach the classroom
	held    bool          // the classroom held back the last sending (too many posts)
}

// OpenLink reads the classroom the learner joined, if any. A config that
// cannot be read is not an error for the command: Finish says so.
func OpenLink(getenv func(string) string, home string) *Link {
	l := &Link{queue: Queue{Dir: QueueDir(getenv, home)}, client: &http.Client{}}
	cfg, err := LoadConfig(ConfigPath(getenv, home))
	if err != nil {
		l.notice = err.Error()
	}
	l.cfg = cfg
	return l
}

// Joined reports whether the learner is in a classroom.
func (l *Link) Joined() bool { return l != nil && l.cfg != nil }

// Report queues ev for the classroom and starts sending it; it does nothing
// when the learner joined none, or one that does not take events of its
// kind (Config.Takes). It never fails the command: a queue that cannot be
// written is said by Finish.
func (l *Link) Report(ev Event) {
	if !l.Joined() || !l.cfg.Takes(ev.Kind) {
		return
	}
	if ev.ID == "" {
		ev.ID = NewEventID()
	}
	if ev.At.IsZero() {
		ev.At = time.Now().UTC()
	}
	ev.Clean()
	if err := l.queue.Add(ev); err != nil {
		l.setNotice(unqueued(l.cfg.URL, l.queue.Dir, err))
		return
	}
	l.kick()
}

// unqueued says that an event could not be queued for the classroom at
// url, and so is not sent at all, with what to do: the learner's work is
// not touched, but the dashboard will not show it.
func unqueued(url, dir string, err error) string {
	fix := ""
	if nf := (*regfile.NotFolderError)(nil); !errors.As(err, &nf) {
		fix = fmt.Sprintf("; make sure you may write to %s and run again", dir)
	}
	return fmt.Sprintf("the classroom at %s does not get this, and your instructor does not see it, as it cannot be queued: %v%s", url, err, fix)
}

func (l *Link) setNotice(s string) {
	l.mu.Lock()
	l.notice = s
	l.mu.Unlock()
}

// kick starts sending the queue unless it is being sent; then it is sent
// once more when the current round ends.
func (l *Link) kick() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.running {
		l.again = true
		return
	}
	l.running, l.done = true, make(chan struct{})
	go l.send()
}

func (l *Link) send() {
	var heldSince time.Time // when the classroom began holding back
	for {
		ctx, cancel := context.WithTimeout(context.Background(), SendTimeout)
		f, err := Sender{Config: l.cfg, Queue: l.queue, HTTP: l.client}.Send(ctx)
		cancel()
		if errors.Is(err, ErrNotMember) {
			l.setNotice(fmt.Sprintf("the classroom at %s no longer knows this laptop, so your progress is not sent: you were removed, or joined from another laptop since; join again with `dockdojo join %s CODE`, or stop with `dockdojo join --leave`", l.cfg.URL, l.cfg.URL))
		} else if len(f.Refused) > 0 {
			l.setNotice(RefusedNotice(l.cfg.URL, f.Refused))
		}
		// Any other error (offline, server stopped, too many posts) keeps
		// the events queued: the next command sends them. When the
		// classroom did not answer at all, Finish says they wait.
		l.mu.Lock()
		var answered *APIError
		l.unsent = err != nil && !errors.As(err, &answered)
		l.held = answered != nil && answered.Status == http.StatusTooManyRequests
		if !l.held {
			heldSince = time.Time{}
		} else if heldSince.IsZero() {
			heldSince = time.Now()
		}
		// Held back: sent again once the classroom takes posts again,
		// when that is soon enough for the command to wait.
		if l.held {
			wait := cmp.Or(answered.RetryAfter, time.Second)
			if time.Since(heldSince)+wait <= HeldBackTimeout {
				l.again = false
				l.mu.Unlock()
				time.Sleep(wait)
				continue
			}
		}
		if !l.again {
			l.running = false
			close(l.done)
			l.mu.Unlock()
			return
		}
		l.again = false
		l.mu.Unlock()
	}
}

// Finish waits, at most SendTimeout, for queued events to be sent, and
// returns what the learner should be told about the link ("" for nothing).
// Events that did not reach the classroom are said to wait: the learner
// whose pass waits would otherwise look stuck on the dashboard, unknowing.
func (l *Link) Finish() (notice string) {
	if l == nil {
		return ""
	}
	l.mu.Lock()
	running, done := l.running, l.done
	l.mu.Unlock()
	if running {
		start := time.Now()
		select {
		case <-done:
		case <-time.After(SendTimeout):
			// Held back by the classroom, which takes the events again
			// within a second or two: worth the wait.
			l.mu.Lock()
			held := l.held
			l.mu.Unlock()
			if held {
				select {
				case <-done:
				case <-time.After(HeldBackTimeout - time.Since(start)):
				}
			}
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.notice != "":
		return l.notice
	case l.held:
		return fmt.Sprintf("the classroom at %s takes no more posts from this laptop for now, so %s on it; they are sent with your next dockdojo command", l.cfg.URL, waiting(l.queue.Len()))
	case l.running || l.unsent:
		return fmt.Sprintf("the classroom at %s did not answer, so your instructor does not see this yet; it is sent with your next dockdojo command (`dockdojo join` sends what waits)", l.cfg.URL)
	}
	return ""
}

// waiting says that n events wait.
func waiting(n int) string {
	if n == 1 {
		return "1 event waits"
	}
	return fmt.Sprintf("%d events wait", n)
}

// RefusedNotice tells the learner that the classroom refused events of
// theirs, which its dashboard will not show: an exercise it does not have
// (the instructor serves without the lesson folder they joined with) is
// the usual cause.
func RefusedNotice(url string, refused []RefusedEvent) string {
	r := refused[0]
	more := ""
	if len(refused) > 1 {
		more = fmt.Sprintf(" (and %d more)", len(refused)-1)
	}
	what := map[Kind]string{
		KindStarted: "start", KindCheckFailed: "check", KindPassed: "passing check",
		KindHint: "hint", KindSolution: "look at the solution", KindAnswered: "answer",
	}[r.Kind]
	return fmt.Sprintf("the classroom at %s refused your %s of %s%s, so its dashboard does not show it: %s; tell your instructor", url, cmp.Or(what, string(r.Kind)), r.Exercise, more, r.Why)
}

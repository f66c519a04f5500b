package checker

import (
	"context"
	"strings"
	"sync"

	"github.com/dockdojo/dockdojo/sandbox"
)

// looks is the Target of one run of checks. It asks the engine about each
// object once, however many checks look at it, and checks that ask at the
// same time share the one request. A wait for a container (WaitStopped)
// forgets what was known of it, so that whoever waited sees it as it is
// now; a young container is settled once for all of the run's checks.
type looks struct {
	Target
	mu   sync.Mutex
	seen map[string]*look
	// once maps a long message (a build's output) to what the checks
	// after the first that says it say instead.
	once map[string]string
}

// look is one answer of the engine, or the request under way for it.
type look struct {
	done chan struct{} // closed once val and err are set
	val  any
	err  error
}

func newLooks(t Target) *looks {
	return &looks{Target: t, seen: map[string]*look{}, once: map[string]string{}}
}

// recall returns what ask answered for key earlier in the run, waiting for
// a request under way; it asks when nobody has yet.
func recall[T any](l *looks, key string, ask func() (T, error)) (T, error) {
	l.mu.Lock()
	lk, ok := l.seen[key]
	if !ok {
		lk = &look{done: make(chan struct{})}
		l.seen[key] = lk
		l.mu.Unlock()
		lk.val, lk.err = ask()
		close(lk.done)
	} else {
		l.mu.Unlock()
		<-lk.done
	}
	v, _ := lk.val.(T)
	return v, lk.err
}

func (l *looks) forget(key string) {
	l.mu.Lock()
	delete(l.seen, key)
	l.mu.Unlock()
}

func (l *looks) InspectContainer(ctx context.Context, name string) (sandbox.Container, error) {
	return recall(l, "container "+name, func() (sandbox.Container, error) { return l.Target.InspectContainer(ctx, name) })
}

func (l *looks) InspectNetwork(ctx context.Context, name string) (sandbox.Network, error) {
	return recall(l, "network "+name, func() (sandbox.Network, error) { return l.Target.InspectNetwork(ctx, name) })
}

func (l *looks) InspectVolume(ctx context.Context, name string) (sandbox.Volume, error) {
	return recall(l, "volume "+name, func() (sandbox.Volume, error) { return l.Target.InspectVolume(ctx, name) })
}

func (l *looks) InspectImage(ctx context.Context, ref string) (sandbox.Image, error) {
	return recall(l, "image "+ref, func() (sandbox.Image, error) { return l.Target.InspectImage(ctx, ref) })
}

// Build builds a workspace once a run, however many checks run the result.
func (l *looks) Build(ctx context.Context, top, dir, dockerfile, tag string, labels map[string]string) error {
	_, err := recall(l, "build "+top+"\x00"+dir+"\x00"+dockerfile+"\x00"+tag, func() (struct{}, error) {
		return struct{}{}, l.Target.Build(ctx, top, dir, dockerfile, tag, labels)
	})
	return err
}

func (l *looks) WaitStopped(ctx context.Context, name string) error {
	err := l.Target.WaitStopped(ctx, name)
	l.forget("container " + name)
	return err
}

// settled is ct once settled (see settle), settling it once a run.
func (l *looks) settled(ct sandbox.Container, settle func() (sandbox.Container, error)) (sandbox.Container, error) {
	return recall(l, "settled "+ct.ID+"@"+ct.StartedAt.String(), settle)
}

// sayOnce records that full, a message carrying long output, is said in
// full only by the first check (in the order declared) that says it; the
// others say short. Checks run side by side, so which check is first is
// known only once all are done (see shortenRepeats).
func (l *looks) sayOnce(full, short string) {
	l.mu.Lock()
	l.once[full] = short
	l.mu.Unlock()
}

// shortenRepeats applies sayOnce to the outcomes of a run, in order.
func (l *looks) shortenRepeats(outcomes []Outcome) {
	said := map[string]bool{}
	for i := range outcomes {
		for full, short := range l.once {
			if !strings.Contains(outcomes[i].Message, full) {
				continue
			}
			if said[full] {
				outcomes[i].Message = strings.Replace(outcomes[i].Message, full, short, 1)
			}
			said[full] = true
		}
	}
}

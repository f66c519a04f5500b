package sandbox

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
)

// cpuPeriod is the CFS period, in microseconds, of a build's CPU quota:
// Docker's own default.
const cpuPeriod = 100_000

// stepEndWait bounds how long a failed build waits for the engine to report
// the end of its last step's container, which tells whether the kernel
// stopped it for memory.
const stepEndWait = 2 * time.Second

// stepWatch follows the engine's container events while a build runs, to
// tell a step that the kernel stopped for memory from one that failed: the
// classic builder reports both as a non-zero code, and removes the step's
// container before anything could inspect it. The engine reports a
// container's oom before its die.
type stepWatch struct {
	stop func()

	mu      sync.Mutex
	oom     map[string]bool // containers a process of which the kernel killed for memory
	died    map[string]bool
	broken  bool          // the events could not be followed
	changed chan struct{} // closed at each change, then made anew
}

// watchSteps starts following oom and die events until stop is called.
func (e *Engine) watchSteps(ctx context.Context) *stepWatch {
	ctx, cancel := context.WithCancel(ctx)
	w := &stepWatch{stop: cancel, oom: map[string]bool{}, died: map[string]bool{}, changed: make(chan struct{})}
	evs, errs := e.Events(ctx, EventFilter{Types: []string{"container"}, Actions: []string{"oom", "die"}})
	go func() {
		for ev := range evs {
			w.note(func() {
				if ev.Action == "oom" {
					w.oom[ev.ID] = true
				} else {
					w.died[ev.ID] = true
				}
			})
		}
		<-errs
		w.note(func() { w.broken = true })
	}()
	return w
}

func (w *stepWatch) note(change func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	change()
	close(w.changed)
	w.changed = make(chan struct{})
}

// outOfMemory reports whether the kernel stopped the step container whose
// ID begins with short (as the builder prints it) for memory, waiting at
// most stepEndWait for the engine to report that container's end. When the
// engine's events could not be followed, or the builder named no container,
// a step that ended with code 137 (killed) is taken for one: nothing else
// kills a build's step.
func (w *stepWatch) outOfMemory(short string, code int) bool {
	deadline := time.NewTimer(stepEndWait)
	defer deadline.Stop()
	for {
		w.mu.Lock()
		oom, died, broken, changed := w.seen(w.oom, short), w.seen(w.died, short), w.broken, w.changed
		w.mu.Unlock()
		switch {
		case oom:
			return true
		case short == "" || broken:
			return code == 137
		case died:
			return false
		}
		select {
		case <-changed:
		case <-deadline.C:
			return code == 137
		}
	}
}

// seen reports whether set holds a container ID that begins with short.
func (w *stepWatch) seen(set map[string]bool, short string) bool {
	if short == "" {
		return false
	}
	for id := range set {
		if strings.HasPrefix(id, short) {
			return true
		}
	}
	return false
}

var (
	stepRE    = regexp.MustCompile(`(?m)^Step \d+/\d+ : (.*)$`)
	runningRE = regexp.MustCompile(`(?m)^ ---> Running in ([0-9a-f]{12,64})\s*$`)
)

// lastStep finds, in a classic build's output, its last step as the
// Dockerfile says it and the container it ran in, "" when none is said.
func lastStep(out string) (step, container string) {
	if m := stepRE.FindAllStringSubmatch(out, -1); len(m) > 0 {
		step = strings.TrimSpace(m[len(m)-1][1])
		if i := strings.LastIndex(out, m[len(m)-1][0]); i >= 0 {
			if r := runningRE.FindStringSubmatch(out[i:]); r != nil {
				container = r[1]
			}
		}
	}
	return step, container
}

// tooMuchMemory says that step needed more memory than a build may have,
// and what to do.
func tooMuchMemory(step string) string {
	what := "a step"
	if r := []rune(step); len(r) > 160 {
		step = string(r[:160]) + "…"
	}
	if step != "" {
		what = "the step `" + step + "`"
	}
	return fmt.Sprintf("%s needed more than the %d MiB of memory a build may use, so the kernel stopped it: "+
		"change that step of the Dockerfile to need less (work on less at once, or in smaller pieces)", what, MemoryMax>>20)
}

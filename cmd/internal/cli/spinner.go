package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// spinnerFrames turn on a terminal while a long step runs.
var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// spinner says a long step is under way: on a terminal, one line that turns
// and counts the seconds; otherwise a single plain line, so logs stay
// readable. Output of the step itself (an image pull's progress bars) goes
// through Writer, which wipes the spinner first and then stops it for good,
// so the two never draw over each other.
type spinner struct {
	mu      sync.Mutex
	w       io.Writer
	msg     string
	tty     bool
	drawn   bool // the spinner's line is on screen
	stopped bool
	start   time.Time
	quit    chan struct{}
	done    chan struct{}
}

// startSpinner starts a spinner with msg on w, which it animates only when
// w is a terminal.
func startSpinner(w io.Writer, msg string) *spinner {
	s := &spinner{w: w, msg: msg, start: time.Now(), quit: make(chan struct{}), done: make(chan struct{})}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		s.tty = true
	}
	if !s.tty {
		fmt.Fprintf(w, "%s...\n", msg)
		s.stopped = true
		close(s.done)
		return s
	}
	go s.spin()
	return s
}

func (s *spinner) spin() {
	defer close(s.done)
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for i := 0; ; i++ {
		s.mu.Lock()
		if s.stopped {
			s.mu.Unlock()
			return
		}
		fmt.Fprintf(s.w, "\r\x1b[K%s %s (%ds)", spinnerFrames[i%len(spinnerFrames)], s.msg, int(time.Since(s.start).Seconds()))
		s.drawn = true
		s.mu.Unlock()
		select {
		case <-t.C:
		case <-s.quit:
			return
		}
	}
}

// wipe removes the spinner's line; s.mu is held.
func (s *spinner) wipe() {
	if s.drawn {
		fmt.Fprint(s.w, "\r\x1b[K")
		s.drawn = false
	}
}

// Stop ends the spinner and leaves the line empty. A nil spinner is
// stopped already.
func (s *spinner) Stop() {
	if s == nil {
		return
	}
	s.mu.Lock()
	if !s.stopped {
		s.stopped = true
		close(s.quit)
	}
	s.wipe()
	s.mu.Unlock()
	<-s.done
}

// Writer passes the step's own output through, after wiping the spinner
// and stopping it.
func (s *spinner) Writer() io.Writer { return spinnerWriter{s} }

type spinnerWriter struct{ s *spinner }

func (w spinnerWriter) Write(p []byte) (int, error) {
	s := w.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.stopped {
		s.stopped = true
		close(s.quit)
	}
	s.wipe()
	return s.w.Write(p)
}

// lineSpinner turns on the line below the output of a long step that prints
// a line as each of its items finishes (the self-test prints one per
// exercise): it names the item under way and counts its seconds. It draws
// only on a terminal, and only while the output stands at the start of a
// line; elsewhere the step's own lines are the progress.
type lineSpinner struct {
	mu        sync.Mutex
	w         io.Writer
	label     func(done int) string // what is under way after done items; "" draws nothing
	finished  func(line string) bool
	done      int
	lineStart bool
	drawn     bool
	since     time.Time
	stopped   bool
	quit      chan struct{}
	ended     chan struct{}
}

// startLineSpinner wraps w: write the step's output to it, and Stop it at
// the end. finished says whether a line of output ends an item.
func startLineSpinner(w io.Writer, label func(done int) string, finished func(line string) bool) *lineSpinner {
	s := &lineSpinner{w: w, label: label, finished: finished, lineStart: true, since: time.Now(), quit: make(chan struct{}), ended: make(chan struct{})}
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		s.stopped = true
		close(s.ended)
		return s
	}
	go func() {
		defer close(s.ended)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for i := 0; ; i++ {
			s.mu.Lock()
			if l := s.label(s.done); l != "" && s.lineStart && !s.stopped {
				fmt.Fprintf(s.w, "\r\x1b[K%s %s (%ds)", spinnerFrames[i%len(spinnerFrames)], l, int(time.Since(s.since).Seconds()))
				s.drawn = true
			}
			s.mu.Unlock()
			select {
			case <-t.C:
			case <-s.quit:
				return
			}
		}
	}()
	return s
}

func (s *lineSpinner) wipe() {
	if s.drawn {
		fmt.Fprint(s.w, "\r\x1b[K")
		s.drawn = false
	}
}

func (s *lineSpinner) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wipe()
	for _, line := range strings.SplitAfter(string(p), "\n") {
		if strings.HasSuffix(line, "\n") && s.finished(line) {
			s.done++
			s.since = time.Now()
		}
	}
	if len(p) > 0 {
		s.lineStart = p[len(p)-1] == '\n'
	}
	return s.w.Write(p)
}

// Other returns a writer for another stream on the same terminal (an image
// pull's progress on stderr): it wipes the spinner before writing.
func (s *lineSpinner) Other(w io.Writer) io.Writer {
	return writerFunc(func(p []byte) (int, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.wipe()
		return w.Write(p)
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// Stop ends the spinner and wipes its line.
func (s *lineSpinner) Stop() {
	s.mu.Lock()
	if !s.stopped {
		s.stopped = true
		close(s.quit)
	}
	s.wipe()
	s.mu.Unlock()
	<-s.ended
}

package iostreams

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Escape sequences that draw in place; only this file writes them.
const (
	clearLine  = "\r\x1b[2K" // to the start of the line, and clear it
	clearBelow = "\r\x1b[J"  // to the start of the line, and clear it and all below
)

func cursorUp(n int) string { return fmt.Sprintf("\x1b[%dA", n) }

// spinnerFrames turn while a long step runs.
var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// spinnerTick is how often a spinner turns.
const spinnerTick = 100 * time.Millisecond

// spinnerLine is a spinner's line, cut to fit width: a line that the
// terminal wrapped would leave its first row on screen at every turn, as
// the next turn clears only the row the cursor is on. It leaves room for
// the "^C" a terminal echoes after it when the learner presses Ctrl-C,
// which would otherwise wrap, and leave the line above it out of the
// reach of the wipe that follows.
func spinnerLine(frame int, msg string, since time.Time, width int) string {
	secs := fmt.Sprintf(" (%ds)", int(time.Since(since).Seconds()))
	return clearLine + spinnerFrames[frame%len(spinnerFrames)] + " " + Fit(msg, width-2-len(echoRoom)-len(secs)) + secs
}

// echoRoom is what a terminal echoes of a Ctrl-C.
const echoRoom = "^C"

// Spinner says a long step is under way: on a terminal, one line on the
// error stream that turns and counts the seconds; otherwise a single plain
// line, so logs stay readable. Output of the step itself (an image pull's
// progress bars) goes through Writer, which wipes the spinner first and
// then stops it for good, so the two never draw over each other.
type Spinner struct {
	spinLine
	msg   string
	start time.Time
}

// spinLine is what the spinners share: the one line they draw on w, and
// the goroutine that turns it until quit is closed.
type spinLine struct {
	mu      sync.Mutex
	w       io.Writer
	width   func() int // of the terminal w writes to
	drawn   bool       // the line is on screen
	stopped bool
	quit    chan struct{}
	ended   chan struct{} // closed once the goroutine has returned
}

func (l *spinLine) init(w io.Writer, width func() int) {
	l.w, l.width, l.quit, l.ended = w, width, make(chan struct{}), make(chan struct{})
}

// still makes a line that never turns, off a terminal.
func (l *spinLine) still() {
	l.stopped = true
	close(l.ended)
}

// wipe removes the line; l.mu is held.
func (l *spinLine) wipe() {
	if l.drawn {
		fmt.Fprint(l.w, clearLine)
		l.drawn = false
	}
}

// halt stops the turning for good and wipes the line; l.mu is held.
func (l *spinLine) halt() {
	if !l.stopped {
		l.stopped = true
		close(l.quit)
	}
	l.wipe()
}

// stop halts the line and waits for its goroutine to return.
func (l *spinLine) stop() {
	l.mu.Lock()
	l.halt()
	l.mu.Unlock()
	<-l.ended
}

// StartSpinner starts a spinner with msg on the error stream. It stops,
// and wipes its line, as soon as ctx is done (Ctrl-C, a kill): what the
// command then says goes on a clean line, however long the step it waits
// on takes to give up.
func (s *Streams) StartSpinner(ctx context.Context, msg string) *Spinner {
	sp := &Spinner{msg: msg, start: time.Now()}
	sp.init(s.ErrOut, s.errWidth)
	if !s.live(s.ErrTTY) {
		fmt.Fprintf(sp.w, "%s...\n", msg)
		sp.still()
		return sp
	}
	go sp.run(ctx.Done(), func(frame int) {
		fmt.Fprint(sp.w, spinnerLine(frame, sp.msg, sp.start, sp.width()))
		sp.drawn = true
	})
	return sp
}

// run turns the line, calling draw with l.mu held, until it is stopped
// or cancel is closed (a nil cancel never is), and then wipes it.
func (l *spinLine) run(cancel <-chan struct{}, draw func(frame int)) {
	defer close(l.ended)
	defer func() {
		l.mu.Lock()
		l.halt()
		l.mu.Unlock()
	}()
	turn(l.quit, cancel, func(frame int) bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.stopped {
			return false
		}
		draw(frame)
		return true
	})
}

// turn calls draw with frame 0, 1, 2, ... every spinnerTick until quit or
// cancel is closed (a nil cancel never is) or draw says to stop.
func turn(quit, cancel <-chan struct{}, draw func(frame int) bool) {
	t := time.NewTicker(spinnerTick)
	defer t.Stop()
	for i := 0; draw(i); i++ {
		select {
		case <-t.C:
		case <-quit:
			return
		case <-cancel:
			return
		}
	}
}

// Stop ends the spinner and leaves the line empty. A nil spinner is
// stopped already.
func (s *Spinner) Stop() {
	if s == nil {
		return
	}
	s.stop()
}

// Writer passes the step's own output through, after wiping the spinner
// and stopping it.
func (s *Spinner) Writer() io.Writer {
	return writerFunc(func(p []byte) (int, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.halt()
		return s.w.Write(p)
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// LineSpinner turns on the line below the output of a long step that
// prints a line as each of its items finishes (the self-test prints one per
// exercise): it names the item under way and counts its seconds. It draws
// only on a terminal, and only while the output stands at the start of a
// line; elsewhere the step's own lines are the progress.
type LineSpinner struct {
	spinLine
	label     func(done int) string // what is under way after done items; "" draws nothing
	finished  func(line string) bool
	done      int
	lineStart bool
	since     time.Time
}

// StartLineSpinner wraps the output stream: write the step's output to the
// LineSpinner, and Stop it at the end. finished says whether a line of
// output ends an item. The spinner stops, and wipes its line, as soon as
// ctx is done; what the step writes after that still passes through.
func (s *Streams) StartLineSpinner(ctx context.Context, label func(done int) string, finished func(line string) bool) *LineSpinner {
	return startLineSpinner(ctx, s.Out, s.Width, s.live(s.OutTTY), label, finished)
}

func startLineSpinner(ctx context.Context, w io.Writer, width func() int, live bool, label func(done int) string, finished func(line string) bool) *LineSpinner {
	s := &LineSpinner{label: label, finished: finished, lineStart: true, since: time.Now()}
	s.init(w, width)
	if !live {
		s.still()
		return s
	}
	go s.run(ctx.Done(), func(frame int) {
		if l := s.label(s.done); l != "" && s.lineStart {
			fmt.Fprint(s.w, spinnerLine(frame, l, s.since, s.width()))
			s.drawn = true
		}
	})
	return s
}

func (s *LineSpinner) Write(p []byte) (int, error) {
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
func (s *LineSpinner) Other(w io.Writer) io.Writer {
	return writerFunc(func(p []byte) (int, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.wipe()
		return w.Write(p)
	})
}

// Stop ends the spinner and wipes its line.
func (s *LineSpinner) Stop() { s.stop() }

// Block is a few lines of the output stream redrawn in place as what they
// show changes (watch's verdict, the pulls under way). Off a terminal it
// draws nothing: Live says so, and the caller prints plain lines instead.
// It is safe for concurrent use.
type Block struct {
	mu    sync.Mutex
	w     io.Writer
	live  bool
	width func() int
	rows  int // terminal rows the block takes on screen
}

// NewBlock returns a block on the output stream.
func (s *Streams) NewBlock() *Block {
	return &Block{w: s.Out, live: s.live(s.OutTTY), width: s.Width}
}

// Live reports whether the block draws in place.
func (b *Block) Live() bool { return b.live }

// Width is the terminal's width.
func (b *Block) Width() int { return b.width() }

// Draw replaces what the block shows with text (lines ending in "\n"). A
// line wider than the terminal takes several rows, and all of them are
// replaced next time.
func (b *Block) Draw(text string) {
	if !b.live {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	var s strings.Builder
	if b.rows > 0 {
		s.WriteString(cursorUp(b.rows))
	}
	s.WriteString(clearBelow)
	s.WriteString(text)
	b.rows = ScreenRows(text, b.width())
	_, _ = io.WriteString(b.w, s.String())
}

// Forget lets the block's lines stay on screen: the next Draw starts below
// them.
func (b *Block) Forget() {
	b.mu.Lock()
	b.rows = 0
	b.mu.Unlock()
}

// Fit cuts line to width cells, ending it with "…" when it was cut.
func Fit(line string, width int) string {
	if r := []rune(line); width > 1 && len(r) >= width {
		return string(r[:width-2]) + "…"
	}
	return line
}

// ScreenRows is how many terminal rows text takes at this width.
func ScreenRows(text string, width int) int {
	n := 0
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		n += max(1, (cells(l)+width-1)/width)
	}
	return n
}

// StripANSI drops CSI escape sequences, which take no room on screen.
func StripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// StartTicker shows, on a terminal, label and a growing byte count (a bar
// when total is known) on one line of the output stream, until the
// returned function is called, which leaves the last count on screen. As a
// spinner does, it stops and wipes its line as soon as ctx is done, however
// long the step it counts takes to give up.
func (s *Streams) StartTicker(ctx context.Context, label string, count func() int64, total int64, human func(int64) string) (stop func()) {
	if !s.live(s.OutTTY) {
		return func() {}
	}
	line := func() string {
		n := count()
		tail := human(n)
		if total > 0 {
			tail = Bar(n, total, 30) + " " + human(n) + "/" + human(total)
		}
		// Cut to the width, as a spinner's line is; the label gives way.
		return clearLine + Fit(label, s.Width()-len(tail)-2-len(echoRoom)) + ": " + tail
	}
	var l spinLine
	l.init(s.Out, s.Width)
	go l.run(ctx.Done(), func(int) {
		fmt.Fprint(l.w, line())
		l.drawn = true
	})
	return func() {
		l.mu.Lock()
		if !l.stopped {
			fmt.Fprintln(l.w, line())
			l.drawn = false
		}
		l.mu.Unlock()
		l.stop()
	}
}

// Bar is a progress bar of width cells: [=====     ].
func Bar(cur, total int64, width int) string {
	if total <= 0 {
		return ""
	}
	n := int(cur * int64(width) / total)
	n = max(0, min(n, width))
	return "[" + strings.Repeat("=", n) + strings.Repeat(" ", width-n) + "]"
}

// ClearLine wipes the current line of the output stream on a terminal (a
// prompt drawn on it, say).
func (s *Streams) ClearLine() {
	if s.live(s.OutTTY) {
		fmt.Fprint(s.Out, clearLine)
	}
}

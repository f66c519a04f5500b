package iostreams

import (
	"io"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/mattn/go-runewidth"
)

// wrapWriter wraps the lines written to a terminal at spaces, so that the
// terminal never breaks a word: every message dockdojo prints fits the
// width the terminal has when it is printed, but for a command wider than
// that, which stays whole (Streams.Wrap). A line that moves the cursor (a
// spinner, a block redrawn in place) or is written in pieces (a prompt
// waiting on the same line) passes as it is; colours are kept.
type wrapWriter struct {
	mu      sync.Mutex
	w       io.Writer
	width   func() int
	midLine bool // the cursor is not at the start of a line
}

// controlRE matches escape sequences other than colours (SGR).
var controlRE = regexp.MustCompile("\x1b\\[[0-9;?]*[A-LN-Za-ln-z]")

func (ww *wrapWriter) Write(p []byte) (int, error) {
	ww.mu.Lock()
	defer ww.mu.Unlock()
	text := string(p)
	width := ww.width()
	var b strings.Builder
	for _, line := range strings.SplitAfter(text, "\n") {
		if line == "" {
			continue
		}
		whole := strings.HasSuffix(line, "\n") && !ww.midLine
		plain := !strings.ContainsRune(line, '\r') && !controlRE.MatchString(line)
		if whole && plain {
			body := strings.TrimSuffix(line, "\n")
			b.WriteString(WrapWidth(body, width, hangingIndent(body, width)))
			b.WriteByte('\n')
		} else {
			b.WriteString(line)
		}
		// A line wiped ("\r\x1b[2K", a spinner gone) leaves the cursor at
		// the start of a line, where the next line is wrapped as any.
		if i := strings.LastIndexAny(line, "\r\n"); i >= 0 {
			ww.midLine = StripANSI(line[i+1:]) != ""
		} else if StripANSI(line) != "" {
			ww.midLine = true
		}
	}
	if _, err := io.WriteString(ww.w, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// bulletRE is a list item's start: "- ", "* ", "1. ".
var bulletRE = regexp.MustCompile(`^ *(?:[-*•]|\d+\.) `)

// columnRE is a line up to its last column: text, then two spaces or more
// before more text ("    [ ] volumes/add-a-line     Another writer...").
var columnRE = regexp.MustCompile(`^.*\S {2,}\S`)

// columnRoom is the least room a last column must leave for its text to
// be wrapped under itself.
const columnRoom = 24

// hangingIndent is where a wrapped line's continuation starts on a line of
// width cells: under the text of its last column when it is laid out in
// columns and that column leaves room, else under the text after the line's
// indentation and bullet.
func hangingIndent(line string, width int) int {
	plain := StripANSI(line)
	if m := columnRE.FindString(plain); m != "" && runewidth.StringWidth(m) <= width-columnRoom {
		return runewidth.StringWidth(m) - 1
	}
	if m := bulletRE.FindString(plain); m != "" {
		return len(m)
	}
	return len(line) - len(strings.TrimLeft(line, " "))
}

// Unwrapped is w without the wrapping of lines: for output a program reads
// back (JSON, CSV, plain Markdown), where a line break added would change
// what it says.
func Unwrapped(w io.Writer) io.Writer {
	if ww, ok := w.(*wrapWriter); ok {
		return ww.w
	}
	return w
}

// CountOut makes s count the bytes written to Out from now on, wrapped or
// not (see Unwrapped), and returns how to read the count: a command whose
// --json report never began is told by it.
func (s *Streams) CountOut() func() int {
	c := &countingWriter{}
	if ww, ok := s.Out.(*wrapWriter); ok {
		ww.mu.Lock()
		c.w, ww.w = ww.w, c
		ww.mu.Unlock()
	} else {
		c.w, s.Out = s.Out, c
	}
	return func() int { return int(c.n.Load()) }
}

// countingWriter counts what is written through it.
type countingWriter struct {
	w io.Writer
	n atomic.Int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(int64(n))
	return n, err
}

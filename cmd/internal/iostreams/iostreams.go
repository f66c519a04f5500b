// Package iostreams owns the terminal: the standard streams of the process
// and what is known about them (which is a terminal, its width, whether
// colour is wanted), the colour scheme, and the one facility that draws
// progress in place (spinners, blocks of live lines, byte counters). No
// other package of dockdojo writes a terminal escape sequence.
//
// Colour is used only on a terminal, never with NO_COLOR set (to anything)
// or TERM=dumb; drawing in place only on a terminal that is not dumb.
package iostreams

import (
	"bytes"
	"io"
	"os"
	"strings"

	"github.com/mattn/go-runewidth"
	"golang.org/x/term"
)

// Streams are the three standard streams and what is known about them.
type Streams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// TermIn and TermOut are the terminal itself, for what needs a real
	// one (questions, an external pager, a shell in a container); nil when
	// input or output is not a terminal. Out and ErrOut wrap lines at
	// spaces on a terminal; TermOut does not.
	TermIn, TermOut *os.File

	InFd, OutFd, ErrFd    uintptr
	InTTY, OutTTY, ErrTTY bool
	// Color is true when the output is a terminal, NO_COLOR is unset and
	// TERM is not dumb.
	Color bool
	// Dumb is true when TERM=dumb: the terminal cannot move its cursor, so
	// nothing is drawn in place.
	Dumb bool
}

// System returns the process's own streams.
func System() *Streams {
	s := &Streams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		InFd: os.Stdin.Fd(), OutFd: os.Stdout.Fd(), ErrFd: os.Stderr.Fd(),
	}
	s.InTTY = term.IsTerminal(int(s.InFd))
	s.OutTTY = term.IsTerminal(int(s.OutFd))
	s.ErrTTY = term.IsTerminal(int(s.ErrFd))
	_, noColor := os.LookupEnv("NO_COLOR")
	s.Dumb = os.Getenv("TERM") == "dumb"
	s.Color = s.OutTTY && !noColor && !s.Dumb
	if s.InTTY {
		s.TermIn = os.Stdin
	}
	if s.OutTTY {
		s.TermOut = os.Stdout
		s.Out = &wrapWriter{w: os.Stdout, width: s.Width}
	}
	if s.ErrTTY {
		s.ErrOut = &wrapWriter{w: os.Stderr, width: s.errWidth}
	}
	return s
}

// errWidth is the error stream's terminal width, or 80.
func (s *Streams) errWidth() int {
	if w, _, err := term.GetSize(int(s.ErrFd)); err == nil && w > 0 {
		return w
	}
	return 80
}

// Test returns streams on buffers, none a terminal.
func Test() (s *Streams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &Streams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// Interactive reports whether both input and output are terminals, so that
// asking a question makes sense.
func (s *Streams) Interactive() bool { return s.InTTY && s.OutTTY }

// Width is the output terminal's width, or 80 when it is not a terminal.
func (s *Streams) Width() int {
	if s.OutTTY {
		if w, _, err := term.GetSize(int(s.OutFd)); err == nil && w > 0 {
			return w
		}
	}
	return 80
}

// Height is the output terminal's height, or 0 when it is not a terminal.
func (s *Streams) Height() int {
	if s.OutTTY {
		if _, h, err := term.GetSize(int(s.OutFd)); err == nil {
			return h
		}
	}
	return 0
}

// live reports whether progress may be drawn in place on the stream whose
// terminal-ness is tty.
func (s *Streams) live(tty bool) bool { return tty && !s.Dumb }

// Wrap breaks text at spaces so that no line is wider than the terminal,
// indenting the lines it adds by indent spaces; a word wider than a line
// stays whole. Off a terminal text is left as it is: one line a message,
// for scripts and logs.
func (s *Streams) Wrap(text string, indent int) string {
	if !s.OutTTY {
		return text
	}
	return WrapWidth(text, s.Width(), indent)
}

// WrapWidth is Wrap for a given width.
func WrapWidth(text string, width, indent int) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if runewidth.StringWidth(StripANSI(line)) <= width {
			out = append(out, line)
			continue
		}
		pad := strings.Repeat(" ", indent)
		rest := strings.TrimLeft(line, " ")
		cur, first := line[:len(line)-len(rest)], true
		for _, word := range strings.Split(rest, " ") {
			switch {
			case first:
				cur, first = cur+word, false
			case runewidth.StringWidth(StripANSI(cur+" "+word)) > width:
				out = append(out, strings.TrimRight(cur, " "))
				cur = pad + word
			default:
				cur += " " + word
			}
		}
		out = append(out, cur)
	}
	return strings.Join(out, "\n")
}

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
// indenting the lines it adds by indent spaces. Off a terminal text is left
// as it is: one line a message, for scripts and logs.
//
// A command is never broken by a line break: a code span (text between
// backticks, as messages quote commands) is wrapped as one word. A word
// too wide for an indented line starts at the left edge, when it fits
// there, and one wider than the terminal stays whole, left for the
// terminal to wrap: terminals copy their own wrapping as one line (tmux,
// xterm, VTE, iTerm2, Windows Terminal), where a line break added here
// would end the command halfway.
func (s *Streams) Wrap(text string, indent int) string {
	if !s.OutTTY {
		return text
	}
	return WrapWidth(text, s.Width(), indent)
}

// WrapCommand is Wrap for prose (a label such as "Hint 3 of 3: ") followed
// by a command, which is never broken: when it does not fit after the
// prose, it starts a line of its own, as a word too wide does. Print it
// with Unwrapped, so that the command stays whole.
func (s *Streams) WrapCommand(prose, command string, indent int) string {
	if !s.OutTTY {
		return prose + command
	}
	return WrapCommandWidth(prose, command, s.Width(), indent)
}

// WrapWidth is Wrap for a given width.
func WrapWidth(text string, width, indent int) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if cells(line) <= width {
			out = append(out, line)
			continue
		}
		rest := strings.TrimLeft(line, " ")
		out = append(out, layout(line[:len(line)-len(rest)], words(rest), width, indent)...)
	}
	return strings.Join(out, "\n")
}

// WrapCommandWidth is WrapCommand for a given width.
func WrapCommandWidth(prose, command string, width, indent int) string {
	if cells(prose+command) <= width || strings.TrimSpace(prose) == "" {
		return prose + command
	}
	rest := strings.TrimLeft(prose, " ")
	units := append(words(strings.TrimRight(rest, " ")), command)
	return strings.Join(layout(prose[:len(prose)-len(rest)], units, width, indent), "\n")
}

// cells is how many terminal cells s takes.
func cells(s string) int { return runewidth.StringWidth(StripANSI(s)) }

// layout lays out words after lead on lines of width cells, the lines
// after the first indented by indent spaces. A word that does not fit
// what is left of a line starts the next one, whole: under the indent,
// or at the left edge when only there it fits.
func layout(lead string, words []string, width, indent int) []string {
	var out []string
	pad := strings.Repeat(" ", indent)
	cur := lead + words[0]
	for _, w := range words[1:] {
		switch {
		case cells(cur+" "+w) <= width:
			cur += " " + w
		case cells(w) == 0: // a space more, or a colour: no line for it
			cur += w
		case indent+cells(w) > width && cells(w) <= width:
			out = append(out, strings.TrimRight(cur, " "))
			cur = w
		default:
			out = append(out, strings.TrimRight(cur, " "))
			cur = pad + w
		}
	}
	return append(out, cur)
}

// words splits text at its spaces, except those inside a code span: a
// run of backticks up to the next run of as many.
func words(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); {
		switch text[i] {
		case ' ':
			out = append(out, text[start:i])
			start = i + 1
			i++
		case '`':
			n := len(text[i:]) - len(strings.TrimLeft(text[i:], "`"))
			i += n
			if end := closingTicks(text[i:], n); end >= 0 {
				i += end
			}
		default:
			i++
		}
	}
	return append(out, text[start:])
}

// closingTicks is where, in s, the run of exactly n backticks that closes a
// code span ends, or -1 when there is none.
func closingTicks(s string, n int) int {
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		m := len(s[i:]) - len(strings.TrimLeft(s[i:], "`"))
		if m == n {
			return i + m
		}
		i += m
	}
	return -1
}

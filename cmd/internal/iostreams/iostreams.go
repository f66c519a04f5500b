// Package iostreams owns the standard streams of the process and what is
// known about them: whether each is a terminal, its width, and whether colour
// is wanted (NO_COLOR is respected).
package iostreams

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/term"
)

// Streams are the three standard streams and what is known about them.
type Streams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	InFd, OutFd   uintptr
	InTTY, OutTTY bool
	// Color is true when the output is a terminal and NO_COLOR is unset.
	Color bool
}

// System returns the process's own streams.
func System() *Streams {
	s := &Streams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		InFd: os.Stdin.Fd(), OutFd: os.Stdout.Fd(),
	}
	s.InTTY = term.IsTerminal(int(s.InFd))
	s.OutTTY = term.IsTerminal(int(s.OutFd))
	_, noColor := os.LookupEnv("NO_COLOR")
	s.Color = s.OutTTY && !noColor && os.Getenv("TERM") != "dumb"
	return s
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

package iostreams

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/term"
)

// ErrPagerCancelled is Ctrl-C in a pager: the reader wants to leave, not
// only the page.
var ErrPagerCancelled = errors.New("cancelled in the pager")

// PagerOptions say how to page.
type PagerOptions struct {
	// Getenv reads DOCKDOJO_PAGER, PAGER, LESS and LV.
	Getenv func(string) string
	// Before and After run around an external pager (the guided flow puts
	// the terminal back as the learner had it for it); either may be nil.
	Before, After func()
	// Reserve is the rows that what follows the text needs on the same
	// screen: the menu the guided flow asks next. Text that fits with them
	// is printed as it is; otherwise it is paged, and the pager waits at
	// its end until the reader goes on (less without -F), so that what
	// follows pushes nothing off the screen unread.
	Reserve int
}

// Page shows text, a screen at a time when it is longer than the terminal.
// The text is laid out for the terminal already (render.Markdown): it is
// printed as it is, past the wrapping of lines, and a line wider than the
// terminal (a command kept whole) takes the rows the terminal wraps it on.
// The pager is DOCKDOJO_PAGER, else PAGER, else `less` when it is
// installed, else a small built-in one; DOCKDOJO_PAGER=builtin picks the
// built-in one and PAGER=cat (or any pager) is honoured as given. Text that
// fits, or output that is not an interactive terminal, or a dumb one
// (TERM=dumb: no pager draws on it), is printed as it is.
//
// Every pager means the same: q (or the end) goes on with what follows, and
// Ctrl-C returns ErrPagerCancelled. less is run with -K for that, unless
// LESS says otherwise.
func (s *Streams) Page(text string, o PagerOptions) error {
	height := s.Height()
	// Two rows at least: the prompt that comes next, and the last row,
	// which a terminal scrolls on.
	if !s.Interactive() || s.Dumb || height < 3 || ScreenRows(text, s.Width())+max(o.Reserve, 2) <= height {
		_, err := fmt.Fprint(Unwrapped(s.Out), text)
		return err
	}
	cmdline := o.Getenv("DOCKDOJO_PAGER")
	if cmdline == "" {
		cmdline = o.Getenv("PAGER")
	}
	if cmdline == "" && runtime.GOOS != "windows" {
		if _, err := exec.LookPath("less"); err == nil {
			cmdline = "less"
		}
	}
	waitAtEnd := o.Reserve > 0
	if cmdline == "" || cmdline == "builtin" || runtime.GOOS == "windows" {
		return s.builtinPager(text, height, waitAtEnd)
	}
	if f := strings.Fields(cmdline); waitAtEnd && len(f) > 0 && filepath.Base(f[0]) == "less" {
		// Last, so that it wins over -F in LESS or on the command line.
		cmdline += " -+F"
	}
	cmd := exec.Command("sh", "-c", cmdline)
	cmd.Stdin = strings.NewReader(text)
	cmd.Stdout, cmd.Stderr = s.Out, s.ErrOut
	if s.TermOut != nil {
		cmd.Stdout = s.TermOut // the pager needs the terminal itself
	}
	cmd.Env = os.Environ()
	if o.Getenv("LESS") == "" {
		// Quit when it fits, keep colours, leave the text on screen on
		// quitting (what follows refers to it), as git and gh do; and exit
		// on Ctrl-C (-K, status 2), so that it means what it means in the
		// built-in pager.
		cmd.Env = append(cmd.Env, "LESS=FRXK")
	}
	if o.Getenv("LESSCHARSET") == "" && o.Getenv("LESSCHARDEF") == "" {
		// The lesson is UTF-8 whatever the locale says: without a UTF-8
		// locale (LANG unset, as over some ssh sessions) less would show
		// a bullet as <E2><80><A2>.
		cmd.Env = append(cmd.Env, "LESSCHARSET=utf-8")
	}
	if o.Getenv("LV") == "" {
		cmd.Env = append(cmd.Env, "LV=-c")
	}
	if o.Before != nil {
		o.Before()
	}
	if o.After != nil {
		defer o.After()
	}
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &exit) && exit.ExitCode() == 2 && strings.HasPrefix(cmdline, "less"):
		return ErrPagerCancelled
	case errors.As(err, &exit):
		return nil // the reader quit the pager in its own way
	}
	return s.builtinPager(text, height, waitAtEnd)
}

// builtinPager shows a screen of text at a time, height-1 rows, with a
// prompt below: space for the next screen, enter for one more line, q to
// skip the rest, Ctrl-C to leave (ErrPagerCancelled). A line wider than
// the terminal counts the rows it wraps on, and a screen shows one line at
// least. With waitAtEnd, the last screen keeps a prompt too, until a key
// is pressed. The terminal is raw only while a key is read.
func (s *Streams) builtinPager(text string, height int, waitAtEnd bool) error {
	out := Unwrapped(s.Out)
	lines := strings.SplitAfter(strings.TrimSuffix(text, "\n"), "\n")
	shown, room := 0, height-1
	for {
		width := s.Width()
		for used := 0; shown < len(lines) && room > 0; shown++ {
			rows := ScreenRows(lines[shown], width)
			if used > 0 && used+rows > room {
				break
			}
			fmt.Fprint(out, strings.TrimSuffix(lines[shown], "\n")+"\n")
			used += rows
		}
		end := shown >= len(lines)
		if end && !waitAtEnd {
			return nil
		}
		prompt := fmt.Sprintf("-- %d%% -- space: next page, enter: next line, q: skip the rest, Ctrl-C: leave", 100*shown/len(lines))
		if end {
			prompt = "-- end -- space, enter or q: go on, Ctrl-C: leave"
		}
		fmt.Fprint(out, s.ColorScheme().Reverse(Fit(prompt, width)))
		key, err := readKey(s.In, int(s.InFd))
		s.ClearLine()
		if err != nil {
			return err
		}
		switch {
		case key == "\x03" || key == "\x04":
			return ErrPagerCancelled
		case end:
			return nil
		}
		switch key {
		case " ", "f", "\x1b[6~":
			room = height - 1
		case "\r", "\n", "j", "\x1b[B":
			room = 1
		case "q", "Q":
			return nil
		default:
			room = 0
		}
	}
}

// readKey reads one key press (a byte, or an escape sequence) with the
// terminal in raw mode, and puts it back as it was.
func readKey(in io.Reader, fd int) (string, error) {
	state, err := term.MakeRaw(fd)
	if err != nil {
		return "", fmt.Errorf("read a key: %w", err)
	}
	defer term.Restore(fd, state)
	b := make([]byte, 8)
	n, err := in.Read(b)
	if err != nil {
		return "", fmt.Errorf("read a key: %w", err)
	}
	return string(b[:n]), nil
}

package guided

import (
	"fmt"
	goio "io"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"golang.org/x/term"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/prompter"
)

// page shows text, a screen at a time when it is longer than the terminal.
// The pager is DOCKDOJO_PAGER, else PAGER, else `less -R` when less is
// installed, else a small built-in one; DOCKDOJO_PAGER=builtin picks the
// built-in one and PAGER=cat (or any pager) is honoured as given. Text that
// fits, or output that is not a terminal, is printed as it is. An external
// pager runs with the terminal in modes as the learner had it (modes may be
// nil).
func page(f *cmdutil.Factory, text string, modes *termModes) error {
	io := f.IOStreams
	_, height, err := term.GetSize(int(io.OutFd))
	if !io.Interactive() || err != nil || height < 3 || strings.Count(text, "\n") < height-1 {
		_, err := fmt.Fprint(io.Out, text)
		return err
	}
	cmdline := f.Getenv("DOCKDOJO_PAGER")
	if cmdline == "" {
		cmdline = f.Getenv("PAGER")
	}
	if cmdline == "" && runtime.GOOS != "windows" {
		if _, err := exec.LookPath("less"); err == nil {
			cmdline = "less -R"
		}
	}
	if cmdline == "" || cmdline == "builtin" || runtime.GOOS == "windows" {
		return builtinPager(f, text, height)
	}
	cmd := exec.Command("sh", "-c", cmdline)
	cmd.Stdin = strings.NewReader(text)
	cmd.Stdout, cmd.Stderr = io.Out, io.ErrOut
	cmd.Env = os.Environ()
	if f.Getenv("LESS") == "" {
		// Quit when it fits, keep colours, leave the text on screen on quitting
		// (the menu that follows refers to it): what git and gh do.
		cmd.Env = append(cmd.Env, "LESS=FRX")
	}
	if f.Getenv("LV") == "" {
		cmd.Env = append(cmd.Env, "LV=-c")
	}
	// A Ctrl-C in the pager reaches dockdojo too; Main's handler keeps it from
	// ending the process, and the pager decides what it means.
	if modes != nil {
		modes.normal()
		defer modes.menu()
	}
	if err := cmd.Run(); err != nil {
		if _, ok := err.(*exec.ExitError); ok {
			return nil // the learner quit the pager in its own way
		}
		return builtinPager(f, text, height)
	}
	return nil
}

// builtinPager shows height-1 lines at a time with a prompt below: space for
// the next screen, enter for one more line, q to skip the rest, Ctrl-C to
// leave (ErrCancelled). The terminal is raw only while a key is read.
func builtinPager(f *cmdutil.Factory, text string, height int) error {
	io := f.IOStreams
	lines := strings.SplitAfter(strings.TrimSuffix(text, "\n"), "\n")
	shown, step := 0, height-1
	for {
		end := min(shown+step, len(lines))
		for _, l := range lines[shown:end] {
			fmt.Fprint(io.Out, strings.TrimSuffix(l, "\n")+"\n")
		}
		shown = end
		if shown >= len(lines) {
			return nil
		}
		prompt := fmt.Sprintf("-- %d%% -- space: next page, enter: next line, q: skip the rest", 100*shown/len(lines))
		fmt.Fprint(io.Out, io.ColorScheme().Reverse(prompt))
		key, err := readKey(io.In, int(io.InFd))
		io.ClearLine()
		if err != nil {
			return err
		}
		switch key {
		case " ", "f", "\x1b[6~":
			step = height - 1
		case "\r", "\n", "j", "\x1b[B":
			step = 1
		case "q", "Q":
			return nil
		case "\x03", "\x04":
			return prompter.ErrCancelled
		default:
			step = 0
		}
	}
}

// readKey reads one key press (a byte, or an escape sequence) with the
// terminal in raw mode, and puts it back as it was.
func readKey(in goio.Reader, fd int) (string, error) {
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

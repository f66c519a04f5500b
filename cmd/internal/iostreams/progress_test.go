package iostreams

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/dockdojo/dockdojo/internal/syncio"
)

func isResult(line string) bool { return strings.HasPrefix(line, "ok ") }

func TestLineSpinnerOffTerminalPassesThrough(t *testing.T) {
	var b bytes.Buffer
	s := startLineSpinner(context.Background(), &b, func() int { return 80 }, false, func(int) string { return "working" }, isResult)
	s.Write([]byte("ok    a\n"))
	s.Other(&b).Write([]byte("pulling\n"))
	s.Stop()
	if b.String() != "ok    a\npulling\n" {
		t.Errorf("output = %q, want the lines alone", b.String())
	}
	streams, _, _, c := Test()
	sp := streams.StartSpinner(context.Background(), "Preparing")
	sp.Writer().Write([]byte("pull\n"))
	sp.Stop()
	if c.String() != "Preparing...\npull\n" {
		t.Errorf("spinner off a terminal wrote %q, want one plain line and the output", c.String())
	}
}

// TestLineSpinnerNamesTheItemUnderWay draws on a real terminal: it names
// the first item, then, once that item's line is written, the next.
func TestLineSpinnerNamesTheItemUnderWay(t *testing.T) {
	tty, screen := openPTY(t)
	shown := func(want string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(screen(), want) {
			if time.Now().After(deadline) {
				t.Fatalf("%q not on the terminal; it shows %q", want, screen())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	items := []string{"first-run/publish-page", "first-run/inside-the-box"}
	s := startLineSpinner(context.Background(), tty, func() int { return 80 }, true, func(done int) string {
		if done < len(items) {
			return "self-testing " + items[done]
		}
		return ""
	}, isResult)
	shown("self-testing first-run/publish-page (0s)")
	s.Write([]byte("ok    first-run/publish-page\n"))
	shown("self-testing first-run/inside-the-box")
	s.Stop()
	if !strings.Contains(screen(), clearLine+"ok    first-run/publish-page") {
		t.Errorf("the spinner was not wiped before the output: %q", screen())
	}
}

// openPTY opens a pseudo-terminal for the test: what is written to tty,
// the terminal shows, and screen returns all it has shown.
func openPTY(t *testing.T) (tty *os.File, screen func() string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("needs a pseudo-terminal")
	}
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ptmx.Close(); tty.Close() })
	var mu sync.Mutex
	var shown strings.Builder
	go func() {
		b := make([]byte, 1024)
		for {
			n, err := ptmx.Read(b)
			mu.Lock()
			shown.Write(b[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return tty, func() string {
		mu.Lock()
		defer mu.Unlock()
		return shown.String()
	}
}

// TestSpinnerFitsTheWidth: a spinner's line longer than the terminal is
// wide would wrap, and every turn would leave its first row behind (seen
// at 80 columns: "Preparing the sandbox of virtualization/look-inside
// (debian:bookworm-slim)" stood three times on screen). Each turn fits the
// width, the seconds kept, with room for the "^C" the terminal echoes on
// Ctrl-C: at 79 cells of 80, "Preparing the sandbox of
// first-run/inside-the-box (debian:bookworm-slim) (2s)^" stayed on screen
// after Ctrl-C, the "C" wrapped to the row below, where the wipe went.
func TestSpinnerFitsTheWidth(t *testing.T) {
	msg := "Preparing the sandbox of virtualization/look-inside (debian:bookworm-slim)"
	for _, width := range []int{80, 40} {
		line := strings.TrimPrefix(spinnerLine(3, msg, time.Now(), width), clearLine)
		if n := len([]rune(line + "^C")); n >= width || !strings.HasSuffix(line, " (0s)") {
			t.Errorf("width %d: spinner line %q and ^C take %d cells; want fewer than %d, the line ending with the seconds", width, line, n, width)
		}
	}
	if line := strings.TrimPrefix(spinnerLine(0, "short", time.Now(), 80), clearLine); line != "⠋ short (0s)" {
		t.Errorf("a short message: %q, want it whole", line)
	}

	var b syncio.Buffer
	s := startLineSpinner(context.Background(), &b, func() int { return 30 }, true, func(int) string { return msg }, isResult)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(b.String(), "(0s)") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	s.Stop()
	turns := strings.Split(b.String(), clearLine)
	if len(turns) < 2 {
		t.Fatalf("the spinner drew nothing: %q", b.String())
	}
	for _, turn := range turns {
		if n := len([]rune(turn)); n >= 30 {
			t.Errorf("a turn of %d cells on a terminal of 30: %q", n, turn)
		}
	}
}

// TestWipedOnCancel: Ctrl-C cancels the command's context, and the step
// a spinner or ticker waits on may take a while to give up (an engine
// that does not answer, a self-test cleaning up after itself). Each stops
// at once and wipes its line, so that what the command says of the
// interruption starts on a clean line, and it draws nothing more. Seen
// before: prepare's "loading: [====   ]" and selftest's "self-testing
// first-run/publish-page (3s)" turned on after Ctrl-C until the command
// ended.
func TestWipedOnCancel(t *testing.T) {
	for _, tc := range []struct {
		name  string
		shows string // once drawn
		start func(ctx context.Context, s *Streams) (stop func())
	}{
		{"spinner", "Waiting (0s)", func(ctx context.Context, s *Streams) func() {
			return s.StartSpinner(ctx, "Waiting").Stop
		}},
		{"line spinner", "self-testing a/b (0s)", func(ctx context.Context, s *Streams) func() {
			return s.StartLineSpinner(ctx, func(int) string { return "self-testing a/b" }, isResult).Stop
		}},
		{"ticker", "loading: [", func(ctx context.Context, s *Streams) func() {
			return s.StartTicker(ctx, "loading", func() int64 { return 5 }, 10, func(n int64) string { return fmt.Sprint(n) })
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tty, screen := openPTY(t)
			streams := &Streams{Out: tty, OutFd: tty.Fd(), OutTTY: true, ErrOut: tty, ErrFd: tty.Fd(), ErrTTY: true}
			ctx, cancel := context.WithCancel(context.Background())
			stop := tc.start(ctx, streams)
			for deadline := time.Now().Add(10 * time.Second); !strings.Contains(screen(), tc.shows); {
				if time.Now().After(deadline) {
					t.Fatalf("it drew nothing: %q", screen())
				}
				time.Sleep(10 * time.Millisecond)
			}
			cancel()
			for deadline := time.Now().Add(time.Second); !strings.HasSuffix(screen(), clearLine); {
				if time.Now().After(deadline) {
					t.Fatalf("a second after the cancel, its line is still there: %q", screen())
				}
				time.Sleep(10 * time.Millisecond)
			}
			wiped := screen()
			time.Sleep(3 * spinnerTick)
			stop()
			time.Sleep(50 * time.Millisecond) // for the terminal to pass on what stop wrote, if anything
			if after := screen(); after != wiped {
				t.Errorf("it drew on after it was wiped: %q", strings.TrimPrefix(after, wiped))
			}
		})
	}
}

func TestScreenLines(t *testing.T) {
	text := "short\n" + strings.Repeat("x", 25) + "\n\x1b[32m✓\x1b[0m ok\n"
	if got := ScreenRows(text, 10); got != 1+3+1 {
		t.Errorf("ScreenRows = %d, want 5", got)
	}
}

func TestWrapAtSpaces(t *testing.T) {
	got := WrapWidth("     container dojo-web exists but is not running: it is exited with exit code 0", 40, 7)
	want := "     container dojo-web exists but is\n       not running: it is exited with\n       exit code 0"
	if got != want {
		t.Errorf("WrapWidth =\n%s\nwant\n%s", got, want)
	}
	for _, tt := range []struct{ line, want string }{
		{"    [ ] things-to-try/python2              Run a Python 2 script in its own image (build)",
			"    [ ] things-to-try/python2              Run a Python 2 script in its own\n                                           image (build)"},
		{"things-to-try  Things to try (60 min, 0/5 done: 0/5 exercises, 0/2 quizzes, and more to come)",
			"things-to-try  Things to try (60 min, 0/5 done: 0/5 exercises, 0/2 quizzes, and\n               more to come)"},
		{"    - a bullet that is long enough to need a second line of its own to fit in here",
			"    - a bullet that is long enough to need a second line of its own to fit in\n      here"},
		{"a column too far to the right, at the end of a long line:                  here it is",
			"a column too far to the right, at the end of a long line:                  here\nit is"},
	} {
		var b strings.Builder
		ww := &wrapWriter{w: &b, width: func() int { return 80 }}
		_, _ = ww.Write([]byte(tt.line + "\n"))
		if got := strings.TrimSuffix(b.String(), "\n"); got != tt.want {
			t.Errorf("wrapped =\n%s\nwant\n%s", got, tt.want)
		}
	}
	if got := WrapWidth("short", 40, 2); got != "short" {
		t.Errorf("a line that fits changed: %q", got)
	}
	if got := WrapWidth("a https://example.com/a/very/long/address/that/does/not/fit", 20, 2); !strings.Contains(got, "https://example.com/a/very/long/address/that/does/not/fit") {
		t.Errorf("a word wider than the line was broken: %q", got)
	}
}

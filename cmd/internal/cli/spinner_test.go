package cli

import (
	"bytes"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

func isResult(line string) bool { return strings.HasPrefix(line, "ok ") }

func TestLineSpinnerOffTerminalPassesThrough(t *testing.T) {
	var b bytes.Buffer
	s := startLineSpinner(&b, func(int) string { return "working" }, isResult)
	s.Write([]byte("ok    a\n"))
	s.Other(&b).Write([]byte("pulling\n"))
	s.Stop()
	if b.String() != "ok    a\npulling\n" {
		t.Errorf("output = %q, want the lines alone", b.String())
	}
	var c bytes.Buffer
	sp := startSpinner(&c, "Preparing")
	sp.Writer().Write([]byte("pull\n"))
	sp.Stop()
	if c.String() != "Preparing...\npull\n" {
		t.Errorf("spinner off a terminal wrote %q, want one plain line and the output", c.String())
	}
}

// TestLineSpinnerNamesTheItemUnderWay draws on a real terminal: it names
// the first item, then, once that item's line is written, the next.
func TestLineSpinnerNamesTheItemUnderWay(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs a pseudo-terminal")
	}
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer tty.Close()
	var mu sync.Mutex
	var screen strings.Builder
	go func() {
		b := make([]byte, 1024)
		for {
			n, err := ptmx.Read(b)
			mu.Lock()
			screen.Write(b[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	shown := func(want string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			mu.Lock()
			ok := strings.Contains(screen.String(), want)
			mu.Unlock()
			if ok {
				return
			}
			if time.Now().After(deadline) {
				mu.Lock()
				defer mu.Unlock()
				t.Fatalf("%q not on the terminal; it shows %q", want, screen.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	items := []string{"first-run/publish-page", "first-run/inside-the-box"}
	s := startLineSpinner(tty, func(done int) string {
		if done < len(items) {
			return "self-testing " + items[done]
		}
		return ""
	}, isResult)
	shown("self-testing first-run/publish-page (0s)")
	s.Write([]byte("ok    first-run/publish-page\n"))
	shown("self-testing first-run/inside-the-box")
	s.Stop()
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(screen.String(), "\r\x1b[Kok    first-run/publish-page") {
		t.Errorf("the spinner was not wiped before the output: %q", screen.String())
	}
}

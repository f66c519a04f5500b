package iostreams

import (
	"strings"
	"testing"
)

// TestWrapAfterAWipedLine: a spinner wiped from its line ("\r\x1b[2K")
// leaves the cursor at the start of a line, and the next message is
// wrapped; it once passed unwrapped, as if written after a prompt.
func TestWrapAfterAWipedLine(t *testing.T) {
	var b strings.Builder
	ww := &wrapWriter{w: &b, width: func() int { return 40 }}
	_, _ = ww.Write([]byte(clearLine + "⠋ Starting the sandbox (1s)"))
	_, _ = ww.Write([]byte(clearLine))
	b.Reset()
	_, _ = ww.Write([]byte("Shell in dockdojo-box (busybox:1.36). Type `exit` to come back.\n"))
	if want := "Shell in dockdojo-box (busybox:1.36).\nType `exit` to come back.\n"; b.String() != want {
		t.Errorf("after a wiped spinner:\n%q\nwant\n%q", b.String(), want)
	}
	// A prompt still waits on its line: what follows it is not wrapped.
	b.Reset()
	_, _ = ww.Write([]byte("Name? "))
	_, _ = ww.Write([]byte("\x1b[?25l"))
	_, _ = ww.Write([]byte("a long answer typed after the prompt, that goes on\n"))
	if want := "Name? \x1b[?25la long answer typed after the prompt, that goes on\n"; b.String() != want {
		t.Errorf("after a prompt:\n%q\nwant\n%q", b.String(), want)
	}
}

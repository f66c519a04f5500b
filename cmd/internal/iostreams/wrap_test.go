package iostreams

import (
	"strings"
	"testing"
)

// TestWrapKeepsCommandsWhole: a code span, as messages quote a command, is
// never broken by a line break; one too wide for the indented line starts
// at the left edge when it fits there, and one wider than the terminal
// stays whole.
func TestWrapKeepsCommandsWhole(t *testing.T) {
	for _, tt := range []struct {
		text          string
		width, indent int
		want          string
	}{
		{"Check your work with `dockdojo check first-run/inside-the-box`; `dockdojo hint first-run/inside-the-box` helps.", 80, 0,
			"Check your work with `dockdojo check first-run/inside-the-box`;\n`dockdojo hint first-run/inside-the-box` helps."},
		{"Shell in dockdojo-first-run-inside-the-box-abcd (debian:bookworm-slim). Type `exit` to come back; the container keeps running.", 80, 0,
			"Shell in dockdojo-first-run-inside-the-box-abcd (debian:bookworm-slim). Type\n`exit` to come back; the container keeps running."},
		{"     remove it (`docker rm -f dojo-ic-hello`) and run it again", 40, 7,
			"     remove it\n       (`docker rm -f dojo-ic-hello`)\n       and run it again"},
		{"     run `docker run -d --name dojo-web -p 8080:80 httpd:2.4` again", 55, 7,
			"     run\n`docker run -d --name dojo-web -p 8080:80 httpd:2.4`\n       again"},
		{"     run `docker run -d --name dojo-web -p 8080:80 httpd:2.4` again", 40, 7,
			"     run\n       `docker run -d --name dojo-web -p 8080:80 httpd:2.4`\n       again"},
		{"a ``code with a ` in it`` stays whole", 12, 2, "a\n  ``code with a ` in it``\n  stays\n  whole"},
		{"an unmatched ` is a word", 12, 0, "an unmatched\n` is a word"},
	} {
		if got := WrapWidth(tt.text, tt.width, tt.indent); got != tt.want {
			t.Errorf("WrapWidth(%q, %d, %d) =\n%s\nwant\n%s", tt.text, tt.width, tt.indent, got, tt.want)
		}
	}
}

// TestWrapCommand: a command after prose is never broken: it goes on a line
// of its own when it does not fit after the prose, at the left edge when
// only there it fits.
func TestWrapCommand(t *testing.T) {
	const cmd = `docker run -d --name dojo-web -p 8080:80 -v "$PWD/site":/usr/local/apache2/htdocs:ro httpd:2.4`
	for _, tt := range []struct {
		width int
		want  string
	}{
		{100, "Hint 3 of 3:\n  " + cmd},
		{95, "Hint 3 of 3:\n" + cmd},
		{80, "Hint 3 of 3:\n  " + cmd},
		{120, "Hint 3 of 3: " + cmd},
	} {
		if got := WrapCommandWidth("Hint 3 of 3: ", cmd, tt.width, 2); got != tt.want {
			t.Errorf("at %d columns:\n%s\nwant\n%s", tt.width, got, tt.want)
		}
	}
	if got := WrapCommandWidth("Hint 3 of 3: ", "docker run --name dojo-ic-hello busybox:1.36 echo hello from dojo", 70, 2); got != "Hint 3 of 3:\n  docker run --name dojo-ic-hello busybox:1.36 echo hello from dojo" {
		t.Errorf("a command that fits under the indent:\n%s", got)
	}
	if got := WrapCommandWidth("", cmd, 40, 2); got != cmd {
		t.Errorf("a command alone: %q", got)
	}
}

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

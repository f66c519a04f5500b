package checker

import (
	"strings"
	"testing"
)

// TestQuoteShort: what a container printed is quoted as a learner reads
// it, on one line, cut where a character ends, and never in Go's escapes.
func TestQuoteShort(t *testing.T) {
	long := strings.Repeat("é", 200)
	lines := strings.Repeat("inet 127.0.0.1/8 scope host lo\n", 20)
	for _, tt := range []struct{ name, in, want string }{
		{"plain", "  bash\n", `"bash"`},
		{"lines and tabs", "PID\tCMD\n1\tsleep\r\n", `"PID CMD⏎1 sleep"`},
		{"letters beyond ASCII", "café", `"café"`},
		{"an escape sequence is shown, not obeyed", "\x1b]0;owned\x07\x1b[31mred", `"\x1b]0;owned\x07\x1b[31mred"`},
		{"the marks that turn text right to left", "a\u202eb", `"a\u202eb"`},
		{"bytes that are not UTF-8", "a\xffb", `"a�b"`},
		{"cut on a character's boundary", long, `"` + strings.Repeat("é", quoteMax) + `…" (40 more characters)`},
		{"cut at a line's end", lines, `"` + strings.TrimSuffix(strings.Repeat("inet 127.0.0.1/8 scope host lo⏎", 5), "⏎") + `…" (15 more lines)`},
		{"cut at the last line end that fits", strings.Repeat("x", 150) + "\n" + strings.Repeat("y", 100) + "\nz", `"` + strings.Repeat("x", 150) + `…" (2 more lines)`},
		{"cut inside a long line", strings.Repeat("x", 300) + "\ny\nz", `"` + strings.Repeat("x", quoteMax) + `…" (the rest of that line and 2 more lines)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := quoteShort(tt.in); got != tt.want {
				t.Errorf("quoteShort(%q)\n got %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
}

// TestQuote: the lesson's text is written as what was found is, so that
// the two compare.
func TestQuote(t *testing.T) {
	if got, want := quote("dojo was here\n"), `"dojo was here⏎"`; got != want {
		t.Errorf("quote: got %s, want %s", got, want)
	}
}

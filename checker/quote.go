package checker

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"

	"github.com/dockdojo/dockdojo/internal/termsafe"
)

// quoteMax is how many terminal cells of a text a message quotes: two
// lines of an 80-column terminal, beside the message's own words.
const quoteMax = 160

// lineBreak stands for a line break in a quoted text, which a message
// keeps on its one line: the first line of a message is what `watch` and
// the classroom show.
const lineBreak = "⏎"

// quote puts a text of the lesson's (what output must contain, a line a
// file must have) in quotes for the learner, written as quoteShort writes
// what was found, so that the two compare at a glance.
func quote(s string) string { return `"` + readable(s) + `"` }

// quoteShort quotes what a command printed, a file holds or a page says,
// for the learner to read in a message: on one line (see readable), cut
// on a character's boundary after quoteMax cells, and saying how much
// more there is. It never shows Go's escapes (\n, \t, \u00e9), which say
// nothing to a learner.
func quoteShort(s string) string {
	s = readable(strings.TrimSpace(s))
	if runewidth.StringWidth(s) <= quoteMax {
		return `"` + s + `"`
	}
	head := runewidth.Truncate(s, quoteMax, "")
	// Whole lines read better than a line cut short, when one ends in the
	// second half of what fits.
	if i := strings.LastIndex(head, lineBreak); i > len(head)/2 {
		head = head[:i]
	}
	rest := s[len(head):]
	if strings.HasPrefix(rest, lineBreak) {
		n := strings.Count(rest, lineBreak)
		return fmt.Sprintf(`"%s…" (%d more %s)`, head, n, plural(n, "line"))
	}
	// Cut inside a line: the lines that follow it, or else what is left
	// of it.
	if n := strings.Count(rest, lineBreak); n > 0 {
		return fmt.Sprintf(`"%s…" (the rest of that line and %d more %s)`, head, n, plural(n, "line"))
	}
	n := utf8.RuneCountInString(rest)
	return fmt.Sprintf(`"%s…" (%d more %s)`, head, n, plural(n, "character"))
}

// readable is s as a message shows it, on one line: a line break as ⏎, a
// tab as a space, and nothing that a terminal would obey rather than show
// (termsafe.Printable: an escape sequence in a container's output must not
// drive the learner's terminal); bytes that are not UTF-8 as �.
func readable(s string) string {
	s = strings.ToValidUTF8(s, string(utf8.RuneError))
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\t", " ").Replace(s)
	return strings.ReplaceAll(termsafe.Printable(s), "\n", lineBreak)
}

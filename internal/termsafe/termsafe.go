// Package termsafe writes text for a terminal to show, never to obey.
package termsafe

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// csi is a control sequence (ECMA-48): ESC [, its parameters, its
// intermediate bytes, its final byte. SGR, the one that colours text
// (ESC [ 91 m), is one of them.
var csi = regexp.MustCompile(`\x1b\[[0-?]*[ -/]*[@-~]`)

// StripCSI drops the control sequences that colour text or move the
// cursor, which a program writes for a terminal: what a build prints
// (the classic builder colours a step's error output, ESC [ 91 m ... ESC
// [ 0 m) carries them to no terminal once dockdojo shows it in a message,
// and escaped (see Printable) they read as noise, \x1b[91m. Any other
// escape (a title's, ESC ] 0 ; ...) is left for Printable to show.
func StripCSI(s string) string {
	if !strings.Contains(s, "\x1b[") {
		return s
	}
	return csi.ReplaceAllString(s, "")
}

// Printable escapes what a terminal would obey rather than show: control
// characters but the line end and the tab, and the marks that turn text
// right to left. dockdojo's messages quote what lessons, the learner's
// files, builds and containers hold (a Dockerfile's line, a build's
// output, a lesson folder's name), and those may carry escape sequences
// that change the terminal's title or colours, or hide the rest of the
// line.
func Printable(s string) string {
	clean := func(r rune) bool {
		return r == '\n' || r == '\t' || !(unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r))
	}
	if strings.IndexFunc(s, func(r rune) bool { return !clean(r) }) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case clean(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, "\\x%02x", r)
		default:
			fmt.Fprintf(&b, "\\u%04x", r)
		}
	}
	return b.String()
}

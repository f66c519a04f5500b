// Package render turns lesson Markdown into terminal output with glamour. It
// is the one place a glamour renderer is built.
//
// glamour is held at v0.6.0, whose highlighter (chroma v0.10) registers its
// lexers lazily: from v0.7 on glamour links chroma/v2, which parses every
// lexer and style definition at package initialisation, 15-25 ms and 4 MB
// of every dockdojo process whether it renders or not (docs/performance.md,
// round three). TestNoEagerHighlighter keeps it so.
package render

import (
	"regexp"
	"strings"

	"github.com/charmbracelet/glamour"
	reflowansi "github.com/muesli/reflow/ansi"

	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
)

// Options choose how Markdown is shown.
type Options struct {
	Width int  // width of the terminal in columns
	Color bool // ANSI styles; false gives glamour's ASCII style (NO_COLOR)
}

// Markdown renders src for a terminal of the given width. Print what it
// returns with iostreams.Unwrapped: its lines are laid out already.
//
// glamour wraps a paragraph's text and then its margins at widths two
// columns apart, which leaves a lone word on a line whenever a wrapped line
// lands between the two, and it breaks words at hyphens (splitting `-v` or
// `dojo-web`). So glamour renders without wrapping, and each line is wrapped
// here at spaces only, its continuation indented under its first word.
//
// A command is never broken by a line break (iostreams.Streams.Wrap): a
// code span is wrapped as one word, with the punctuation that touches it,
// and a line of a code block is left whole, for the terminal to wrap when
// it is wider than the terminal. Its spaces, and the padding of its colour
// chip, are non-breaking while lines are wrapped, and plain spaces after.
func Markdown(src string, o Options) (string, error) {
	style := glamour.ASCIIStyleConfig // inline code between backticks
	if o.Color {
		style = glamour.DarkStyleConfig
		style.Code.Prefix, style.Code.Suffix = nbsp, nbsp
	}
	r, err := glamour.NewTermRenderer(glamour.WithStyles(style), glamour.WithWordWrap(0), glamour.WithEmoji())
	if err != nil {
		return "", err
	}
	doc, code := prepare([]byte(src))
	out, err := r.Render(string(doc))
	if err != nil {
		return "", err
	}
	width := o.Width
	if width <= 0 {
		width = 80
	}
	limit := min(width, 100) - 2 // a right margin to match glamour's left one
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(out, "\n "), "\n") {
		if len(code) > 0 && sameText(line, code[0]) {
			code = code[1:]
		} else {
			line = wrap(line, limit)
		}
		b.WriteString(strings.ReplaceAll(line, nbsp, " "))
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// sameText reports whether a rendered line shows text, spaces aside.
func sameText(line, text string) bool {
	return strings.Join(strings.Fields(iostreams.StripANSI(line)), " ") == strings.Join(strings.Fields(text), " ")
}

var escapeRE = regexp.MustCompile("\x1b\\[[0-9;?]*[A-Za-z]")

// prefixRE is what stays at the left of a wrapped line's continuation:
// glamour's margin, and a list's bullet or number.
var prefixRE = regexp.MustCompile(`^( *(?:(?:•|\d+\.|[-*]) )?)`)

// wrap breaks one rendered line at spaces so that no part is wider than
// limit columns; parts after the first are indented to line up with the text
// after the line's margin and bullet.
func wrap(line string, limit int) string {
	if reflowansi.PrintableRuneWidth(line) <= limit {
		return line
	}
	visible := escapeRE.ReplaceAllString(line, "")
	indent := reflowansi.PrintableRuneWidth(prefixRE.FindString(visible))
	if indent >= limit/2 {
		indent = 0
	}
	parts := strings.Split(iostreams.WrapWidth(line, limit, indent), "\n")
	for i := range parts {
		parts[i] = strings.TrimRight(parts[i], " ")
	}
	return strings.Join(parts, "\n")
}

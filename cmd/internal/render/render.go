// Package render turns lesson Markdown into terminal output with glamour. It
// is the one place a glamour renderer is built.
package render

import (
	"strings"

	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/glamour/styles"
)

// Options choose how Markdown is shown.
type Options struct {
	Width int  // word-wrap width in columns
	Color bool // ANSI styles; false gives glamour's plain ASCII style (NO_COLOR)
}

// Markdown renders src for a terminal.
func Markdown(src string, o Options) (string, error) {
	style := styles.AsciiStyle
	if o.Color {
		style = styles.DarkStyle
	}
	width := o.Width
	if width <= 0 || width > 100 {
		width = min(max(width, 40), 100)
	}
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle(style), glamour.WithWordWrap(width-4), glamour.WithEmoji())
	if err != nil {
		return "", err
	}
	out, err := r.Render(src)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(out, "\n ") + "\n", nil
}

package render

import (
	"strings"

	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
)

// style marks up rendered text: with ASCII markers when plain, with the
// colour scheme's styles otherwise. A style is applied word by word, so
// that no colour runs across the end of a wrapped line into its margin.
type style struct {
	color bool
	cs    iostreams.ColorScheme
}

func newStyle(color bool) style { return style{color: color, cs: iostreams.NewColorScheme(color)} }

// words applies f to each word of s, leaving the spaces between plain.
func words(s string, f func(string) string) string {
	parts := strings.Split(s, " ")
	for i, p := range parts {
		if p != "" {
			parts[i] = f(p)
		}
	}
	return strings.Join(parts, " ")
}

func (s style) title(t string) string {
	if !s.color {
		return "# " + t
	}
	return s.cs.Title(" " + iostreams.StripANSI(t) + " ")
}

func (s style) heading(t string) string { return words(t, s.cs.Heading) }

// marked is t between Markdown's marker when plain, else styled by f.
func (s style) marked(t, marker string, f func(string) string) string {
	if !s.color {
		return marker + t + marker
	}
	return words(t, f)
}

func (s style) code(t string) string   { return s.marked(t, "`", s.cs.Code) }
func (s style) strong(t string) string { return s.marked(t, "**", s.cs.Bold) }
func (s style) emph(t string) string   { return s.marked(t, "*", s.cs.Italic) }
func (s style) strike(t string) string { return s.marked(t, "~~", s.cs.Strike) }

func (s style) url(u string) string { return s.cs.Link(u) }

func (s style) bullet(b string) string { return b }

func (s style) quoteBar() string {
	if !s.color {
		return "| "
	}
	return s.cs.Faint("│") + " "
}

func (s style) rule(n int) string {
	if !s.color {
		return strings.Repeat("-", 8)
	}
	return s.cs.Faint(strings.Repeat("─", n))
}

// tableLines are a table's column separator, row separator and their
// crossing.
func (s style) tableLines() (col, row, cross string) {
	if !s.color {
		return "|", "-", "|"
	}
	return "│", "─", "┼"
}

func (s style) faint(t string) string { return s.cs.Faint(t) }

// hashComments are the code languages whose comments start with #.
var hashComments = map[string]bool{
	"": true, "sh": true, "bash": true, "shell": true, "console": true, "zsh": true,
	"dockerfile": true, "docker": true, "yaml": true, "yml": true, "toml": true,
	"ini": true, "conf": true, "python": true, "py": true, "text": false,
}

// codeLine is one line of a code block, its comment in the background.
func (s style) codeLine(line, lang string) string {
	if !s.color || !hashComments[strings.ToLower(lang)] {
		return line
	}
	if i := commentStart(line); i >= 0 {
		return line[:i] + s.cs.Faint(line[i:])
	}
	return line
}

// commentStart is where a # comment starts in a shell-like line: at the
// start or after a space, outside quotes; -1 when there is none.
func commentStart(line string) int {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return i
		}
	}
	return -1
}

// Package render turns lesson Markdown into terminal text. It walks
// goldmark's syntax tree itself rather than using a terminal Markdown
// library: those link a syntax highlighter whose package initialisation
// (every lexer and style registered) cost each dockdojo command 15–25 ms
// and 10 MB, rendering or not (docs/performance.md).
//
// Without colour the output is plain ASCII-marked text (**strong**, *emph*,
// `code`, # headings), as the learner would type it; with colour the
// markers give way to the styles of iostreams.ColorScheme.
package render

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	emoji "github.com/yuin/goldmark-emoji"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
)

// Options choose how Markdown is shown.
type Options struct {
	Width int  // width of the terminal in columns
	Color bool // styles; false gives plain text with ASCII markers (NO_COLOR)
}

// margin is the indentation of the whole document, and of a code block
// within its surroundings.
const margin = "  "

// Markdown renders src for a terminal of the given width: at most
// min(width, 100)-2 columns a line, wrapped at spaces only (never inside
// `-v` or `dojo-web`), a wrapped line's continuation under its first word.
// Control characters in src are dropped, so a lesson cannot move the
// learner's cursor or retitle their terminal.
func Markdown(src string, o Options) (string, error) {
	width := o.Width
	if width <= 0 {
		width = 80
	}
	limit := min(width, 100) - 2 // a right margin to match the left one
	source := unwrap(sanitize([]byte(src)))
	doc := parser.Parser().Parse(text.NewReader(source))
	r := &renderer{src: source, st: newStyle(o.Color)}
	lines := r.blocks(doc, limit-len(margin))
	var b strings.Builder
	b.WriteByte('\n')
	for _, l := range lines {
		b.WriteString(strings.TrimRight(margin+l, " "))
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// parser reads GitHub's Markdown, with :emoji: short names.
var parser = goldmark.New(goldmark.WithExtensions(extension.GFM, emoji.Emoji))

// sanitize drops control characters other than tab and newline, and
// C1 controls, from lesson text.
func sanitize(src []byte) []byte {
	return bytes.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t' && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, src)
}

type renderer struct {
	src []byte
	st  style
}

// blocks renders the block children of n as lines at most width columns
// wide, one empty line between blocks.
func (r *renderer) blocks(n ast.Node, width int) []string {
	var out []string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		lines := r.block(c, width)
		if len(lines) == 0 {
			continue
		}
		if len(out) > 0 && !tightItem(c) {
			out = append(out, "")
		}
		out = append(out, lines...)
	}
	return out
}

// tightItem reports whether n follows the text of a tight list's item
// without an empty line between.
func tightItem(n ast.Node) bool {
	item, ok := n.Parent().(*ast.ListItem)
	if !ok {
		return false
	}
	list, ok := item.Parent().(*ast.List)
	return ok && list.IsTight
}

func (r *renderer) block(n ast.Node, width int) []string {
	switch n := n.(type) {
	case *ast.Heading:
		return r.heading(n, width)
	case *ast.Paragraph, *ast.TextBlock:
		return r.paragraph(n, width)
	case *ast.FencedCodeBlock:
		return r.code(n, string(n.Language(r.src)), width)
	case *ast.CodeBlock:
		return r.code(n, "", width)
	case *ast.List:
		return r.list(n, width)
	case *ast.Blockquote:
		bar := r.st.quoteBar()
		return prefixed(r.blocks(n, width-visibleWidth(bar)), bar, bar)
	case *ast.ThematicBreak:
		return []string{r.st.rule(min(width, 40))}
	case *ast.HTMLBlock:
		return r.html(n, width)
	case *east.Table:
		return r.table(n, width)
	default:
		return r.blocks(n, width)
	}
}

func (r *renderer) heading(n *ast.Heading, width int) []string {
	content := r.inline(n)
	if n.Level == 1 {
		return wrap(r.st.title(content), width, 0)
	}
	return wrap(r.st.heading(strings.Repeat("#", n.Level)+" "+content), width, 0)
}

func (r *renderer) paragraph(n ast.Node, width int) []string {
	var out []string
	for _, line := range strings.Split(r.inline(n), "\n") {
		out = append(out, wrap(line, width, 0)...)
	}
	return out
}

// codeIndentRE is what a wrapped code line's continuation lines up under:
// its own indentation, and a YAML list's dash.
var codeIndentRE = regexp.MustCompile(`^ *(?:- )?`)

func (r *renderer) code(n ast.Node, lang string, width int) []string {
	var out []string
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := strings.TrimRight(string(seg.Value(r.src)), "\r\n")
		line = strings.ReplaceAll(line, "\t", "    ")
		hang := len(codeIndentRE.FindString(line))
		if hang >= width/2 {
			hang = 0
		}
		for _, part := range wrap(line, width-len(margin), hang) {
			out = append(out, margin+r.st.codeLine(part, lang))
		}
	}
	return out
}

func (r *renderer) list(n *ast.List, width int) []string {
	var out []string
	number := n.Start
	for item := n.FirstChild(); item != nil; item = item.NextSibling() {
		bullet := "• "
		if n.IsOrdered() {
			bullet = strconv.Itoa(number) + ". "
			number++
		}
		if len(out) > 0 && !n.IsTight {
			out = append(out, "")
		}
		lines := r.blocks(item, width-visibleWidth(bullet))
		if len(lines) == 0 {
			lines = []string{""}
		}
		out = append(out, prefixed(lines, r.st.bullet(bullet), strings.Repeat(" ", visibleWidth(bullet)))...)
	}
	return out
}

// html shows raw HTML as its source: the terminal cannot show it otherwise.
func (r *renderer) html(n *ast.HTMLBlock, width int) []string {
	var out []string
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := strings.TrimRight(string(seg.Value(r.src)), "\r\n")
		out = append(out, wrap(line, width, 0)...)
	}
	return out
}

// prefixed puts first before the first line and rest before the others.
func prefixed(lines []string, first, rest string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		p := rest
		if i == 0 {
			p = first
		}
		if l == "" {
			out[i] = strings.TrimRight(p, " ")
			continue
		}
		out[i] = p + l
	}
	return out
}

// wrap breaks one line at spaces so that no part is wider than width
// columns, the parts after the first indented by hang spaces.
func wrap(line string, width, hang int) []string {
	return strings.Split(iostreams.WrapWidth(line, width, hang), "\n")
}

func visibleWidth(s string) int { return iostreams.TextWidth(s) }

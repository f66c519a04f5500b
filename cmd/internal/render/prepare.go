package render

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// nbsp is a space no line is broken at.
const nbsp = "\u00a0"

// prepare readies src for glamour: each paragraph on one line (unwrap), and
// the spaces inside code spans made non-breaking. It returns the lines of
// its code blocks too, in order, without the blank ones: the rendered lines
// that show them are not wrapped.
func prepare(src []byte) ([]byte, []string) {
	src = unwrap(src)
	// The same Markdown glamour reads (GitHub's).
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(src))
	var spans []text.Segment
	var code []string
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.CodeSpan:
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					spans = append(spans, t.Segment)
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				if l := strings.TrimSpace(string(seg.Value(src))); l != "" {
					code = append(code, l)
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	var out bytes.Buffer
	prev := 0
	for _, s := range spans {
		if s.Start < prev {
			continue
		}
		out.Write(src[prev:s.Start])
		out.WriteString(strings.ReplaceAll(string(src[s.Start:s.Stop]), " ", nbsp))
		prev = s.Stop
	}
	out.Write(src[prev:])
	return out.Bytes(), code
}

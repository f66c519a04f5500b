package render

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// unwrap joins the source lines of every paragraph into one, so that the
// width of the terminal, not the width of the author's editor, decides where
// prose breaks. A hard break (two trailing spaces or a backslash) is kept;
// code blocks, tables and headings are not paragraphs and stay as they are.
func unwrap(src []byte) []byte {
	// The same Markdown glamour reads (GitHub's): a table is no paragraph.
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(src))
	var out bytes.Buffer
	prev := 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		p, ok := n.(*ast.Paragraph)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		lines := p.Lines()
		for i := 0; i+1 < lines.Len(); i++ {
			line := lines.At(i)
			content := bytes.TrimRight(src[line.Start:line.Stop], "\r\n")
			if bytes.HasSuffix(content, []byte("  ")) || bytes.HasSuffix(content, []byte(`\`)) {
				continue
			}
			from, to := line.Start+len(content), lines.At(i+1).Start
			if from < prev || to < from {
				continue
			}
			out.Write(src[prev:from])
			out.WriteByte(' ')
			prev = to
		}
		return ast.WalkSkipChildren, nil
	})
	out.Write(src[prev:])
	return out.Bytes()
}

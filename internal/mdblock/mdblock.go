// Package mdblock finds the fenced code blocks of a Markdown document, for
// the tests that hold the documentation and the course to what they show.
package mdblock

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// Block is one fenced code block.
type Block struct {
	Line int    // the line of its opening fence, counted from 1 (0 if unknown)
	Info string // the whole info string, trimmed: "yaml sandbox", "dockerfile"
	Body string // its lines, as written
}

// Language is the first word of the info string.
func (b Block) Language() string {
	lang, _, _ := strings.Cut(b.Info, " ")
	return lang
}

// Fenced returns the fenced code blocks of src, in order.
func Fenced(src []byte) []Block {
	var blocks []Block
	doc := goldmark.New().Parser().Parse(text.NewReader(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		fb, ok := n.(*ast.FencedCodeBlock)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		var b Block
		lines := fb.Lines()
		switch {
		case fb.Info != nil:
			b.Info = strings.TrimSpace(string(fb.Info.Segment.Value(src)))
			b.Line = 1 + bytes.Count(src[:fb.Info.Segment.Start], []byte("\n"))
		case lines.Len() > 0:
			b.Line = bytes.Count(src[:lines.At(0).Start], []byte("\n"))
		}
		var body strings.Builder
		for i := range lines.Len() {
			seg := lines.At(i)
			body.Write(seg.Value(src))
		}
		b.Body = body.String()
		blocks = append(blocks, b)
		return ast.WalkSkipChildren, nil
	})
	return blocks
}

package render

import (
	"strings"

	east "github.com/yuin/goldmark-emoji/ast"
	"github.com/yuin/goldmark/ast"
	xast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// inline renders the inline children of n as one line of text; a hard
// line break is a newline.
func (r *renderer) inline(n ast.Node) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		b.WriteString(r.span(c))
	}
	return b.String()
}

func (r *renderer) span(n ast.Node) string {
	switch n := n.(type) {
	case *ast.Text:
		s := string(unescape(n.Segment.Value(r.src)))
		switch {
		case n.HardLineBreak():
			s += "\n"
		case n.SoftLineBreak():
			s += " "
		}
		return s
	case *ast.String:
		return string(n.Value)
	case *ast.CodeSpan:
		var b strings.Builder
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				b.Write(t.Segment.Value(r.src))
			} else if s, ok := c.(*ast.String); ok {
				b.Write(s.Value)
			}
		}
		return r.st.code(b.String())
	case *ast.Emphasis:
		if n.Level >= 2 {
			return r.st.strong(r.inline(n))
		}
		return r.st.emph(r.inline(n))
	case *xast.Strikethrough:
		return r.st.strike(r.inline(n))
	case *ast.Link:
		return r.link(r.inline(n), string(n.Destination))
	case *ast.AutoLink:
		return r.st.url(string(n.Label(r.src)))
	case *ast.Image:
		return "Image: " + r.inline(n) + " → " + r.st.url(string(n.Destination))
	case *ast.RawHTML:
		var b strings.Builder
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			b.Write(seg.Value(r.src))
		}
		return b.String()
	case *xast.TaskCheckBox:
		if n.IsChecked {
			return "[x] "
		}
		return "[ ] "
	case *east.Emoji:
		if n.Value.IsUnicode() {
			return string(n.Value.Unicode)
		}
		return ":" + string(n.ShortName) + ":"
	default:
		return r.inline(n)
	}
}

// link is a link's text and where it goes, once when they are the same.
func (r *renderer) link(label, dest string) string {
	if dest == "" || strings.HasPrefix(dest, "#") || label == dest {
		return label
	}
	if label == "" {
		return r.st.url(dest)
	}
	return label + " (" + r.st.url(dest) + ")"
}

// unescape reads Markdown's backslash escapes and character references as
// the characters they stand for.
func unescape(b []byte) []byte {
	return util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(b)))
}

package lessons

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// A fenced block runs until a fence of its own kind closes it: the same
// character, at least as many of them, and nothing after them. A fence with
// an info string (```exercise) never closes a block, so a block left open
// runs on through the exercise or quiz that follows it, up to that one's
// closing fence, and takes it in: the learner would read its YAML, solution
// included, as text. When no fence closes it, it runs to the end of the
// lesson. Either way Markdown itself says nothing; this file does.

// fence is what a fence line is made of.
type fence struct {
	indent int    // spaces before it
	char   byte   // '`' or '~'
	n      int    // how many of them
	info   string // what follows them, trimmed
}

// parseFence reads ln as a fence line: up to three spaces, then three or
// more backticks or tildes.
func parseFence(ln []byte) (fence, bool) {
	i := 0
	for i < len(ln) && i < 3 && ln[i] == ' ' {
		i++
	}
	if i == len(ln) || ln[i] != '`' && ln[i] != '~' {
		return fence{}, false
	}
	j := i
	for j < len(ln) && ln[j] == ln[i] {
		j++
	}
	info := strings.TrimSpace(string(ln[j:]))
	if j-i < 3 || ln[i] == '`' && strings.Contains(info, "`") {
		return fence{}, false
	}
	return fence{indent: i, char: ln[i], n: j - i, info: info}, true
}

// String is the fence without its info string: what closes a block it opens.
func (f fence) String() string { return strings.Repeat(string(f.char), f.n) }

// opensInside reports whether f, a line inside the block that open opened,
// was meant to open a block of its own: it would close the block, but for
// its info string. A shorter fence is not, so that a block of four
// backticks can show an example with fences of three; nor is one indented
// deeper than open, which may be text of a YAML value (an exercise's fence
// starts its line).
func (f fence) opensInside(open fence) bool {
	return f.char == open.char && f.n >= open.n && f.info != "" && f.indent <= open.indent
}

// blockClosed reports whether the top-level block fb, whose fence line
// starts at start and is at pos, is closed, and reports it otherwise, with
// what it takes in. closed is whether a closing fence follows its lines;
// lineOf gives the file line of an offset in body.
func (p *parser) blockClosed(body []byte, fb *ast.FencedCodeBlock, start int, closed bool, lineOf func(int) int, pos Pos, lang string) bool {
	open, _ := parseFence(firstLine(body[start:]))
	taken, note := takenIn(body, fb, open, lineOf)
	if closed && len(taken) == 0 {
		return true
	}
	fix := fmt.Sprintf("close it with %s on a line of its own%s", open, note)
	switch {
	case (lang == "exercise" || lang == "quiz") && len(taken) > 0:
		p.errs.add(pos, "%s block is never closed, so %s is read as part of it: %s", lang, andList(taken), fix)
	case lang == "exercise" || lang == "quiz":
		p.errs.add(pos, "%s block is never closed: %s", lang, fix)
	case len(taken) > 0:
		p.errs.add(pos, "this code block is never closed, so what comes after it (%s) is shown as text: %s", andList(taken), fix)
	default:
		p.errs.add(pos, "this code block is never closed, so the rest of the lesson is shown as text: %s", fix)
	}
	return false
}

// takenIn lists the fences among the lines of fb, opened by open, that were
// meant to open blocks of their own, as "the exercise at line 20" and the
// like. note is about the first bare fence that does not close fb (a ~~~
// for a ``` block), for the message that says how to close it.
func takenIn(body []byte, fb *ast.FencedCodeBlock, open fence, lineOf func(int) int) (taken []string, note string) {
	lines := fb.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		from := bytes.LastIndexByte(body[:seg.Start], '\n') + 1
		f, ok := parseFence(firstLine(body[from:]))
		switch {
		case !ok:
		case f.opensInside(open):
			taken = append(taken, fmt.Sprintf("the %s at line %d", blockName(f.info), lineOf(from)))
		case f.info == "" && note == "":
			note = fmt.Sprintf(" (the %s at line %d does not close it)", f, lineOf(from))
		}
	}
	return taken, note
}

// fenceStart is the offset of fb's opening fence line. A block without an
// info string has no segment for it; it is the line before its first line,
// and an empty one is no matter.
func fenceStart(body []byte, fb *ast.FencedCodeBlock) (int, bool) {
	if fb.Info != nil {
		return bytes.LastIndexByte(body[:fb.Info.Segment.Start], '\n') + 1, true
	}
	if fb.Lines().Len() == 0 {
		return 0, false
	}
	first := bytes.LastIndexByte(body[:fb.Lines().At(0).Start], '\n') + 1
	if first == 0 {
		return 0, false
	}
	return bytes.LastIndexByte(body[:first-1], '\n') + 1, true
}

// blockStop is where fb's last line ends, or its fence line when it has
// none: its closing fence, if any, comes next.
func blockStop(body []byte, fb *ast.FencedCodeBlock, start int) int {
	if lines := fb.Lines(); lines.Len() > 0 {
		return lines.At(lines.Len() - 1).Stop
	}
	return start + len(firstLine(body[start:]))
}

// blockName names a block by its info string, as the learner would see it
// if it were closed.
func blockName(info string) string {
	if words := strings.Fields(info); len(words) > 0 && (words[0] == "exercise" || words[0] == "quiz") {
		return words[0]
	}
	return "code block"
}

// firstLine is ln up to its first line feed.
func firstLine(ln []byte) []byte {
	if i := bytes.IndexByte(ln, '\n'); i >= 0 {
		return ln[:i]
	}
	return ln
}

// andList joins items as "a, b and c", naming at most three.
func andList(items []string) string {
	if len(items) > 3 {
		items = append(items[:3:3], fmt.Sprintf("%d more", len(items)-3))
	}
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

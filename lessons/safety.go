package lessons

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	gmparser "github.com/yuin/goldmark/parser"
	"gopkg.in/yaml.v3"
)

// Lesson files may come from anyone. What is in this file keeps a hostile or
// broken one from hurting the learner while it is read: it may not make the
// parser run for minutes, print escape sequences that the learner's terminal
// would obey, or ask for a capability that reaches outside its container.

// Limits on a lesson file. Real lessons are a few dozen KiB with short
// paragraphs; the limits keep the time to parse and render a file (Markdown
// inline parsing and deep nesting cost more than linear time) within a few
// seconds whatever it holds.
const (
	// MaxFileSize is the largest lesson file read.
	MaxFileSize = 512 << 10
	// maxParagraph is the largest paragraph or heading, in bytes.
	maxParagraph = 16 << 10
	// maxNesting is how deep quotes and lists may nest on one line.
	maxNesting = 32
)

// readLesson reads a lesson file, refusing what is not a plain file (a
// named pipe would block forever) and what is too large to be a lesson.
func readLesson(fsys fs.FS, name string) ([]byte, string) {
	var src bytes.Buffer
	if problem := copyLesson(&src, fsys, name); problem != "" {
		return nil, problem
	}
	return src.Bytes(), ""
}

// copyLesson copies a lesson file to w, with readLesson's refusals. The
// course cache hashes lesson files this way, without holding them.
func copyLesson(w io.Writer, fsys fs.FS, name string) string {
	info, err := fs.Stat(fsys, name)
	if err != nil && isLink(fsys, name) {
		return "the file is a link that leads out of the lesson folder, or to nothing: put the lesson itself in the folder"
	}
	if err != nil {
		return fmt.Sprintf("cannot read the file: %v", err)
	}
	if !info.Mode().IsRegular() {
		return "not a plain file: a lesson must be a regular file, not a pipe, device or other special file"
	}
	if info.Size() > MaxFileSize {
		return fmt.Sprintf("the file is %s; a lesson may be at most %s: split it into several lessons", size(info.Size()), size(MaxFileSize))
	}
	f, err := fsys.Open(name)
	if err != nil {
		return fmt.Sprintf("cannot read the file: %v", err)
	}
	defer f.Close()
	if b, ok := w.(*bytes.Buffer); ok {
		b.Grow(int(info.Size()) + bytes.MinRead)
	}
	n, err := io.Copy(w, io.LimitReader(f, MaxFileSize+1))
	switch {
	case err != nil:
		return fmt.Sprintf("cannot read the file: %v", err)
	case n > MaxFileSize:
		return fmt.Sprintf("the file is more than %s; a lesson may be at most %s: split it into several lessons", size(MaxFileSize), size(MaxFileSize))
	}
	return ""
}

func size(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", (n+1023)>>10)
}

// textSample is how much of a file notText looks at for bytes that are not
// UTF-8: enough to tell an image from text, whatever the file's size.
const textSample = 8 << 10

// notText says what to do with src when it is no text at all, or "", and
// at which byte (the first NUL; 0 for a file not UTF-8 as a whole): it
// holds a NUL byte, which no text does and images and archives do, or a
// quarter of its first bytes are not UTF-8. Such a file, named like a
// lesson, would otherwise be reported a line at a time, a thousand mistakes
// and more for a picture. A text file with a few bytes of another encoding
// (an é in Latin-1) is text, and checkText names its lines.
func notText(src []byte) (msg string, at int) {
	const rename = "remove the file, or rename it so that its name does not end in .md"
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return "not a text file: it holds NUL bytes (the first here), as images and archives do and no text does; a lesson is Markdown: " + rename, i
	}
	sample := src[:min(len(src), textSample)]
	bad := 0
	for i := 0; i < len(sample); {
		r, n := utf8.DecodeRune(sample[i:])
		if r == utf8.RuneError && n == 1 {
			bad++
		}
		i += n
	}
	if bad*4 > len(sample) {
		return fmt.Sprintf("not a text file: %d of its first %d bytes are not UTF-8; a lesson is Markdown, in UTF-8: if this is one, save it as UTF-8; if not, %s", bad, len(sample), rename), 0
	}
	return "", 0
}

// posAt is the line and column of the byte at offset i of src, as
// checkText counts them: the column in characters, from 1.
func posAt(src []byte, file string, i int) Pos {
	start := bytes.LastIndexByte(src[:i], '\n') + 1
	return Pos{File: file, Line: bytes.Count(src[:i], []byte("\n")) + 1, Col: utf8.RuneCount(src[start:i]) + 1}
}

// checkText reports, once per line, a character that a terminal could take
// as a command (an escape sequence starts with one) or that shows text in
// another order than it runs, and bytes that are not UTF-8. Tabs, line
// feeds and carriage returns are fine.
func (p *parser) checkText(src []byte) {
	line, col := 1, 1
	reported := 0
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		switch {
		case r == '\n':
			line, col = line+1, 0
		case reported == line:
		case r == utf8.RuneError && n == 1:
			p.errs.add(Pos{File: p.file, Line: line, Col: col}, "this line is not valid UTF-8 text: save the file as UTF-8")
			reported = line
		case control(r):
			p.errs.add(Pos{File: p.file, Line: line, Col: col}, "control character %U: %s; remove it", r, refusal(r))
			reported = line
		}
		i += n
		col++
	}
}

// control reports whether r is a control character other than tab, line
// feed and carriage return, or one of Unicode's bidirectional controls.
func control(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || (r >= 0x7f && r <= 0x9f) || bidi(r)
}

// bidi reports whether r is one of Unicode's bidirectional embeddings,
// overrides and isolates. Unseen, they show the text after them in another
// order than it is written, so that a solution the learner is asked to run,
// or a hint, reads otherwise than what runs ("Trojan Source"). The marks
// U+200E and U+200F are fine: right-to-left prose needs them, and they
// only set the direction of the characters beside them.
func bidi(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// refusal says why a control character is refused.
func refusal(r rune) string {
	if bidi(r) {
		return "it shows the text after it in another order than it is written, so a command could read otherwise than what runs"
	}
	return "a terminal could obey it as a command"
}

// checkYAMLText reports the YAML values that hold a control character, such
// as "\e" or "\u202e" in double quotes, which the raw text does not show.
func (p *parser) checkYAMLText(n *yaml.Node, base int) {
	if n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode {
		for _, r := range n.Value {
			if control(r) && r != '\n' && r != '\t' {
				p.errs.add(p.pos(n, base), "this text holds the control character %U: %s; remove it", r, refusal(r))
				return
			}
		}
	}
	for _, c := range n.Content {
		p.checkYAMLText(c, base)
	}
}

// checkNesting reports a line that opens quotes or lists more than
// maxNesting deep: Markdown parsers take time that grows with the square of
// the depth.
func (p *parser) checkNesting(body []byte, bodyLine int) bool {
	ok := true
	for i, ln := range bytes.Split(body, []byte("\n")) {
		if d := nesting(ln); d > maxNesting {
			p.errs.add(Pos{File: p.file, Line: bodyLine + i, Col: 1}, "this line nests quotes or lists %d deep; at most %d are allowed", d, maxNesting)
			ok = false
		}
	}
	return ok
}

// nesting counts the quote (">") and list ("-", "*", "+", "1." "1)")
// markers that open a line.
func nesting(ln []byte) int {
	depth := 0
	for {
		i := 0
		for i < len(ln) && i < 4 && (ln[i] == ' ' || ln[i] == '\t') {
			i++
		}
		ln = ln[i:]
		switch {
		case len(ln) > 0 && ln[0] == '>':
			ln = ln[1:]
		case len(ln) > 1 && (ln[0] == '-' || ln[0] == '*' || ln[0] == '+') && (ln[1] == ' ' || ln[1] == '\t'):
			ln = ln[2:]
		default:
			j := 0
			for j < len(ln) && j < 9 && ln[j] >= '0' && ln[j] <= '9' {
				j++
			}
			if j == 0 || j+1 >= len(ln) || (ln[j] != '.' && ln[j] != ')') || (ln[j+1] != ' ' && ln[j+1] != '\t') {
				return depth
			}
			ln = ln[j+2:]
		}
		depth++
	}
}

// checkParagraphs reports paragraphs and headings too long to render in
// reasonable time (Markdown's inline parsing is not linear).
func (p *parser) checkParagraphs(doc ast.Node, lineOf func(int) int) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *ast.Paragraph, *ast.TextBlock, *ast.Heading:
		default:
			return ast.WalkContinue, nil
		}
		lines := n.Lines()
		total := 0
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			total += seg.Stop - seg.Start
		}
		if total > maxParagraph {
			p.errs.add(Pos{File: p.file, Line: lineOf(lines.At(0).Start), Col: 1}, "this paragraph is %s long; keep each under %s by splitting it with blank lines", size(int64(total)), size(maxParagraph))
		}
		return ast.WalkSkipChildren, nil
	})
}

// Capabilities that reach beyond the container: through the kernel, the
// machine's clock, its files or its security modules. A sandbox never gets
// them, whatever the lesson explains; a lesson that teaches them has the
// learner type --cap-add in a host exercise instead.
var refusedCaps = map[string]string{
	"SYS_ADMIN":       "it mounts file systems and reaches much of the kernel, a known way out of a container",
	"SYS_MODULE":      "it loads code into the learner's kernel",
	"SYS_RAWIO":       "it gives raw access to the machine's devices and memory",
	"SYS_BOOT":        "it reboots the learner's machine",
	"SYS_TIME":        "it sets the learner's clock, which containers share",
	"SYS_PACCT":       "it turns on process accounting for the whole machine",
	"DAC_READ_SEARCH": "it opens the learner's files by handle, a known way out of a container",
	"MAC_ADMIN":       "it changes the machine's security policy (AppArmor, SELinux)",
	"MAC_OVERRIDE":    "it bypasses the machine's security policy (AppArmor, SELinux)",
	"BPF":             "it loads programs into the learner's kernel",
	"PERFMON":         "it watches every process of the machine",
	"SYSLOG":          "it reads and clears the kernel's log",
	"AUDIT_CONTROL":   "it changes the kernel's audit rules",
	"AUDIT_READ":      "it reads the kernel's audit log",
}

// blockParser parses Markdown's blocks (paragraphs, lists, fenced code)
// without their inline content.
func blockParser() gmparser.Parser {
	return gmparser.NewParser(gmparser.WithBlockParsers(gmparser.DefaultBlockParsers()...))
}

// isLink reports whether name in fsys is a symbolic link.
func isLink(fsys fs.FS, name string) bool {
	info, err := fs.Lstat(fsys, name)
	return err == nil && info.Mode()&fs.ModeSymlink != 0
}

// linkOnPath is the first of name and the folders it is in (below the
// top of fsys) that is a link, or "".
func linkOnPath(fsys fs.FS, name string) string {
	for i := 0; i <= len(name); i++ {
		if i == len(name) || name[i] == '/' {
			if isLink(fsys, name[:i]) {
				return name[:i]
			}
		}
	}
	return ""
}

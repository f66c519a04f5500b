package lessons

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"gopkg.in/yaml.v3"
)

// frontMatter is the YAML between the two "---" lines at the top of a lesson.
type frontMatter struct {
	FormatVersion int      `yaml:"format_version"`
	ID            string   `yaml:"id"`
	Title         string   `yaml:"title"`
	Summary       string   `yaml:"summary"`
	Order         int      `yaml:"order"`
	Minutes       int      `yaml:"minutes"`
	Prerequisites []string `yaml:"prerequisites"`
}

// ParseFile reads and parses the lesson at name in fsys. display is the file
// name used in messages. The error, when not nil, is an ErrorList.
func ParseFile(fsys fs.FS, name, display string) (*Lesson, error) {
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, ErrorList{{Pos: Pos{File: display, Line: 1}, Msg: fmt.Sprintf("cannot read the file: %v", err)}}
	}
	l, errs := parse(src, display)
	l.FS, l.Dir = fsys, path.Dir(name)
	errs = append(errs, validateFiles(l)...)
	if err := errs.Err(); err != nil {
		return l, err
	}
	return l, nil
}

// Parse parses one lesson's source. file is the name used in messages;
// starter files are not looked for (ParseFile does that).
func Parse(src []byte, file string) (*Lesson, error) {
	l, errs := parse(src, file)
	return l, errs.Err()
}

func parse(src []byte, file string) (*Lesson, ErrorList) {
	var errs ErrorList
	l := &Lesson{File: file}
	fmSrc, fmLine, body, bodyLine, ok := splitFrontMatter(src)
	if !ok {
		errs.add(Pos{File: file, Line: 1}, "missing front matter: start the file with a line \"---\", the lesson's fields (format_version, id, title, summary), and another \"---\"")
		return l, errs
	}
	p := &parser{file: file, errs: &errs}
	var fm frontMatter
	if root := p.yamlRoot(fmSrc, fmLine); root != nil {
		p.decode(root, &fm, fmLine)
		p.validateFrontMatter(&fm, root, fmLine)
	} else if len(bytes.TrimSpace(fmSrc)) == 0 {
		errs.add(Pos{File: file, Line: fmLine}, "empty front matter: give at least format_version, id, title and summary")
	}
	l.FormatVersion, l.ID, l.Title, l.Summary = fm.FormatVersion, fm.ID, fm.Title, fm.Summary
	l.Order, l.Minutes, l.Prerequisites = fm.Order, fm.Minutes, fm.Prerequisites
	if l.FormatVersion > FormatVersion {
		// Newer content may mean anything below; stop before misreading it.
		return l, errs
	}
	p.body(l, body, bodyLine)
	return l, errs
}

// splitFrontMatter separates "---\n...\n---\n" from the body. The line numbers
// returned are those of the first line of each part in src.
func splitFrontMatter(src []byte) (fm []byte, fmLine int, body []byte, bodyLine int, ok bool) {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	first, rest, found := bytes.Cut(src, []byte("\n"))
	if !found || strings.TrimRight(string(first), " \r") != "---" {
		return nil, 0, nil, 0, false
	}
	line := 2
	off := 0
	for off <= len(rest) {
		end := bytes.IndexByte(rest[off:], '\n')
		var ln []byte
		if end < 0 {
			ln = rest[off:]
		} else {
			ln = rest[off : off+end]
		}
		if strings.TrimRight(string(ln), " \r") == "---" {
			bodyStart := len(rest)
			if end >= 0 {
				bodyStart = off + end + 1
			}
			return rest[:off], 2, rest[bodyStart:], line + 1, true
		}
		if end < 0 {
			break
		}
		off += end + 1
		line++
	}
	return nil, 0, nil, 0, false
}

type parser struct {
	file string
	errs *ErrorList
}

func (p *parser) pos(n *yaml.Node, base int) Pos {
	return Pos{File: p.file, Line: base + n.Line - 1, Col: n.Column}
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlRoot parses src into its top mapping, reporting syntax errors at the
// right line of the lesson file.
func (p *parser) yamlRoot(src []byte, base int) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		line, msg := 1, strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		p.errs.add(Pos{File: p.file, Line: base + line - 1}, "bad YAML: %s", msg)
		return nil
	}
	if len(doc.Content) == 0 {
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		p.errs.add(p.pos(root, base), "expected fields (key: value lines), found %s", kindName(root))
		return nil
	}
	return root
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "fields"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

// decode fills out from n, first reporting every key that out's type does not
// know (with a suggestion), then every value of the wrong type, at its line.
func (p *parser) decode(n *yaml.Node, out any, base int) {
	p.knownFields(n, reflect.TypeOf(out).Elem(), base)
	if err := n.Decode(out); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			for _, e := range te.Errors {
				line, msg := n.Line, e
				if m := regexp.MustCompile(`^line (\d+): (.*)$`).FindStringSubmatch(e); m != nil {
					line, _ = strconv.Atoi(m[1])
					msg = m[2]
				}
				p.errs.add(Pos{File: p.file, Line: base + line - 1}, "wrong type: %s", friendlyType(msg))
			}
			return
		}
		p.errs.add(p.pos(n, base), "%v", err)
	}
}

var unmarshalRE = regexp.MustCompile("cannot unmarshal !!(\\w+) `?([^`]*)`? into (.*)$")

func friendlyType(msg string) string {
	m := unmarshalRE.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	want := m[3]
	switch {
	case strings.HasPrefix(want, "[]"):
		want = "a list"
	case want == "int" || want == "*int":
		want = "a whole number"
	case want == "bool":
		want = "true or false"
	case want == "string":
		want = "text"
	case strings.Contains(want, "lessons."):
		want = "fields (key: value lines)"
	}
	found := map[string]string{"str": "text", "int": "a number", "seq": "a list", "map": "fields", "bool": "true/false"}[m[1]]
	if found == "" {
		found = m[1]
	}
	if m[2] != "" && m[1] != "seq" && m[1] != "map" {
		found += " " + strconv.Quote(m[2])
	}
	return fmt.Sprintf("expected %s, found %s", want, found)
}

// yamlFields lists the yaml keys of a struct type.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		fields[tag] = f.Type
	}
	return fields
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var checkType = reflect.TypeOf(Check{})

func (p *parser) knownFields(n *yaml.Node, t reflect.Type, base int) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == checkType:
		p.checkFields(n, base)
	case t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		fields := yamlFields(t)
		names := sortedKeys(fields)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			ft, ok := fields[k.Value]
			if !ok {
				p.errs.add(p.pos(k, base), "unknown field %q%s; known fields: %s", k.Value, suggest(k.Value, names), strings.Join(names, ", "))
				continue
			}
			p.knownFields(v, ft, base)
		}
	case t.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		for _, item := range n.Content {
			p.knownFields(item, t.Elem(), base)
		}
	}
}

// checkFields reports keys that the check's kind does not take.
func (p *parser) checkFields(n *yaml.Node, base int) {
	if n.Kind != yaml.MappingNode {
		return
	}
	kindNode := mapValue(n, "kind")
	if kindNode == nil {
		p.errs.add(p.pos(n, base), "check has no kind; give one of: %s", strings.Join(checkKindNames(), ", "))
		return
	}
	kind, ok := checkKind(kindNode.Value)
	if !ok {
		p.errs.add(p.pos(kindNode, base), "unknown check kind %q%s; known kinds: %s", kindNode.Value, suggest(kindNode.Value, checkKindNames()), strings.Join(checkKindNames(), ", "))
		return
	}
	allowed := append([]string{"kind", "explain"}, kind.Required...)
	allowed = append(allowed, kind.Optional...)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !contains(allowed, k.Value) {
			p.errs.add(p.pos(k, base), "check kind %s takes no field %q%s; it takes: %s", kind.Name, k.Value, suggest(k.Value, allowed), strings.Join(allowed, ", "))
		}
	}
	for _, r := range kind.Required {
		if mapValue(n, r) == nil {
			p.errs.add(p.pos(n, base), "check kind %s needs the field %q", kind.Name, r)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// keyPos is the position of key in mapping n, or of n when the key is absent.
func (p *parser) keyPos(n *yaml.Node, key string, base int) Pos {
	if n != nil && n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return p.pos(n.Content[i], base)
			}
		}
	}
	if n == nil {
		return Pos{File: p.file, Line: base}
	}
	return p.pos(n, base)
}

// body walks the Markdown with goldmark, cutting it into prose and the
// exercise and quiz blocks.
func (p *parser) body(l *Lesson, body []byte, bodyLine int) {
	doc := goldmark.New().Parser().Parse(text.NewReader(body))
	lineOf := func(off int) int { return bodyLine + bytes.Count(body[:off], []byte("\n")) }
	prev := 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		fb, ok := n.(*ast.FencedCodeBlock)
		if !ok || fb.Info == nil {
			return ast.WalkContinue, nil
		}
		lang := string(fb.Language(body))
		if lang != "exercise" && lang != "quiz" {
			return ast.WalkSkipChildren, nil
		}
		start := bytes.LastIndexByte(body[:fb.Info.Segment.Start], '\n') + 1
		fenceLine := lineOf(start)
		var content []byte
		end := fb.Info.Segment.Stop
		if lines := fb.Lines(); lines.Len() > 0 {
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				content = append(content, seg.Value(body)...)
			}
			end = lines.At(lines.Len() - 1).Stop
		}
		end = skipClosingFence(body, end)
		if prose := string(body[prev:start]); strings.TrimSpace(prose) != "" {
			l.Parts = append(l.Parts, Part{Prose: prose})
		}
		prev = end
		pos := Pos{File: p.file, Line: fenceLine}
		if lang == "exercise" {
			if ex := p.exercise(content, fenceLine+1, pos); ex != nil {
				ex.Lesson = l
				l.Exercises = append(l.Exercises, ex)
				l.Parts = append(l.Parts, Part{Exercise: ex})
			}
		} else if q := p.quiz(content, fenceLine+1, pos); q != nil {
			q.Lesson = l
			l.Quizzes = append(l.Quizzes, q)
			l.Parts = append(l.Parts, Part{Quiz: q})
		}
		return ast.WalkSkipChildren, nil
	})
	if prose := string(body[prev:]); strings.TrimSpace(prose) != "" {
		l.Parts = append(l.Parts, Part{Prose: prose})
	}
	p.validateIDs(l)
}

// skipClosingFence moves end past the fence line that closes a block, if any.
func skipClosingFence(body []byte, end int) int {
	if end < len(body) && body[end] == '\n' {
		end++
	}
	nl := bytes.IndexByte(body[end:], '\n')
	line := body[end:]
	if nl >= 0 {
		line = body[end : end+nl]
	}
	t := strings.TrimSpace(string(line))
	if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
		if nl < 0 {
			return len(body)
		}
		return end + nl + 1
	}
	return end
}

func (p *parser) exercise(src []byte, base int, pos Pos) *Exercise {
	root := p.yamlRoot(src, base)
	if root == nil {
		if len(bytes.TrimSpace(src)) == 0 {
			p.errs.add(pos, "empty exercise block: give at least id, title, goal, flavour, checks, hints and solution")
		}
		return nil
	}
	ex := &Exercise{}
	p.decode(root, ex, base)
	ex.Pos = pos
	if checks := mapValue(root, "checks"); checks != nil && checks.Kind == yaml.SequenceNode {
		for i, c := range checks.Content {
			if i < len(ex.Checks) {
				ex.Checks[i].Pos = p.pos(c, base)
			}
		}
	}
	p.validateExercise(ex, root, base)
	return ex
}

func (p *parser) quiz(src []byte, base int, pos Pos) *Quiz {
	root := p.yamlRoot(src, base)
	if root == nil {
		if len(bytes.TrimSpace(src)) == 0 {
			p.errs.add(pos, "empty quiz block: give id, question, choices and explain")
		}
		return nil
	}
	q := &Quiz{}
	p.decode(root, q, base)
	q.Pos = pos
	p.validateQuiz(q, root, base)
	return q
}

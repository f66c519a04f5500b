package lessons

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/agnivade/levenshtein"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"gopkg.in/yaml.v3"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/internal/nearmiss"
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
	src, problem := readLesson(fsys, name)
	if problem != "" {
		return nil, ErrorList{{Pos: Pos{File: display, Line: 1}, Msg: problem}}
	}
	l, errs := parse(src, display)
	return placed(l, errs, fsys, name)
}

// placed ties a parsed lesson to the folder tree it was read from, and
// checks its starter files there: they are not part of the lesson's source,
// so this is done on every load, cached or not.
func placed(l *Lesson, errs ErrorList, fsys fs.FS, name string) (*Lesson, error) {
	l.FS, l.Dir, l.name = fsys, path.Dir(name), name
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
	if len(src) > MaxFileSize {
		errs.add(Pos{File: file, Line: 1}, "the file is %s; a lesson may be at most %s: split it into several lessons", size(int64(len(src))), size(MaxFileSize))
		return l, errs
	}
	if msg, at := notText(src); msg != "" {
		errs.add(posAt(src, file, at), "%s", msg)
		return l, errs
	}
	(&parser{file: file, errs: &errs}).checkText(src)
	fmSrc, fmLine, body, bodyLine, ok := splitFrontMatter(src)
	if !ok {
		switch {
		case opensFrontMatter(src):
			errs.add(Pos{File: file, Line: 1, Col: 1}, "front matter is never closed: add a line \"---\" after the lesson's fields")
		case notALesson(src):
			// Left out of the course, whatever its text holds: it is
			// shown to no one.
			l.notLesson = true
			return l, nil
		default:
			errs.add(Pos{File: file, Line: 1, Col: 1}, "missing front matter: start the file with a line \"---\", the lesson's fields (format_version, id, title, summary), and another \"---\"; "+keepNotLesson)
		}
		return l, errs
	}
	p := &parser{file: file, errs: &errs, badLines: map[int]bool{}, misspelt: map[*yaml.Node]map[string]bool{}}
	var fm frontMatter
	n := len(errs)
	fmRoot := p.yamlRoot(fmSrc, fmLine)
	if fmRoot != nil {
		p.decode(fmRoot, &fm, fmLine)
		p.validateFrontMatter(&fm, fmRoot, fmLine)
	} else if len(errs) == n {
		errs.add(Pos{File: file, Line: 1, Col: 1}, "empty front matter: give at least format_version, id, title and summary")
	}
	l.FormatVersion, l.ID, l.Title, l.Summary = fm.FormatVersion, fm.ID, fm.Title, fm.Summary
	l.Order, l.Minutes, l.Prerequisites = fm.Order, fm.Minutes, fm.Prerequisites
	l.idPos = p.keyPos(fmRoot, "id", fmLine)
	for i := range l.Prerequisites {
		l.prereqPos = append(l.prereqPos, p.itemPos(fmRoot, "prerequisites", i, fmLine))
	}
	if l.FormatVersion > FormatVersion {
		// Newer content may mean anything, in the front matter as below
		// it (a field this dockdojo does not know, a value it reads
		// otherwise): the version is all there is to say of it.
		errs = nil
		errs.add(p.keyPos(fmRoot, "format_version", fmLine), "format_version %d is newer than this dockdojo understands (%d): upgrade dockdojo to read this lesson", l.FormatVersion, FormatVersion)
		return l, errs
	}
	p.body(l, body, bodyLine)
	for _, ex := range l.Exercises {
		found := ex.scriptImages()
		ex.scripts = &found
	}
	return l, errs
}

// keepNotLesson says how to keep a Markdown file that is not a lesson in a
// lesson folder: the places the loader does not read (see lessonFiles).
const keepNotLesson = `if it is not a lesson (notes, a draft), name it README.md or move it into a folder whose name starts with "_" or "." (as _drafts/), which dockdojo does not read`

// lessonish finds what only a lesson holds: an exercise or quiz block, or
// the format_version field (front matter after a blank line or a comment).
var lessonish = regexp.MustCompile("(?m)^ {0,3}(?:```+|~~~+)[ \t]*(?:exercise|quiz)\\b|^format_version[ \t]*:")

// notALesson reports whether a Markdown file without front matter is no
// lesson at all (instructor notes, a changelog) rather than a lesson whose
// front matter is missing: it holds no exercise or quiz block and no
// format_version field. Such a file is left out of the course with a lint
// warning; refusing it would keep every lesson, the built-in ones too,
// from loading over a file that was never meant to be one.
func notALesson(src []byte) bool {
	return !lessonish.Match(src)
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

// opensFrontMatter reports whether src starts with a "---" line.
func opensFrontMatter(src []byte) bool {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	first, _, _ := bytes.Cut(src, []byte("\n"))
	return strings.TrimRight(string(first), " \r") == "---"
}

type parser struct {
	file string
	errs *ErrorList
	// badLines are the file lines of values that had the wrong type, so
	// that a wrong value is not reported a second time as a missing one.
	badLines map[int]bool
	// misspelt holds, for each mapping, the fields that an unknown key
	// there was taken for, so that they are not also reported as missing.
	misspelt map[*yaml.Node]map[string]bool
}

// absent reports whether key is missing from mapping n and no misspelt key
// was reported for it.
func (p *parser) absent(n *yaml.Node, key string) bool {
	return mapValue(n, key) == nil && !p.misspelt[n][key]
}

// quiet reports whether a mistake about key in mapping n was already
// reported: its value had the wrong type, or it is missing because a
// misspelt key was reported instead.
func (p *parser) quiet(n *yaml.Node, key string, base int) bool {
	return p.badValue(n, key, base) || (mapValue(n, key) == nil && p.misspelt[n][key])
}

// fieldAt is where to report about key in mapping n: the key, or block (the
// start of the block or item that n is) when the key is absent.
func (p *parser) fieldAt(n *yaml.Node, key string, base int, block Pos) Pos {
	if mapValue(n, key) == nil {
		return block
	}
	return p.keyPos(n, key, base)
}

// typo records which of known the unknown key word in mapping n was likely
// meant to be, and returns the ` (did you mean "x"?)` for its message.
func (p *parser) typo(n *yaml.Node, word string, known []string) string {
	guess := nearmiss.Closest(word, known)
	if guess == "" {
		return ""
	}
	if p.misspelt[n] == nil {
		p.misspelt[n] = map[string]bool{}
	}
	p.misspelt[n][guess] = true
	return suggest(word, known)
}

func (p *parser) pos(n *yaml.Node, base int) Pos {
	return Pos{File: p.file, Line: base + n.Line - 1, Col: n.Column}
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlRoot parses src into its top mapping, reporting syntax errors at the
// right line of the lesson file.
func (p *parser) yamlRoot(src []byte, base int) *yaml.Node {
	src = yamlText(src)
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		line, msg := yamlErrorLine(src, err)
		hint := yamlHints[msg]
		line, col := yamlTab(src, line, msg)
		if col > 0 {
			hint = yamlHints[tabInIndent]
		}
		if msg == valueHoldsColon {
			if col = overIndented(src, line); col > 0 {
				msg, hint = "this field is indented deeper than the fields above it: line it up with them", ""
			}
		}
		p.errs.add(Pos{File: p.file, Line: base + line - 1, Col: col}, "bad YAML: %s%s", msg, hint)
		return nil
	}
	if len(doc.Content) == 0 {
		return nil
	}
	p.checkYAMLText(&doc, base)
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		p.errs.add(p.pos(root, base), "expected fields (key: value lines), found %s", kindName(root))
		return nil
	}
	return root
}

// yamlText is src with bytes that are not UTF-8 and control characters
// replaced by U+FFFD. They are checkText's to report, at their line and
// column; the YAML parser would fail on some of them at the first line of
// the block, and take U+0085 for a line break, which moves every line
// after it.
func yamlText(src []byte) []byte {
	if utf8.Valid(src) && !bytes.ContainsFunc(src, control) {
		return src
	}
	return bytes.Map(func(r rune) rune {
		if control(r) {
			return utf8.RuneError
		}
		return r
	}, src)
}

// yamlHints say what usually causes yaml.v3's syntax errors.
var yamlHints = map[string]string{
	valueHoldsColon:                                          ` (a value that holds ": " must be quoted, and each key starts its own line)`,
	"did not find expected key":                              " (check this line's indentation against the lines above)",
	"did not find expected '-' indicator":                    " (check this line's indentation against the list above, and its quotes)",
	tabOrOther:                                               " (indent with spaces, never tabs, and quote a value that starts with @, ` or %)",
	"did not find expected ',' or ']'":                       " (a list that opens with [ must close with ])",
	"did not find expected ',' or '}'":                       " (fields that open with { must close with })",
	"found unexpected end of stream":                         " (a quote that opens here is never closed)",
	"could not find expected ':'":                            ` (write "key: value", or start a list item with "- ")`,
	tabInIndent:                                              " (indent with spaces, never tabs)",
	"block sequence entries are not allowed in this context": ` (a list item "- " starts its own line, below its key)`,
}

// yamlParserErrors are the messages of yaml.v3's parser (as opposed to its
// scanner). For them yaml.v3 reports a 0-based line: that of the construct
// being parsed (a mapping, a [ list) or, when that starts on the first line,
// that of the problem.
var yamlParserErrors = []string{
	"did not find expected key",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"did not find expected <document start>",
}

// yamlErrorLine returns the 1-based line in src of a yaml.v3 syntax error,
// and its message without the "yaml: line N: " prefix.
func yamlErrorLine(src []byte, err error) (int, string) {
	m := yamlLineRE.FindStringSubmatch(err.Error())
	if m == nil {
		return 1, strings.TrimPrefix(err.Error(), "yaml: ")
	}
	line, _ := strconv.Atoi(m[1])
	msg := m[2]
	if !slices.Contains(yamlParserErrors, msg) {
		return line, msg
	}
	line++
	// line is now where the enclosing construct starts; the mistake is at
	// the first line from there on where the text up to it fails the same
	// way (the rest of a mapping that is broken further down parses fine).
	lines := bytes.SplitAfter(src, []byte("\n"))
	failsAt := func(end int) bool {
		var n yaml.Node
		err := yaml.Unmarshal(bytes.Join(lines[:end], nil), &n)
		if err == nil {
			return false
		}
		em := yamlLineRE.FindStringSubmatch(err.Error())
		return em != nil && em[2] == msg
	}
	// Look line by line near the start, then halve the rest, so that a
	// long block costs a few dozen parses, not one per line.
	const near = 50
	for end := line; end <= len(lines) && end < line+near; end++ {
		if failsAt(end) {
			return end, msg
		}
	}
	lo, hi := line+near, len(lines) // failsAt(hi) is the whole text: true
	if lo > hi {
		return line, msg
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if failsAt(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo, msg
}

// yaml.v3's errors about a tab in the indentation.
const (
	tabInIndent = "found a tab character that violates indentation"
	tabOrOther  = "found character that cannot start any token"
)

// yamlTab finds the tab that a yaml.v3 error at line is about, and returns
// the line that holds it and its column, or line and 0 when the error is
// not about one. For tabInIndent yaml.v3 names the line where the value
// before the tab starts, which may be lines above the tab; tabOrOther is at
// the right line, and may be about another character than a tab.
func yamlTab(src []byte, line int, msg string) (int, int) {
	if msg != tabInIndent && msg != tabOrOther {
		return line, 0
	}
	lines := bytes.Split(src, []byte("\n"))
	for i := line - 1; i >= 0 && i < len(lines); i++ {
		indent := lines[i][:len(lines[i])-len(bytes.TrimLeft(lines[i], " \t"))]
		if tab := bytes.IndexByte(indent, '\t'); tab >= 0 {
			return i + 1, tab + 1
		}
		if msg == tabOrOther {
			break
		}
	}
	return line, 0
}

// valueHoldsColon is yaml.v3's error for a ": " where no key may start.
const valueHoldsColon = "mapping values are not allowed in this context"

// yamlKeyRE is a line that starts a field: a key of one word and ": ".
var yamlKeyRE = regexp.MustCompile(`^( *)[\w.-]+:(\s|$)`)

// overIndented tells why a field on line (1-based) of src is where no key
// may start, when it is the usual reason: the field is indented deeper than
// the one above it, which has a value, so YAML reads it as more of that
// value. It returns the field's column, or 0 for another reason, such as a
// value that holds ": ".
func overIndented(src []byte, line int) int {
	lines := strings.Split(string(src), "\n")
	if line < 2 || line > len(lines) {
		return 0
	}
	m := yamlKeyRE.FindStringSubmatch(lines[line-1])
	if m == nil {
		return 0
	}
	for i := line - 2; i >= 0; i-- {
		above := strings.TrimSpace(lines[i])
		if above == "" || strings.HasPrefix(above, "#") {
			continue
		}
		key := len(lines[i]) - len(strings.TrimLeft(lines[i], " -"))
		_, value, ok := strings.Cut(above, ": ")
		value = strings.TrimSpace(value)
		if !ok || value == "" || strings.ContainsAny(value[:1], "#|>") || len(m[1]) <= key {
			return 0
		}
		return len(m[1]) + 1
	}
	return 0
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
	p.decodeValues(n, out, base)
}

// decodeValues fills out from n, reporting every value of the wrong type at
// its line.
func (p *parser) decodeValues(n *yaml.Node, out any, base int) {
	if err := n.Decode(out); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			for _, e := range te.Errors {
				line, msg := n.Line, e
				if m := typeErrorRE.FindStringSubmatch(e); m != nil {
					line, _ = strconv.Atoi(m[1])
					msg = m[2]
				}
				pos := Pos{File: p.file, Line: base + line - 1}
				msg, v := friendlyType(msg, n, line)
				if v != nil {
					pos.Col = v.Column
				}
				p.badLines[pos.Line] = true
				p.errs.add(pos, "%s", msg)
			}
			return
		}
		p.errs.add(p.pos(n, base), "%s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
}

var typeErrorRE = regexp.MustCompile(`^line (\d+): (.*)$`)

// badValue reports whether the value of key in n was already reported as
// having the wrong type.
func (p *parser) badValue(n *yaml.Node, key string, base int) bool {
	v := mapValue(n, key)
	return v != nil && p.badLines[base+v.Line-1]
}

// dropDuplicates reports every key of mapping n that appears a second time
// and removes it, so that the rest still decodes (yaml.v3 refuses the whole
// mapping otherwise).
func (p *parser) dropDuplicates(n *yaml.Node, base int) {
	seen := map[string]*yaml.Node{}
	kept := n.Content[:0:0]
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if first, dup := seen[k.Value]; dup && k.Kind == yaml.ScalarNode {
			p.errs.add(p.pos(k, base), "field %q appears twice; line %d already sets it: keep one of them", k.Value, base+first.Line-1)
			continue
		}
		seen[k.Value] = k
		kept = append(kept, k, n.Content[i+1])
	}
	n.Content = kept
}

var unmarshalRE = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `([^`]*)`)? into (.*)$")

// friendlyType rewrites a yaml.v3 type error about a value on line (of the
// YAML below root) in plain words, naming the field, and returns the
// value's node when found.
func friendlyType(msg string, root *yaml.Node, line int) (string, *yaml.Node) {
	m := unmarshalRE.FindStringSubmatch(msg)
	if m == nil {
		return "wrong type: " + msg, nil
	}
	kind := yaml.ScalarNode
	switch m[1] {
	case "seq":
		kind = yaml.SequenceNode
	case "map":
		kind = yaml.MappingNode
	}
	key, v := valueOn(root, "", line, kind)
	field := "wrong type"
	if v != nil {
		field = key
	}
	if v != nil && kind == yaml.ScalarNode {
		// yaml.v3 shortens the value in its message; show it whole, up
		// to 40 letters.
		shown := v.Value
		if r := []rune(shown); len(r) > 40 {
			shown = string(r[:37]) + "..."
		}
		list := strings.HasPrefix(m[3], "[]") || strings.HasPrefix(m[3], "*[]")
		if itemsWithFields(m[3]) {
			// A list of items with fields of their own (checks, wrong
			// attempts): the text cannot be one of them as it is.
			return fmt.Sprintf("%s: expected a list, found text %q: %s", key, shown, startItems(v)), v
		}
		if list {
			return fmt.Sprintf("%s: give a list, e.g. %s", key, listOf(key, v.Value)), v
		}
		m[2] = shown
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
	case strings.Contains(want, "lessons."), strings.Contains(want, "checker."):
		want = "fields (key: value lines)"
	}
	found := map[string]string{"str": "text", "int": "a number", "float": "a decimal number", "seq": "a list", "map": "fields", "bool": "true/false"}[m[1]]
	if found == "" {
		found = m[1]
	}
	if m[2] != "" && m[1] != "seq" && m[1] != "map" {
		found += " " + strconv.Quote(m[2])
	}
	msg = fmt.Sprintf("%s: expected %s, found %s", field, want, found)
	if v != nil && kind == yaml.MappingNode && itemsWithFields(m[3]) {
		msg += ": " + startItems(v)
	}
	return msg, v
}

// itemsWithFields reports whether the Go type yaml.v3 names is a list of
// items with fields of their own (checks, wrong attempts, mounts).
func itemsWithFields(goType string) bool {
	return (strings.HasPrefix(goType, "[]") || strings.HasPrefix(goType, "*[]")) &&
		(strings.Contains(goType, "lessons.") || strings.Contains(goType, "checker."))
}

// startItems says how to make a list of value v, written as fields (or a
// scalar) where a list was expected: each item starts with "- ".
func startItems(v *yaml.Node) string {
	if v.Kind == yaml.MappingNode && len(v.Content) >= 2 && v.Content[0].Kind == yaml.ScalarNode {
		first := v.Content[0].Value + ":"
		if val := v.Content[1]; val.Kind == yaml.ScalarNode && val.Value != "" && !strings.Contains(val.Value, "\n") && len(val.Value) <= 40 {
			first += " " + val.Value
		}
		return fmt.Sprintf("start each item with \"- \" (\"- %s\"), with the item's other fields indented under it", first)
	}
	return `start each item with "- "`
}

// listOf is the list that field was likely meant to be, given the text
// value: a command run through a shell for the fields that take a command
// (the form Docker itself stores a CMD written as text in), the text as
// the one item for others.
func listOf(field, value string) string {
	switch field {
	case "command", "shell":
		return fmt.Sprintf("[sh, -c, %s]", strconv.Quote(value))
	case "cmd", "entrypoint":
		return fmt.Sprintf("[/bin/sh, -c, %s]", strconv.Quote(value))
	}
	return fmt.Sprintf("[%s]", strconv.Quote(value))
}

// valueOn finds the first value (not key) below n that starts on line and
// is of the given kind, and the field it is the value of ("an item of
// hints" for an item of a list): key is that of n itself.
func valueOn(n *yaml.Node, key string, line int, kind yaml.Kind) (string, *yaml.Node) {
	var keys []string
	var values []*yaml.Node
	switch n.Kind {
	case yaml.MappingNode:
		for i := 1; i < len(n.Content); i += 2 {
			keys = append(keys, n.Content[i-1].Value)
			values = append(values, n.Content[i])
		}
	case yaml.SequenceNode:
		for _, v := range n.Content {
			keys = append(keys, "an item of "+key)
			values = append(values, v)
		}
	}
	// The innermost value on the line is the one of the wrong type: a
	// block list's first item shares its line with the list ("- text:
	// [a, b]" is on the line of "choices"' list).
	for i, v := range values {
		if k, found := valueOn(v, keys[i], line, kind); found != nil {
			return k, found
		}
		if v.Line == line && v.Kind == kind {
			return keys[i], v
		}
	}
	return "", nil
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

var checkType = reflect.TypeFor[checker.Check]()

func (p *parser) knownFields(n *yaml.Node, t reflect.Type, base int) {
	n = resolve(n)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode {
		p.dropDuplicates(n, base)
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
				p.errs.add(p.pos(k, base), "unknown field %q%s; known fields: %s", k.Value, p.typo(n, k.Value, names), strings.Join(names, ", "))
				continue
			}
			p.quietMistakes(k.Value, v, ft, base)
			p.knownFields(v, ft, base)
		}
	case t.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		for _, item := range n.Content {
			p.knownFields(item, t.Elem(), base)
		}
	}
}

// quietMistakes reports the values of field key that yaml.v3 would take
// without a word: a decimal number for a whole one (cut down), and an empty
// list item (dropped).
func (p *parser) quietMistakes(key string, v *yaml.Node, ft reflect.Type, base int) {
	if ft == nil {
		return
	}
	v = resolve(v)
	if ft.Kind() == reflect.Pointer {
		ft = ft.Elem()
	}
	if ft.Kind() == reflect.Int && v.Tag == "!!float" {
		p.badLines[base+v.Line-1] = true
		p.errs.add(p.pos(v, base), "%s: expected a whole number, found a decimal number %q", key, v.Value)
	}
	if v.Kind == yaml.SequenceNode {
		for _, item := range v.Content {
			if item.Kind == yaml.ScalarNode && item.Tag == "!!null" {
				p.errs.add(p.pos(item, base), "empty item in %s: write something after the dash, or remove the line", key)
			}
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
		p.errs.add(p.pos(n, base), "check has no kind; give one of: %s", strings.Join(checker.KindNames(), ", "))
		return
	}
	kind, ok := checker.KindNamed(kindNode.Value)
	if !ok {
		if hint := suggest(kindNode.Value, checker.KindNames()); hint != "" {
			p.errs.add(p.pos(kindNode, base), "unknown check kind %q%s", kindNode.Value, hint)
		} else {
			p.errs.add(p.pos(kindNode, base), "unknown check kind %q; known kinds: %s", kindNode.Value, strings.Join(checker.KindNames(), ", "))
		}
		return
	}
	allowed := []string{"kind", "explain", "not", "title"}
	types := map[string]reflect.Type{}
	for _, f := range kind.Fields() {
		allowed = append(allowed, f.Name)
		types[f.Name] = f.Type
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(allowed, k.Value) {
			p.errs.add(p.pos(k, base), "check kind %s takes no field %q%s; it takes: %s", kind.Name, k.Value, p.typo(n, k.Value, allowed), strings.Join(allowed, ", "))
			continue
		}
		p.quietMistakes(k.Value, n.Content[i+1], types[k.Value], base)
	}
	for _, r := range kind.Required() {
		if p.absent(n, r) {
			p.errs.add(p.pos(n, base), "check kind %s needs the field %q", kind.Name, r)
		}
	}
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return resolve(n.Content[i+1])
		}
	}
	return nil
}

// resolve follows an alias (*name) to the value of its anchor (&name).
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// lines says where the lines of the script under key in mapping n are
// written: a literal block ("|") keeps them as written, starting on the
// line after its indicator, and so does a value on one line; a folded or
// quoted script of several lines is known by its key only.
func (p *parser) lines(n *yaml.Node, key string, base int) Lines {
	l := Lines{Key: p.keyPos(n, key, base)}
	switch v := mapValue(n, key); {
	case v == nil || v.Kind != yaml.ScalarNode:
	case v.Style&yaml.LiteralStyle != 0:
		l.First = p.pos(v, base).Line + 1
	case v.Style&yaml.FoldedStyle == 0 && !strings.Contains(v.Value, "\n"):
		l.First = p.pos(v, base).Line
	}
	return l
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
	if !p.checkNesting(body, bodyLine) {
		return
	}
	// Only the blocks matter here; parsing inlines too would take time that
	// grows faster than the text (links, emphasis), for nothing.
	doc := blockParser().Parse(text.NewReader(body))
	// Blocks come in order, so lines are counted from the previous one.
	lastOff, lastLine := 0, bodyLine
	lineOf := func(off int) int {
		if off < lastOff {
			lastOff, lastLine = 0, bodyLine
		}
		lastLine += bytes.Count(body[lastOff:off], []byte("\n"))
		lastOff = off
		return lastLine
	}
	prev := 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		fb, ok := n.(*ast.FencedCodeBlock)
		if !ok {
			return ast.WalkContinue, nil
		}
		start, ok := fenceStart(body, fb)
		if !ok {
			return ast.WalkSkipChildren, nil
		}
		lang := ""
		if fb.Info != nil {
			lang = string(fb.Language(body))
		}
		fenceLine := lineOf(start)
		indent := len(body[start:]) - len(bytes.TrimLeft(body[start:], " \t"))
		pos := Pos{File: p.file, Line: fenceLine, Col: indent + 1}
		end, closed := skipClosingFence(body, blockStop(body, fb, start))
		_, top := fb.Parent().(*ast.Document)
		if lang != "exercise" && lang != "quiz" {
			if tag := misTag(lang); tag != "" {
				p.errs.add(pos, "a block tagged %q is prose, shown to the learner as it is, solution and all: to make it %s, write %q after the fence", lang, map[string]string{"exercise": "an exercise", "quiz": "a quiz"}[tag], tag)
			}
			if top {
				p.blockClosed(body, fb, start, closed, lineOf, pos, lang)
			}
			return ast.WalkSkipChildren, nil
		}
		if !top {
			// Inside a list or a quote the block's lines are not the
			// file's lines, and the prose around it cannot be cut.
			p.errs.add(pos, "%s block inside a list or a quote: start its fence at the beginning of a line, outside any list", lang)
			return ast.WalkSkipChildren, nil
		}
		if prose := string(body[prev:start]); strings.TrimSpace(prose) != "" {
			l.Parts = append(l.Parts, Part{Prose: prose})
		}
		prev = end
		if !p.blockClosed(body, fb, start, closed, lineOf, pos, lang) {
			return ast.WalkSkipChildren, nil
		}
		var content []byte
		for i := 0; i < fb.Lines().Len(); i++ {
			seg := fb.Lines().At(i)
			content = append(content, seg.Value(body)...)
		}
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
	p.checkParagraphs(doc, lineOf)
	p.validateIDs(l)
}

// misTag returns the tag, exercise or quiz, that a fenced block's tag (the
// first word of its info string) was meant to be, or "": the tag in other
// letters' case (Quiz), a plural (exercises, quizzes), or a slip of at most
// two edits (excercise, exercize). Such a block would be prose, and show the
// learner its YAML, solution included. Languages (sh, yaml) are no near
// miss, nor is "yaml exercise", which shows an exercise's fields as an
// example of the format.
func misTag(lang string) string {
	word := strings.ToLower(lang)
	for _, tag := range []string{"exercise", "quiz"} {
		switch {
		case lang == tag:
			return ""
		case word == tag, word == tag+"s", word == tag+"zes", levenshtein.ComputeDistance(word, tag) <= 2:
			return tag
		}
	}
	return ""
}

// skipClosingFence moves end past the fence line that closes a block, and
// reports whether there was one.
func skipClosingFence(body []byte, end int) (int, bool) {
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
			return len(body), true
		}
		return end + nl + 1, true
	}
	return end, false
}

// block decodes an exercise or quiz block at pos into out and returns its
// YAML, or nil: a block that holds nothing, and no mistake of its YAML, is
// reported with what to give (the rest of the message after "empty ").
func (p *parser) block(src []byte, base int, pos Pos, out any, empty string) *yaml.Node {
	if line := secondDocument(src); line > 0 {
		// YAML reads the first document and drops the rest: the fields
		// after the line would be lost, or those before it reported
		// missing, one by one, at the fence.
		what := "an exercise"
		if strings.HasPrefix(empty, "quiz") {
			what = "a quiz"
		}
		p.errs.add(Pos{File: p.file, Line: base + line - 1, Col: pos.Col}, "\"---\" starts a second YAML document, but %s block holds one, and the fields after this line would be lost: remove the line", what)
		return nil
	}
	n := len(*p.errs)
	root := p.yamlRoot(src, base)
	if root == nil {
		if len(*p.errs) == n {
			p.errs.add(pos, "empty %s", empty)
		}
		return nil
	}
	p.decode(root, out, base)
	return root
}

// secondDocument returns the line of src (from 1) where a second YAML
// document starts, or 0: a line "---" after the first document's content, or
// after another "---". One "---" before any field only marks where the one
// document starts. A "---" at the start of a line ends any scalar, so it is
// a separator wherever it stands.
func secondDocument(src []byte) int {
	started := false
	for i, line := range strings.Split(string(src), "\n") {
		line = strings.TrimRight(line, "\r")
		if rest, ok := strings.CutPrefix(line, "---"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			if started {
				return i + 1
			}
			started = true
			continue
		}
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			started = true
		}
	}
	return 0
}

func (p *parser) exercise(src []byte, base int, pos Pos) *Exercise {
	ex := &Exercise{Pos: pos}
	root := p.block(src, base, pos, ex, "exercise block: give at least id, title, goal, flavour, checks, hints and solution")
	if root == nil {
		return nil
	}
	// Decode the checks one by one, so that each keeps its own position
	// even when an item of the list is not a check at all.
	var checkNodes []*yaml.Node
	if checks := mapValue(root, "checks"); checks != nil && checks.Kind == yaml.SequenceNode {
		ex.Checks = nil
		for _, c := range checks.Content {
			if c = resolve(c); c.Kind != yaml.MappingNode {
				continue
			}
			ex.Checks = append(ex.Checks, p.check(c, base))
			ex.checkPos = append(ex.checkPos, p.pos(c, base))
			checkNodes = append(checkNodes, c)
		}
	}
	for i := range ex.Workspace {
		ex.workspacePos = append(ex.workspacePos, p.itemPos(root, "workspace", i, base))
	}
	ex.SolutionPos = p.keyPos(root, "solution", base)
	ex.SolutionLines = p.lines(root, "solution", base)
	for i := range ex.Wrong {
		ex.Wrong[i].Pos = p.itemPos(root, "wrong", i, base)
		item := resolve(nthItem(mapValue(root, "wrong"), i))
		ex.Wrong[i].ScriptLines = p.lines(item, "script", base)
		ex.Wrong[i].CleanupLines = p.lines(item, "cleanup", base)
	}
	p.validateExercise(ex, root, checkNodes, base)
	p.validateContinues(ex, root, base)
	return ex
}

// check decodes one check: its kind and explain, then the kind's own
// fields into a spec of its type. A check of no known kind keeps a nil spec
// (the mistake was reported with the exercise's fields).
func (p *parser) check(n *yaml.Node, base int) checker.Check {
	var c checker.Check
	_ = n.Decode(&c) // mistakes were reported by decode of the exercise
	c.Pos = p.pos(n, base).String()
	if k, ok := checker.KindNamed(c.Kind); ok {
		c.Spec = k.New()
		p.decodeValues(n, c.Spec, base)
	}
	return c
}

func (p *parser) quiz(src []byte, base int, pos Pos) *Quiz {
	q := &Quiz{Pos: pos}
	root := p.block(src, base, pos, q, "quiz block: give id, question, choices and explain")
	if root == nil {
		return nil
	}
	p.validateQuiz(q, root, base)
	return q
}

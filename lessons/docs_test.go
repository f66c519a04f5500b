package lessons

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dockdojo/dockdojo/internal/mdblock"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/dockdojo/dockdojo/checker"
)

// The tests in this file hold docs/authoring.md to the parser, so that what
// the documentation shows is exactly what dockdojo accepts.
//
// Conventions of the document's fenced blocks:
//
//   - "markdown" whose text starts with "---": a complete lesson; it must
//     parse without a mistake.
//   - "markdown broken": a complete lesson with mistakes; the next block
//     must be "text" and hold exactly the errors (file name lesson.md).
//   - "yaml frontmatter", "yaml exercise", "yaml quiz", "yaml check",
//     "yaml sandbox": the fields of that part alone; the test wraps them in a
//     minimal lesson, which must parse without a mistake.
//   - Any other "yaml" block is refused, so no YAML escapes the test.

const docPath = "../docs/authoring.md"

func readDoc(t *testing.T) []byte {
	t.Helper()
	src, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func docBlocks(t *testing.T) []mdblock.Block { return mdblock.Fenced(readDoc(t)) }

const docFrontMatter = "---\nformat_version: 1\nid: doc-example\ntitle: Example\nsummary: An example from the documentation.\n---\n\n"

// wrapDocBlock turns a part shown in the document into a whole lesson, and
// says how many lines of the lesson come before the part's first line.
func wrapDocBlock(kind, body string) (lesson string, before int, ok bool) {
	indent := func(s string) string {
		return "  " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ") + "\n"
	}
	var head, tail string
	switch kind {
	case "frontmatter":
		head, tail = "---\n", "---\n"
	case "exercise", "quiz":
		head, tail = docFrontMatter+"```"+kind+"\n", "```\n"
	case "check":
		head = docFrontMatter + "```exercise\nid: x\ntitle: x\ngoal: x\nflavour: shell\nsandbox:\n  image: busybox:1.36\nchecks:\n"
		tail = "hints: [x]\nsolution: x\n```\n"
		body = indent(body)
	case "sandbox":
		head = docFrontMatter + "```exercise\nid: x\ntitle: x\ngoal: x\nflavour: shell\nsandbox:\n"
		tail = "checks:\n  - kind: exec\n    command: [true]\nhints: [x]\nsolution: x\n```\n"
		body = indent(body)
	default:
		return "", 0, false
	}
	return head + body + tail, strings.Count(head, "\n"), true
}

// docErrors renders err with each line number moved to the document: a line
// of the part becomes the document line it was shown on.
func docErrors(err error, fenceLine, before int) string {
	list, ok := err.(ErrorList)
	if !ok {
		return err.Error()
	}
	var b strings.Builder
	for _, e := range list {
		if l := e.Pos.Line - before; l >= 1 {
			fmt.Fprintf(&b, "\n  %s:%d: %s", docPath, fenceLine+l, e.Msg)
		} else {
			fmt.Fprintf(&b, "\n  (in the wrapper around the block) %s", e)
		}
	}
	return b.String()
}

func TestDocExamplesParse(t *testing.T) {
	blocks := docBlocks(t)
	counts := map[string]int{}
	for i, b := range blocks {
		fields := strings.Fields(b.Info)
		if len(fields) == 0 {
			continue
		}
		lang, kind := fields[0], strings.Join(fields[1:], " ")
		name := fmt.Sprintf("line %d %s", b.Line, b.Info)
		switch {
		case lang == "markdown" && kind == "" && strings.HasPrefix(b.Body, "---\n"):
			counts["lesson"]++
			t.Run(name, func(t *testing.T) {
				if _, err := Parse([]byte(b.Body), "lesson.md"); err != nil {
					t.Errorf("%s:%d: the complete lesson does not parse:%s", docPath, b.Line, docErrors(err, b.Line, 0))
				}
			})
		case lang == "markdown" && kind == "broken":
			counts["broken"]++
			t.Run(name, func(t *testing.T) {
				_, err := Parse([]byte(b.Body), "lesson.md")
				if err == nil {
					t.Fatalf("%s:%d: the broken example parses without a mistake", docPath, b.Line)
				}
				if i+1 >= len(blocks) || blocks[i+1].Info != "text" {
					t.Fatalf("%s:%d: a broken example must be followed by a text block with its errors", docPath, b.Line)
				}
				if got, want := err.Error()+"\n", blocks[i+1].Body; got != want {
					t.Errorf("%s:%d: the errors shown are not what the parser says:\n got:\n%s\nwant:\n%s", docPath, blocks[i+1].Line, got, want)
				}
			})
		case lang == "yaml":
			counts[kind]++
			t.Run(name, func(t *testing.T) {
				lesson, before, ok := wrapDocBlock(kind, b.Body)
				if !ok {
					t.Fatalf("%s:%d: a yaml block must be marked as one of: yaml frontmatter, yaml exercise, yaml quiz, yaml check, yaml sandbox", docPath, b.Line)
				}
				if _, err := Parse([]byte(lesson), "lesson.md"); err != nil {
					t.Errorf("%s:%d: the %s example does not parse:%s\nthe lesson it was wrapped in:\n%s", docPath, b.Line, kind, docErrors(err, b.Line, before), lesson)
				}
			})
		}
	}
	// The document keeps at least one example of each part.
	for _, kind := range []string{"lesson", "broken", "frontmatter", "exercise", "quiz", "check", "sandbox"} {
		if counts[kind] == 0 {
			t.Errorf("%s shows no %q example; keep at least one", docPath, kind)
		}
	}
}

// A table row that documents a field starts with the field in backticks.
var fieldRowRE = regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\|")

func TestDocCoversEveryField(t *testing.T) {
	src := readDoc(t)
	rows := map[string]bool{}
	for _, m := range fieldRowRE.FindAllStringSubmatch(string(src), -1) {
		rows[m[1]] = true
	}
	for _, typ := range []any{frontMatter{}, Exercise{}, Sandbox{}, Mount{}, Capability{}, Owns{}, Wrong{}, Quiz{}, Choice{}, checker.Check{}} {
		rt := reflect.TypeOf(typ)
		for _, field := range sortedKeys(yamlFields(rt)) {
			if !rows[field] {
				t.Errorf("%s: field %q of %s has no table row (a line starting with \"| `%s` |\")", docPath, field, rt.Name(), field)
			}
		}
	}
}

// docSections cuts the document at its headings of the given level (2 for
// "## "): each heading's text maps to what follows it, up to the next
// heading of that level or a higher one.
func docSections(src []byte, level int) map[string]string {
	type heading struct {
		level      int
		name       string
		start, end int // the heading line, and where its text after it begins
	}
	var hs []heading
	doc := goldmark.New().Parser().Parse(text.NewReader(src))
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok || h.Lines().Len() == 0 {
			continue
		}
		seg := h.Lines().At(0)
		start := bytes.LastIndexByte(src[:seg.Start], '\n') + 1
		end := len(src)
		if nl := bytes.IndexByte(src[seg.Stop:], '\n'); nl >= 0 {
			end = seg.Stop + nl + 1
		}
		hs = append(hs, heading{h.Level, strings.TrimSpace(string(seg.Value(src))), start, end})
	}
	sections := map[string]string{}
	for i, h := range hs {
		if h.level != level {
			continue
		}
		stop := len(src)
		for _, next := range hs[i+1:] {
			if next.level <= level {
				stop = next.start
				break
			}
		}
		sections[h.name] = string(src[h.end:stop])
	}
	return sections
}

var backticked = regexp.MustCompile("`([a-z_]+)`")

func TestDocCoversEveryCheckKind(t *testing.T) {
	src := readDoc(t)
	sections := docSections(src, 3)
	checks := docSections(src, 2)["Checks"]
	if checks == "" {
		t.Fatalf("%s has no section \"## Checks\"", docPath)
	}
	// Each kind: a row in the table of kinds with exactly its fields, and a
	// section of its own with a row per field, required ones marked so.
	for _, k := range checker.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			row := regexp.MustCompile("(?m)^\\| `" + k.Name + "` \\|(.*)$").FindStringSubmatch(checks)
			if row == nil {
				t.Errorf("the table of kinds in ## Checks has no row for %s", k.Name)
			} else {
				cells := strings.Split(row[1], "|")
				if len(cells) < 3 {
					t.Fatalf("the row of %s has %d cells after the kind, want 3", k.Name, len(cells))
				}
				names := func(cell string) []string {
					var out []string
					for _, m := range backticked.FindAllStringSubmatch(cell, -1) {
						out = append(out, m[1])
					}
					return out
				}
				if got := names(cells[1]); !slices.Equal(got, k.Required()) {
					t.Errorf("the row of %s lists required %v, want %v", k.Name, got, k.Required())
				}
				if got := names(cells[2]); !slices.Equal(got, k.Optional()) {
					t.Errorf("the row of %s lists optional %v, want %v", k.Name, got, k.Optional())
				}
			}
			sec, ok := sections[k.Name]
			if !ok {
				t.Fatalf("%s has no section \"### %s\"", docPath, k.Name)
			}
			for _, f := range k.Fields() {
				m := regexp.MustCompile("(?m)^\\| `" + f.Name + "` \\|.*$").FindString(sec)
				switch {
				case m == "":
					t.Errorf("### %s has no table row for its field %s", k.Name, f.Name)
				case f.Required && !strings.Contains(m, "**Required.**"):
					t.Errorf("### %s: the row of %s does not say **Required.**", k.Name, f.Name)
				case !f.Required && strings.Contains(m, "**Required.**"):
					t.Errorf("### %s: the row of %s says **Required.**, but the field is optional", k.Name, f.Name)
				}
			}
			if !strings.Contains(sec, "```yaml check\n- kind: "+k.Name+"\n") {
				t.Errorf("### %s has no example (a yaml check block)", k.Name)
			}
		})
	}
	// And neither the table nor a section documents a kind that has no
	// type. A row of the table of kinds has four cells; a field's, three.
	for _, line := range strings.Split(checks, "\n") {
		if m := fieldRowRE.FindStringSubmatch(line); m != nil && strings.Count(line, "|") == 5 {
			if _, known := checker.KindNamed(m[1]); !known {
				t.Errorf("the table of kinds in %s has a row for %q, which is no kind of check the checker knows", docPath, m[1])
			}
		}
	}
	// A section named like a kind (lowercase, underscores) documents one;
	// others ("Negated checks") are about checks in general.
	kindName := regexp.MustCompile(`^[a-z_]+$`)
	for _, line := range strings.Split(checks, "\n") {
		if name, ok := strings.CutPrefix(line, "### "); ok && kindName.MatchString(name) {
			if _, known := checker.KindNamed(name); !known {
				t.Errorf("%s documents a check kind %q that the checker does not know", docPath, name)
			}
		}
	}
}

package lessons_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/internal/fifotest"
	"github.com/dockdojo/dockdojo/lessons"
)

// hangDeadline is how long any one input may take to parse. Every input
// below parses in well under a second; the deadline is generous so that a
// slow or busy machine does not fail the test, while a parser that takes
// time growing with the square of its input (what these inputs provoke in
// Markdown and YAML parsers) would blow it by minutes.
const hangDeadline = 15 * time.Second

const hangFrontMatter = "---\nformat_version: 1\nid: a\ntitle: T\nsummary: S\n---\n\n"

// upTo repeats unit until the lesson is as large as a lesson file may be.
func upTo(head, unit, tail string) string {
	n := (lessons.MaxFileSize - len(head) - len(tail)) / len(unit)
	return head + strings.Repeat(unit, n) + tail
}

// paragraphs fills a lesson with paragraphs just under the longest allowed,
// each made of unit.
func paragraphs(unit string) string {
	para := strings.Repeat(unit, (16<<10-100)/len(unit)) + "\n\n"
	return upTo(hangFrontMatter, para, "")
}

// indented nests a list one level deeper on each line, by indentation.
func indented() string {
	var b strings.Builder
	b.WriteString(hangFrontMatter)
	for i := 0; ; i++ {
		line := strings.Repeat("  ", i) + "- x\n"
		if b.Len()+len(line) > lessons.MaxFileSize {
			return b.String()
		}
		b.WriteString(line)
	}
}

// deepYAML nests YAML block mappings one level deeper on each line.
func deepYAML() string {
	var b strings.Builder
	b.WriteString(hangFrontMatter + "```exercise\nsandbox:\n")
	for i := 1; b.Len() < lessons.MaxFileSize-20000; i++ {
		b.WriteString(strings.Repeat(" ", i) + "a:\n")
	}
	return b.String() + "```\n"
}

// TestParseNeverHangs parses inputs built to make Markdown and YAML parsers
// slow (inline links and emphasis that never close, deep nesting, aliases
// that expand, YAML errors at the end of long blocks) and fails when one
// takes longer than hangDeadline.
func TestParseNeverHangs(t *testing.T) {
	fm := hangFrontMatter
	tests := []struct {
		name string
		src  string
	}{
		{"links that never close", paragraphs("[a](")},
		{"images that never close", paragraphs("![a](")},
		{"link destinations in angle brackets", paragraphs("[a](<")},
		{"emphasis", paragraphs("*a **a ")},
		{"table cells of links", paragraphs("|[a](")},
		{"one long paragraph", upTo(fm, "[a](", "")},
		{"quotes nested on one line", fm + strings.Repeat(">", 200000) + " x\n"},
		{"lists nested on one line", fm + strings.Repeat("- ", 100000) + "x\n"},
		{"quotes nested to the limit, many lines", upTo(fm, strings.Repeat(">", 32)+" x\n", "")},
		{"lists nested by indentation", indented()},
		{"deep YAML flow list", fm + "```exercise\nhints: " + strings.Repeat("[", 200000) + "\n```\n"},
		{"deep YAML mappings", deepYAML()},
		{"deep YAML in the front matter", "---\nid: " + strings.Repeat("{a: ", 100000) + "\n---\n"},
		{"YAML aliases that expand", fm + "```exercise\n" +
			"a: &a [x, x, x, x, x, x, x, x, x, x]\n" +
			"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" +
			"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
			"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n" +
			"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n" +
			"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n" +
			"hints: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n" +
			"checks: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n```\n"},
		{"YAML error at the end of a long block", upTo(fm+"```exercise\nsandbox:\n", "  hostname: x\n", "  - bad\n```\n")},
		{"many exercise blocks", upTo(fm, "```exercise\nid: x\n```\n\n", "")},
		{"fences never closed", upTo(fm, "```exercise\n", "")},
		{"one long line", upTo(fm+"```exercise\nid: ", "a", "\n```\n")},
		{"control characters everywhere", upTo(fm, "\x1b", "")},
		{"a file over the limit", fm + strings.Repeat("[a](", 4<<20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan error, 1)
			start := time.Now()
			go func() {
				_, err := lessons.Parse([]byte(tt.src), "lesson.md")
				done <- err
			}()
			select {
			case <-done:
				t.Logf("%d bytes in %v", len(tt.src), time.Since(start).Round(time.Millisecond))
			case <-time.After(hangDeadline):
				t.Fatalf("Parse of %d bytes did not return within %v", len(tt.src), hangDeadline)
			}
		})
	}
}

// A lesson folder may hold a named pipe called x.md, which would block a
// reader forever, or a file far too large to be a lesson: both are reported
// without being read.
func TestLoadSpecialFiles(t *testing.T) {
	t.Run("large file", func(t *testing.T) {
		fsys := fstest.MapFS{"big.md": {Data: []byte(hangFrontMatter + strings.Repeat("x", 8<<20))}}
		_, err := lessons.Load(lessons.Source{FS: fsys, Name: "course"})
		if err == nil || !strings.Contains(err.Error(), "course/big.md:1: the file is 8.0 MiB; a lesson may be at most 512 KiB") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("named pipe", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("no named pipes in the file system")
		}
		dir := t.TempDir()
		fifotest.Make(t, filepath.Join(dir, "pipe.md"))
		done := make(chan error, 1)
		go func() {
			_, err := lessons.Load(lessons.Source{FS: os.DirFS(dir), Name: "course"})
			done <- err
		}()
		select {
		case err := <-done:
			var list lessons.ErrorList
			if !errors.As(err, &list) || len(list) != 1 || !strings.Contains(list[0].Msg, "not a plain file") {
				t.Fatalf("got %v, want one error saying it is not a plain file", err)
			}
		case <-time.After(hangDeadline):
			t.Fatal("Load blocked on a named pipe")
		}
	})
}

// FuzzParseTime fuzzes from the inputs that make Markdown and YAML parsers
// slow, and fails on any that Parse takes longer than hangDeadline on
// (FuzzParse looks for panics and bad positions).
func FuzzParseTime(f *testing.F) {
	for _, unit := range []string{"[a](", "![a](<", "*a **a ", "> ", "- ", "1. ", "|[a](", "```exercise\n", "  hostname: x\n", "{a: ", "\x1b"} {
		f.Add([]byte(hangFrontMatter + strings.Repeat(unit, 2000)))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		done := make(chan struct{})
		go func() {
			_, _ = lessons.Parse(src, "lesson.md")
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(hangDeadline):
			t.Fatalf("Parse of %d bytes did not return within %v", len(src), hangDeadline)
		}
	})
}

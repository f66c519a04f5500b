package render

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestWrapKeepsWordsTogether(t *testing.T) {
	src := "So `docker run -dit` starts a shell that waits in the background. Come back\nto it with `docker attach NAME`, and leave it with `dojo-weird-conf` intact.\n\n" +
		"- a list item that is long enough to wrap around the edge of the terminal, for sure, yes\n"
	out, err := Markdown(src, Options{Width: 60})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	for i, l := range lines {
		if n := utf8.RuneCountInString(l); n > 60 {
			t.Errorf("line %d is %d columns wide: %q", i+1, n, l)
		}
		if f := strings.Fields(l); len(f) == 1 && i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
			t.Errorf("line %d holds a lone word %q", i+1, l)
		}
	}
	for _, whole := range []string{"docker run -dit", "dojo-weird-conf", "docker attach NAME"} {
		if !strings.Contains(out, whole) {
			t.Errorf("%q was broken across lines:\n%s", whole, out)
		}
	}
	if !strings.Contains(out, "\n    terminal") && !strings.Contains(out, "\n    ") {
		t.Errorf("a list item's continuation is not indented under its text:\n%s", out)
	}
}

func render(t *testing.T, src string, o Options) []string {
	t.Helper()
	out, err := Markdown(src, o)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimRight(out, "\n"), "\n")
}

func TestBlocks(t *testing.T) {
	src := "# Title\n\nSome *emph*, **strong**, ~~gone~~ and `code`; see [the docs](https://docs.docker.com) or <https://example.com>, [here](https://example.com) :whale:\n\n" +
		"> quoted\n> text\n\n" +
		"1. one\n2. two\n   - nested\n\n" +
		"- loose one\n\n- loose two\n\n" +
		"* [x] ticked\n* [ ] not yet\n\n" +
		"```sh\necho hi  # a comment\n```\n\n---\n\nend\x1b]0;owned\x07\n"
	got := strings.Join(render(t, src, Options{Width: 80}), "\n")
	want := `
  # Title

  Some *emph*, **strong**, ~~gone~~ and ` + "`code`" + `; see the docs
  (https://docs.docker.com) or https://example.com, here (https://example.com)
  🐳

  | quoted text

  1. one
  2. two
     • nested

  • loose one

  • loose two

  • [x] ticked
  • [ ] not yet

    echo hi  # a comment

  --------

  end]0;owned`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestTableFits proves a table too wide for the terminal narrows its widest
// column and wraps that column's cells inside it.
func TestTableFits(t *testing.T) {
	src := "| Flag | What it grants |\n|---|---|\n" +
		"| `--privileged` | Every capability and every host device, unfiltered, and more words still |\n" +
		"| `-d` | Detached |\n"
	lines := render(t, src, Options{Width: 50})
	sep := strings.Index(lines[1], "|")
	for i, l := range lines[1:] {
		if n := utf8.RuneCountInString(l); n > 48 {
			t.Errorf("line %d is %d columns wide: %q", i+1, n, l)
		}
		if i > 0 && strings.Index(l, "|") != sep {
			t.Errorf("line %d's column separator is not under the header's:\n%s", i+1, strings.Join(lines, "\n"))
		}
	}
	if len(lines) < 6 {
		t.Errorf("the long cell was not wrapped inside its column:\n%s", strings.Join(lines, "\n"))
	}
}

// TestColourStaysInsideLines proves that in colour every line ends with no
// style left open, so a wrapped span never colours the next line's margin,
// and that the Markdown markers give way to styles.
func TestColourStaysInsideLines(t *testing.T) {
	src := "A paragraph with `docker run --name dojo-web -p 8080:80 httpd:2.4` in it and **bold words that go on** and on.\n\n" +
		"## A heading long enough to wrap at forty columns for sure\n\n```sh\ndocker ps   # running ones\n```\n"
	lines := render(t, src, Options{Width: 40, Color: true})
	for i, l := range lines {
		if open := strings.LastIndex(l, "\x1b["); open >= 0 && !strings.HasPrefix(l[open:], "\x1b[0m") {
			t.Errorf("line %d leaves a style open: %q", i+1, l)
		}
		if strings.Contains(l, "`") || strings.Contains(l, "**") {
			t.Errorf("line %d keeps a Markdown marker in colour: %q", i+1, l)
		}
	}
	all := strings.Join(lines, "\n")
	if !strings.Contains(all, "\x1b[90m# running ones") {
		t.Errorf("the code block's comment is not in the background:\n%q", all)
	}
}

func TestCommentStart(t *testing.T) {
	for line, want := range map[string]int{
		"# all of it":            0,
		"docker ps   # running":  12,
		`echo "a # b"`:           -1,
		"echo a#b":               -1,
		`echo 'x' # after quote`: 9,
	} {
		if got := commentStart(line); got != want {
			t.Errorf("commentStart(%q) = %d, want %d", line, got, want)
		}
	}
}

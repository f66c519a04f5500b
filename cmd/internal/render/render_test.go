package render

import (
	"os/exec"
	"slices"
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

// TestCommandsStayWhole: a command is never broken by a line break. A line
// of a code block, a comment in it included, is shown whole, wider than the
// terminal if it must be; a code span is wrapped as one word, with the
// punctuation that touches it, in colour too, where its chip keeps its
// padding.
func TestCommandsStayWhole(t *testing.T) {
	const long = "docker rm -f dojo-ic-hello dojo-ic-stamp dojo-ic-sleeper dojo-ic-box dojo-ic-copy dojo-ic-later"
	const comment = "docker pull busybox:1.36    # ask the registry, get what is new"
	src := "# Tags\n\nPrefer a tag like `httpd:2.4` to\n`latest`: it keeps you on one line of releases, and a bind mount may use a path relative to the file (`./site`), and a command such as `docker run -d --name dojo-web -p 8080:80 httpd:2.4` stays whole.\n\n" +
		"```sh\n" + comment + "\n" + long + "\n```\n\n- in a list:\n\n  ```sh\n  " + long + "\n  ```\n"
	for _, color := range []bool{false, true} {
		for _, width := range []int{40, 60, 80} {
			out, err := Markdown(src, Options{Width: width, Color: color})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(out, nbsp) {
				t.Errorf("color %v, %d columns: a non-breaking space is left in the output", color, width)
			}
			var lines []string
			for _, l := range strings.Split(out, "\n") {
				lines = append(lines, strings.TrimSpace(escapeRE.ReplaceAllString(l, "")))
			}
			if n := slices.Index(lines, long); n < 0 || !slices.Contains(lines[n+1:], long) || !slices.Contains(lines, comment) {
				t.Errorf("color %v, %d columns: a line of a code block is not shown whole:\n%s", color, width, strings.Join(lines, "\n"))
			}
			for i, l := range lines {
				if strings.HasPrefix(l, ":") || strings.HasPrefix(l, ")") || strings.HasPrefix(l, ",") {
					t.Errorf("color %v, %d columns: line %d starts with the punctuation after a code span: %q", color, width, i+1, l)
				}
			}
			if !strings.Contains(strings.Join(lines, "\n"), "docker run -d --name dojo-web -p 8080:80 httpd:2.4") {
				t.Errorf("color %v, %d columns: a code span was broken:\n%s", color, width, strings.Join(lines, "\n"))
			}
			if chip := "\x1b[38;5;203;48;5;236m \x1b[0m\x1b[38;5;203;48;5;236mlatest\x1b[0m\x1b[38;5;203;48;5;236m \x1b[0m"; color && !strings.Contains(out, chip) {
				t.Errorf("%d columns: the chip of `latest` lost its padding or colour:\n%q", width, out)
			}
		}
	}
}

// TestNoEagerHighlighter proves dockdojo links no highlighter that
// registers its lexers and styles at package initialisation (chroma/v2,
// through glamour v0.7 and later): every command, rendering or not, would
// pay 15-25 ms for it.
func TestNoEagerHighlighter(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/dockdojo/dockdojo/cmd/dockdojo").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/charmbracelet/glamour") {
		t.Error("dockdojo does not link glamour: is this test still about the renderer?")
	}
	for _, d := range deps {
		if strings.HasPrefix(d, "github.com/alecthomas/chroma/v2") {
			t.Errorf("dockdojo links %s, whose lexers and styles load at init; see the package comment", d)
		}
	}
}

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

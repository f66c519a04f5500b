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

package checker

import (
	"strings"
	"testing"
)

// TestDescribePattern: the patterns the course uses read as words; any
// other is quoted as a pattern.
func TestDescribePattern(t *testing.T) {
	for _, tt := range []struct{ expr, want string }{
		{`^bash\n$`, `output that reads exactly "bash"`},
		{`^Hello, Alice!\n$`, `output that reads exactly "Hello, Alice!"`},
		{`^12\.`, `output that starts with "12."`},
		{`^$`, `no output`},
		{`(?m)^coreutils$`, `output with a line that reads "coreutils"`},
		{`(?m)^hostname=dojo-virt-box$`, `output with a line that reads "hostname=dojo-virt-box"`},
		{`\bmtu 1400\b`, `output containing "mtu 1400" as a whole word`},
		{`done$`, `output that ends with "done"`},
		{`hello`, `output containing "hello"`},
		{`(?m)^12\.[0-9]+$`, `output matching the pattern (?m)^12\.[0-9]+$`},
		{`(?i)^bash$`, `output matching the pattern (?i)^bash$`},
		{`(?m)^$`, `output matching the pattern (?m)^$`},
		{`^\bx`, `output matching the pattern ^\bx`},
	} {
		if got := describePattern("output", tt.expr); got != tt.want {
			t.Errorf("describePattern(%q) = %s, want %s", tt.expr, got, tt.want)
		}
	}
	// A file's text is said as a file.
	for _, tt := range []struct{ expr, want string }{
		{`(?m)^coreutils$`, `a file with a line that reads "coreutils"`},
		{`^$`, `an empty file`},
		{`(?m)^12\.[0-9]+$`, `a file matching the pattern (?m)^12\.[0-9]+$`},
	} {
		if got := describePattern("a file", tt.expr); got != tt.want {
			t.Errorf("describePattern(a file, %q) = %s, want %s", tt.expr, got, tt.want)
		}
	}
}

// TestFilePatternSaidByTitle: a file that does not match a pattern that
// cannot be said in words is said not to be as the check's title says,
// when the lesson gave one, and never shows the pattern then.
func TestFilePatternSaidByTitle(t *testing.T) {
	text := Text{Matches: `(?m)^\s+container_name:\s*["']?dojo-try-site["']?\s*(#.*)?$`}
	data := []byte("services:\n  web:\n    image: httpd:2.4\n")
	got, err := text.judge("compose.yaml", "compose.yaml names the container dojo-try-site", data)
	if err != nil {
		t.Fatal(err)
	}
	if want := `compose.yaml is not as expected: expected that compose.yaml names the container dojo-try-site; it holds "services:`; !strings.HasPrefix(got, want) || strings.Contains(got, "container_name:") {
		t.Errorf("judge = %q, want it to start %q and show no pattern", got, want)
	}
	got, _ = text.judge("compose.yaml", "", data)
	if !strings.Contains(got, "a file matching the pattern") {
		t.Errorf("without a title, judge = %q, want the pattern quoted", got)
	}
	for _, ok := range []string{"    container_name: dojo-try-site\n", "    container_name: \"dojo-try-site\"  # the name\n"} {
		if got, _ := text.judge("compose.yaml", "t", []byte(ok)); got != "" {
			t.Errorf("judge(%q) = %q, want it to hold", ok, got)
		}
	}
}

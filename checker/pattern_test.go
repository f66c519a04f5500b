package checker

import "testing"

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

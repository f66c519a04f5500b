package termsafe

import "testing"

func TestStripCSI(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"plain text", "Step 3/4 : RUN apt install -y curl", "Step 3/4 : RUN apt install -y curl"},
		{"a build step's colours", "\x1b[91m\n\x1b[0m\x1b[91mWARNING: apt does not have a stable CLI interface.\n\x1b[0m", "\n" + "WARNING: apt does not have a stable CLI interface.\n"},
		{"bold and 256 colours", "\x1b[1;38;5;203mred\x1b[m", "red"},
		{"a line wiped, the cursor moved", "50%\x1b[2K\r\x1b[1A100%", "50%\r100%"},
		{"a title is left to Printable", "\x1b]0;owned\x07\x1b[31mred", "\x1b]0;owned\x07red"},
		{"a lone escape", "a\x1bb", "a\x1bb"},
	} {
		if got := StripCSI(tt.in); got != tt.want {
			t.Errorf("%s: StripCSI(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// TestPrintableAfterStripCSI: a build's output, stripped and then escaped,
// reads as its text, and what else a terminal would obey is still shown.
func TestPrintableAfterStripCSI(t *testing.T) {
	in := "\x1b[91mE: Unsupported file\x1b[0m \x1b]0;owned\x07"
	if got, want := Printable(StripCSI(in)), `E: Unsupported file \x1b]0;owned\x07`; got != want {
		t.Errorf("Printable(StripCSI(%q)) = %q, want %q", in, got, want)
	}
}

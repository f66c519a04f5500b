package cmdutil

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestUnreachableHelpFitsTheTerminal: the help is printed as written, so
// each line must fit an 80-column terminal, which would break a longer
// one at any character.
func TestUnreachableHelpFitsTheTerminal(t *testing.T) {
	for i, line := range strings.Split(UnreachableHelp, "\n") {
		if n := utf8.RuneCountInString(line); n > 78 {
			t.Errorf("line %d of UnreachableHelp is %d columns, more than 78: %q", i+1, n, line)
		}
	}
	if !strings.Contains(UnreachableHelp, "busy") || !strings.Contains(UnreachableHelp, "try again in a moment") {
		t.Error("UnreachableHelp does not say that an engine that did not answer in time may only be busy")
	}
}

package lessons

import (
	"slices"
	"testing"

	"github.com/dockdojo/dockdojo/checker"
)

// TestRefusedCapsAreNotEntered: a capability a sandbox may not get is one
// whose container no check enters either.
func TestRefusedCapsAreNotEntered(t *testing.T) {
	for c := range refusedCaps {
		if !slices.Contains(checker.EscapeCaps, c) {
			t.Errorf("%s is refused to sandboxes but not in checker.EscapeCaps: a check would run a command in a container given it", c)
		}
	}
}

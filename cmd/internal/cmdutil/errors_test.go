package cmdutil

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dockdojo/dockdojo/sandbox"
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

// TestNotAnEngineIsNotToldToStartDocker: an endpoint where something else
// answers (a web server) exits 4, with its own words on what to check, not
// the help for an engine that is not running.
func TestNotAnEngineIsNotToldToStartDocker(t *testing.T) {
	err := fmt.Errorf("%w: tcp://127.0.0.1:8080 (found via DOCKER_HOST) answered, but is %w (404): check the address and port", sandbox.ErrUnreachable, sandbox.ErrNotAnEngine)
	var b strings.Builder
	if code := PrintError(&b, err); code != ExitUnreachable || strings.Contains(b.String(), "Start Docker") || !strings.Contains(b.String(), "check the address and port") {
		t.Errorf("PrintError: exit %d\n%s", code, b.String())
	}
}

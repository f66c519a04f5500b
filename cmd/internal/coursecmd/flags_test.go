package coursecmd_test

import (
	"strings"
	"testing"

	"github.com/dockdojo/dockdojo/cmd/internal/clitest"
	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
)

func TestProgressSummaryFlags(t *testing.T) {
	env := clitest.Learner(t.TempDir(), "ada")
	if code, stdout, stderr, _ := clitest.Run(env, "progress", "--summary"); code != 0 || !strings.HasPrefix(stdout, "## My dockdojo progress") || !strings.Contains(stdout, "- **first-run** (0/") {
		t.Errorf("progress --summary: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr, _ := clitest.Run(env, "progress", "--summary", "--json"); code != cmdutil.ExitUsage {
		t.Errorf("progress --summary --json: exit %d, want %d: %s", code, cmdutil.ExitUsage, stderr)
	}
}

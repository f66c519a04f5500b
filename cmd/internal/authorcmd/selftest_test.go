package authorcmd

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSelftestArgumentThatIsAPath: an argument written as a path names the
// path in its error (a folder that is not there, a lesson file given for
// its folder), not a lesson "" or "." that nobody typed.
func TestSelftestArgumentThatIsAPath(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "nets.md")
	if err := os.WriteFile(file, []byte("---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	course := errors.New(`no lesson "x" in the course`)
	for _, tt := range []struct{ arg, want string }{
		{filepath.Join(dir, "nonexist"), "there is no folder " + filepath.Join(dir, "nonexist") + ": give a folder of lessons"},
		{"./good-typo", "there is no folder ./good-typo"},
		{"good/t6-base/t6-base.md", "there is no folder good/t6-base/t6-base.md"},
		{file, file + " is a file: give the folder of its lessons (`dockdojo selftest " + dir + "`)"},
		{"first-run/publsh", `no lesson "x" in the course`},
	} {
		if err := notAnExercise(tt.arg, course); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("selftest %s: %v; want %q", tt.arg, err, tt.want)
		}
	}
}

package exercise

import (
	"os"
	"path/filepath"
	"testing"
)

// TestFoundMadeFor: a sandbox is made for the workspace folder its label
// names, followed through links; one made before that label, for the
// folder it binds where the exercise mounts its workspace; one that says
// neither is made for nobody's.
func TestFoundMadeFor(t *testing.T) {
	ex := load(t) // mounts the workspace's folder "shared"
	dir := t.TempDir()
	mine, theirs := filepath.Join(dir, "mine"), filepath.Join(dir, "theirs")
	for _, d := range []string{mine, theirs} {
		if err := os.MkdirAll(filepath.Join(d, "shared"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(mine, link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		found Found
		want  bool
	}{
		{"labelled mine", Found{Workspace: mine}, true},
		{"labelled mine through a link", Found{Workspace: link}, true},
		{"labelled theirs", Found{Workspace: theirs, Mounts: []string{filepath.Join(mine, "shared")}}, false},
		{"binds my folder", Found{Mounts: []string{filepath.Join(mine, "shared")}}, true},
		{"binds their folder", Found{Mounts: []string{filepath.Join(theirs, "shared")}}, false},
		{"binds my workspace, not the folder mounted", Found{Mounts: []string{mine}}, false},
		{"says nothing", Found{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.found.MadeFor(ex, mine); got != tt.want {
				t.Errorf("MadeFor(%s) = %v, want %v", mine, got, tt.want)
			}
		})
	}
}

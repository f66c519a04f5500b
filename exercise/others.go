package exercise

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"time"

	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
)

// Found is the sandbox of an exercise as the engine has it: the container
// dockdojo made under the exercise's sandbox name, by some learner's start.
// Every learner of one engine gets the same name for an exercise's sandbox,
// so whose it is is told by its run (see session) and the workspace folder
// it was made for.
type Found struct {
	Name    string
	Run     string    // its run id (sandbox.LabelRun)
	Created time.Time // when it was made, on the engine's clock
	// Workspace is the workspace folder of the learner whose start made
	// it (sandbox.LabelWorkspace); "" on a sandbox made before dockdojo
	// put that label on it.
	Workspace string
	// Mounts are the host folders it binds where the exercise mounts its
	// workspace, in the order of the exercise's mounts.
	Mounts []string
}

// FindSandbox inspects the container under the sandbox name of ex. It
// returns nil when there is none, or when it is not the sandbox dockdojo
// made for ex (a start says whose that one is: see takeName).
func FindSandbox(ctx context.Context, eng *sandbox.Engine, ex *lessons.Exercise) (*Found, error) {
	if ex.Sandbox == nil {
		return nil, nil
	}
	ct, err := eng.InspectContainer(ctx, SandboxName(ex))
	switch {
	case errors.Is(err, sandbox.ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, err
	case ct.Labels[sandbox.LabelManaged] != "true" || ct.Labels[sandbox.LabelExercise] != ex.Key():
		return nil, nil
	}
	f := &Found{Name: ct.Name, Run: ct.Labels[sandbox.LabelRun], Created: ct.Created, Workspace: ct.Labels[sandbox.LabelWorkspace]}
	for _, m := range ex.Sandbox.Mounts {
		if m.Type != "workspace" {
			continue
		}
		i := slices.IndexFunc(ct.Mounts, func(cm sandbox.Mount) bool { return cm.Type == "bind" && cm.Destination == m.Target })
		if i >= 0 && !slices.Contains(f.Mounts, ct.Mounts[i].Source) {
			f.Mounts = append(f.Mounts, ct.Mounts[i].Source)
		}
	}
	return f, nil
}

// MadeFor reports whether the sandbox was made for the workspace folder ws
// of ex: its label names ws, or (a sandbox made before that label) it
// binds ws, or the folder of ws the exercise mounts, where the exercise
// mounts its workspace. A learner's workspace folder is theirs alone, so a
// learner whose progress file lost the sandbox's run still finds it theirs.
func (f *Found) MadeFor(ex *lessons.Exercise, ws string) bool {
	if f.Workspace != "" {
		return sameFolder(f.Workspace, ws)
	}
	if len(f.Mounts) == 0 {
		return false
	}
	for _, m := range ex.Sandbox.Mounts {
		if m.Type == "workspace" && !slices.ContainsFunc(f.Mounts, func(src string) bool { return sameFolder(src, filepath.Join(ws, filepath.FromSlash(m.Source))) }) {
			return false
		}
	}
	return true
}

// sameFolder reports whether the paths a and b name one folder, as they
// are written or once their links are followed.
func sameFolder(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	ra, err := filepath.EvalSymlinks(a)
	if err != nil {
		return false
	}
	rb, err := filepath.EvalSymlinks(b)
	return err == nil && ra == rb
}

package sandbox

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
)

// PauseWriters pauses every container dockdojo made that could change the
// folders on the way to dir while a bind mount of a folder in it is being
// made: one running (or left paused) with a writable bind mount of dir, of a
// folder inside it, or of a folder that holds it. A bind mount follows links
// on the host when the engine makes it, so a sandbox that swaps a folder of
// the workspace for a link (rename is atomic) between dockdojo's look at the
// path and the engine's mount would have the engine mount what the link
// names: the host's /run, with the engine's socket. Frozen, it cannot.
//
// resume unpauses them again, on a context of its own, so that a start
// cancelled halfway does not leave a learner's sandbox frozen; it is safe to
// call once whatever err is. Containers dockdojo did not make are neither
// listed nor paused: what a learner runs by hand is theirs.
func (e *Engine) PauseWriters(ctx context.Context, dir string) (resume func(), err error) {
	var paused []string
	resume = func() {
		rctx, cancel := cleanupContext(ctx)
		defer cancel()
		for _, id := range paused {
			_ = e.cli.ContainerUnpause(rctx, id)
		}
	}
	args := filters.NewArgs(filters.Arg("label", LabelManaged+"=true"), filters.Arg("status", "running"), filters.Arg("status", "paused"))
	list, err := e.cli.ContainerList(ctx, container.ListOptions{Filters: args})
	if err != nil {
		return resume, e.wrap("list the containers that can write into "+dir, err)
	}
	for _, c := range list {
		if !writesInto(c.Mounts, dir) {
			continue
		}
		// One found paused is unpaused too: only an earlier start stopped
		// between its pause and its resume leaves a sandbox so.
		if c.State != "paused" {
			err := e.cli.ContainerPause(ctx, c.ID)
			switch {
			case err != nil && strings.Contains(err.Error(), "is not running"):
				continue // stopped since the list: nothing to freeze
			case err != nil && !strings.Contains(err.Error(), "is already paused"):
				return resume, e.wrap("pause the container "+strings.TrimPrefix(firstName(c.Names), "/"), err)
			}
		}
		paused = append(paused, c.ID)
	}
	return resume, nil
}

// writesInto says whether one of the mounts is a writable bind mount of dir,
// of a folder inside it, or of one that holds it.
func writesInto(mounts []container.MountPoint, dir string) bool {
	dir = filepath.Clean(dir)
	for _, m := range mounts {
		if m.Type != "bind" || !m.RW {
			continue
		}
		src := filepath.Clean(m.Source)
		if src == dir || isWithin(dir, src) || isWithin(src, dir) {
			return true
		}
	}
	return false
}

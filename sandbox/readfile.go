package sandbox

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
)

// FileRead is what ReadFile found at a path.
type FileRead struct {
	Found bool   // a regular file is there; Data holds it
	Data  []byte // the file's first 4 MiB
	// Folder is a folder at the path: not Found.
	Folder bool
	// Unread is a path the engine does not copy as a file, where a
	// program in the container may still read one: a symbolic link, which
	// ReadFile does not follow, or a path the copy fails on (a path
	// through a file, a loop of links).
	Unread bool
}

// ReadFile reads one file out of a probe container made from spec that is
// never started: the engine mounts the container's volumes to copy from
// it, so a file in a volume is read without a process, a network endpoint
// or a wait for anything to exit (a started probe takes 250 to 350 ms on
// a typical engine; this takes a create, a copy and a removal). spec.Cmd and
// spec.Timeout are not used, and spec.NetworkMode may only be "" or "none".
// p is an absolute path in the container. A missing path is not Found, a
// folder is Folder, a link is Unread; the container is force-removed
// whatever happened.
func (e *Engine) ReadFile(ctx context.Context, spec ProbeSpec, p string) (res FileRead, err error) {
	if spec.Image == "" {
		return FileRead{}, errors.New("read file: no image given")
	}
	if !path.IsAbs(p) {
		return FileRead{}, fmt.Errorf("read file: %q is not an absolute path", p)
	}
	if spec.NetworkMode != "" && spec.NetworkMode != "none" {
		return FileRead{}, fmt.Errorf("read file: a container that never starts needs no network (got %q)", spec.NetworkMode)
	}
	mounts, err := e.mounts(spec.Mounts)
	if err != nil {
		return FileRead{}, fmt.Errorf("read file: %w", err)
	}
	id, err := e.createProbe(ctx, &container.Config{Image: spec.Image, NetworkDisabled: true}, spec.Labels, mounts, "none")
	if err != nil {
		return FileRead{}, e.wrap("read file: create container", err)
	}
	defer e.removeProbe(ctx, id, "read file", &err)

	return e.copyFile(ctx, id, p)
}

// ContainerFile reads one file out of the container name as `docker cp`
// does: the engine copies it from the container's files and volumes,
// whether the container runs or not, and nothing runs inside it. What a
// running container's processes see that the copy does not (a tmpfs mount,
// /proc) is its caller's to know. p is an absolute path in the container;
// a missing path is not Found, a folder is Folder, a link is Unread.
func (e *Engine) ContainerFile(ctx context.Context, name, p string) (FileRead, error) {
	if !path.IsAbs(p) {
		return FileRead{}, fmt.Errorf("read file: %q is not an absolute path", p)
	}
	return e.copyFile(ctx, name, p)
}

// copyFile copies the file p out of the container id.
func (e *Engine) copyFile(ctx context.Context, id, p string) (FileRead, error) {
	rc, stat, err := e.cli.CopyFromContainer(ctx, id, p)
	if cerrdefs.IsNotFound(err) {
		return FileRead{}, nil
	}
	if err != nil {
		err = e.wrap("read file: copy "+p, err)
		if errors.Is(err, ErrUnreachable) || ctx.Err() != nil {
			return FileRead{}, err
		}
		return FileRead{Unread: true}, nil
	}
	defer rc.Close()
	switch {
	case stat.Mode&os.ModeSymlink != 0:
		return FileRead{Unread: true}, nil
	case stat.Mode.IsDir():
		return FileRead{Folder: true}, nil
	case !stat.Mode.IsRegular():
		return FileRead{}, nil
	}
	tr := tar.NewReader(rc)
	if _, err := tr.Next(); err != nil {
		return FileRead{}, e.wrap("read file: copy "+p, err)
	}
	data, err := io.ReadAll(io.LimitReader(tr, maxProbeOutput))
	if err != nil {
		return FileRead{}, e.wrap("read file: copy "+p, err)
	}
	return FileRead{Found: true, Data: data}, nil
}

package exercise

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/dockdojo/dockdojo/lessons"
)

// StarterChanged lists the exercise's starter files whose copy in the
// workspace dir differs from the starter or is missing: what restoring the
// starter files would change.
func StarterChanged(ex *lessons.Exercise, dir string) ([]string, error) {
	var changed []string
	for _, w := range ex.Workspace {
		want, err := fs.ReadFile(ex.Lesson.FS, path.Join(ex.Lesson.Dir, w))
		if err != nil {
			return nil, fmt.Errorf("%s: starter file %s: %w", ex.Pos, w, err)
		}
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(w)))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("read workspace file: %w", err)
		}
		if err != nil || !bytes.Equal(got, want) {
			changed = append(changed, w)
		}
	}
	return changed, nil
}

// RestoreStarter gives the learner a fresh start on the exercise's files:
// it copies the whole workspace folder dir to dir.bak-TIMESTAMP beside it,
// then writes every starter file over the learner's copy. Files the learner
// added are left where they are (and are in the backup too). Files are
// written in place, so a container that bind-mounts a workspace folder
// sees the restored files. It returns the backup folder ("" when dir did
// not exist) and the starter files it wrote.
func RestoreStarter(ex *lessons.Exercise, dir string, now time.Time) (backup string, restored []string, err error) {
	if _, err := os.Stat(dir); err == nil {
		backup = dir + ".bak-" + now.UTC().Format("20060102-150405")
		for i := 2; exists(backup); i++ {
			backup = fmt.Sprintf("%s.bak-%s-%d", dir, now.UTC().Format("20060102-150405"), i)
		}
		if err := copyTree(dir, backup); err != nil {
			return "", nil, fmt.Errorf("back up workspace %s: %w", dir, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", nil, fmt.Errorf("workspace %s: %w", dir, err)
	}
	for _, w := range ex.Workspace {
		data, err := fs.ReadFile(ex.Lesson.FS, path.Join(ex.Lesson.Dir, w))
		if err != nil {
			return backup, restored, fmt.Errorf("%s: starter file %s: %w", ex.Pos, w, err)
		}
		dst := filepath.Join(dir, filepath.FromSlash(w))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return backup, restored, fmt.Errorf("restore workspace: %w", err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return backup, restored, fmt.Errorf("restore workspace: %w", err)
		}
		restored = append(restored, w)
	}
	return backup, restored, nil
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// copyTree copies the folder src to dst, which must not exist: folders,
// regular files with their modes, and symbolic links as links.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.Mkdir(target, info.Mode().Perm()|0o700)
		case info.Mode()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case info.Mode().IsRegular():
			return copyFile(p, target, info.Mode().Perm())
		}
		return nil // sockets, devices: not the learner's work
	})
}

func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

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
	"slices"
	"strings"
	"time"

	"github.com/dockdojo/dockdojo/internal/regfile"
	"github.com/dockdojo/dockdojo/internal/shellquote"
	"github.com/dockdojo/dockdojo/lessons"
)

// StarterChanged lists the exercise's starter files whose copy in the
// workspace dir differs from the starter or is missing: what restoring the
// starter files would change. A copy that is no file (a folder, a named
// pipe, a link that leads out of the workspace) differs; it is looked at
// through the workspace folder and never waited on.
func StarterChanged(ex *lessons.Exercise, dir string) ([]string, error) {
	if err := regfile.InTheWay("workspace folder", dir); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return slices.Clone(ex.Workspace), nil
	} else if err != nil {
		return nil, fmt.Errorf("open workspace %s: %w", dir, err)
	}
	defer root.Close()
	var changed []string
	for _, w := range ex.Workspace {
		want, err := fs.ReadFile(ex.Lesson.FS, path.Join(ex.Lesson.Dir, w))
		if err != nil {
			return nil, fmt.Errorf("%s: starter file %s: %w", ex.Pos, w, err)
		}
		got, err := regfile.ReadIn(root, filepath.FromSlash(w))
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
//
// The sandbox may have left links in the workspace: everything is written
// through an os.Root, a starter file's place that holds a link, a folder or
// a named pipe gets the file instead (the backup keeps what was there),
// and a folder on the way that is a link out of the workspace is refused,
// never followed.
//
// The workspace folder itself may be a link the learner made (to keep
// their work in a repository of their own): the backup is then a real
// copy of the folder it leads to, and the starter files are written there,
// through the learner's link, which stays.
func RestoreStarter(ex *lessons.Exercise, dir string, now time.Time) (backup string, restored []string, err error) {
	if err := regfile.InTheWay("workspace folder", dir); err != nil {
		return "", nil, err
	}
	if _, err := os.Stat(dir); err == nil {
		// A link the learner made is followed to the folder it leads to
		// (InTheWay has refused a file there).
		src, err := filepath.EvalSymlinks(dir)
		if err != nil {
			return "", nil, fmt.Errorf("workspace %s: %w", dir, err)
		}
		backup = dir + ".bak-" + now.UTC().Format("20060102-150405")
		for i := 2; exists(backup) || exists(backup+partialSuffix); i++ {
			backup = fmt.Sprintf("%s.bak-%s-%d", dir, now.UTC().Format("20060102-150405"), i)
		}
		if within(src, backup) {
			return "", nil, fmt.Errorf("workspace %s is a link to %s, which holds the backup's place %s: make %s a folder of its own (or a link to one beside it), then reset again", dir, src, backup, dir)
		}
		// The copy is made under a name that says it is unfinished, and
		// takes the backup's name only when whole: a reset killed while
		// it copies (kill -9, a power cut) leaves no half copy that looks
		// like a backup.
		partial := backup + partialSuffix
		if err := copyTree(src, partial); err != nil {
			_ = os.RemoveAll(partial)
			return "", nil, fmt.Errorf("back up workspace %s: %w", dir, err)
		}
		if err := os.Rename(partial, backup); err != nil {
			return "", nil, fmt.Errorf("back up workspace %s: %w", dir, err)
		}
	} else if info, lerr := os.Lstat(dir); lerr == nil && info.Mode()&fs.ModeSymlink != 0 {
		to, _ := os.Readlink(dir)
		return "", nil, fmt.Errorf("workspace %s is a link to %s, which does not exist: make that folder, or remove the link and reset again", dir, to)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", nil, fmt.Errorf("workspace %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return backup, nil, fmt.Errorf("restore workspace: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return backup, nil, fmt.Errorf("restore workspace: %w", err)
	}
	defer root.Close()
	for _, w := range ex.Workspace {
		data, err := fs.ReadFile(ex.Lesson.FS, path.Join(ex.Lesson.Dir, w))
		if err != nil {
			return backup, restored, fmt.Errorf("%s: starter file %s: %w", ex.Pos, w, err)
		}
		if err := restoreFile(root, filepath.FromSlash(w), data); err != nil {
			return backup, restored, fmt.Errorf("restore workspace file %s in %s: %w", w, dir, err)
		}
		restored = append(restored, w)
	}
	return backup, restored, nil
}

// partialSuffix ends the name of a backup being copied.
const partialSuffix = ".partial"

// UnfinishedBackups says, one sentence each, what the unfinished backups
// beside the workspace folder dir are (DIR.bak-TIMESTAMP.partial): copies
// that a reset stopped while making (killed, or the machine off) left
// behind, which hold only part of the folder.
func UnfinishedBackups(dir string) []string {
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		return nil
	}
	prefix := filepath.Base(dir) + ".bak-"
	var said []string
	for _, e := range entries {
		if name := e.Name(); strings.HasPrefix(name, prefix) && strings.HasSuffix(name, partialSuffix) {
			p := filepath.Join(filepath.Dir(dir), name)
			said = append(said, fmt.Sprintf("%s is an unfinished copy of your workspace, left by a reset that was stopped while it copied: it may lack files, and your files are still in %s; remove it (`rm -rf %s`) once you have looked", p, dir, shellquote.Quote(p)))
		}
	}
	return said
}

// restoreFile writes data to name under root: over a file in place, in
// the place of anything else.
func restoreFile(root *os.Root, name string, data []byte) error {
	if err := root.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return fmt.Errorf("%w (a folder on the way is a link that leads out of the workspace, or a file: remove it, then reset again)", err)
	}
	if info, err := root.Lstat(name); err == nil && !info.Mode().IsRegular() {
		// A link is replaced, not written through.
		if err := root.RemoveAll(name); err != nil {
			return err
		}
	}
	f, err := regfile.CreateIn(root, name, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// within reports whether p (which need not exist) is folder or inside it,
// links on the way to p's parent resolved.
func within(folder, p string) bool {
	parent, err := filepath.EvalSymlinks(filepath.Dir(p))
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(folder, filepath.Join(parent, filepath.Base(p)))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// testHookCopied, when set, is called after each file a backup copies.
var testHookCopied func(file string)

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
			if err := copyFile(p, target, info.Mode().Perm()); err != nil {
				return err
			}
			if testHookCopied != nil {
				testHookCopied(target)
			}
		}
		return nil // sockets, devices: not the learner's work
	})
}

func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := regfile.Open(src)
	var notFile *regfile.NotRegularError
	if errors.As(err, &notFile) {
		return nil // made something else since it was listed: not the learner's work
	}
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

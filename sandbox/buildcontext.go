package sandbox

import (
	"archive/tar"
	"errors"
	"io"
	"io/fs"
	"os"
	"slices"

	"github.com/dockdojo/dockdojo/internal/regfile"
	"github.com/moby/patternmatcher"
)

// packContext streams the folder src as a build context: a tar of its
// files, folders and links, without what the patterns (.dockerignore's)
// leave out. Every file is read through src, an os.Root, so a link is sent
// as a link and never followed, and a folder swapped for a link while it
// is read cannot lead the walk out of src. The files named in keep (the
// Dockerfile, .dockerignore) are sent even when a pattern leaves them out,
// as the docker CLI does: the builder reads them. Sockets, named pipes and
// devices are not sent (a pipe would be waited on forever).
// Owners are sent as root: the builder's COPY sets them anyway, and the
// learner's user IDs are not the engine's business.
func packContext(src *os.Root, exclude []string, keep ...string) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		pw.CloseWithError(writeContext(pw, src, exclude, keep))
	}()
	return pr
}

func writeContext(w io.Writer, src *os.Root, exclude, keep []string) error {
	fsys := src.FS()
	pm, err := patternmatcher.New(exclude)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(w)
	err = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || name == "." {
			return err
		}
		if d.Type()&(fs.ModeSocket|fs.ModeNamedPipe|fs.ModeDevice) != 0 {
			return nil
		}
		if skip, err := pm.MatchesOrParentMatches(name); err != nil {
			return err
		} else if skip && !slices.Contains(keep, name) {
			if d.IsDir() && !pm.Exclusions() {
				return fs.SkipDir
			}
			return nil
		}
		// A regular file is opened first, and its header made from what
		// was opened: one swapped for a pipe since it was listed is left
		// out (never waited on), and the size written is the size read.
		var f *os.File
		if d.Type().IsRegular() {
			f, err = regfile.OpenIn(src, name)
			var notFile *regfile.NotRegularError
			if errors.As(err, &notFile) {
				return nil
			}
			if err != nil {
				return err
			}
			defer f.Close()
		}
		var info fs.FileInfo
		if f != nil {
			info, err = f.Stat()
		} else {
			info, err = d.Info()
		}
		if err != nil {
			return err
		}
		link := ""
		if d.Type()&fs.ModeSymlink != 0 {
			if link, err = fs.ReadLink(fsys, name); err != nil {
				return err
			}
		}
		hdr, err := tar.FileInfoHeader(info, link)
		if err != nil {
			return err
		}
		hdr.Name = name
		if d.IsDir() {
			hdr.Name += "/"
		}
		hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = 0, 0, "", ""
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if f == nil {
			return nil
		}
		_, err = io.CopyN(tw, f, hdr.Size)
		return err
	})
	if err != nil {
		return err
	}
	return tw.Close()
}

package classroom

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"time"
)

// Bounds on the lesson folder a classroom offers. The server refuses to
// start with a bigger folder; a learner's dockdojo refuses a bigger archive
// before writing anything. A lesson folder is Markdown and a few small
// starter files: these are far above what one needs and far below what
// fills a disk.
const (
	MaxLessonFiles     = 2000     // files in the folder
	MaxLessonFileBytes = 8 << 20  // bytes of one file
	MaxLessonBytes     = 32 << 20 // bytes of every file together, and of the archive
	maxLessonDepth     = 16       // folders within folders
	maxLessonPathLen   = 512      // bytes of a file's path in the folder
)

// LessonsInfo describes the lesson archive a classroom offers: a gzipped
// tar of the instructor's lesson folder, made when the server starts.
type LessonsInfo struct {
	SHA256 string `json:"sha256"` // of the archive, in hex; "" when the classroom offers none
	Size   int64  `json:"size"`   // bytes of the archive
	Files  int    `json:"files"`
	Bytes  int64  `json:"bytes"` // bytes of the files, unpacked
	// Replace: the lessons are the whole course. A learner's dockdojo
	// leaves its built-in lessons out while it keeps them, as the
	// instructor's --replace does.
	Replace bool `json:"replace,omitempty"`
}

// packLessons makes the archive of a lesson folder: its regular files (a
// link is stored as the file it leads to, when that is a file inside the
// folder, as fsys reads it), in lexical order, with fixed times and owners,
// so one folder gives one archive and one hash. Files and folders whose
// name starts with "." (.git, .DS_Store) are left out.
func packLessons(fsys fs.FS) ([]byte, LessonsInfo, error) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	tw := tar.NewWriter(zw)
	var info LessonsInfo
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name == "." {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if err := checkLessonPath(name); err != nil {
			return err
		}
		if d.IsDir() {
			return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: 0o755, ModTime: time.Unix(0, 0), Format: tar.FormatPAX})
		}
		st, err := fs.Stat(fsys, name) // follows a link
		if err != nil {
			return err
		}
		if !st.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file (a link to a folder, a device, ...): the lesson folder may hold files and folders only", name)
		}
		info.Files++
		info.Bytes += st.Size()
		switch {
		case info.Files > MaxLessonFiles:
			return fmt.Errorf("more than %d files", MaxLessonFiles)
		case st.Size() > MaxLessonFileBytes:
			return fmt.Errorf("%s has %d bytes; a file may have at most %d", name, st.Size(), MaxLessonFileBytes)
		case info.Bytes > MaxLessonBytes:
			return fmt.Errorf("more than %d bytes of files", MaxLessonBytes)
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		mode := int64(0o644)
		if st.Mode()&0o111 != 0 {
			mode = 0o755 // a starter script keeps its execute bit
		}
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(data)), ModTime: time.Unix(0, 0), Format: tar.FormatPAX}); err != nil {
			return err
		}
		_, err = tw.Write(data)
		return err
	})
	if err == nil {
		err = tw.Close()
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		return nil, LessonsInfo{}, fmt.Errorf("lesson folder to offer: %w", err)
	}
	if buf.Len() > MaxLessonBytes {
		return nil, LessonsInfo{}, fmt.Errorf("lesson folder to offer: its archive has more than %d bytes", MaxLessonBytes)
	}
	sum := sha256.Sum256(buf.Bytes())
	info.SHA256, info.Size = hex.EncodeToString(sum[:]), int64(buf.Len())
	return buf.Bytes(), info, nil
}

// checkLessonPath says what is wrong with a path inside a lesson archive:
// it must be relative, clean, within bounds, and name no parent folder.
func checkLessonPath(name string) error {
	switch {
	case !fs.ValidPath(name) || name == ".":
		return fmt.Errorf("%q is not a clean relative path", name)
	case strings.ContainsAny(name, "\\:\x00"):
		return fmt.Errorf("%q has a \\, : or NUL in its name", name)
	case len(name) > maxLessonPathLen:
		return fmt.Errorf("%q is longer than %d bytes", truncate(name, 60), maxLessonPathLen)
	case strings.Count(name, "/") >= maxLessonDepth:
		return fmt.Errorf("%q is more than %d folders deep", truncate(name, 60), maxLessonDepth)
	}
	return nil
}

// unpackLessons writes a verified archive into dir, which must be empty,
// through an os.Root so that nothing lands outside it. It accepts regular
// files and folders only (no links, devices or other entries), each name
// once, within the bounds above.
func unpackLessons(archive []byte, dir string) (files int, err error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return 0, err
	}
	defer root.Close()
	zr, err := gzip.NewReader(bytes.NewReader(archive))
	if err != nil {
		return 0, fmt.Errorf("lesson archive: %w", err)
	}
	tr := tar.NewReader(zr)
	var total int64
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files, nil
		}
		if err != nil {
			return files, fmt.Errorf("lesson archive: %w", err)
		}
		name := strings.TrimSuffix(h.Name, "/")
		if err := checkLessonPath(name); err != nil {
			return files, fmt.Errorf("lesson archive: %w", err)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := root.MkdirAll(name, 0o755); err != nil {
				return files, fmt.Errorf("lesson archive: %w", err)
			}
			continue
		case tar.TypeReg:
		default:
			return files, fmt.Errorf("lesson archive: %s is not a file or a folder (type %q): refused", name, h.Typeflag)
		}
		files++
		total += h.Size
		switch {
		case files > MaxLessonFiles:
			return files, fmt.Errorf("lesson archive: more than %d files", MaxLessonFiles)
		case h.Size < 0 || h.Size > MaxLessonFileBytes:
			return files, fmt.Errorf("lesson archive: %s has %d bytes; at most %d", name, h.Size, MaxLessonFileBytes)
		case total > MaxLessonBytes:
			return files, fmt.Errorf("lesson archive: more than %d bytes of files", MaxLessonBytes)
		}
		if parent := path.Dir(name); parent != "." {
			if err := root.MkdirAll(parent, 0o755); err != nil {
				return files, fmt.Errorf("lesson archive: %w", err)
			}
		}
		mode := os.FileMode(0o644)
		if h.Mode&0o111 != 0 {
			mode = 0o755
		}
		f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
		if errors.Is(err, fs.ErrExist) {
			return files, fmt.Errorf("lesson archive: %s is in it twice", name)
		}
		if err != nil {
			return files, fmt.Errorf("lesson archive: %w", err)
		}
		n, err := io.Copy(f, io.LimitReader(tr, h.Size))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil && n != h.Size {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return files, fmt.Errorf("lesson archive: %s: %w", name, err)
		}
	}
}

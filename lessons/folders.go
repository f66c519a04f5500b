package lessons

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// FolderArg is a lesson folder someone named, and where they named it (for
// messages: "from --lessons or DOCKDOJO_LESSONS").
type FolderArg struct {
	Dir  string
	From string
}

// Folders opens lesson folders, each once: a folder named twice, or inside
// another folder named too, is read through the outer one. It returns the
// sources to Load and, for each folder in args, the prefix its lessons'
// file names carry in messages (to tell which lessons came from it).
func Folders(args []FolderArg) (sources []Source, prefixes []string, err error) {
	type folder struct {
		FolderArg
		abs string
		src Source
	}
	var folders []*folder
	for _, a := range args {
		switch st, err := os.Stat(a.Dir); {
		case err != nil:
			return nil, nil, fmt.Errorf("lesson folder %s (%s) does not exist; give a folder of lesson files", a.Dir, a.From)
		case !st.IsDir():
			return nil, nil, fmt.Errorf("lesson folder %s (%s) is a file; give the folder that holds it", a.Dir, a.From)
		}
		abs, err := filepath.Abs(a.Dir)
		if err != nil {
			abs = a.Dir
		}
		folders = append(folders, &folder{FolderArg: a, abs: abs})
	}
	// within reports whether folder a is b or inside it, and the path of a
	// below b.
	within := func(a, b *folder) (string, bool) {
		rel, err := filepath.Rel(b.abs, a.abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return "", false
		}
		return filepath.ToSlash(rel), true
	}
	var outer []*folder
	for _, fo := range folders {
		inside := false
		for _, o := range folders {
			if rel, ok := within(fo, o); ok && (rel != "." || o != fo && slices.Index(folders, o) < slices.Index(folders, fo)) {
				inside = true
				break
			}
		}
		if !inside {
			outer = append(outer, fo)
		}
	}
	for _, fo := range outer {
		if fo.src, err = Folder(fo.Dir); err != nil {
			return nil, nil, fmt.Errorf("lesson folder %s (%s): %w", fo.Dir, fo.From, err)
		}
		sources = append(sources, fo.src)
	}
	for _, fo := range folders {
		for _, o := range outer {
			if rel, ok := within(fo, o); ok {
				prefixes = append(prefixes, path.Join(o.src.Name, rel))
				break
			}
		}
	}
	return sources, prefixes, nil
}

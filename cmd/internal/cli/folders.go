package cli

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dockdojo/dockdojo/content"
	"github.com/dockdojo/dockdojo/lessons"
)

// Sources lists what the course is loaded from: the built-in course unless
// it is replaced, then the folders of DOCKDOJO_LESSONS and --lessons, then
// the folders in dirs (given on the command line, as in `lint DIR`). A
// folder is read once, even when named twice or inside another one. added
// holds, for each of dirs, the prefix of its files' names in messages.
func (f *Factory) Sources(dirs ...string) (all []lessons.Source, added []string, err error) {
	replace, err := f.replaceCourse()
	if err != nil {
		return nil, nil, err
	}
	type folder struct {
		dir, from string
		abs       string
		src       lessons.Source
	}
	var folders []*folder
	var envDirs []string
	if env := f.Getenv("DOCKDOJO_LESSONS"); env != "" {
		envDirs = filepath.SplitList(env)
	}
	for i, d := range slices.Concat(envDirs, f.lessonDirs, dirs) {
		from := "from --lessons or DOCKDOJO_LESSONS"
		if i >= len(envDirs)+len(f.lessonDirs) {
			from = "given on the command line"
		}
		switch st, err := os.Stat(d); {
		case err != nil:
			return nil, nil, usageError{fmt.Errorf("lesson folder %s (%s) does not exist; give a folder of lesson files", d, from)}
		case !st.IsDir():
			return nil, nil, usageError{fmt.Errorf("lesson folder %s (%s) is a file; give the folder that holds it", d, from)}
		}
		folders = append(folders, &folder{dir: d, from: from, abs: absolute(d)})
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
	// A folder inside another one is read through the outer one.
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
	if !replace {
		all = append(all, lessons.Source{FS: content.FS(), Name: "content/course"})
	}
	for _, fo := range outer {
		if fo.src, err = lessons.Folder(fo.dir); err != nil {
			return nil, nil, usageError{fmt.Errorf("lesson folder %s (%s): %w", fo.dir, fo.from, err)}
		}
		all = append(all, fo.src)
	}
	for _, fo := range folders[len(folders)-len(dirs):] {
		for _, o := range outer {
			if rel, ok := within(fo, o); ok {
				added = append(added, path.Join(o.src.Name, rel))
				break
			}
		}
	}
	if len(all) == 0 {
		return nil, nil, usageError{errors.New("--replace (or DOCKDOJO_REPLACE) leaves no lessons at all: give your folders with --lessons DIR or DOCKDOJO_LESSONS")}
	}
	return all, added, nil
}

// replaceCourse reports whether instructor folders replace the built-in
// course: --replace, or DOCKDOJO_REPLACE set to 1, true or yes.
func (f *Factory) replaceCourse() (bool, error) {
	if f.replace {
		return true, nil
	}
	switch v := strings.ToLower(strings.TrimSpace(f.Getenv("DOCKDOJO_REPLACE"))); v {
	case "", "0", "false", "no":
		return false, nil
	case "1", "true", "yes":
		return true, nil
	default:
		return false, usageError{fmt.Errorf("DOCKDOJO_REPLACE=%s: set it to 1 to replace the built-in course with your folders, or 0 to add them to it", v)}
	}
}

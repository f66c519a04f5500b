package lessons

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Source is a folder tree of lessons: the built-in course or an instructor's
// folder. Name prefixes file names in messages.
type Source struct {
	FS   fs.FS
	Name string
}

// Folder is the Source for a folder of lessons on disk, named dir in
// messages. Reading goes through an os.Root, so a link inside the folder that
// leads out of it is refused when followed: a lesson folder from someone else
// cannot pass the learner's own files off as its starter files.
func Folder(dir string) (Source, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return Source{}, err
	}
	return Source{FS: root.FS(), Name: filepath.ToSlash(filepath.Clean(dir))}, nil
}

// Course is every lesson of the loaded sources, in course order.
type Course struct {
	Lessons []*Lesson
}

// Load parses every lesson of every source. Lessons are the *.md files of the
// tree except README.md and anything inside a folder whose name starts with
// "." or "_". All mistakes of all files are returned together as an
// ErrorList; the course holds whatever parsed.
func Load(sources ...Source) (*Course, error) {
	var errs ErrorList
	c := &Course{}
	byID := map[string]*Lesson{}
	for _, src := range sources {
		err := fs.WalkDir(src.FS, ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			base := d.Name()
			if d.IsDir() {
				if name != "." && (strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_")) {
					return fs.SkipDir
				}
				return nil
			}
			if path.Ext(base) != ".md" || strings.EqualFold(base, "README.md") {
				return nil
			}
			l, err := ParseFile(src.FS, name, path.Join(src.Name, name))
			if err != nil {
				errs = append(errs, err.(ErrorList)...)
			}
			if l == nil || l.ID == "" || (err != nil && l.FormatVersion > FormatVersion) {
				return nil
			}
			if first, dup := byID[l.ID]; dup {
				errs.add(l.idPos, "lesson id %q is already used by %s: give each lesson its own id", l.ID, first.idPos)
				return nil
			}
			byID[l.ID] = l
			c.Lessons = append(c.Lessons, l)
			return nil
		})
		if err != nil {
			errs.add(Pos{File: src.Name, Line: 1}, "cannot read the lesson folder: %v", err)
		}
	}
	ids := sortedKeys(byID)
	for _, l := range c.Lessons {
		for i, pre := range l.Prerequisites {
			if byID[pre] == nil {
				pos := Pos{File: l.File, Line: 1}
				if i < len(l.prereqPos) {
					pos = l.prereqPos[i]
				}
				errs.add(pos, "prerequisite %q is not a lesson of the course%s", pre, suggest(pre, ids))
			}
		}
	}
	sort.SliceStable(c.Lessons, func(i, j int) bool {
		a, b := c.Lessons[i], c.Lessons[j]
		if a.Order != b.Order {
			return a.Order < b.Order
		}
		return a.ID < b.ID
	})
	errs = append(errs, c.checkScopes()...)
	return c, errs.Err()
}

// Lesson returns the lesson with this id, or nil.
func (c *Course) Lesson(id string) *Lesson {
	for _, l := range c.Lessons {
		if l.ID == id {
			return l
		}
	}
	return nil
}

// Exercises lists every exercise in course order.
func (c *Course) Exercises() []*Exercise {
	var all []*Exercise
	for _, l := range c.Lessons {
		all = append(all, l.Exercises...)
	}
	return all
}

// Exercise finds an exercise by "lesson/exercise", or by its own id when only
// one lesson has an exercise of that id.
func (c *Course) Exercise(key string) (*Exercise, error) {
	if lid, eid, ok := strings.Cut(key, "/"); ok {
		l := c.Lesson(lid)
		if l == nil {
			return nil, fmt.Errorf("no lesson %q; `dockdojo list` shows the course", lid)
		}
		for _, ex := range l.Exercises {
			if ex.ID == eid {
				return ex, nil
			}
		}
		return nil, fmt.Errorf("lesson %s has no exercise %q; `dockdojo list` shows its exercises", lid, eid)
	}
	var found []*Exercise
	for _, ex := range c.Exercises() {
		if ex.ID == key {
			found = append(found, ex)
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("no exercise %q; `dockdojo list` shows the course", key)
	case 1:
		return found[0], nil
	}
	keys := make([]string, len(found))
	for i, ex := range found {
		keys[i] = ex.Key()
	}
	return nil, fmt.Errorf("exercise %q is in several lessons; name one of: %s", key, strings.Join(keys, ", "))
}

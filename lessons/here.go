package lessons

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// HeldHere looks in dir for the lesson id that the course was not given:
// in a folder of dir named id, or in a lesson file directly in dir. It
// returns that lesson's file, named from dir ("t5-keep-data/lesson.md" or
// "lesson.md"), or "" when neither holds it. Only these two places are
// read, not all of dir, so that a learner who names a lesson in their home
// folder does not wait for a walk of it. A lesson with mistakes counts
// when its id could be read: adding its folder shows them.
func HeldHere(dir, id string) string {
	if !slugRE.MatchString(id) {
		return ""
	}
	if st, err := os.Stat(filepath.Join(dir, id)); err == nil && st.IsDir() {
		if src, err := Folder(filepath.Join(dir, id)); err == nil {
			src.Name = id
			if c, _ := Load(src); c != nil {
				if l := c.Lesson(id); l != nil {
					return l.File
				}
			}
		}
	}
	src, err := Folder(dir)
	if err != nil {
		return ""
	}
	entries, err := fs.ReadDir(src.FS, ".")
	if err != nil {
		return ""
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || path.Ext(name) != ".md" || strings.EqualFold(name, "README.md") {
			continue
		}
		if l, _ := ParseFile(src.FS, name, name); l != nil && l.ID == id {
			return name
		}
	}
	return ""
}

package lessons

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Source is a folder tree of lessons: the built-in course or an instructor's
// folder. Name prefixes file names in messages.
type Source struct {
	FS   fs.FS
	Name string
	// Builtin says FS is the course embedded in dockdojo, whose scripts
	// are dockdojo's own. It is never told by Name: a folder on disk may
	// be named as the built-in course is (content/course).
	Builtin bool
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
	// NotLessons are the Markdown files left out because they are no
	// lessons at all: no front matter, and nothing only a lesson holds.
	NotLessons []string
}

// Load parses every lesson of every source. Lessons are the *.md files of the
// tree except README.md and anything inside a folder whose name starts with
// "." or "_". All mistakes of all files are returned together as an
// ErrorList; the course holds whatever parsed.
func Load(sources ...Source) (*Course, error) {
	return load(sources, ParseFile)
}

// load is Load with the way each lesson file is parsed given, so that the
// course cache can stand in for ParseFile. Files are parsed side by side,
// one at a time per CPU (parseFile must allow that), and taken in the order
// of the walk, so that the course and its mistakes do not depend on which
// file was parsed first.
func load(sources []Source, parseFile func(fsys fs.FS, name, display string) (*Lesson, error)) (*Course, error) {
	files, walkErrs := lessonFiles(sources)
	return loadFiles(sources, files, walkErrs, parseFile)
}

// loadFiles is load of the files lessonFiles listed.
func loadFiles(sources []Source, files [][]string, walkErrs []error, parseFile func(fsys fs.FS, name, display string) (*Lesson, error)) (*Course, error) {
	type parsed struct {
		l   *Lesson
		err error
	}
	results := make([][]parsed, len(sources))
	var jobs []func()
	for i, src := range sources {
		results[i] = make([]parsed, len(files[i]))
		for j, name := range files[i] {
			jobs = append(jobs, func() {
				l, err := parseFile(src.FS, name, path.Join(src.Name, name))
				results[i][j] = parsed{l, err}
			})
		}
	}
	runAll(jobs)

	var errs ErrorList
	c := &Course{}
	byID := map[string]*Lesson{}
	for i, src := range sources {
		for _, r := range results[i] {
			l, err := r.l, r.err
			if err != nil {
				errs = append(errs, err.(ErrorList)...)
			}
			if l != nil && l.notLesson {
				c.NotLessons = append(c.NotLessons, l.File)
				continue
			}
			if l == nil || l.ID == "" || (err != nil && l.FormatVersion > FormatVersion) {
				continue
			}
			l.Builtin, l.source = src.Builtin, i
			if first, dup := byID[l.ID]; dup {
				errs.add(l.idPos, "lesson id %q is already used by %s: give each lesson its own id", l.ID, first.idPos)
				continue
			}
			byID[l.ID] = l
			c.Lessons = append(c.Lessons, l)
		}
		if walkErrs[i] != nil {
			errs.add(Pos{File: src.Name, Line: 1}, "cannot read the lesson folder: %v", walkErrs[i])
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
	errs = append(errs, c.resolveContinues()...)
	errs = append(errs, c.checkScopes()...)
	return c, errs.Err()
}

// LessonFiles lists the lesson files of the folder tree, each named as
// messages name it (Name, then its path in the tree), in walk order. Which
// source a file came from is asked here, not read from its name: the folder
// "." names its files a.md and sub/b.md, relative names as those of the
// built-in course (content/course/...) are.
func (src Source) LessonFiles() ([]string, error) {
	files, errs := lessonFiles([]Source{src})
	names := make([]string, len(files[0]))
	for i, name := range files[0] {
		names[i] = path.Join(src.Name, name)
	}
	return names, errs[0]
}

// lessonFiles lists the lesson files of each source, in walk order, and
// what kept a walk from going on.
func lessonFiles(sources []Source) (files [][]string, walkErrs []error) {
	files = make([][]string, len(sources))
	walkErrs = make([]error, len(sources))
	for i, src := range sources {
		walkErrs[i] = fs.WalkDir(src.FS, ".", func(name string, d fs.DirEntry, err error) error {
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
			files[i] = append(files[i], name)
			return nil
		})
	}
	return files, walkErrs
}

// runAll runs the jobs, as many at once as there are CPUs to run them.
func runAll(jobs []func()) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(len(jobs)); i = next.Add(1) - 1 {
				jobs[i]()
			}
		})
	}
	wg.Wait()
}

// UnknownLesson is the error for a lesson id that is not in the course,
// with the nearest id when it looks like a slip of one.
func (c *Course) UnknownLesson(id string) error {
	return noLesson(id, suggest(id, c.lessonIDs()))
}

// noLesson says there is no lesson id, with a suggestion (see suggest).
func noLesson(id, near string) error {
	return &NoLessonError{ID: id, near: near}
}

// NoLessonError is the error for a lesson id the course does not have, so
// that a command can look for the lesson where the learner stands (see
// HeldHere) and say how to add it.
type NoLessonError struct {
	ID   string
	near string // a suggestion (see suggest), or ""
}

func (e *NoLessonError) Error() string {
	return fmt.Sprintf("no lesson %q%s; `dockdojo list` shows the course", e.ID, e.near)
}

// lessonIDs lists the lessons' ids, in course order.
func (c *Course) lessonIDs() []string {
	ids := make([]string, len(c.Lessons))
	for i, l := range c.Lessons {
		ids[i] = l.ID
	}
	return ids
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

// From counts the lessons of c read from the folder src: their files are
// named in it (path.Join(src.Name, name)). A folder named "." holds every
// lesson of a folder not above it.
func (c *Course) From(src Source) int {
	dir := path.Clean(src.Name)
	n := 0
	for _, l := range c.Lessons {
		switch {
		case l.Builtin != src.Builtin:
		case dir == ".":
			if !strings.HasPrefix(l.File, "../") && !path.IsAbs(l.File) {
				n++
			}
		case strings.HasPrefix(l.File, dir+"/"):
			n++
		}
	}
	return n
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
// one lesson has an exercise of that id. What it cannot find is named, with
// the nearest exercise when the key looks like a slip of it.
func (c *Course) Exercise(key string) (*Exercise, error) {
	// Ids are lowercase: FIRST-RUN/Publish-Page is a slip with one meaning.
	if lower := strings.ToLower(key); lower != key {
		if ex, err := c.Exercise(lower); err == nil {
			return nil, fmt.Errorf("no exercise %q (did you mean %q? ids are lowercase); `dockdojo list` shows the course", key, ex.Key())
		}
	}
	if lid, eid, ok := strings.Cut(key, "/"); ok {
		l := c.Lesson(lid)
		if l == nil {
			if near := suggest(key, exerciseKeys(c.Exercises())); near != "" {
				return nil, noLesson(lid, near)
			}
			return nil, c.UnknownLesson(lid)
		}
		for _, ex := range l.Exercises {
			if ex.ID == eid {
				return ex, nil
			}
		}
		for _, q := range l.Quizzes {
			if q.ID == eid {
				return nil, fmt.Errorf("%s/%s is a quiz, not an exercise: `dockdojo` asks it, in the lesson's menu", lid, eid)
			}
		}
		near := suggest(key, exerciseKeys(l.Exercises))
		if near == "" {
			near = startOf(eid, l)
		}
		return nil, fmt.Errorf("lesson %s has no exercise %q%s; `dockdojo list` shows its exercises", lid, eid, near)
	}
	var found []*Exercise
	all := c.Exercises()
	for _, ex := range all {
		if ex.ID == key {
			found = append(found, ex)
		}
	}
	switch len(found) {
	case 0:
		if l := c.Lesson(key); l != nil && len(l.Exercises) > 0 {
			return nil, fmt.Errorf("%q is a lesson, not an exercise: give one of its exercises, %s", key, strings.Join(exerciseKeys(l.Exercises), ", "))
		}
		ids := make([]string, len(all))
		for i, ex := range all {
			ids[i] = ex.ID
		}
		return nil, fmt.Errorf("no exercise %q%s; `dockdojo list` shows the course", key, suggest(key, ids))
	case 1:
		return found[0], nil
	}
	keys := make([]string, len(found))
	for i, ex := range found {
		keys[i] = ex.Key()
	}
	return nil, fmt.Errorf("exercise %q is in several lessons; name one of: %s", key, strings.Join(keys, ", "))
}

// startOf suggests the one exercise of l whose id begins with eid (a
// learner who typed first-run/publish meant first-run/publish-page), or
// says nothing when none or several do.
func startOf(eid string, l *Lesson) string {
	var found *Exercise
	for _, ex := range l.Exercises {
		if strings.HasPrefix(ex.ID, eid) {
			if found != nil {
				return ""
			}
			found = ex
		}
	}
	if found == nil || eid == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", found.Key())
}

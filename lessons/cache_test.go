package lessons

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/dockdojo/dockdojo/content"
	"github.com/dockdojo/dockdojo/internal/fifotest"
)

// TestCacheKeepsTheCourse proves a course taken from the cache is the
// course parsed from the files, down to the positions kept for messages
// and the pointers between a lesson, its parts and its exercises, but for
// what the cache leaves out: prose until LoadProse, and wrong attempts.
// Each way through the cache is taken: a cold cache (every lesson parsed
// into a new file, then read from it), a warm one, and a cache that cannot
// be written (every lesson parsed and kept as it is).
func TestCacheKeepsTheCourse(t *testing.T) {
	valid, err := Folder("testdata/valid")
	if err != nil {
		t.Fatal(err)
	}
	sources := []Source{{FS: content.FS(), Name: content.Name}, valid}
	want, err := Load(sources...)
	if err != nil {
		t.Fatal(err)
	}
	wrong := 0
	for _, ex := range want.Exercises() {
		wrong += len(ex.Wrong)
		ex.Wrong = nil
	}
	if wrong == 0 {
		t.Fatal("the course has no wrong attempts to leave out")
	}
	dir := t.TempDir()
	// A cache folder that cannot be made: a file stands where it would be.
	blocked := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocked, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, run := range []string{"cold", "warm", "unwritable"} {
		dir := dir
		if run == "unwritable" {
			dir = filepath.Join(blocked, "cache") // each lesson parsed and kept as it is
		}
		got, err := LoadCached(dir, sources...)
		if err != nil {
			t.Fatalf("%s: %v", run, err)
		}
		for _, l := range got.Lessons {
			// The cache keeps no prose: a load has none until asked.
			for _, p := range l.Parts {
				if p.Prose != "" {
					t.Fatalf("%s: %s has prose before LoadProse", run, l.ID)
				}
			}
			if err := l.LoadProse(); err != nil {
				t.Fatalf("%s: %v", run, err)
			}
		}
		if !reflect.DeepEqual(got, want) {
			for i := range want.Lessons {
				if i < len(got.Lessons) && !reflect.DeepEqual(got.Lessons[i], want.Lessons[i]) {
					t.Errorf("%s: lesson %s differs from the one parsed", run, want.Lessons[i].ID)
				}
			}
			t.Fatalf("%s: the course differs from the one parsed", run)
		}
		for _, l := range got.Lessons {
			for _, p := range l.Parts {
				if p.Exercise != nil && !slices.Contains(l.Exercises, p.Exercise) || p.Quiz != nil && !slices.Contains(l.Quizzes, p.Quiz) {
					t.Fatalf("%s: a part of %s is not one of its exercises or quizzes", run, l.ID)
				}
			}
		}
		if n := len(readCache(t, dir, sources)); run != "unwritable" && n != len(want.Lessons) {
			t.Fatalf("%s: the cache holds %d lessons, want %d", run, n, len(want.Lessons))
		}
	}
}

const cachedLessonText = `---
format_version: 1
id: cached
title: %s
summary: A lesson the cache keeps.
---

# Cached

` + "```quiz" + `
id: kernel
question: Whose kernel does a Linux container use?
choices:
  - text: The host's
    correct: true
  - text: Its own
explain: A container is a process of the host.
` + "```\n"

// writeLesson writes the lesson above, with this title, in dir.
func writeLesson(t *testing.T, dir, title string) Source {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "cached.md"), []byte(strings.Replace(cachedLessonText, "%s", title, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := Folder(dir)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// readCache is what the cache file of sources holds.
func readCache(t *testing.T, dir string, sources []Source) map[[32]byte]*Lesson {
	t.Helper()
	build, _ := executableBuild()
	c := openCache(filepath.Join(dir, cacheFileName(sources)), build)
	defer c.closeOld()
	lessons := map[[32]byte]*Lesson{}
	for key, at := range c.index {
		if l, err := at.lesson(); err == nil {
			lessons[key] = l
		}
	}
	return lessons
}

// writeCache writes a cache file of sources by build that holds these
// lessons.
func writeCache(t *testing.T, dir string, sources []Source, build string, lessons map[[32]byte]*Lesson) {
	t.Helper()
	w, err := newRecordWriter(filepath.Join(dir, cacheFileName(sources)), build)
	if err != nil {
		t.Fatal(err)
	}
	for key, l := range lessons {
		e, err := toCache(l)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.putLesson(key, e); err != nil {
			t.Fatal(err)
		}
	}
	w.commit(nil)
}

// markCache changes the title of every lesson in the cache, to tell a
// lesson taken from the cache from one parsed.
func markCache(t *testing.T, dir string, sources []Source, title string) {
	t.Helper()
	lessons := readCache(t, dir, sources)
	for _, l := range lessons {
		l.Title = title
	}
	build, _ := executableBuild()
	writeCache(t, dir, sources, build, lessons)
}

func loadTitle(t *testing.T, cache string, src Source) string {
	t.Helper()
	c, err := LoadCached(cache, src)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Lessons) != 1 {
		t.Fatalf("loaded %d lessons, want 1", len(c.Lessons))
	}
	return c.Lessons[0].Title
}

// TestCacheIsUsedAndAnEditWins proves the cache serves a lesson whose file
// did not change, and that an edit is seen by the very next load.
func TestCacheIsUsedAndAnEditWins(t *testing.T) {
	lessonDir, cache := t.TempDir(), t.TempDir()
	src := writeLesson(t, lessonDir, "First")
	if got := loadTitle(t, cache, src); got != "First" {
		t.Fatalf("cold load: title %q, want First", got)
	}
	markCache(t, cache, []Source{src}, "From the cache")
	if got := loadTitle(t, cache, src); got != "From the cache" {
		t.Fatalf("unchanged file: title %q, want the cached lesson's", got)
	}
	writeLesson(t, lessonDir, "Edited")
	if got := loadTitle(t, cache, src); got != "Edited" {
		t.Fatalf("after an edit: title %q, want Edited", got)
	}
	if got := loadTitle(t, cache, src); got != "Edited" {
		t.Fatalf("after an edit, loaded again: title %q, want Edited", got)
	}
	if n := len(readCache(t, cache, []Source{src})); n != 1 {
		t.Fatalf("the cache holds %d lessons, want the edited one alone", n)
	}
}

// TestCacheNeverKeepsMistakes proves a lesson with a mistake is reported on
// every load: it is not cached.
func TestCacheNeverKeepsMistakes(t *testing.T) {
	lessonDir, cache := t.TempDir(), t.TempDir()
	src := writeLesson(t, lessonDir, "[unclosed")
	for range 2 {
		if _, err := LoadCached(cache, src); err == nil || !strings.Contains(err.Error(), "cached.md:4") {
			t.Fatalf("load of a broken lesson: error %v, want one at cached.md:4", err)
		}
	}
	if n := len(readCache(t, cache, []Source{src})); n != 0 {
		t.Fatalf("the cache holds %d lessons, want none", n)
	}
}

// TestCacheLeavesOutNotLessons proves a Markdown file that is no lesson
// (notes beside a lesson) is left out of the course on every load, cold or
// warm, and named each time: the cache keeps no record of it.
func TestCacheLeavesOutNotLessons(t *testing.T) {
	lessonDir, cache := t.TempDir(), t.TempDir()
	src := writeLesson(t, lessonDir, "First")
	if err := os.WriteFile(filepath.Join(lessonDir, "NOTES.md"), []byte("Notes\n\n---\n\n- say hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		c, err := LoadCached(cache, src)
		if err != nil {
			t.Fatalf("load beside notes: %v", err)
		}
		if len(c.Lessons) != 1 || !slices.Equal(c.NotLessons, []string{src.Name + "/NOTES.md"}) {
			t.Fatalf("loaded %d lessons, not lessons %q; want the lesson, and NOTES.md left out", len(c.Lessons), c.NotLessons)
		}
	}
	if n := len(readCache(t, cache, []Source{src})); n != 1 {
		t.Fatalf("the cache holds %d lessons, want the lesson alone", n)
	}
}

// TestCacheCorruptIsIgnored proves a cache file that is damaged, cut short
// or written by another build is not used, and is written anew.
func TestCacheCorruptIsIgnored(t *testing.T) {
	damage := map[string]func(data []byte) []byte{
		"garbage":     func([]byte) []byte { return []byte("not a cache at all") },
		"cut short":   func(data []byte) []byte { return data[:len(data)-10] },
		"a bit flips": func(data []byte) []byte { data[len(data)-20] ^= 0x40; return data },
		"empty":       func([]byte) []byte { return nil },
	}
	for name, spoil := range damage {
		t.Run(name, func(t *testing.T) {
			lessonDir, cache := t.TempDir(), t.TempDir()
			src := writeLesson(t, lessonDir, "First")
			loadTitle(t, cache, src)
			markCache(t, cache, []Source{src}, "From the cache")
			file := filepath.Join(cache, cacheFileName([]Source{src}))
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, spoil(data), 0o644); err != nil {
				t.Fatal(err)
			}
			if got := loadTitle(t, cache, src); got != "First" {
				t.Fatalf("title %q, want the one parsed from the file", got)
			}
			if n := len(readCache(t, cache, []Source{src})); n != 1 {
				t.Fatalf("the cache holds %d lessons after the load, want it written anew", n)
			}
		})
	}
	t.Run("a named pipe", func(t *testing.T) {
		lessonDir, cache := t.TempDir(), t.TempDir()
		src := writeLesson(t, lessonDir, "First")
		file := filepath.Join(cache, cacheFileName([]Source{src}))
		fifotest.Make(t, file)
		done := make(chan string, 1)
		go func() { done <- loadTitle(t, cache, src) }()
		select {
		case got := <-done:
			if got != "First" {
				t.Fatalf("title %q, want the one parsed from the file", got)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the load waited on a named pipe where the cache file goes")
		}
		if info, err := os.Lstat(file); err != nil || !info.Mode().IsRegular() {
			t.Errorf("the cache file after the load: %v, %v; want a file written anew", info, err)
		}
	})
	t.Run("another build", func(t *testing.T) {
		lessonDir, cache := t.TempDir(), t.TempDir()
		src := writeLesson(t, lessonDir, "First")
		l, err := Parse([]byte(strings.Replace(cachedLessonText, "%s", "Another build's", 1)), "cached.md")
		if err != nil {
			t.Fatal(err)
		}
		writeCache(t, cache, []Source{src}, "another dockdojo", map[[32]byte]*Lesson{lessonKey(t, src): l})
		if got := loadTitle(t, cache, src); got != "First" {
			t.Fatalf("title %q, want the one parsed, not another build's", got)
		}
	})
}

// lessonKey is the cache key of cached.md in src.
func lessonKey(t *testing.T, src Source) [32]byte {
	t.Helper()
	data, problem := readLesson(src.FS, "cached.md")
	if problem != "" {
		t.Fatal(problem)
	}
	h := lessonHash(src.Name+"/cached.md", "cached.md")
	h.Write(data)
	return [32]byte(h.Sum(nil))
}

// TestCachePrunesUnusedFiles proves the cache folder does not grow for
// ever: files unused for a month go, and a file in use is kept fresh.
func TestCachePrunesUnusedFiles(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	ages := map[string]time.Duration{
		"course-unused.cache": 40 * 24 * time.Hour,
		"course-recent.cache": 2 * 24 * time.Hour,
		".course-crashed.tmp": 2 * 24 * time.Hour,
		".course-writing.tmp": time.Minute,
		"someone-elses.cache": 40 * 24 * time.Hour,
	}
	for name, age := range ages {
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(file, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
	}
	pruneCache(dir, now)
	for name, kept := range map[string]bool{"course-unused.cache": false, "course-recent.cache": true,
		".course-crashed.tmp": false, ".course-writing.tmp": true, "someone-elses.cache": true} {
		if _, err := os.Stat(filepath.Join(dir, name)); (err == nil) != kept {
			t.Errorf("%s: kept %v, want %v", name, err == nil, kept)
		}
	}

	// A cache file that is read is marked as used.
	lessonDir, cache := t.TempDir(), t.TempDir()
	src := writeLesson(t, lessonDir, "First")
	loadTitle(t, cache, src)
	file := filepath.Join(cache, cacheFileName([]Source{src}))
	month := now.Add(-40 * 24 * time.Hour)
	if err := os.Chtimes(file, month, month); err != nil {
		t.Fatal(err)
	}
	loadTitle(t, cache, src)
	if info, err := os.Stat(file); err != nil || now.Sub(info.ModTime()) > time.Hour {
		t.Fatalf("the cache file read was not marked as used: %v %v", info.ModTime(), err)
	}
}

// TestCacheKeepsTheImageScans proves a course from the cache carries each
// exercise's scan of its scripts, as parsing found it: the scope check of
// a warm load reads no script again.
func TestCacheKeepsTheImageScans(t *testing.T) {
	sources := []Source{{FS: content.FS(), Name: content.Name}}
	dir := t.TempDir()
	if _, err := LoadCached(dir, sources...); err != nil {
		t.Fatal(err)
	}
	warm, err := LoadCached(dir, sources...)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := Load(sources...) // with the wrong attempts the cache leaves out
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range warm.Exercises() {
		if ex.scripts == nil {
			t.Errorf("%s: no scan of its scripts from the cache", ex.Key())
			continue
		}
		fresh, err := parsed.Exercise(ex.Key())
		if err != nil {
			t.Fatal(err)
		}
		fresh.scripts = nil
		if got, want := *ex.scripts, fresh.scriptImages(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: cached scan %+v, scanned anew %+v", ex.Key(), got, want)
		}
	}
}

// TestLoadProseAfterAnEdit proves a lesson from the cache reads its prose
// from its file as it is when asked: an edit of the prose is read, and an
// edit that moves its exercises is an error, not prose beside the wrong
// exercise.
func TestLoadProseAfterAnEdit(t *testing.T) {
	lessonDir, cache := t.TempDir(), t.TempDir()
	src := writeLesson(t, lessonDir, "First")
	if _, err := LoadCached(cache, src); err != nil {
		t.Fatal(err)
	}
	c, err := LoadCached(cache, src)
	if err != nil {
		t.Fatal(err)
	}
	l := c.Lessons[0]
	file := filepath.Join(lessonDir, "cached.md")
	text, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(text), "# Cached\n", "# Cached, edited\n", 1)
	if edited == string(text) {
		t.Fatal("the test lesson has no heading \"# Cached\" to edit")
	}
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := l.LoadProse(); err != nil {
		t.Fatalf("LoadProse after a prose edit: %v", err)
	}
	if !strings.Contains(l.Parts[0].Prose, "# Cached, edited") {
		t.Errorf("prose after the edit = %q, want the edited text", l.Parts[0].Prose)
	}

	// Twice: the edited file is parsed once, then served from the cache.
	for range 2 {
		if c, err = LoadCached(cache, src); err != nil {
			t.Fatal(err)
		}
	}
	l = c.Lessons[0]
	if l.Parts[0].Prose != "" {
		t.Fatal("the edited lesson did not come from the cache")
	}
	quiz := edited[strings.Index(edited, "```quiz"):]
	moved := strings.Replace(edited, "# Cached, edited\n", "# Cached\n\n"+strings.Replace(quiz, "id: kernel", "id: again", 1)+"\nMore prose.\n", 1)
	if err := os.WriteFile(file, []byte(moved), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := l.LoadProse(); err == nil || !strings.Contains(err.Error(), "changed since the course was loaded") {
		t.Errorf("LoadProse after a quiz was added: %v, want an error that the file changed", err)
	}
}

// TestFollowUpFromTheCache proves the text after an exercise (shown once
// it passes) comes back for a lesson served from the cache, whose prose
// is read only when asked.
func TestFollowUpFromTheCache(t *testing.T) {
	sources := []Source{{FS: content.FS(), Name: content.Name}}
	want, err := Load(sources...)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var got *Course
	for range 2 {
		if got, err = LoadCached(dir, sources...); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range got.Lessons {
		if l.Parts[0].Prose != "" {
			t.Fatalf("%s came with its prose, not from the cache", l.ID)
		}
	}
	n := 0
	for i, ex := range want.Exercises() {
		cached := got.Exercises()[i]
		if w, g := ex.FollowUp(), cached.FollowUp(); g != w {
			t.Errorf("%s: follow-up from the cache %q, want %q", ex.Key(), g, w)
		} else if w != "" {
			n++
		}
	}
	if n == 0 {
		t.Error("no exercise of the course has a follow-up: the test proves nothing")
	}
}

// TestCacheSharesTheFileName proves the positions of a lesson from the
// cache share the lesson's file name rather than each holding a copy: a
// tenth of a large course's memory.
func TestCacheSharesTheFileName(t *testing.T) {
	sources := []Source{{FS: content.FS(), Name: content.Name}}
	dir := t.TempDir()
	for _, run := range []string{"cold", "warm"} {
		c, err := LoadCached(dir, sources...)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, l := range c.Lessons {
			l.eachPos(func(p *Pos) {
				if p.File != "" {
					n++
				}
				if p.File == l.File && unsafe.StringData(p.File) != unsafe.StringData(l.File) {
					t.Errorf("%s: %s holds its own copy of the file name", run, p)
				}
			})
		}
		if n < 100 {
			t.Fatalf("%s: %d positions with a file name; the course has hundreds", run, n)
		}
	}
}

// TestCacheDirNeedsAnAbsoluteHome: without HOME, or with one that is not
// an absolute path, there is no cache, rather than one written under the
// folder dockdojo was run from.
func TestCacheDirNeedsAnAbsoluteHome(t *testing.T) {
	for _, tc := range []struct{ name, xdg, home, want string }{
		{"home", "", "/home/ada", "/home/ada/.cache/dockdojo"},
		{"XDG_CACHE_HOME", "/var/cache/ada", "", "/var/cache/ada/dockdojo"},
		{"no home", "", "", ""},
		{"a relative home", "", "ada", ""},
		{"a relative XDG_CACHE_HOME", "cache", "ada", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(k string) string { return map[string]string{"XDG_CACHE_HOME": tc.xdg}[k] }
			if got := CacheDir(getenv, tc.home); got != filepath.FromSlash(tc.want) {
				t.Errorf("CacheDir(XDG_CACHE_HOME=%q, home %q) = %q; want %q", tc.xdg, tc.home, got, tc.want)
			}
		})
	}
}

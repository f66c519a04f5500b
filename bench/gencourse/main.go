// Command gencourse writes a synthetic course of N lessons for the
// benchmarks: copies of the built-in lessons, each copy with its own lesson
// ids (first-run-0003), its prerequisites renamed the same way, its own
// order, and its own names for the Docker objects its exercises make
// (dojo-vol-data-0003), so the course loads without a mistake and lists in
// a stable order.
//
//	go run ./bench/gencourse -n 1000 -o /tmp/course-1000
//
// The folder is emptied first. Use it with `dockdojo --replace --lessons DIR`
// to have exactly N lessons.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dockdojo/dockdojo/content"
)

func main() {
	n := flag.Int("n", 1000, "number of lessons to write")
	out := flag.String("o", "", "folder to write the course to (emptied first)")
	flag.Parse()
	if *out == "" || *n < 1 {
		fmt.Fprintln(os.Stderr, "usage: gencourse -n LESSONS -o FOLDER")
		os.Exit(2)
	}
	if err := generate(content.FS(), *n, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gencourse:", err)
		os.Exit(1)
	}
}

var (
	idLine     = regexp.MustCompile(`(?m)^id: *(\S+) *$`)
	orderLine  = regexp.MustCompile(`(?m)^order: *(\d+) *$`)
	prereqLine = regexp.MustCompile(`(?m)^prerequisites: *\[(.*)\] *$`)
	// objectName is a name the course gives a Docker object it makes:
	// every one starts with dojo- (dockdojo-NAME is dockdojo's own).
	objectName = regexp.MustCompile(`\bdojo-[a-z0-9-]*[a-z0-9]`)
)

// generate copies the lesson folders of src (the folders that hold a
// FOLDER/FOLDER.md) round after round, in course order, until n lessons are
// written.
func generate(src fs.FS, n int, out string) error {
	entries, err := fs.ReadDir(src, ".")
	if err != nil {
		return err
	}
	var lessons []string
	for _, e := range entries {
		if _, err := fs.Stat(src, path.Join(e.Name(), e.Name()+".md")); e.IsDir() && err == nil {
			lessons = append(lessons, e.Name())
		}
	}
	if len(lessons) == 0 {
		return fmt.Errorf("no lesson folders to copy")
	}
	// In course order, so that a last, partial round holds the
	// prerequisites of what it holds.
	order := func(name string) int {
		data, _ := fs.ReadFile(src, path.Join(name, name+".md"))
		m := orderLine.FindSubmatch(data)
		if m == nil {
			return 0
		}
		o, _ := strconv.Atoi(string(m[1]))
		return o
	}
	slices.SortStableFunc(lessons, func(a, b string) int { return order(a) - order(b) })
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		round, name := i/len(lessons), lessons[i%len(lessons)]
		if err := copyLesson(src, name, out, round); err != nil {
			return err
		}
	}
	return nil
}

// copyLesson copies the folder name of src to out/name-ROUND, renaming the
// lesson's id and prerequisites with the same suffix, and after the first
// round the objects its exercises make, in the lesson, its starter files
// (text) and their paths (Compose project folders) alike: two lessons may
// not own one name.
func copyLesson(src fs.FS, name, out string, round int) error {
	suffix := fmt.Sprintf("-%04d", round)
	dst := filepath.Join(out, name+suffix)
	return fs.WalkDir(src, name, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(p, name)
		if round > 0 {
			rel = objectName.ReplaceAllString(rel, "${0}"+suffix)
		}
		target := filepath.Join(dst, filepath.FromSlash(rel))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		if round > 0 && utf8.Valid(data) {
			data = objectName.ReplaceAll(data, []byte("${0}"+suffix))
		}
		if p == path.Join(name, name+".md") {
			data = rename(data, suffix, round)
			target = filepath.Join(dst, name+suffix+".md")
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// rename gives the lesson in data its copy's id, prerequisites and order,
// in its front matter only (exercise blocks have id lines too).
func rename(data []byte, suffix string, round int) []byte {
	end := bytes.Index(data[3:], []byte("\n---")) + 3
	return append(renameFrontMatter(slices.Clone(data[:end]), suffix, round), data[end:]...)
}

func renameFrontMatter(data []byte, suffix string, round int) []byte {
	data = idLine.ReplaceAll(data, []byte("id: ${1}"+suffix))
	data = orderLine.ReplaceAllFunc(data, func(m []byte) []byte {
		o, _ := strconv.Atoi(string(orderLine.FindSubmatch(m)[1]))
		return []byte("order: " + strconv.Itoa(round*1000+o))
	})
	return prereqLine.ReplaceAllFunc(data, func(m []byte) []byte {
		var ids []string
		for _, id := range strings.Split(string(prereqLine.FindSubmatch(m)[1]), ",") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id+suffix)
			}
		}
		return []byte("prerequisites: [" + strings.Join(ids, ", ") + "]")
	})
}

package lessons_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dockdojo/dockdojo/lessons"
)

// continuesLesson writes a lesson whose exercises are given as "id" or
// "id > continues" (and "+file" for a starter file site/index.html).
func continuesLesson(id string, order int, exercises ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\nformat_version: 1\nid: %s\ntitle: T\nsummary: S.\norder: %d\n---\n", id, order)
	for _, e := range exercises {
		e, seeded := strings.CutSuffix(e, " +file")
		eid, continues, _ := strings.Cut(e, " > ")
		fmt.Fprintf(&b, "\n```exercise\nid: %s\ntitle: T\ngoal: G.\nflavour: host\n", eid)
		if continues != "" {
			fmt.Fprintf(&b, "continues: %q\n", continues)
		}
		if seeded {
			b.WriteString("workspace: [site/index.html]\n")
		}
		b.WriteString("checks:\n  - kind: image_exists\n    image: busybox:1.36\nhints: [One., Two.]\nsolution: \"true\"\n```\n")
	}
	return b.String()
}

func loadContinues(t *testing.T, files map[string]string) (*lessons.Course, error) {
	t.Helper()
	fsys := fstest.MapFS{"a/site/index.html": {Data: []byte("<h1>hi</h1>\n")}}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	return lessons.Load(lessons.Source{FS: fsys, Name: "course"})
}

func TestContinues(t *testing.T) {
	c, err := loadContinues(t, map[string]string{
		"a/a.md": continuesLesson("a", 10, "one +file", "two > one", "three > a/two"),
		"b/b.md": continuesLesson("b", 20, "later > a/three"),
	})
	if err != nil {
		t.Fatal(err)
	}
	later, err := c.Exercise("b/later")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, ex := range later.Chain() {
		keys = append(keys, ex.Key())
	}
	if got, want := strings.Join(keys, " "), "a/one a/two a/three"; got != want {
		t.Errorf("chain of b/later = %s; want %s", got, want)
	}
	if got := later.Earlier().Key(); got != "a/three" {
		t.Errorf("b/later continues %s; want a/three", got)
	}
	if got := later.First().Key(); got != "a/one" {
		t.Errorf("the chain of b/later starts with %s; want a/one", got)
	}
	one, _ := c.Exercise("a/one")
	if one.Earlier() != nil || one.Chain() != nil || one.First() != one {
		t.Errorf("a/one continues nothing, yet Earlier = %v, Chain = %v", one.Earlier(), one.Chain())
	}
}

func TestContinuesMistakes(t *testing.T) {
	_, err := loadContinues(t, map[string]string{
		"a/a.md": continuesLesson("a", 10, "one +file", "two > one +file", "self > self", "early > after", "after", "nowhere > a/tow", "typo > Bad Name", "lonely > lonelyy"),
		"b/b.md": continuesLesson("b", 5, "before > a/one"),
	})
	if err == nil {
		t.Fatal("Load accepts every mistake")
	}
	want := []string{
		`course/a/a.md:28:13: workspace file "site/index.html" is a starter file of a/one too, which this exercise continues in the same workspace folder`,
		`course/a/a.md:41:1: an exercise cannot continue itself`,
		`course/a/a.md:54:1: continues a/after, which comes after it in the course`,
		`course/a/a.md:79:1: continues "a/tow" names no exercise of the course (did you mean "a/two"?); write LESSON/EXERCISE, or EXERCISE of this lesson`,
		`course/a/a.md:92:1: continues "Bad Name": name an exercise as LESSON/EXERCISE, or EXERCISE of this lesson`,
		// The exercise itself is the nearest name, and no answer.
		`course/a/a.md:105:1: continues "lonelyy" names no exercise of the course; write LESSON/EXERCISE, or EXERCISE of this lesson`,
		`course/b/b.md:14:1: continues a/one, which comes after it in the course`,
	}
	got := err.Error()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("errors do not say\n  %s\ngot:\n%s", w, got)
		}
	}
	if n := strings.Count(got, "\n") + 1; n != len(want) {
		t.Errorf("%d errors; want %d:\n%s", n, len(want), got)
	}
}

// A chain shares its workspace folder, its sandboxes' volumes and networks:
// an exercise of one lesson folder going on from another folder's would
// reach what the learner made there, so it is refused; within one folder,
// from another lesson of it, it is fine.
func TestContinuesStaysInItsFolder(t *testing.T) {
	victim := fstest.MapFS{"v/v.md": {Data: []byte(continuesLesson("v", 1, "keep", "more > keep"))}}
	thief := fstest.MapFS{"t/t.md": {Data: []byte(continuesLesson("t", 2, "steal > v/keep"))}}
	_, err := lessons.Load(lessons.Source{FS: victim, Name: "victim"}, lessons.Source{FS: thief, Name: "thief"})
	want := "thief/t/t.md:14:1: continues v/keep, an exercise of another lesson folder (victim/v/v.md): a chain shares its workspace folder"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("a folder continuing another's: %v\nwant: %s", err, want)
	}
	same := fstest.MapFS{"v/v.md": victim["v/v.md"], "t/t.md": thief["t/t.md"]}
	if _, err := lessons.Load(lessons.Source{FS: same, Name: "one"}); err != nil {
		t.Fatalf("a lesson continuing another of its folder: %v", err)
	}
}

package main

import (
	"testing"

	"github.com/dockdojo/dockdojo/content"
	"github.com/dockdojo/dockdojo/lessons"
)

// TestGeneratedCourseLoads proves the benchmarks' course is one the
// commands accept: three rounds of copies load without a mistake (a copy
// that owned the names of the lesson it copies would be refused), with
// exactly the lessons asked for.
func TestGeneratedCourseLoads(t *testing.T) {
	builtin, err := lessons.Load(lessons.Source{FS: content.FS(), Name: content.Name})
	if err != nil {
		t.Fatal(err)
	}
	n := 2*len(builtin.Lessons) + 3
	dir := t.TempDir()
	if err := generate(content.FS(), n, dir); err != nil {
		t.Fatal(err)
	}
	src, err := lessons.Folder(dir)
	if err != nil {
		t.Fatal(err)
	}
	course, err := lessons.Load(src)
	if err != nil {
		t.Fatalf("the generated course does not load: %v", err)
	}
	if got := len(course.Lessons); got != n {
		t.Errorf("%d lessons loaded, want %d", got, n)
	}
}

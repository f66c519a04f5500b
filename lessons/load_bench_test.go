package lessons_test

import (
	"testing"

	"github.com/dockdojo/dockdojo/content"
	"github.com/dockdojo/dockdojo/lessons"
)

// BenchmarkLoadCourse is the cost of reading, parsing and validating the
// built-in course, which every command paid before it did anything else.
func BenchmarkLoadCourse(b *testing.B) {
	src := lessons.Source{FS: content.FS(), Name: content.Name}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := lessons.Load(src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadCached is the same load when the course cache holds every
// lesson: the files are still read and hashed, but none is parsed.
func BenchmarkLoadCached(b *testing.B) {
	src := lessons.Source{FS: content.FS(), Name: content.Name}
	dir := b.TempDir()
	if _, err := lessons.LoadCached(dir, src); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := lessons.LoadCached(dir, src); err != nil {
			b.Fatal(err)
		}
	}
}

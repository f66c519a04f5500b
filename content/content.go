// Package content holds the built-in course: lesson files and the starter
// files beside them, embedded in the binary.
package content

import (
	"embed"
	"io/fs"
)

//go:embed course
var course embed.FS

// Name is the built-in course's name in messages ("content/course/first-run/lesson.md:12: ...").
const Name = "content/course"

// FS returns the built-in course as a folder tree of lessons.
func FS() fs.FS {
	sub, err := fs.Sub(course, "course")
	if err != nil {
		// "course" is embedded above; fs.Sub fails only for an invalid name.
		panic(err)
	}
	return sub
}

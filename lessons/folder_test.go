package lessons_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/dockdojo/dockdojo/lessons"
)

const folderLesson = `---
format_version: 1
id: web
title: Web
summary: Starter files beside the lesson, in a subfolder of the course.
---

` + "```exercise" + `
id: serve
title: Serve
goal: Run dojo-web.
flavour: host
workspace:
  - site/index.html
  - shared.txt
  - leak.txt
  - site
  - outside/data.txt
checks:
  - kind: container_running
    container: dojo-web
hints: [One., Two.]
solution: docker run -d --name dojo-web httpd:2.4
owns:
  containers: [dojo-web]
` + "```\n"

// A lesson folder read with Folder resolves starter files against the
// lesson's own folder, follows links that stay inside the course folder, and
// refuses those that lead out of it: a folder from someone else cannot make
// the learner's own files (~/.ssh/id_rsa) into starter files.
func TestFolderLinks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	top := t.TempDir()
	course := filepath.Join(top, "course")
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(top, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(top, name)); err != nil {
			t.Fatal(err)
		}
	}
	write("secret.txt", "the learner's own file")
	write("elsewhere/data.txt", "a file of a folder outside the course")
	write("course/common/shared.txt", "shared by lessons")
	write("course/web/web.md", folderLesson)
	write("course/web/site/index.html", "<h1>hi</h1>")
	link("../common/shared.txt", "course/web/shared.txt")
	link("../../secret.txt", "course/web/leak.txt")
	link("../secret.txt", "course/stolen.md")
	link("../../elsewhere", "course/web/outside")

	src, err := lessons.Folder(course)
	if err != nil {
		t.Fatal(err)
	}
	_, err = lessons.Load(src)
	name := filepath.ToSlash(course)
	want := []string{
		name + "/stolen.md:1: the file is a link that leads out of the lesson folder, or to nothing: put the lesson itself in the folder",
		name + `/web/web.md:16:5: workspace file "leak.txt" is a link that leads out of the lesson's folder, or to nothing: put the file itself beside the lesson`,
		name + `/web/web.md:17:5: workspace file "site" is a folder: list the files in it one by one`,
		name + `/web/web.md:18:5: workspace file "outside/data.txt" is in the folder ` + name + `/web/outside, a link that leads out of the lesson's folder, or to nothing: put the folder itself beside the lesson`,
	}
	got := strings.Split(err.Error(), "\n")
	if len(got) != len(want) {
		t.Fatalf("got errors:\n%v\nwant %d", err, len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("error %d:\n got %s\nwant %s...", i, got[i], want[i])
		}
	}
}

func TestFolderErrors(t *testing.T) {
	if _, err := lessons.Folder(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("Folder of a missing folder: no error")
	}
}

package lessons_test

import (
	"strings"
	"testing"

	"github.com/dockdojo/dockdojo/content"
	"github.com/dockdojo/dockdojo/lessons"
)

func TestFollowUp(t *testing.T) {
	c, err := lessons.Load(lessons.Source{FS: content.FS(), Name: "content/course"})
	if err != nil {
		t.Fatal(err)
	}
	publish, err := c.Exercise("first-run/publish-page")
	if err != nil {
		t.Fatal(err)
	}
	if got := publish.FollowUp(); !strings.HasPrefix(got, "Open <http://localhost:8080>") || strings.Contains(got, "##") {
		t.Errorf("follow-up of first-run/publish-page = %q", got)
	}
	exec, err := c.Exercise("images-containers/run-and-exit")
	if err != nil {
		t.Fatal(err)
	}
	if got := exec.FollowUp(); got != "" {
		t.Errorf("a new section right after the exercise is no follow-up: %q", got)
	}
}

package prepare

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dockdojo/dockdojo/lessons"
)

func testImagesCourse(t *testing.T) *lessons.Course {
	t.Helper()
	lesson := func(id, solution string) []byte {
		return []byte("---\nformat_version: 1\nid: " + id + "\ntitle: T\nsummary: s\norder: 1\nminutes: 1\n---\n\n# T\n\n" +
			"```exercise\nid: ex\ntitle: E\ngoal: g\nflavour: host\nchecks:\n  - kind: container_exists\n    container: c-" + id + "\nhints: [h]\nsolution: " + solution + "\nowns:\n  containers: [c-" + id + "]\n```\n")
	}
	c, err := lessons.Load(lessons.Source{FS: fstest.MapFS{
		"a.md": {Data: lesson("a", "docker run --rm httpd:2.4")},
		"b.md": {Data: lesson("b", "docker run --rm docker.io/library/httpd:2.4 && docker run --rm busybox:1.36 true")},
		"c.md": {Data: lesson("c", "docker pull python:2.7-slim")},
	}, Name: "t"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCourseImages(t *testing.T) {
	c := testImagesCourse(t)
	tests := []struct {
		name    string
		lessons []string
		extra   []string
		want    []Image
	}{
		{"whole course", nil, nil, []Image{
			{Ref: "busybox:1.36", NeededBy: []string{"b/ex", "checks"}},
			{Ref: "httpd:2.4", NeededBy: []string{"a/ex", "b/ex"}},
			{Ref: "python:2.7-slim", NeededBy: []string{"c/ex"}},
		}},
		{"one lesson and an extra image", []string{"a"}, []string{"docker.io/library/alpine:3.20"}, []Image{
			{Ref: "alpine:3.20", NeededBy: []string{"--image"}},
			{Ref: "busybox:1.36", NeededBy: []string{"checks"}},
			{Ref: "httpd:2.4", NeededBy: []string{"a/ex"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Plan(c, tt.lessons, tt.extra)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Images =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}

	got, err := Plan(c, nil, []string{"Not/Valid"})
	if err != nil {
		t.Fatal(err)
	}
	if bad := got[0]; bad.Ref != "Not/Valid" || bad.Err == nil {
		t.Errorf("an invalid --image is kept, with its error: %+v", bad)
	}
	var unknown *UnknownLessonError
	if _, err := Plan(c, []string{"nope"}, nil); !errors.As(err, &unknown) || unknown.ID != "nope" {
		t.Errorf("unknown lesson: err = %v, want an unknown lesson", err)
	}
	// The error says what it is however it was made, nil included.
	for _, e := range []*UnknownLessonError{nil, {ID: "nope"}} {
		if msg := e.Error(); !strings.Contains(msg, "`dockdojo list`") {
			t.Errorf("%#v.Error() = %q, want it to say where the lessons are listed", e, msg)
		}
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0B", 999: "999B", 1000: "1kB", 2_100_000: "2.1MB", 75_300_000: "75.3MB", 1_234_000_000: "1.23GB"} {
		if got := HumanBytes(n); got != want {
			t.Errorf("HumanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestReportLine(t *testing.T) {
	for _, tt := range []struct {
		r    Report
		want string
	}{
		{Report{Image: "busybox:1.36", Status: Present}, "present  busybox:1.36"},
		{Report{Image: "httpd:2.4", Status: Pulled, From: "10.0.0.5:5000/library/httpd:2.4"}, "pulled   httpd:2.4 (through 10.0.0.5:5000/library/httpd:2.4)"},
		{Report{Image: "x:1", Status: Failed, Error: "pull x:1: no network"}, "failed   x:1: pull x:1: no network"},
	} {
		if got := tt.r.Line(); got != tt.want {
			t.Errorf("reportLine = %q, want %q", got, tt.want)
		}
	}
}

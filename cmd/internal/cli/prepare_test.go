package cli

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
)

func testImagesCourse(t *testing.T) *lessons.Course {
	t.Helper()
	lesson := func(id, solution string) []byte {
		return []byte("---\nformat_version: 1\nid: " + id + "\ntitle: T\nsummary: s\norder: 1\nminutes: 1\n---\n\n# T\n\n" +
			"```exercise\nid: ex\ntitle: E\ngoal: g\nflavour: host\nchecks:\n  - kind: container_exists\n    container: c\nhints: [h]\nsolution: " + solution + "\n```\n")
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
		want    []courseImage
	}{
		{"whole course", nil, nil, []courseImage{
			{Ref: "busybox:1.36", NeededBy: []string{"b/ex", "checks"}},
			{Ref: "httpd:2.4", NeededBy: []string{"a/ex", "b/ex"}},
			{Ref: "python:2.7-slim", NeededBy: []string{"c/ex"}},
		}},
		{"one lesson and an extra image", []string{"a"}, []string{"docker.io/library/alpine:3.20"}, []courseImage{
			{Ref: "alpine:3.20", NeededBy: []string{"--image"}},
			{Ref: "busybox:1.36", NeededBy: []string{"checks"}},
			{Ref: "httpd:2.4", NeededBy: []string{"a/ex"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := courseImages(c, tt.lessons, tt.extra)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("courseImages =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}

	got, err := courseImages(c, nil, []string{"Not/Valid"})
	if err != nil {
		t.Fatal(err)
	}
	if bad := got[0]; bad.Ref != "Not/Valid" || bad.Err == nil {
		t.Errorf("an invalid --image is kept, with its error: %+v", bad)
	}
	var usage usageError
	if _, err := courseImages(c, []string{"nope"}, nil); !errors.As(err, &usage) {
		t.Errorf("unknown lesson: err = %v, want a usage error", err)
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0B", 999: "999B", 1000: "1.0kB", 2_100_000: "2.1MB", 75_300_000: "75.3MB", 1_234_000_000: "1.2GB"} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestReportLine(t *testing.T) {
	for _, tt := range []struct {
		r    imageReport
		want string
	}{
		{imageReport{Image: "busybox:1.36", Status: imagePresent}, "present  busybox:1.36"},
		{imageReport{Image: "httpd:2.4", Status: imagePulled, From: "10.0.0.5:5000/library/httpd:2.4"}, "pulled   httpd:2.4 (through 10.0.0.5:5000/library/httpd:2.4)"},
		{imageReport{Image: "x:1", Status: imageFailed, Error: "pull x:1: no network"}, "failed   x:1: pull x:1: no network"},
	} {
		if got := reportLine(tt.r); got != tt.want {
			t.Errorf("reportLine = %q, want %q", got, tt.want)
		}
	}
}

// TestPullView drives the progress display as a terminal would see it
// (lines redrawn in place) and as a pipe would (one line per event).
func TestPullView(t *testing.T) {
	run := func(tty bool) string {
		streams, _, out, _ := iostreams.Test()
		streams.OutTTY = tty
		f := NewFactory(streams, func(string) string { return "" }, t.TempDir())
		v := newPullView(&prepareOptions{f: f})
		v.settled(imageReport{Image: "busybox:1.36", Status: imagePresent})
		v.queue("httpd:2.4")
		v.queue("python:2.7-slim")
		v.start("httpd:2.4")
		v.lastDraw = time.Time{}
		v.progress(sandbox.PullEvent{Ref: "httpd:2.4", Status: "Downloading", Layers: 3, Done: 1, Current: 5_000_000, Total: 20_000_000})
		v.finish(imageReport{Image: "httpd:2.4", Status: imagePulled})
		v.start("python:2.7-slim")
		v.finish(imageReport{Image: "python:2.7-slim", Status: imageFailed, Error: "pull python:2.7-slim: no network"})
		v.close()
		return out.String()
	}

	plain := run(false)
	want := "present  busybox:1.36\npulling  httpd:2.4\npulled   httpd:2.4\npulling  python:2.7-slim\nfailed   python:2.7-slim: pull python:2.7-slim: no network\n"
	if plain != want {
		t.Errorf("plain output:\n%s\nwant\n%s", plain, want)
	}

	live := run(true)
	for _, s := range []string{
		"present  busybox:1.36\n",
		"\r\x1b[2Kwaiting  python:2.7-slim\n",
		"\x1b[2A\r\x1b[2Kpulling  httpd:2.4  Downloading  1/3 layers  [===         ] 5.0MB/20.0MB\n",
		"\x1b[2A\r\x1b[2Kpulled   httpd:2.4\n\r\x1b[2Kfailed   python:2.7-slim: pull python:2.7-slim: no network\n",
	} {
		if !strings.Contains(live, s) {
			t.Errorf("live output lacks %q:\n%q", s, live)
		}
	}
}

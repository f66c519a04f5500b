package preparecmd

import (
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/cmd/internal/factory"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/prepare"
	"github.com/dockdojo/dockdojo/sandbox"
)

// TestPullView drives the progress display as a terminal would see it
// (lines redrawn in place) and as a pipe would (one line per event).
func TestPullView(t *testing.T) {
	run := func(tty bool) string {
		streams, _, out, _ := iostreams.Test()
		streams.OutTTY = tty
		f := factory.New(streams, func(string) string { return "" }, t.TempDir())
		v := newPullView(&Options{F: f})
		v.Settled(prepare.Report{Image: "busybox:1.36", Status: prepare.Present})
		v.Queued("httpd:2.4")
		v.Queued("python:2.7-slim")
		v.Started("httpd:2.4")
		v.lastDraw = time.Time{}
		v.Progress(sandbox.PullEvent{Ref: "httpd:2.4", Status: "Downloading", Layers: 3, Done: 1, Current: 5_000_000, Total: 20_000_000})
		v.Finished(prepare.Report{Image: "httpd:2.4", Status: prepare.Pulled})
		v.Started("python:2.7-slim")
		v.Finished(prepare.Report{Image: "python:2.7-slim", Status: prepare.Failed, Error: "pull python:2.7-slim: no network"})
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
		"\x1b[1A\r\x1b[Jwaiting  httpd:2.4\nwaiting  python:2.7-slim\n",
		"\x1b[2A\r\x1b[Jpulling  httpd:2.4  Downloading  1/3 layers  [===         ] 5MB/20MB\nwaiting  python:2.7-slim\n",
		"\x1b[2A\r\x1b[Jpulled   httpd:2.4\nfailed   python:2.7-slim: pull python:2.7-slim: no network\n",
	} {
		if !strings.Contains(live, s) {
			t.Errorf("live output lacks %q:\n%q", s, live)
		}
	}
}

package session

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
)

// fakeEvents stands for the engine's event stream.
type fakeEvents struct {
	ch   chan sandbox.Event
	errs chan error
}

func newFakeEvents() *fakeEvents {
	return &fakeEvents{ch: make(chan sandbox.Event), errs: make(chan error, 1)}
}

func (f *fakeEvents) subscribe(ctx context.Context, _ sandbox.EventFilter) (<-chan sandbox.Event, <-chan error) {
	return f.ch, f.errs
}

func result(passed bool) checker.Result {
	o := checker.Outcome{Kind: "container_running", Title: "container dojo-web is running", Passed: passed}
	if !passed {
		o.Message = "there is no container named dojo-web"
	}
	return checker.Result{Outcomes: []checker.Outcome{o}}
}

// showingWatcher is a watcher of ev's events that judges with check and
// shows its verdicts on the channel it returns, which holds ten unread.
func showingWatcher(ev *fakeEvents, check func(context.Context) (checker.Result, error)) (*watcher, chan Verdict) {
	verdicts := make(chan Verdict, 10)
	return &watcher{events: ev.subscribe, check: check, show: func(v Verdict) { verdicts <- v }}, verdicts
}

// runWatcher runs w until it ends or 20 s pass; next is its next verdict,
// done what run returned.
func runWatcher(t *testing.T, w *watcher, verdicts <-chan Verdict) (ctx context.Context, next func() Verdict, done <-chan error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	errs := make(chan error, 1)
	go func() { _, err := w.run(ctx); errs <- err }()
	next = func() Verdict {
		t.Helper()
		select {
		case v := <-verdicts:
			return v
		case <-ctx.Done():
			t.Fatal("no verdict within the deadline")
		}
		return Verdict{}
	}
	return ctx, next, errs
}

// TestWatcherDebouncesAndNeverOverlaps sends a burst of events while a
// check is running: the burst leads to exactly one more check, and no two
// checks ever run at once.
func TestWatcherDebouncesAndNeverOverlaps(t *testing.T) {
	ev := newFakeEvents()
	var running, overlaps, checks atomic.Int32
	release := make(chan struct{})
	w, verdicts := showingWatcher(ev, func(ctx context.Context) (checker.Result, error) {
		if running.Add(1) > 1 {
			overlaps.Add(1)
		}
		defer running.Add(-1)
		n := checks.Add(1)
		if n == 2 {
			<-release // the second check is slow
		}
		return result(n >= 3), nil
	})
	_, next, done := runWatcher(t, w, verdicts)

	if v := next(); v.Cause != "the first look" || v.Result.Passed() {
		t.Fatalf("first verdict = %+v, want a failing check at start", v)
	}
	start := time.Now()
	for range 5 {
		ev.ch <- sandbox.Event{Type: "container", Action: "start", Name: "dojo-web"}
	}
	// The second check is now running (and held); more events meanwhile.
	for checks.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	if took := time.Since(start); took < watchDebounce {
		t.Errorf("a check ran %s after the first event, before the debounce of %s", took, watchDebounce)
	}
	for range 5 {
		ev.ch <- sandbox.Event{Type: "container", Action: "die", Name: "dojo-web"}
	}
	close(release)
	next() // the held check's verdict
	if v := next(); !v.Result.Passed() || v.Cause != "container dojo-web exited" {
		t.Errorf("verdict after the burst = %+v, want passing, caused by the last change of the burst", v)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := checks.Load(); n != 3 {
		t.Errorf("%d checks, want 3: one at start, one per burst", n)
	}
	if overlaps.Load() != 0 {
		t.Error("two checks ran at once")
	}
}

func TestWatcherStopsOnBrokenStream(t *testing.T) {
	ev := newFakeEvents()
	w := &watcher{
		events: ev.subscribe,
		check:  func(context.Context) (checker.Result, error) { return result(false), nil },
		show:   func(Verdict) {},
	}
	ev.errs <- sandbox.ErrUnreachable
	_, err := w.run(context.Background())
	if !errors.Is(err, sandbox.ErrUnreachable) {
		t.Fatalf("run = %v, want the stream's error", err)
	}
}

func TestWatchFilesSeesNewFolders(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	causes := make(chan string, 100)
	ok, err := watchFiles(ctx, dir, func(c string) { causes <- c })
	if !ok || err != nil {
		t.Fatalf("watchFiles = %v, %v", ok, err)
	}
	if err := os.Mkdir(filepath.Join(dir, "site"), 0o755); err != nil {
		t.Fatal(err)
	}
	wait := func(want string) {
		t.Helper()
		timeout := time.After(10 * time.Second)
		for {
			select {
			case c := <-causes:
				if c == want {
					return
				}
			case <-timeout:
				t.Fatalf("no %q within 10s", want)
			}
		}
	}
	wait("site changed")
	// The new folder is watched too; the write may race its watch being
	// added, so write until it is seen.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := os.WriteFile(filepath.Join(dir, "site", "index.html"), []byte("<h1>hi</h1>"), 0o644); err != nil {
			t.Fatal(err)
		}
		select {
		case c := <-causes:
			if c == "site/index.html changed" {
				return
			}
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("a file written in a new folder was not seen")
		}
	}
}

func TestWatchFilesWithoutWorkspace(t *testing.T) {
	ok, err := watchFiles(context.Background(), filepath.Join(t.TempDir(), "absent"), func(string) {})
	if ok || err != nil {
		t.Fatalf("watchFiles of a missing folder = %v, %v; want nothing watched, no error", ok, err)
	}
}

// TestRelevantIgnoresProbes: the checker's throwaway containers, their
// network connections, the creates of a volume that is there already
// (the engine reports one for each container that mounts it, a probe's
// too), and the tags of image_run's builds must not set off more checks.
func TestRelevantIgnoresProbes(t *testing.T) {
	own := newOwnEvents()
	probe := map[string]string{sandbox.LabelRole: "probe"}
	for _, c := range []struct {
		ev   sandbox.Event
		want string
	}{
		{sandbox.Event{Type: "container", Action: "create", ID: "p1", Name: "dockdojo-probe-1", Attributes: probe}, ""},
		{sandbox.Event{Type: "network", Action: "connect", Name: "bridge", Attributes: map[string]string{"container": "p1"}}, ""},
		{sandbox.Event{Type: "container", Action: "destroy", ID: "p1", Attributes: probe}, ""},
		{sandbox.Event{Type: "network", Action: "connect", Name: "dojo-net", Attributes: map[string]string{"container": "c2"}}, "a container joined network dojo-net"},
		{sandbox.Event{Type: "container", Action: "start", ID: "c2", Name: "dojo-web", Attributes: map[string]string{}}, "container dojo-web started"},
		{sandbox.Event{Type: "volume", Action: "create", ID: "dojo-data"}, "volume dojo-data was created"},
		{sandbox.Event{Type: "volume", Action: "create", ID: "dojo-data"}, ""},
		{sandbox.Event{Type: "volume", Action: "create", ID: "dojo-other"}, "volume dojo-other was created"},
		{sandbox.Event{Type: "volume", Action: "destroy", ID: "dojo-data"}, "volume dojo-data was removed"},
		{sandbox.Event{Type: "volume", Action: "create", ID: "dojo-data"}, "volume dojo-data was created"},
		{sandbox.Event{Type: "image", Action: "tag", Name: "dojo-app:1"}, "image dojo-app:1 was tagged"},
		{sandbox.Event{Type: "image", Action: "tag", Name: checker.BuildTag("dockerfiles/apt-get")}, ""},
	} {
		got, ok := relevant(c.ev, own)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("relevant(%s %s %s) = %q, %v; want %q", c.ev.Type, c.ev.Action, c.ev.Name, got, ok, c.want)
		}
	}
	if len(own.probes) != 0 {
		t.Errorf("probes left after destroy: %v", own.probes)
	}
}

// TestWatcherRejudgesAPassThatDies: a container that passes its checks in
// its first moments and dies at once. Its die event arrives within the
// confirmation window, the checks run again and fail, and the watch goes
// on: the short-lived pass is shown but never returned (so never recorded).
func TestWatcherRejudgesAPassThatDies(t *testing.T) {
	ev := newFakeEvents()
	var checks atomic.Int32
	w, verdicts := showingWatcher(ev, func(ctx context.Context) (checker.Result, error) {
		n := checks.Add(1)
		return result(n == 1 || n == 3), nil // passes, fails once dead, passes for good
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	done := make(chan checker.Result, 1)
	go func() { res, _ := w.run(ctx); done <- res }()
	if v := <-verdicts; !v.Result.Passed() {
		t.Fatalf("first verdict = %+v, want the short-lived pass", v)
	}
	ev.ch <- sandbox.Event{Type: "container", Action: "die", Name: "dojo-web"}
	if v := <-verdicts; v.Result.Passed() || v.Cause != "container dojo-web exited" {
		t.Fatalf("after the die event = %+v, want a failing verdict caused by it", v)
	}
	select {
	case <-done:
		t.Fatal("the watch ended on a pass that did not hold")
	default:
	}
	ev.ch <- sandbox.Event{Type: "container", Action: "start", Name: "dojo-web"}
	if v := <-verdicts; !v.Result.Passed() {
		t.Fatalf("after the start = %+v, want passing", v)
	}
	select {
	case res := <-done:
		if !res.Passed() {
			t.Errorf("the watch returned %+v, want the pass that held", res)
		}
	case <-ctx.Done():
		t.Fatal("a pass that held for the confirmation window was not returned")
	}
}

func TestScratchFilesAreNotNamed(t *testing.T) {
	for name, want := range map[string]bool{
		"greet/sedw2vXRd": true, "site/.index.html.swp": true, "4913": true, "Dockerfile~": true, "notes.tmp": true,
		"greet/Dockerfile": false, "site/index.html": false, "sedentary.md": false,
	} {
		if got := scratchFile(name); got != want {
			t.Errorf("scratchFile(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestWatcherKeepsQuietAboutOtherObjects: a change of an object that is
// not the exercise's is judged, but a verdict it leaves as it was is not
// shown again (naming it would blame the engine's other business); one
// that turns the verdict is shown, as a change outside the exercise.
func TestWatcherKeepsQuietAboutOtherObjects(t *testing.T) {
	ev := newFakeEvents()
	var checks atomic.Int32
	w, verdicts := showingWatcher(ev, func(ctx context.Context) (checker.Result, error) {
		return result(checks.Add(1) >= 4), nil
	})
	w.mine = func(e sandbox.Event) bool { return e.Name == "dojo-web" }
	ctx, next, done := runWatcher(t, w, verdicts)
	waitChecks := func(n int32) {
		t.Helper()
		for checks.Load() < n {
			if ctx.Err() != nil {
				t.Fatalf("%d checks, want %d", checks.Load(), n)
			}
			time.Sleep(time.Millisecond)
		}
	}
	next() // the first look
	ev.ch <- sandbox.Event{Type: "container", Action: "start", Name: "someone-elses-app"}
	waitChecks(2)
	ev.ch <- sandbox.Event{Type: "container", Action: "start", Name: "dojo-web"}
	if v := next(); v.Cause != "container dojo-web started" || v.Result.Passed() {
		t.Fatalf("after a change of the exercise's container = %+v; want it shown, caused by it (and nothing shown for the other app)", v)
	}
	ev.ch <- sandbox.Event{Type: "container", Action: "destroy", Name: "port-holder"}
	// Shown, but not named: what is not the exercise's may be anyone's.
	if v := next(); v.Cause != "a change outside this exercise" || !v.Result.Passed() {
		t.Errorf("a change elsewhere that turned the verdict = %+v; want it shown, without its name", v)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := checks.Load(); n != 4 {
		t.Errorf("%d checks, want 4: the first look and one per change", n)
	}
}

// TestExerciseEvents: the events of an exercise's own objects are the
// sandbox's, the owned objects', and those its checks name.
func TestExerciseEvents(t *testing.T) {
	c, err := lessons.Load(lessons.Source{FS: fstest.MapFS{"own/own.md": {Data: []byte(ownLesson)}}, Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := c.Exercise("own/web")
	if err != nil {
		t.Fatal(err)
	}
	mine := exerciseEvents(ex)
	project := map[string]string{checker.ComposeProjectLabel: "dojo-own-app"}
	for _, tt := range []struct {
		ev   sandbox.Event
		want bool
	}{
		{sandbox.Event{Type: "container", Action: "start", Name: "dojo-own-web"}, true},
		{sandbox.Event{Type: "container", Action: "start", Name: "dojo-own-app-web-1", Attributes: project}, true},
		{sandbox.Event{Type: "container", Action: "start", Name: "dojo-other"}, false},
		{sandbox.Event{Type: "network", Action: "connect", Name: "dojo-own-net"}, true},
		{sandbox.Event{Type: "network", Action: "connect", Name: "bridge"}, false},
		{sandbox.Event{Type: "volume", Action: "create", ID: "dojo-own-data"}, true},
		{sandbox.Event{Type: "volume", Action: "create", ID: "dojo-other-data"}, false},
		{sandbox.Event{Type: "image", Action: "tag", Name: "dojo-own-img:1.0"}, true},
		{sandbox.Event{Type: "image", Action: "pull", Name: "busybox:1.36"}, false},
	} {
		if got := mine(tt.ev); got != tt.want {
			t.Errorf("mine(%s %s %s%s) = %v, want %v", tt.ev.Type, tt.ev.Action, tt.ev.Name, tt.ev.ID, got, tt.want)
		}
	}
}

const ownLesson = `---
format_version: 1
id: own
title: Own
summary: Its own objects.
order: 1
minutes: 5
---

# Own

` + "```exercise" + `
id: web
title: Web
goal: Run dojo-own-web on dojo-own-net with dojo-own-data, from dojo-own-img:1.0, and the Compose project dojo-own-app.
flavour: host
checks:
  - kind: container_on_network
    container: dojo-own-web
    network: dojo-own-net
  - kind: volume_exists
    volume: dojo-own-data
  - kind: image_exists
    image: dojo-own-img:1.0
  - kind: compose_services
    project: dojo-own-app
    services: [web]
hints: [Run it.]
solution: docker run -d --name dojo-own-web busybox:1.36 sleep 300
owns:
  containers: [dojo-own-web, dojo-own-app-web-1]
  networks: [dojo-own-net]
  volumes: [dojo-own-data]
  images: [dojo-own-img:1.0]
` + "```" + `
`

// After the learner removes something, a watch whose checks put a probe on
// a network of theirs waits until the engine has been quiet for watchQuiet
// before it looks, so that their next command (a `docker network rm` after
// `docker rm -f`) does not find the probe's endpoint on the network; a
// burst of removals leads to one check, and a failing verdict after a
// removal gets no second look, whose probe would hold the network again.
// Anything else is judged as soon as ever.
func TestWatcherWaitsForQuietAfterARemoval(t *testing.T) {
	ev := newFakeEvents()
	var checks atomic.Int32
	at := make(chan time.Time, 10)
	w, verdicts := showingWatcher(ev, func(context.Context) (checker.Result, error) {
		n := checks.Add(1)
		at <- time.Now()
		return result(n == 5), nil
	})
	w.quiet = watchQuiet
	_, next, done := runWatcher(t, w, verdicts)
	next()
	<-at

	var last time.Time
	for _, name := range []string{"dojo-web", "dojo-client", "dojo-db"} {
		ev.ch <- sandbox.Event{Type: "container", Action: "destroy", Name: name}
		last = time.Now()
		time.Sleep(300 * time.Millisecond)
	}
	ev.ch <- sandbox.Event{Type: "network", Action: "disconnect", Name: "dojo-net"}
	last = time.Now()
	if v := next(); v.Result.Passed() {
		t.Fatalf("after the removals: %+v, want failing", v)
	}
	if checked := <-at; checked.Sub(last) < watchQuiet-20*time.Millisecond {
		t.Errorf("checked %s after the last removal, before the engine was quiet for %s", checked.Sub(last), watchQuiet)
	}
	if n := checks.Load(); n != 2 {
		t.Errorf("%d checks, want 2: the first look, and one for the removals", n)
	}
	// No second look: it would be another probe on the network.
	select {
	case v := <-verdicts:
		t.Fatalf("a second look after a removal: %+v", v)
	case <-time.After(watchSettleMin + 500*time.Millisecond):
	}

	// Something made is judged at once, and looked at again while it settles.
	ev.ch <- sandbox.Event{Type: "container", Action: "start", Name: "dojo-web"}
	sent := time.Now()
	next()
	if took := (<-at).Sub(sent); took > watchQuiet/2 {
		t.Errorf("a start was checked %s after it came, want the debounce of %s", took, watchDebounce)
	}
	if v := next(); v.Cause != settleCause {
		t.Errorf("after a start's failing verdict: %+v, want a second look", v)
	}
	<-at
	if v := next(); !v.Result.Passed() {
		t.Errorf("the next look: %+v, want the pass", v)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestWatcherSaysWhyItLooksAgain: a failing verdict after a change is
// checked again a moment on (a server may still be starting), and that
// verdict says so in words the learner has met, naming no one's objects;
// the events of the exercise's own say what happened to them.
func TestWatcherSaysWhyItLooksAgain(t *testing.T) {
	ev := newFakeEvents()
	var checks atomic.Int32
	w, verdicts := showingWatcher(ev, func(ctx context.Context) (checker.Result, error) {
		return result(checks.Add(1) >= 3), nil
	})
	_, next, done := runWatcher(t, w, verdicts)
	next() // the first look
	ev.ch <- sandbox.Event{Type: "container", Action: "start", Name: "dojo-web"}
	if v := next(); v.Cause != "container dojo-web started" {
		t.Errorf("after a change of the exercise's container = %+v; want it said as what happened", v)
	}
	if v := next(); v.Cause != "a short wait, in case something was still starting" || !v.Result.Passed() {
		t.Errorf("the look a moment later = %+v; want it said as a short wait", v)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// Only an exercise with a script on a network of the learner's waits.
func TestQuietAfterTeardown(t *testing.T) {
	for _, tc := range []struct {
		network string
		want    time.Duration
	}{
		{"dojo-try-dns-net", watchQuiet},
		{"", 0}, {"none", 0}, {"bridge", 0}, {"container:dojo-web", 0},
	} {
		ex := &lessons.Exercise{Checks: []checker.Check{{Spec: &checker.Script{Script: "true", Network: tc.network}}}}
		if got := quietAfterTeardown(ex); got != tc.want {
			t.Errorf("a script on network %q: %s, want %s", tc.network, got, tc.want)
		}
	}
}

// Another program busy on the engine (a test suite, another course) does
// not set off a check, and a probe on the learner's network, for each of
// its changes: a watch that waits for quiet waits for it after those too,
// and gives them no second look.
func TestWatcherWaitsForQuietAfterOthersChanges(t *testing.T) {
	ev := newFakeEvents()
	var checks atomic.Int32
	w, verdicts := showingWatcher(ev, func(context.Context) (checker.Result, error) {
		checks.Add(1)
		return result(false), nil
	})
	w.quiet = watchQuiet
	w.mine = func(e sandbox.Event) bool { return e.Name == "dojo-web" }
	_, next, _ := runWatcher(t, w, verdicts)
	next()
	for i := range 5 {
		ev.ch <- sandbox.Event{Type: "container", Action: "start", Name: fmt.Sprintf("someone-else-%d", i)}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(watchQuiet + watchSettleMin + 300*time.Millisecond)
	if n := checks.Load(); n != 2 {
		t.Errorf("%d checks, want 2: the first look, and one once the others' changes were over", n)
	}
}

// TestWatcherConfirmsAPassWhileOthersChange: a pass is recorded once it
// held for the confirmation window, however busy the engine is with other
// objects; their events were putting it off for as long as they came.
func TestWatcherConfirmsAPassWhileOthersChange(t *testing.T) {
	ev := newFakeEvents()
	var checks atomic.Int32
	w, verdicts := showingWatcher(ev, func(context.Context) (checker.Result, error) {
		checks.Add(1)
		return result(true), nil
	})
	w.mine = func(e sandbox.Event) bool { return e.Name == "dojo-web" }
	ctx, next, done := runWatcher(t, w, verdicts)
	noise := make(chan struct{})
	defer close(noise)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-noise:
				return
			case <-ctx.Done():
				return
			case ev.ch <- sandbox.Event{Type: "container", Action: "start", Name: fmt.Sprintf("restart-loop-%d", i)}:
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	if v := next(); !v.Result.Passed() {
		t.Fatalf("first verdict = %+v, want a pass", v)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(watchConfirm + 2*time.Second):
		t.Fatalf("the pass was not recorded within %s while other containers kept starting (%d checks)", watchConfirm+2*time.Second, checks.Load())
	}
}

package selftest

import (
	"slices"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/content"
	"github.com/dockdojo/dockdojo/lessons"
)

// await waits for c to close, and fails the test at the deadline.
func await(t *testing.T, c <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-c:
	case <-time.After(10 * time.Second):
		t.Errorf("%s: not seen within 10 s", what)
	}
}

// TestScheduleRunsFreeExercisesTogether: exercises 0 and 1 claim the same
// port, 2 claims nothing of theirs. 0 and 2 must run at once (0 waits for 2
// to start), 1 must wait for 0 to end.
func TestScheduleRunsFreeExercisesTogether(t *testing.T) {
	claims := [][]string{{"port 8080", "name a"}, {"port 8080", "name b"}, {"name c"}}
	began := []chan struct{}{make(chan struct{}), make(chan struct{}), make(chan struct{})}
	ended := []chan struct{}{make(chan struct{}), make(chan struct{}), make(chan struct{})}
	started := schedule(3, claims, func() bool { return false }, func(i int) {
		close(began[i])
		defer close(ended[i])
		switch i {
		case 0:
			await(t, began[2], "exercise 2 starting while 0 runs")
			select {
			case <-began[1]:
				t.Error("exercise 1 started while 0, which claims the same port, runs")
			default:
			}
		case 1:
			select {
			case <-ended[0]:
			default:
				t.Error("exercise 1 started before 0 ended")
			}
		}
	})
	if !slices.Equal(started, []bool{true, true, true}) {
		t.Errorf("started = %v; want all", started)
	}
}

func TestScheduleStartsNothingOnceStopped(t *testing.T) {
	var stop bool // read and written under the scheduler's own order: one at a time
	started := schedule(1, [][]string{{"a"}, {"b"}, {"c"}}, func() bool { return stop }, func(i int) {
		if i == 1 {
			stop = true
		}
	})
	if !slices.Equal(started, []bool{true, true, false}) {
		t.Errorf("started = %v; want the first two, then nothing after the stop", started)
	}
}

func TestClaimsOfTheBuiltInCourse(t *testing.T) {
	c, err := lessons.Load(lessons.Source{FS: content.FS(), Name: "content/course"})
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string][]string{}
	for _, ex := range c.Exercises() {
		byKey[ex.Key()] = claims(ex)
	}
	for key, want := range map[string][]string{
		"first-run/publish-page":         {"port 8080", "port 8081", "name dojo-web", "name dockdojo-first-run-publish-page"},
		"networks/resolve-by-name":       {"name dojo-net-lan", "name dojo-net-lan-2", "name dojo-net-ping", "name dojo-net-pong", "name dojo-net"},
		"networks/no-network":            {"name dojo-net-alone", "name dojo-net-closed"},
		"things-to-try/minecraft":        {"port 25565", "name dojo-try-mc", "name dojo-try-mc-data"},
		"compose/first-compose":          {"port 8110", "name dojo-cmp-hello-web", "name project dojo-cmp-hello"},
		"dockerfiles/entrypoint-and-cmd": {"name dockdojo-dockerfiles-entrypoint-and-cmd"},
	} {
		for _, w := range want {
			if !slices.Contains(byKey[key], w) {
				t.Errorf("claims of %s = %v; want %q among them", key, byKey[key], w)
			}
		}
		for _, c := range byKey[key] {
			if c == "name none" || c == "name bridge" || c == "name busybox:1.36" {
				t.Errorf("claims of %s hold %q, which every exercise may share", key, c)
			}
		}
	}
}

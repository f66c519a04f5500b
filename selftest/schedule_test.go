package selftest

import (
	"slices"
	"testing"
	"testing/fstest"
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
	started := schedule(3, claims, make([]int, 3), func() bool { return false }, func(i int) {
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
	started := schedule(1, [][]string{{"a"}, {"b"}, {"c"}}, make([]int, 3), func() bool { return stop }, func(i int) {
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

// imageChain has an exercise that makes an image, and one that continues
// it and runs a container of that image without naming the image in its
// scripts.
const imageChain = "---\nformat_version: 1\nid: dojotest-chain\ntitle: Chain\nsummary: Two exercises, one after the other.\n---\n\n# Chain\n\n" +
	"```exercise\nid: bake\ntitle: Bake\ngoal: Build dojotest-greet:1.0.\nflavour: host\nchecks:\n  - kind: image_exists\n    image: dojotest-greet:1.0\nhints: [Build it., Tag it.]\nsolution: docker tag busybox:1.36 dojotest-greet:1.0\nowns:\n  images: [\"dojotest-greet:1.0\"]\n```\n\n" +
	"```exercise\nid: run-it\ntitle: Run it\ngoal: Run dojotest-greeter.\nflavour: host\ncontinues: bake\nchecks:\n  - kind: container_running\n    container: dojotest-greeter\nhints: [Run it., Name it.]\nsolution: docker run -d --name dojotest-greeter \"$(docker image ls -q | head -n 1)\" sleep 300\nowns:\n  containers: [dojotest-greeter]\n```\n"

// TestClaimsHoldTheChain: an exercise claims what the exercises it
// continues claim: its self-test runs their solutions first and uses what
// they made, so it must not run beside them.
func TestClaimsHoldTheChain(t *testing.T) {
	c, err := lessons.Load(lessons.Source{FS: fstest.MapFS{"chain/chain.md": {Data: []byte(imageChain)}}, Name: "testdata"})
	if err != nil {
		t.Fatal(err)
	}
	bake, runIt := c.Exercises()[0], c.Exercises()[1]
	if got := claims(runIt); !slices.Contains(got, "name dojotest-greet:1.0") || !slices.Contains(got, "name dojotest-greeter") {
		t.Errorf("claims of %s = %v; want its own and those of %s", runIt.Key(), got, bake.Key())
	}
}

// TestScheduleStartsTheCostliestFirst: with one at a time, the free items
// start from the costliest down, and among equals in order; one whose
// claims are taken waits.
func TestScheduleStartsTheCostliestFirst(t *testing.T) {
	var order []int // appended one at a time: n is 1
	schedule(1, [][]string{{"a"}, {"b"}, {"c"}, {"d"}}, []int{1, 5, 1, 9}, func() bool { return false }, func(i int) {
		order = append(order, i)
	})
	if !slices.Equal(order, []int{3, 1, 0, 2}) {
		t.Errorf("order = %v; want [3 1 0 2]", order)
	}
}

// TestCostOfTheBuiltInCourse: the guess ranks the exercises that build and
// bring Compose projects up, run after run, above the short ones, so that
// they do not start last and run alone at the end.
func TestCostOfTheBuiltInCourse(t *testing.T) {
	c, err := lessons.Load(lessons.Source{FS: content.FS(), Name: "content/course"})
	if err != nil {
		t.Fatal(err)
	}
	costOf := map[string]int{}
	for _, ex := range c.Exercises() {
		costOf[ex.Key()] = cost(ex)
	}
	for _, long := range []string{"compose/two-services", "dockerfiles/ship-it"} {
		for _, short := range []string{"images-containers/create-only", "networks/no-network", "images-containers/save-the-logs"} {
			if costOf[long] <= 2*costOf[short] {
				t.Errorf("cost of %s = %d, of %s = %d; want the first (about 50 s) well above the second (under 10 s)", long, costOf[long], short, costOf[short])
			}
		}
	}
}

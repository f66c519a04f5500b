package exercise

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// scopedLesson has a sandbox on a network of its own, and a check on the
// one container it owns.
func scopedLesson(network, owned string) string {
	return fmt.Sprintf("---\nformat_version: 1\nid: scoped\ntitle: Scoped\nsummary: What a lesson reaches.\n---\n\n```exercise\n"+
		"id: own\ntitle: Own\ngoal: Run %[2]s.\nflavour: host\n"+
		"sandbox:\n  image: busybox:1.36\n  network: %[1]s\n"+
		"checks:\n  - kind: container_running\n    container: %[2]s\n"+
		"hints: [One., Two.]\nsolution: docker run -d --name %[2]s busybox:1.36 sleep 300\n"+
		"owns:\n  containers: [%[2]s]\n```\n", network, owned)
}

// TestALessonReachesOnlyItsExercise, at run time: a sandbox never joins a
// network dockdojo did not make, and a check that names another container
// (a lesson changed after it was loaded) is refused without running.
func TestALessonReachesOnlyItsExercise(t *testing.T) {
	eng, ctx := onEngine(t)
	labels := sandboxtest.Labels(t)
	id := fmt.Sprint(time.Now().UnixNano())
	learnersNet, owned, theirs := "dojotest-learners-net-"+id, "dojotest-owned-"+id, "dojotest-theirs-"+id

	// The learner's own network, which dockdojo did not make.
	if out, err := exec.Command("docker", "network", "create", learnersNet).CombinedOutput(); err != nil {
		t.Fatalf("docker network create: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("docker", "network", "rm", learnersNet).Run() })
	ex := firstExercise(t, fstest.MapFS{"scoped/scoped.md": {Data: []byte(scopedLesson(learnersNet, owned))}})
	resetWhenDone(t, eng, ex)
	if _, err := Start(ctx, eng, ex, t.TempDir(), Output{}); err == nil || !strings.Contains(err.Error(), "a network named "+learnersNet+" already exists and dockdojo did not make it") {
		t.Fatalf("start on the learner's network: %v; want it refused", err)
	}
	n, err := eng.InspectNetwork(ctx, learnersNet)
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Containers) != 0 {
		t.Errorf("the learner's network has %v on it", n.Containers)
	}

	// A check changed after loading, to name a container the exercise does
	// not own.
	dockerRun(t, theirs, labels, "busybox:1.36", "sleep", "300")
	t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", theirs).Run() })
	ex.Checks = append(ex.Checks, checker.Check{Kind: "exec", Spec: &checker.Exec{Container: theirs, Command: []string{"touch", "/tmp/reached"}}})
	res, err := Check(ctx, eng, ex, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if o := res.Outcomes[1]; o.Passed || !strings.Contains(o.Message, "dockdojo refuses this check: the container "+theirs+" is not the exercise's") {
		t.Errorf("the check on %s: %+v; want it refused", theirs, o)
	}
	if r, err := eng.Exec(ctx, theirs, []string{"ls", "/tmp/reached"}); err != nil || r.ExitCode == 0 {
		t.Errorf("a refused check ran in %s (%v)", theirs, err)
	}
}

// dockerRun runs a container named name with the docker command, as a
// learner makes one of their own (not through package sandbox), labelled
// with labels; args are the rest of `docker run -d`: options, image and
// command.
func dockerRun(t *testing.T, name string, labels map[string]string, args ...string) {
	t.Helper()
	run := []string{"run", "-d", "--name", name}
	for k, v := range labels {
		run = append(run, "--label", k+"="+v)
	}
	if out, err := exec.Command("docker", append(run, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("docker run: %v\n%s", err, out)
	}
}

// TestRefusedStartLeavesNothing: a start refused because a volume the
// sandbox mounts is the learner's own makes nothing first: the sandbox's
// network, which comes before the volume, is not there afterwards.
func TestRefusedStartLeavesNothing(t *testing.T) {
	eng, ctx := onEngine(t)
	id := fmt.Sprint(time.Now().UnixNano())
	network, volume := "dojotest-sv-net-"+id, "dojotest-sv-data-"+id
	if out, err := exec.Command("docker", "volume", "create", volume).CombinedOutput(); err != nil {
		t.Fatalf("docker volume create: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("docker", "volume", "rm", volume).Run() })
	lesson := strings.Replace(scopedLesson(network, "dojotest-sv-"+id), "  network: "+network+"\n",
		"  network: "+network+"\n  mounts:\n    - {type: volume, source: "+volume+", target: /data}\n", 1)
	ex := firstExercise(t, fstest.MapFS{"scoped/scoped.md": {Data: []byte(lesson)}})
	resetWhenDone(t, eng, ex)
	if _, err := Start(ctx, eng, ex, t.TempDir(), Output{}); err == nil || !strings.Contains(err.Error(), "a volume named "+volume+" already exists and dockdojo did not make it") {
		t.Fatalf("start with the learner's volume: %v; want it refused", err)
	}
	if _, err := eng.InspectNetwork(ctx, network); !errors.Is(err, sandbox.ErrNotFound) {
		t.Errorf("the refused start left its network %s: %v", network, err)
	}
}

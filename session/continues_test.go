package session

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/exercise"
)

// twoSteps: the second exercise stops the container the first one runs,
// and reads the first one's starter file in the workspace they share.
const twoSteps = "---\nformat_version: 1\nid: steps\ntitle: Steps\nsummary: One exercise continues another.\n---\n\n" +
	"```exercise\nid: run\ntitle: Run\ngoal: Keep dojo-session-steps running.\nflavour: host\nworkspace: [note.txt]\nchecks:\n  - kind: container_running\n    container: dojo-session-steps\nhints: [Run it.]\n" +
	"solution: docker run -d --name dojo-session-steps busybox:1.36 sleep 300\nowns:\n  containers: [dojo-session-steps]\n```\n\n" +
	"```exercise\nid: stop\ntitle: Stop\ngoal: Stop dojo-session-steps.\nflavour: host\ncontinues: run\nchecks:\n  - kind: workspace_file\n    path: note.txt\n    contains: from the first step\n" +
	"  - kind: container_state\n    container: dojo-session-steps\n    state: exited\nhints: [Stop it.]\nsolution: docker stop dojo-session-steps\nowns:\n  containers: [dojo-session-steps]\n```\n"

// TestContinuedExercise: an exercise that continues another finds that one
// not done, gets it done by its reference solution, and then starts in the
// same workspace, from what it left, with no warning about the names it
// made.
func TestContinuedExercise(t *testing.T) {
	s, eng := engineSession(t, fstest.MapFS{
		"steps/steps.md": {Data: []byte(twoSteps)},
		"steps/note.txt": {Data: []byte("a note from the first step\n")},
	}, nil)
	run, stop := s.Course().Exercises()[0], s.Course().Exercises()[1]
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	const name = "dojo-session-steps"
	_ = eng.RemoveContainer(ctx, name)
	t.Cleanup(func() { _ = eng.RemoveContainer(context.Background(), name) })

	missing, err := s.Earlier(ctx, stop)
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) != 1 || missing[0].Exercise != run || missing[0].Passed || !strings.Contains(missing[0].Failure.Message, "there is no container named "+name) {
		t.Fatalf("Earlier(stop) = %+v; want run, never passed, failing for the missing container", missing)
	}
	if _, err := s.Solve(ctx, run, exercise.Output{}); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.State(); !st.Exercise(run.Key()).SolutionSeen {
		t.Error("running the reference solution was not recorded as the solution seen")
	}
	if missing, err := s.Earlier(ctx, stop); err != nil || len(missing) != 0 {
		t.Fatalf("after the solution ran, Earlier(stop) = %+v, %v; want nothing missing", missing, err)
	}
	if s.Workspace(stop) != s.Workspace(run) {
		t.Errorf("workspaces %s and %s; want the one of the chain", s.Workspace(stop), s.Workspace(run))
	}
	st, err := s.Start(ctx, stop, exercise.Output{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Warnings) > 0 {
		t.Errorf("start warns about what the earlier exercise made: %v", st.Warnings)
	}
	res, err := s.Check(ctx, stop)
	if err != nil {
		t.Fatal(err)
	}
	if f := res.FirstFailure(); f == nil || !strings.Contains(f.Message, "is running, expected exited") {
		t.Fatalf("before the container is stopped: %+v; want the state check to fail, the note to be found", res)
	}
	if out, err := exercise.RunScript(ctx, stop, s.opts.Workspace, "", stop.Solution, 0); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if res, err := s.Check(ctx, stop); err != nil || !res.Passed() {
		t.Fatalf("after the container stopped: %+v, %v; want a pass", res, err)
	}
}

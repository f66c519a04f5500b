package session

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/progress"
)

// aSharedNote is a shell exercise whose sandbox mounts the learner's
// workspace, as the course's shell exercises do.
const aSharedNote = "---\nformat_version: 1\nid: two\ntitle: Two learners\nsummary: One engine.\n---\n\n" +
	"```exercise\nid: note\ntitle: Note\ngoal: Write here into /root/note.txt.\nflavour: shell\nworkspace: [todo.txt]\nsandbox:\n  image: busybox:1.36\n  mounts:\n    - {type: workspace, target: /work}\n" +
	"checks:\n  - kind: exec\n    command: [cat, /root/note.txt]\n    output_contains: here\n" +
	"hints: [Write it.]\nsolution: docker exec \"$DOJO_SANDBOX\" sh -c 'echo here > /root/note.txt'\n```\n"

// TestTwoLearnersOnOneEngine: two learners (two progress files, two
// workspace folders) share an engine, and so the name of an exercise's
// sandbox. The second finds the first's sandbox another's: not started
// over, not checked, not opened, not reset unasked; the first keeps
// working in it. A learner whose progress file is lost finds their own
// sandbox theirs again, by the workspace folder it was made for. Only a
// start that agreed to replace that very run replaces it.
func TestTwoLearnersOnOneEngine(t *testing.T) {
	fsys := fstest.MapFS{"two/two.md": {Data: []byte(aSharedNote)}, "two/todo.txt": {Data: []byte("water the plants\n")}}
	a, eng := engineSession(t, fsys, nil)
	b, _ := engineSession(t, fsys, nil)
	exA, _ := a.Exercise("two/note")
	exB, _ := b.Exercise("two/note")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	name := exercise.SandboxName(exA)
	_ = eng.RemoveContainer(ctx, name)
	t.Cleanup(func() { _, _ = exercise.RemoveGone(context.Background(), eng, exA.Key()) })

	stA, err := a.Start(ctx, exA, exercise.Output{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Exec(ctx, name, []string{"sh", "-c", "echo here > /root/note.txt"}); err != nil {
		t.Fatal(err)
	}
	isOthers := func(what string, err error) {
		t.Helper()
		var other *OtherSandboxError
		if !errors.As(err, &other) || other.Sandbox.Run != stA.Run || !strings.Contains(err.Error(), "it mounts their workspace folder "+a.Workspace(exA)) {
			t.Errorf("%s by the second learner: %v; want the first learner's sandbox, run %s, said to be another's", what, err, stA.Run)
		}
	}
	_, err = b.Start(ctx, exB, exercise.Output{}, "")
	isOthers("start", err)
	_, err = b.Check(ctx, exB)
	isOthers("check", err)
	_, err = b.Sandbox(ctx, exB)
	isOthers("shell", err)
	asked := 0
	removed, _, err := b.Reset(ctx, exB, func(exercise.Found) (bool, error) { asked++; return false, nil }, func([]exercise.Object) (bool, error) { return true, nil })
	isOthers("reset", err)
	if asked != 1 || len(removed) > 0 {
		t.Errorf("reset asked %d times whether to remove another's sandbox, removed %v; want asked once, nothing removed", asked, removed)
	}
	if _, err := os.Stat(b.Workspace(exB)); err == nil {
		t.Errorf("the second learner's workspace %s was made, though nothing started", b.Workspace(exB))
	}
	if st, err := b.State(); err != nil || st.Exercises[exB.Key()] != nil {
		t.Errorf("the second learner's progress has %+v (%v); want nothing of the exercise", st.Exercises[exB.Key()], err)
	}

	// The first learner works on, in the sandbox they made.
	if res, err := a.Check(ctx, exA); err != nil || !res.Passed() {
		t.Fatalf("the first learner's check: %+v, %v; want a pass in their own sandbox", res, err)
	}
	// Their progress file lost: the sandbox is still theirs, and its run
	// recorded again.
	if err := os.Remove(a.ProgressPath()); err != nil {
		t.Fatal(err)
	}
	if other, err := a.OtherSandbox(ctx, exA); other != nil || err != nil {
		t.Fatalf("after the first learner's progress was lost: %+v, %v; want their own sandbox", other, err)
	}
	if st, err := a.State(); err != nil || st.Exercise(exA.Key()).Run != stA.Run {
		t.Errorf("the run recorded again: %+v, %v; want %s", st.Exercises[exA.Key()], err, stA.Run)
	}

	// Agreeing to replace another run than the one there replaces nothing.
	if _, err := b.Start(ctx, exB, exercise.Output{}, "0000ffff"); err == nil {
		t.Fatal("a start that agreed to replace another run replaced the sandbox")
	}
	stB, err := b.Start(ctx, exB, exercise.Output{}, stA.Run)
	if err != nil {
		t.Fatalf("a start that agreed to replace run %s: %v", stA.Run, err)
	}
	if _, err := a.Check(ctx, exA); !errors.As(err, new(*OtherSandboxError)) {
		t.Errorf("the first learner's check once the second replaced their sandbox: %v; want it said another's", err)
	}
	if res, err := b.Check(ctx, exB); err != nil || res.Passed() {
		t.Errorf("the second learner's check in their new sandbox (run %s): %+v, %v; want a verdict, not passed", stB.Run, res, err)
	}
}

// TestReseedSaysGoneOnlyOfAFolderTheLearnerHad: a workspace folder that is
// missing was gone only for a learner who started the exercise; for one
// who never did, it is new.
func TestReseedSaysGoneOnlyOfAFolderTheLearnerHad(t *testing.T) {
	fsys := fstest.MapFS{"two/two.md": {Data: []byte(aSharedNote)}, "two/todo.txt": {Data: []byte("water the plants\n")}}
	s, _ := engineSession(t, fsys, nil)
	ex, _ := s.Exercise("two/note")
	seeded, gone, err := s.Reseed(ex)
	if err != nil || gone || len(seeded) != 1 {
		t.Fatalf("Reseed for a learner who never started it = %v, gone %v, %v; want todo.txt seeded, nothing gone", seeded, gone, err)
	}
	if err := s.update(func(p *progress.State) { p.Exercise(ex.Key()).Started = time.Now() }); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(s.Workspace(ex)); err != nil {
		t.Fatal(err)
	}
	if _, gone, err := s.Reseed(ex); err != nil || !gone {
		t.Errorf("Reseed once started, the folder removed: gone %v, %v; want gone", gone, err)
	}
}

// aChain: the second exercise goes on from the first, whose sandbox holds
// the note.
const aChain = "---\nformat_version: 1\nid: twochain\ntitle: Two learners, a chain\nsummary: One engine.\n---\n\n" +
	"```exercise\nid: one\ntitle: One\ngoal: Write here into /root/note.txt.\nflavour: shell\nsandbox:\n  image: busybox:1.36\n" +
	"checks:\n  - kind: exec\n    command: [cat, /root/note.txt]\n    output_contains: here\n" +
	"hints: [Write it.]\nsolution: docker exec \"$DOJO_SANDBOX\" sh -c 'echo here > /root/note.txt'\n```\n\n" +
	"```exercise\nid: two\ntitle: Two\ngoal: Write there into /root/note.txt.\nflavour: shell\ncontinues: one\nsandbox:\n  image: busybox:1.36\n" +
	"checks:\n  - kind: exec\n    command: [cat, /root/note.txt]\n    output_contains: there\n" +
	"hints: [Write it.]\nsolution: docker exec \"$DOJO_SANDBOX\" sh -c 'echo there > /root/note.txt'\n```\n"

// TestAnotherLearnersEarlierExercise: the exercise that another goes on
// from has the first learner's sandbox. For the second learner it is not
// done (it is not theirs), its checks are not run in that sandbox, and its
// reference solution does not start it over.
func TestAnotherLearnersEarlierExercise(t *testing.T) {
	fsys := fstest.MapFS{"twochain/twochain.md": {Data: []byte(aChain)}}
	a, eng := engineSession(t, fsys, nil)
	b, _ := engineSession(t, fsys, nil)
	oneA, _ := a.Exercise("twochain/one")
	oneB, _ := b.Exercise("twochain/one")
	twoB, _ := b.Exercise("twochain/two")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	t.Cleanup(func() { _, _ = exercise.RemoveGone(context.Background(), eng, oneA.Key()) })

	stA, err := a.Start(ctx, oneA, exercise.Output{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Exec(ctx, stA.Sandbox, []string{"sh", "-c", "echo here > /root/note.txt"}); err != nil {
		t.Fatal(err)
	}
	missing, err := b.Earlier(ctx, twoB)
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) != 1 || missing[0].Exercise != oneB || !strings.Contains(missing[0].Failure.Message, "another dockdojo user's of this engine (run "+stA.Run+")") {
		t.Fatalf("Earlier(two) for the second learner = %+v; want one missing, its sandbox another's", missing)
	}
	if _, err := b.Solve(ctx, oneB, exercise.Output{}); !errors.As(err, new(*OtherSandboxError)) {
		t.Fatalf("Solve(one) for the second learner: %v; want the first learner's sandbox said another's", err)
	}
	if res, err := a.Check(ctx, oneA); err != nil || !res.Passed() {
		t.Errorf("the first learner's check after: %+v, %v; want their sandbox and note as they were", res, err)
	}
}

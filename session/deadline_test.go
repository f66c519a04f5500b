package session

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/exercise"
)

// aNote is a shell exercise whose check reads a file of the sandbox.
const aNote = "---\nformat_version: 1\nid: dl\ntitle: Deadlines\nsummary: A check that waits.\n---\n\n" +
	"```exercise\nid: note\ntitle: Note\ngoal: Write here into /root/note.txt.\nflavour: shell\nsandbox:\n  image: busybox:1.36\n" +
	"checks:\n  - kind: exec\n    command: [cat, /root/note.txt]\n    output_contains: here\n    timeout: 1\n" +
	"hints: [Write it., echo here > /root/note.txt]\nsolution: docker exec \"$DOJO_SANDBOX\" sh -c 'echo here > /root/note.txt'\n```\n"

// TestWatchOutlivesASlowCheck: the note is a named pipe, so reading it
// waits forever. watch shows the check cut off at its deadline, keeps
// judging, and sees the note once it is fixed.
func TestWatchOutlivesASlowCheck(t *testing.T) {
	s, eng := engineSession(t, fstest.MapFS{"dl/dl.md": {Data: []byte(aNote)}}, nil)
	ex, _ := s.Exercise("dl/note")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	t.Cleanup(func() {
		_, _, _ = s.Reset(context.Background(), ex, nil, func([]exercise.Object) (bool, error) { return true, nil })
	})
	st, err := s.Start(ctx, ex, exercise.Output{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Exec(ctx, st.Sandbox, []string{"mkfifo", "/root/note.txt"}); err != nil {
		t.Fatal(err)
	}
	verdicts := make(chan Verdict, 100)
	done := make(chan error, 1)
	go func() {
		_, err := s.Watch(ctx, ex, WatchOptions{Poll: 200 * time.Millisecond, Show: func(v Verdict) { verdicts <- v }})
		done <- err
	}()
	first := <-verdicts
	if f := first.Result.FirstFailure(); f == nil || !strings.Contains(f.Message, "did not finish within 1 s") {
		t.Fatalf("first verdict = %+v; want the check cut off at its deadline", first.Result)
	}
	if _, err := eng.Exec(ctx, st.Sandbox, []string{"sh", "-c", "rm /root/note.txt && echo here > /root/note.txt"}); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("watch: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("watch did not see the fixed note within 20 s")
	}
}

package session

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/lessons"
)

// Two starts of one chain wait for each other (exercise.Start pauses the
// chain's sandboxes while it mounts a folder of the workspace, and two at
// once would resume what the other still needs frozen); starts of other
// exercises do not wait.
func TestStartsOfAChainTakeTurns(t *testing.T) {
	ex := func(id, continues string) string {
		s := "\n```exercise\nid: " + id + "\ntitle: T\ngoal: G.\nflavour: host\n"
		if continues != "" {
			s += "continues: " + continues + "\n"
		}
		return s + "checks:\n  - kind: image_exists\n    image: busybox:1.36\nhints: [One., Two.]\nsolution: \"true\"\n```\n"
	}
	src := "---\nformat_version: 1\nid: l\ntitle: T\nsummary: S.\n---\n" + ex("one", "") + ex("two", "one") + ex("three", "one") + ex("alone", "")
	c, err := lessons.Load(lessons.Source{FS: fstest.MapFS{"l/l.md": {Data: []byte(src)}}, Name: "course"})
	if err != nil {
		t.Fatal(err)
	}
	progressPath := filepath.Join(t.TempDir(), "progress.json")
	if err := os.MkdirAll(filepath.Join(filepath.Dir(progressPath), "locks"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := New(Options{ProgressPath: progressPath})
	get := func(key string) *lessons.Exercise {
		e, err := c.Exercise(key)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	unlock, err := s.lockChain(context.Background(), get("l/two"))
	if err != nil {
		t.Fatal(err)
	}
	for key, waits := range map[string]bool{"l/three": true, "l/one": true, "l/alone": false} {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		other, err := s.lockChain(ctx, get(key))
		cancel()
		if waits && err == nil {
			t.Errorf("a start of %s ran while one of l/two, of its chain, held the chain", key)
		}
		if !waits && err != nil {
			t.Errorf("a start of %s, of no chain, waited: %v", key, err)
		}
		if err == nil {
			other()
		}
	}
	unlock()
	if again, err := s.lockChain(context.Background(), get("l/three")); err != nil {
		t.Errorf("the chain once free: %v", err)
	} else {
		again()
	}
}

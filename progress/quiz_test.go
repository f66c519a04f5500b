package progress

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestAnswerCountsAttempts(t *testing.T) {
	s, _, _ := Load(filepath.Join(t.TempDir(), "progress.json"))
	s.Answer("first-run/publish-meaning", false)
	s.Answer("first-run/publish-meaning", true)
	q := s.Quizzes["first-run/publish-meaning"]
	if q == nil || !q.Correct || q.Attempts != 2 || q.Answered.IsZero() {
		t.Fatalf("after a wrong then a right answer: %+v", q)
	}
}

// TestOlderFileStillReads proves the fields added since format 1 was first
// written are optional: a file without them loads, and means what it did.
func TestOlderFileStillReads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	old := `{"version": 1, "exercises": {"a/b": {"started": "2026-11-27T10:00:00Z"}},
	  "quizzes": {"a/q": {"answered": "2026-11-27T10:05:00Z", "correct": true}}}`
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	s, notice, err := Load(path)
	if err != nil || notice != "" {
		t.Fatalf("Load = %q, %v", notice, err)
	}
	if q := s.Quizzes["a/q"]; q == nil || !q.Correct || q.Attempts != 0 {
		t.Errorf("quiz from an older file: %+v", q)
	}
}

func TestLastStarted(t *testing.T) {
	s, _, _ := Load(filepath.Join(t.TempDir(), "progress.json"))
	if got := s.LastStarted(); got != "" {
		t.Errorf("LastStarted of an empty state = %q", got)
	}
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	s.Exercise("a/one").Started = t0.Add(time.Minute)
	s.Exercise("a/two").Started = t0
	s.Exercise("a/three").Hints = 1 // never started
	if got := s.LastStarted(); got != "a/one" {
		t.Errorf("LastStarted = %q, want a/one", got)
	}
}

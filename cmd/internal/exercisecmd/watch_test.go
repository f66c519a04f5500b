package exercisecmd

import (
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/session"
)

// TestVerdictTextAllPass: the line under a checklist that passes whole
// reads as English for one check, two, and more.
func TestVerdictTextAllPass(t *testing.T) {
	ex := &lessons.Exercise{ID: "run-it", Goal: "Run it.", Lesson: &lessons.Lesson{ID: "watch"}}
	for total, want := range map[int]string{1: "The check passes.", 2: "Both checks pass.", 3: "All 3 checks pass.", 6: "All 6 checks pass."} {
		var res checker.Result
		for range total {
			res.Outcomes = append(res.Outcomes, checker.Outcome{Title: "a check", Passed: true})
		}
		got := verdictText(iostreams.ColorScheme{}, ex, session.Verdict{Result: res, Cause: "the first look", At: time.Now()})
		if !strings.Contains(got, "\n"+want+"\n") {
			t.Errorf("%d checks passing:\n%s\nwant the line %q", total, got, want)
		}
	}
}

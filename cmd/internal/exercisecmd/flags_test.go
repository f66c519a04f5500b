package exercisecmd

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
)

// TestFlags parses each exercise command's command line without running it.
func TestFlags(t *testing.T) {
	streams, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: streams, Settings: &cmdutil.Settings{}}
	parse := func(t *testing.T, cmd interface {
		SetArgs([]string)
		SetOut(io.Writer)
		SetErr(io.Writer)
		ExecuteContext(context.Context) error
	}, args ...string) error {
		t.Helper()
		cmd.SetArgs(args)
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		return cmd.ExecuteContext(context.Background())
	}

	var check *CheckOptions
	if err := parse(t, NewCmdCheck(f, func(_ context.Context, o *CheckOptions) error { check = o; return nil }), "--json", "first-run/publish-page"); err != nil {
		t.Fatal(err)
	}
	if !check.JSON || !slices.Equal(check.Args, []string{"first-run/publish-page"}) {
		t.Errorf("check --json KEY = %+v", check)
	}
	if err := parse(t, NewCmdCheck(f, func(context.Context, *CheckOptions) error { return nil }), "a", "b"); err == nil {
		t.Error("check with two exercises was accepted")
	}

	var watch *WatchOptions
	if err := parse(t, NewCmdWatch(f, func(_ context.Context, o *WatchOptions) error { watch = o; return nil }), "--poll", "0"); err != nil {
		t.Fatal(err)
	}
	if watch.Poll != 0 || len(watch.Args) != 0 {
		t.Errorf("watch --poll 0 = %+v, want no poll and the exercise started last", watch)
	}
	watch = nil
	if err := parse(t, NewCmdWatch(f, func(_ context.Context, o *WatchOptions) error { watch = o; return nil })); err != nil || watch.Poll != 5*time.Second {
		t.Errorf("watch = %+v, %v; want the 5s poll by default", watch, err)
	}

	var start *StartOptions
	if err := parse(t, NewCmdStart(f, func(_ context.Context, o *StartOptions) error { start = o; return nil }), "--yes", "dockerfiles/ship-it"); err != nil {
		t.Fatal(err)
	}
	if !start.Yes || !slices.Equal(start.Args, []string{"dockerfiles/ship-it"}) {
		t.Errorf("start --yes KEY = %+v", start)
	}

	var reset *ResetOptions
	if err := parse(t, NewCmdReset(f, func(_ context.Context, o *ResetOptions) error { reset = o; return nil }), "-y", "--reset-workspace"); err != nil {
		t.Fatal(err)
	}
	if !reset.Yes || !reset.ResetWorkspace {
		t.Errorf("reset -y --reset-workspace = %+v", reset)
	}

	var sol *SolutionOptions
	if err := parse(t, NewCmdSolution(f, func(_ context.Context, o *SolutionOptions) error { sol = o; return nil }), "--yes", "x"); err != nil || !sol.Yes {
		t.Errorf("solution --yes x = %+v, %v", sol, err)
	}
}

// TestPollHasABound: watch --poll below zero, or so short that it only
// keeps the engine busy, is a usage error (exit 2) that says what to give.
func TestPollHasABound(t *testing.T) {
	for _, tt := range []struct {
		poll time.Duration
		want string
	}{
		{-5 * time.Second, "--poll -5s: give how often to re-check"},
		{time.Nanosecond, "--poll 1ns: re-checking more often than every 1s only keeps the engine busy"},
		{0, ""},
		{time.Second, ""},
		{5 * time.Second, ""},
	} {
		err := checkPoll(tt.poll)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("--poll %s: %v; want it taken", tt.poll, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || cmdutil.ExitCode(err) != 2):
			t.Errorf("--poll %s: %v (exit %d); want a usage error that says %q", tt.poll, err, cmdutil.ExitCode(err), tt.want)
		}
	}
}

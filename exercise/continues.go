package exercise

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/dockdojo/dockdojo/internal/termsafe"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
)

// ownedEarlier reports whether an exercise that ex continues owns o: such
// an object is the state ex starts from, not a leftover.
func ownedEarlier(ex *lessons.Exercise, o Object) bool {
	for _, before := range ex.Chain() {
		if slices.Contains(before.Owns.Names(o.Kind), o.Name) {
			return true
		}
	}
	return false
}

// ScriptTimeout bounds a lesson's script (a reference solution, a wrong
// attempt, a clean-up) run on this machine.
const ScriptTimeout = 3 * time.Minute

// ErrScriptTimedOut is wrapped by RunScript's error for a script that was
// still running when its time was up, and was killed.
var ErrScriptTimedOut = errors.New("timed out")

// scriptWaitDelay is how long a killed script's output is waited for.
const scriptWaitDelay = time.Second

// RunScript runs one of the exercise's shell scripts with sh -e on this
// machine, as the learner would type it: in the workspace under wsRoot, with
// DOJO_WORKSPACE, DOJO_SANDBOX (sandbox, the sandbox's name; "" without one)
// and DOJO_EXERCISE set. It returns what the script printed, stdout and
// stderr together. timeout 0 means ScriptTimeout.
func RunScript(ctx context.Context, ex *lessons.Exercise, wsRoot, sandbox, script string, timeout time.Duration) (string, error) {
	if timeout == 0 {
		timeout = ScriptTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ws := Workspace(wsRoot, ex)
	cmd := exec.CommandContext(ctx, "sh", "-e", "-c", script)
	cmd.Dir = ws
	cmd.Env = append(os.Environ(),
		"DOJO_WORKSPACE="+ws,
		"DOJO_SANDBOX="+sandbox,
		"DOJO_EXERCISE="+ex.Key(),
	)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	end := ownGroup(cmd)
	// What the script started may still hold its output open once the
	// script has ended or been killed: the wait for that output ends too,
	// and so does what was started.
	cmd.WaitDelay = scriptWaitDelay
	err := cmd.Run()
	end()
	if errors.Is(err, exec.ErrWaitDelay) {
		err = nil // the script itself succeeded
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("%w after %s", ErrScriptTimedOut, timeout)
	}
	// What it printed is shown as text: a `docker build` in it colours
	// its steps' errors for a terminal it does not have.
	return termsafe.StripCSI(strings.TrimSpace(out.String())), err
}

// Settle is how long the checks of an exercise may take to pass after its
// reference solution ran: a server may still be starting.
const Settle = 20 * time.Second

// InTheWay lists the learner's objects that Solve would remove now: those
// that exist under the names ex owns, but those that the exercises it
// continues own (they are its starting point).
func InTheWay(ctx context.Context, eng *sandbox.Engine, ex *lessons.Exercise) ([]Object, error) {
	owned, err := Owned(ctx, eng, ex)
	return slices.DeleteFunc(owned, func(o Object) bool { return ownedEarlier(ex, o) }), err
}

// Solve brings ex to the state its reference solution leaves, on this
// machine: it removes what is there under the names ex owns (InTheWay),
// starts ex, runs its solution, and waits up to Settle for its checks to
// pass. It is for a learner who skipped ex and asked for it, and for the
// self-test of the exercises that continue it. It returns the learner's
// objects it removed, each by kind and name, also when it fails later, so
// that none goes unsaid. Its error says what did not work; a script that
// failed comes with what it printed.
func Solve(ctx context.Context, eng *sandbox.Engine, ex *lessons.Exercise, wsRoot string, out Output) (removed []Object, err error) {
	var theirs []Object
	keep := func(objs []Object) (bool, error) { theirs = objs; return false, nil }
	if _, err := reset(ctx, eng, ex, keep, func(o Object) bool { return !ownedEarlier(ex, o) }); err != nil {
		return nil, err
	}
	// One at a time, so that what is said removed was.
	for _, o := range theirs {
		if _, err := Remove(ctx, eng, []Object{o}); err != nil {
			return removed, err
		}
		removed = append(removed, o)
	}
	st, err := Start(ctx, eng, ex, wsRoot, out)
	if err != nil {
		return removed, err
	}
	if said, err := RunScript(ctx, ex, wsRoot, st.Sandbox, ex.Solution, 0); err != nil {
		if ctx.Err() != nil {
			return removed, ctx.Err()
		}
		if said != "" {
			said = "\n" + said
		}
		return removed, fmt.Errorf("the reference solution of %s failed: %v%s", ex.Key(), err, said)
	}
	deadline := time.Now().Add(Settle)
	for {
		res, err := Check(ctx, eng, ex, wsRoot)
		if err != nil {
			return removed, err
		}
		if res.Passed() {
			return removed, nil
		}
		if time.Now().After(deadline) {
			f := res.FirstFailure()
			return removed, fmt.Errorf("the reference solution of %s ran, but its checks still fail: %s: %s", ex.Key(), f.Title, f.Message)
		}
		select {
		case <-ctx.Done():
			return removed, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

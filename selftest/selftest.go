// Package selftest proves a course works: for every exercise, the checks fail
// on a fresh start, fail after each wrong attempt (with the message the
// attempt names), pass after the reference solution, and reset leaves no
// dockdojo object and none of the exercise's names behind. Reference
// solutions and wrong attempts are shell scripts run on this machine with
// the docker CLI: the self-test is for instructors, who are told so first.
package selftest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
)

// Options tune a self-test run.
type Options struct {
	// Workspaces is a folder for throwaway workspaces; each try gets a fresh one.
	Workspaces string
	// Output receives image pull progress.
	Output exercise.Output
	// Settle is how long a check may take to reach its verdict after a
	// script (a server starting, say). Default 20 s.
	Settle time.Duration
	// ScriptTimeout bounds each script. Default 3 min.
	ScriptTimeout time.Duration
}

// Report is the verdict on one exercise.
type Report struct {
	Exercise string
	Problems []string
	Duration time.Duration
}

// Passed reports whether the exercise proved itself.
func (r Report) Passed() bool { return len(r.Problems) == 0 }

// Exercise self-tests one exercise. Its error is kept for an engine that
// cannot be reached; everything wrong with the exercise is in the Report.
func Exercise(ctx context.Context, eng *sandbox.Engine, ex *lessons.Exercise, o Options) (Report, error) {
	if o.Settle == 0 {
		o.Settle = 20 * time.Second
	}
	if o.ScriptTimeout == 0 {
		o.ScriptTimeout = 3 * time.Minute
	}
	began := time.Now()
	r := Report{Exercise: ex.Key()}
	t := &tester{eng: eng, ex: ex, o: o, r: &r}
	err := t.run(ctx)
	if cerr := t.reset(context.WithoutCancel(ctx)); cerr != nil && err == nil {
		err = cerr
	}
	r.Duration = time.Since(began)
	return r, err
}

type tester struct {
	eng *sandbox.Engine
	ex  *lessons.Exercise
	o   Options
	r   *Report
	ws  string // workspace root of the current try
	sbx string // sandbox name of the current try
}

func (t *tester) fail(format string, args ...any) {
	t.r.Problems = append(t.r.Problems, fmt.Sprintf(format, args...))
}

func (t *tester) run(ctx context.Context) error {
	// 1. A fresh start is not done.
	if err := t.fresh(ctx); err != nil {
		return err
	}
	res, err := exercise.Check(ctx, t.eng, t.ex, t.ws)
	if err != nil {
		return err
	}
	if res.Passed() {
		t.fail("the checks pass on a fresh start, before anything was done")
	}
	// 2. Each wrong attempt is rejected, for the reason it names.
	for _, w := range t.ex.Wrong {
		if err := t.fresh(ctx); err != nil {
			return err
		}
		if out, err := t.script(ctx, w.Script); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			t.fail("wrong attempt %q: its script failed: %v\n%s", w.Name, err, out)
			continue
		}
		if err := t.rejected(ctx, w); err != nil {
			return err
		}
		if w.Cleanup != "" {
			if out, err := t.script(ctx, w.Cleanup); err != nil {
				t.fail("wrong attempt %q: its cleanup failed: %v\n%s", w.Name, err, out)
			}
		}
	}
	// 3. The reference solution passes.
	if err := t.fresh(ctx); err != nil {
		return err
	}
	if out, err := t.script(ctx, t.ex.Solution); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		t.fail("the reference solution failed: %v\n%s", err, out)
	} else if err := t.solved(ctx); err != nil {
		return err
	}
	// 4. Reset leaves nothing.
	if err := t.reset(ctx); err != nil {
		return err
	}
	left, err := t.eng.ListLabelled(ctx, exercise.Labels(t.ex))
	if err != nil {
		return err
	}
	if n := len(left.Containers) + len(left.Networks) + len(left.Volumes) + len(left.Images); n > 0 {
		t.fail("reset left dockdojo objects behind: containers %v, networks %v, volumes %v, images %v", left.Containers, left.Networks, left.Volumes, left.Images)
	}
	owned, err := exercise.Owned(ctx, t.eng, t.ex)
	if err != nil {
		return err
	}
	for _, o := range owned {
		t.fail("reset left the %s %s behind", o.Kind, o.Name)
	}
	return nil
}

// fresh resets the exercise and starts it again in a new workspace.
func (t *tester) fresh(ctx context.Context) error {
	if err := t.reset(ctx); err != nil {
		return err
	}
	ws, err := os.MkdirTemp(t.o.Workspaces, "ws-")
	if err != nil {
		return err
	}
	t.ws = ws
	st, err := exercise.Start(ctx, t.eng, t.ex, ws, t.o.Output)
	if err != nil {
		return fmt.Errorf("start %s: %w", t.ex.Key(), err)
	}
	t.sbx = st.Sandbox
	return nil
}

func (t *tester) reset(ctx context.Context) error {
	_, err := exercise.Reset(ctx, t.eng, t.ex, func([]exercise.Object) (bool, error) { return true, nil })
	return err
}

// rejected checks until the first failure names what the attempt says (a
// server may still be starting), and fails if the checks ever pass.
func (t *tester) rejected(ctx context.Context, w lessons.Wrong) error {
	deadline := time.Now().Add(t.o.Settle)
	for {
		res, err := exercise.Check(ctx, t.eng, t.ex, t.ws)
		if err != nil {
			return err
		}
		first := res.FirstFailure()
		switch {
		case first == nil:
			t.fail("wrong attempt %q passes the checks", w.Name)
			return nil
		case w.Says == "" || strings.Contains(first.Message, w.Says):
			return nil
		case time.Now().After(deadline):
			t.fail("wrong attempt %q is rejected, but the first failing check says %q, not %q", w.Name, first.Message, w.Says)
			return nil
		}
		if err := pause(ctx); err != nil {
			return err
		}
	}
}

// solved checks until all pass, within the settle time.
func (t *tester) solved(ctx context.Context) error {
	deadline := time.Now().Add(t.o.Settle)
	for {
		res, err := exercise.Check(ctx, t.eng, t.ex, t.ws)
		if err != nil {
			return err
		}
		if res.Passed() {
			return nil
		}
		if time.Now().After(deadline) {
			t.fail("the reference solution does not pass: %s", describe(res))
			return nil
		}
		if err := pause(ctx); err != nil {
			return err
		}
	}
}

func describe(res checker.Result) string {
	f := res.FirstFailure()
	return f.Check.Describe() + ": " + f.Message
}

func pause(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(200 * time.Millisecond):
		return nil
	}
}

// script runs a lesson's shell script in the workspace, as a learner would
// type it, with DOJO_WORKSPACE, DOJO_SANDBOX and DOJO_EXERCISE set.
func (t *tester) script(ctx context.Context, script string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, t.o.ScriptTimeout)
	defer cancel()
	ws := exercise.Workspace(t.ws, t.ex)
	cmd := exec.CommandContext(ctx, "sh", "-e", "-c", script)
	cmd.Dir = ws
	cmd.Env = append(os.Environ(),
		"DOJO_WORKSPACE="+ws,
		"DOJO_SANDBOX="+t.sbx,
		"DOJO_EXERCISE="+t.ex.Key(),
	)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Stdin = nil
	err := cmd.Run()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("timed out after %s", t.o.ScriptTimeout)
	}
	return strings.TrimSpace(out.String()), err
}

// Run self-tests each exercise in turn, writing one line per exercise and a
// final "N passed, N failed" line to w.
func Run(ctx context.Context, eng *sandbox.Engine, exercises []*lessons.Exercise, o Options, w io.Writer) (failed int, err error) {
	if o.Workspaces == "" {
		dir, err := os.MkdirTemp("", "dockdojo-selftest-")
		if err != nil {
			return 0, err
		}
		defer os.RemoveAll(dir)
		o.Workspaces = dir
	}
	passed := 0
	for _, ex := range exercises {
		o := o
		o.Workspaces = filepath.Join(o.Workspaces, ex.Lesson.ID+"-"+ex.ID)
		if err := os.MkdirAll(o.Workspaces, 0o755); err != nil {
			return failed, err
		}
		r, err := Exercise(ctx, eng, ex, o)
		if err != nil {
			return failed, fmt.Errorf("self-test of %s: %w", ex.Key(), err)
		}
		if r.Passed() {
			passed++
			fmt.Fprintf(w, "ok    %-40s %5.1fs  (%d wrong attempts rejected)\n", r.Exercise, r.Duration.Seconds(), len(ex.Wrong))
			continue
		}
		failed++
		fmt.Fprintf(w, "FAIL  %-40s %5.1fs\n", r.Exercise, r.Duration.Seconds())
		for _, p := range r.Problems {
			for i, line := range strings.Split(p, "\n") {
				if i == 0 {
					fmt.Fprintf(w, "      - %s\n", line)
				} else {
					fmt.Fprintf(w, "        %s\n", line)
				}
			}
		}
	}
	fmt.Fprintf(w, "%d passed, %d failed\n", passed, failed)
	return failed, nil
}

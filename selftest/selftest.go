// Package selftest proves a course works: for every exercise, the checks fail
// on a fresh start, fail after each wrong attempt (with the message the
// attempt names), pass after the reference solution, and reset leaves no
// dockdojo object and none of the exercise's names behind; and that its
// scripts remove nothing that was someone else's. Reference
// solutions and wrong attempts are shell scripts run on this machine with
// the docker CLI: the self-test is for instructors, who are told so first.
package selftest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/internal/shellquote"
	"github.com/dockdojo/dockdojo/internal/syncio"
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
	// Keep leaves the first failing exercise as it was when it failed (its
	// sandbox, what its scripts made, its workspace) for inspection, and
	// stops the run there.
	Keep bool
	// Repeat runs each exercise this many times (default once), to catch
	// checks that pass or fail by chance; Run reports those as flaky.
	Repeat int
	// Parallel is how many exercises Run self-tests at once (default
	// DefaultParallel); exercises that could meet on the engine (a name, a
	// host port: see claims) never run at the same time. With Keep, one.
	Parallel int
	// Dockdojo spells a dockdojo command line with args, as the instructor
	// would type it (with their --lessons flags), for the advice printed
	// about a kept exercise. Default: "dockdojo" and args.
	Dockdojo func(args ...string) string

	guard *guard // what the run's scripts may remove; Exercise makes one
}

// Report is the verdict on one exercise.
type Report struct {
	Exercise string
	Problems []string
	Duration time.Duration
	// Kept is what was left in place, with Options.Keep, when it failed.
	Kept *Kept
}

// Kept is a failing exercise left as it failed.
type Kept struct {
	After     string // the step after which it was kept, e.g. "the reference solution"
	Workspace string // the exercise's workspace folder
	// Objects are the dockdojo objects of the exercise (its sandbox first)
	// and the learner-named objects that exist.
	Objects []exercise.Object
	Cleanup string // a wrong attempt's cleanup script that was not run
}

// Passed reports whether the exercise proved itself.
func (r Report) Passed() bool { return len(r.Problems) == 0 }

// Exercise self-tests one exercise. Its error is kept for an engine that
// cannot be reached (or a cancelled run); everything wrong with the
// exercise, a step that could not be done included (a start refused by a
// container of someone else's holding a name, say), is in the Report.
func Exercise(ctx context.Context, eng *sandbox.Engine, ex *lessons.Exercise, o Options) (Report, error) {
	if o.Settle == 0 {
		o.Settle = 20 * time.Second
	}
	if o.ScriptTimeout == 0 {
		o.ScriptTimeout = 3 * time.Minute
	}
	if o.Dockdojo == nil {
		o.Dockdojo = func(args ...string) string { return strings.Join(append([]string{"dockdojo"}, args...), " ") }
	}
	began := time.Now()
	r := Report{Exercise: ex.Key()}
	if o.guard == nil {
		g, err := newGuard(ctx, eng, []*lessons.Exercise{ex})
		if err != nil {
			return r, err
		}
		o.guard = g
	}
	t := &tester{eng: eng, ex: ex, o: o, r: &r, suspects: unowned(ex), madeBy: map[exercise.Object]maker{}}
	var err error
	// What is there before, under the names the exercise's scripts give
	// but it does not own, is not its doing.
	t.before, err = exercise.Existing(ctx, eng, t.suspects)
	if err == nil {
		t.counted = true
		err = t.run(ctx)
	}
	stopped := time.Now()
	if err != nil && !errors.Is(err, errKept) && !fatal(ctx, err) {
		// A step that could not be done fails this exercise, not the run.
		t.fail("%v", err)
		err = t.stop()
	}
	if errors.Is(err, errKept) {
		err = t.keep(context.WithoutCancel(ctx))
	} else if cerr := t.reset(context.WithoutCancel(ctx)); cerr != nil {
		switch {
		case err != nil:
		case fatal(ctx, cerr):
			err = cerr
		default:
			t.fail("cleaning up after it: %v", cerr)
		}
	}
	if ctx.Err() != nil && !errors.Is(err, errKept) {
		// The run was cancelled; the report is not shown, and what the
		// second look finds is removed, not reported.
		_ = t.lookAgain(context.WithoutCancel(ctx), stopped)
	}
	r.Duration = time.Since(began)
	return r, err
}

// engineGrace is how long after a cancel the engine may still be carrying
// out what a script asked of it. The cancel kills the script's docker CLI
// at once, but a request the CLI had sent is carried out all the same: a
// `docker network create` killed 30 ms in made its network some 50 ms
// after the kill (Docker 20.10), after the reset that follows the cancel
// had looked for it.
const engineGrace = time.Second

// lookAgain is the cleanup after a cancel, once more: engineGrace after
// the run stopped (its scripts had exited by then), it resets the
// exercise again and removes what its scripts made under names it does
// not own, so that what the engine made late is not left behind.
func (t *tester) lookAgain(ctx context.Context, stopped time.Time) error {
	time.Sleep(time.Until(stopped.Add(engineGrace)))
	if err := t.reset(ctx); err != nil {
		return err
	}
	if !t.counted {
		return nil // what was there before is not known: nothing is removed
	}
	return t.leftBehind(ctx)
}

// fatal reports whether err stops the whole run: the engine is gone, or
// the run was cancelled.
func fatal(ctx context.Context, err error) bool {
	return errors.Is(err, sandbox.ErrUnreachable) || ctx.Err() != nil
}

// errKept stops a run at its first failure, with Options.Keep.
var errKept = errors.New("kept for inspection")

type tester struct {
	eng *sandbox.Engine
	ex  *lessons.Exercise
	o   Options
	r   *Report
	ws  string // workspace root of the current try
	sbx string // sandbox name of the current try

	step    string // what the current try did last, for Kept.After
	cleanup string // the cleanup script not run yet, for Kept.Cleanup

	suspects lessons.Owns      // names its scripts give that it does not own
	before   []exercise.Object // those of suspects there before the self-test
	counted  bool              // before was gathered
	// madeBy is the script that made each object, as far as it is known.
	madeBy map[exercise.Object]maker
	made   map[exercise.Object]bool // what the last script made
}

func (t *tester) fail(format string, args ...any) {
	t.r.Problems = append(t.r.Problems, fmt.Sprintf(format, args...))
}

// stop returns errKept when the exercise has failed and is to be kept as
// it is.
func (t *tester) stop() error {
	if t.o.Keep && len(t.r.Problems) > 0 {
		return errKept
	}
	return nil
}

// keep describes what a kept exercise left in place.
func (t *tester) keep(ctx context.Context) error {
	k := &Kept{After: t.step, Workspace: exercise.Workspace(t.ws, t.ex), Cleanup: t.cleanup}
	left, err := t.eng.ListLabelled(ctx, exercise.Labels(t.ex))
	if err != nil {
		return err
	}
	for _, set := range []struct {
		kind  string
		names []string
	}{{"container", left.Containers}, {"network", left.Networks}, {"volume", left.Volumes}, {"image", left.Images}} {
		for _, n := range set.names {
			k.Objects = append(k.Objects, exercise.Object{Kind: set.kind, Name: n})
		}
	}
	owned, err := exercise.Owned(ctx, t.eng, t.ex)
	if err != nil {
		return err
	}
	for _, o := range owned {
		if !slices.Contains(k.Objects, o) {
			k.Objects = append(k.Objects, o)
		}
	}
	t.r.Kept = k
	return nil
}

func (t *tester) run(ctx context.Context) error {
	// 1. A fresh start is not done.
	if err := t.fresh(ctx); err != nil {
		return err
	}
	t.step = "a fresh start"
	res, err := exercise.Check(ctx, t.eng, t.ex, t.ws)
	if err != nil {
		return err
	}
	if res.Passed() {
		t.fail("the checks pass on a fresh start, before anything was done (%s): %s; add a check that tells the fresh start from the goal, such as that what the goal asks for exists, or is in the state it asks for", t.ex.Pos, t.passing(res))
	}
	if err := t.stop(); err != nil {
		return err
	}
	// 2. Each wrong attempt is rejected, for the reason it names.
	for _, w := range t.ex.Wrong {
		if err := t.fresh(ctx); err != nil {
			return err
		}
		t.step, t.cleanup = fmt.Sprintf("the wrong attempt %q", w.Name), w.Cleanup
		if out, err := t.script(ctx, w.Script, w.ScriptLines, maker{at: w.Pos, attempt: true}); err != nil {
			if err := t.alive(ctx); err != nil {
				return err
			}
			t.fail("wrong attempt %q (%s): its script %s%s", w.Name, w.Pos, t.failure(ctx, err, out, w.Script, w.ScriptLines, true), printed(out))
		} else if err := t.rejected(ctx, w); err != nil {
			return err
		}
		if err := t.stop(); err != nil {
			return err
		}
		if w.Cleanup != "" {
			t.step, t.cleanup = fmt.Sprintf("the cleanup of the wrong attempt %q", w.Name), ""
			if out, err := t.script(ctx, w.Cleanup, w.CleanupLines, maker{at: w.Pos}); err != nil {
				t.fail("wrong attempt %q (%s): its cleanup %s%s", w.Name, w.Pos, t.failure(ctx, err, out, w.Cleanup, w.CleanupLines, false), printed(out))
			}
			if err := t.stop(); err != nil {
				return err
			}
		}
	}
	// 3. The reference solution passes.
	if err := t.fresh(ctx); err != nil {
		return err
	}
	t.step, t.cleanup = "the reference solution", ""
	if out, err := t.script(ctx, t.ex.Solution, t.ex.SolutionLines, maker{at: t.ex.SolutionPos, solution: true}); err != nil {
		if err := t.alive(ctx); err != nil {
			return err
		}
		t.fail("the reference solution (%s) %s%s", t.ex.SolutionPos, t.failure(ctx, err, out, t.ex.Solution, t.ex.SolutionLines, false), printed(out))
	} else if err := t.solved(ctx); err != nil {
		return err
	}
	if err := t.stop(); err != nil {
		return err
	}
	// 4. Reset leaves nothing: of the exercise, nor of those it continues.
	if err := t.reset(ctx); err != nil {
		return err
	}
	t.step = "a reset"
	for _, ex := range append(t.ex.Chain(), t.ex) {
		left, err := t.eng.ListLabelled(ctx, exercise.Labels(ex))
		if err != nil {
			return err
		}
		if n := len(left.Containers) + len(left.Networks) + len(left.Volumes) + len(left.Images); n > 0 {
			t.fail("reset left dockdojo objects of %s behind: containers %v, networks %v, volumes %v, images %v", ex.Key(), left.Containers, left.Networks, left.Volumes, left.Images)
		}
		owned, err := exercise.Owned(ctx, t.eng, ex)
		if err != nil {
			return err
		}
		for _, o := range owned {
			t.fail("reset left the %s %s behind", o.Kind, o.Name)
		}
	}
	// 5. Nothing else is left: what a script made under a name that the
	// exercise does not own, reset cannot remove for the learner.
	if err := t.leftBehind(ctx); err != nil {
		return err
	}
	return t.stop()
}

// leftBehind reports what the exercise's scripts made under a name it
// does not own, and removes it (but with Keep, which leaves it to be
// looked at): this run made it, and left in place it would be there
// before the next self-test begins, which would not count it. Only those
// names, and only what was not there when this run began, are removed.
func (t *tester) leftBehind(ctx context.Context) error {
	after, err := exercise.Existing(ctx, t.eng, t.suspects)
	if err != nil {
		return err
	}
	// Existing lists containers first, which are removed before the
	// networks and volumes they use.
	for _, o := range after {
		if slices.Contains(t.before, o) {
			continue
		}
		done := fmt.Sprintf("left in place, as --keep asks; docker %s rm %s removes it", o.Kind, o.Name)
		if !t.o.Keep {
			switch _, err := exercise.Remove(ctx, t.eng, []exercise.Object{o}); {
			case err != nil && fatal(ctx, err):
				return err
			case err != nil:
				done = fmt.Sprintf("could not remove it: %v", err)
			default:
				done = "removed now"
			}
		}
		t.fail("%s", t.left(o, done))
	}
	return nil
}

// left is the problem of o, left behind by a script of the exercise; done
// says what became of it.
func (t *tester) left(o exercise.Object, done string) string {
	by, ok := t.madeBy[o]
	switch {
	case ok && by.solution:
		return fmt.Sprintf("%s (%s) left the %s %s behind, which reset does not remove: list it under owns.%ss, and reset removes it for the learner too (%s)", by.step, by.at, o.Kind, o.Name, o.Kind, done)
	case ok && by.attempt:
		return fmt.Sprintf("%s (%s) left the %s %s behind, which reset does not remove: remove it in the attempt's cleanup (%s), or list it under owns.%ss (%s)", by.step, by.at, o.Kind, o.Name, removeCommand(o), o.Kind, done)
	}
	return fmt.Sprintf("its scripts left the %s %s behind, which reset does not remove: list it under owns.%ss, or remove it in the cleanup of the wrong attempt that makes it (%s)", o.Kind, o.Name, o.Kind, done)
}

// removeCommand is the docker command that removes o.
func removeCommand(o exercise.Object) string {
	if o.Kind == "container" {
		return "docker rm -f " + o.Name
	}
	return fmt.Sprintf("docker %s rm %s", o.Kind, o.Name)
}

// passing names each check of a result, with where it is written.
func (t *tester) passing(res checker.Result) string {
	var names []string
	for i, o := range res.Outcomes {
		name := strconv.Quote(o.Title)
		if i < len(t.ex.Checks) && t.ex.Checks[i].Pos != "" {
			name += " (" + t.ex.Checks[i].Pos + ")"
		}
		names = append(names, name)
	}
	if len(names) == 1 {
		return "the check " + names[0] + " passes"
	}
	return "the checks " + strings.Join(names, ", ") + " pass"
}

// printed is what a script printed, on the lines after a problem's first,
// under a line that says so; "" when it printed nothing.
func printed(out string) string {
	if out == "" {
		return ""
	}
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			lines[i] = "  " + l
		}
	}
	return "\nwhat it printed:\n" + strings.Join(lines, "\n")
}

// alive is nil while the run may go on after a script failed: the run was
// not cancelled and the engine still answers (a script fails at once, and
// every later one too, when the engine is gone).
func (t *tester) alive(ctx context.Context) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	_, err := t.eng.ListLabelled(ctx, exercise.Labels(t.ex))
	if fatal(ctx, err) {
		return err
	}
	return nil
}

// fresh resets the exercise and starts it again in a new workspace. An
// exercise that continues others starts where they end: their reference
// solutions run first, in order, in the same workspace.
func (t *tester) fresh(ctx context.Context) error {
	if err := t.reset(ctx); err != nil {
		return err
	}
	ws, err := os.MkdirTemp(t.o.Workspaces, "ws-")
	if err != nil {
		return err
	}
	t.ws = ws
	for _, before := range t.ex.Chain() {
		if _, err := exercise.Solve(ctx, t.eng, before, ws, t.o.Output); err != nil {
			if fatal(ctx, err) {
				return err
			}
			return fmt.Errorf("bring %s, which it continues, to its end: %w", before.Key(), err)
		}
	}
	st, err := exercise.Start(ctx, t.eng, t.ex, ws, t.o.Output)
	if err != nil {
		if sb := t.ex.Sandbox; sb != nil && !fatal(ctx, err) && t.missing(ctx, sb.Image) {
			return fmt.Errorf("the sandbox's image %s (%s) is not on this machine, and pulling it failed: %v; %s", sb.Image, sb.ImagePos, cmp.Or(errors.Unwrap(err), err), t.fetch())
		}
		return fmt.Errorf("start %s: %w", t.ex.Key(), err)
	}
	t.sbx = st.Sandbox
	return nil
}

// reset resets the exercise and then those it continues, last first.
func (t *tester) reset(ctx context.Context) error {
	yes := func([]exercise.Object) (bool, error) { return true, nil }
	for _, ex := range append([]*lessons.Exercise{t.ex}, reversed(t.ex.Chain())...) {
		if _, err := exercise.Reset(ctx, t.eng, ex, yes); err != nil {
			return err
		}
	}
	return nil
}

func reversed[T any](s []T) []T {
	s = slices.Clone(s)
	slices.Reverse(s)
	return s
}

// notSaid is the problem of a wrong attempt whose first failing check
// gives msg, which does not hold the words of its says. says is matched
// exactly, capitals included: it quotes what the learner reads, and
// letter case tells apart what a lesson speaks of (a Dockerfile's CMD, a
// file named cmd). When the words are there in other capitals, it says so.
func notSaid(w lessons.Wrong, msg string) string {
	s := fmt.Sprintf("wrong attempt %q (%s) is rejected, but the first failing check says %q, not %q", w.Name, w.Pos, msg, w.Says)
	if as := inOtherCase(msg, w.Says); as != "" {
		s += fmt.Sprintf(": it has %q, in other capitals; says must match the message exactly, capitals too, so write it as the message does", as)
	}
	return s
}

// inOtherCase finds text in msg written with other capitals, as msg
// writes it; "" when it is not there so.
func inOtherCase(msg, text string) string {
	if text == "" {
		return ""
	}
	for i := range msg {
		if i+len(text) <= len(msg) && strings.EqualFold(msg[i:i+len(text)], text) {
			return msg[i : i+len(text)]
		}
	}
	return ""
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
			t.fail("wrong attempt %q (%s) passes the checks: %s; add a check that tells this attempt from the reference solution, or, if the attempt is not wrong, take it out of wrong", w.Name, w.Pos, t.passing(res))
			return nil
		case w.Says == "" || strings.Contains(first.Message, w.Says):
			return nil
		case time.Now().After(deadline):
			t.fail("%s", notSaid(w, first.Message))
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
			t.fail("the reference solution (%s) does not pass: %s", t.ex.SolutionPos, describe(res))
			return nil
		}
		if err := pause(ctx); err != nil {
			return err
		}
	}
}

func describe(res checker.Result) string {
	f := res.FirstFailure()
	return f.Title + ": " + f.Message
}

func pause(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(200 * time.Millisecond):
		return nil
	}
}

// script runs a lesson's shell script, written at lines, in the
// workspace, as a learner would type it (see exercise.RunScript), and
// fails the exercise for what it removed that was not its to remove; the
// script is t.step, and by says which it is, for what it makes.
func (t *tester) script(ctx context.Context, script string, lines lessons.Lines, by maker) (out string, err error) {
	// A script that runs long says so, once, on the progress stream: the
	// self-test waits for it, up to its timeout.
	after := min(slowScript, t.o.ScriptTimeout/2)
	note := fmt.Sprintf("%s: %s (%s) still runs after %s; the self-test stops a script at %s (a server in the foreground? add -d)\n",
		t.ex.Key(), t.step, by.at, after, t.o.ScriptTimeout)
	slow := time.AfterFunc(after, func() {
		if t.o.Output.W != nil {
			_, _ = io.WriteString(t.o.Output.W, note)
		}
	})
	w := t.o.guard.watch(ctx, script, func() {
		out, err = exercise.RunScript(ctx, t.ex, t.ws, t.sbx, script, t.o.ScriptTimeout)
	})
	slow.Stop()
	t.made = w.made
	for _, g := range w.gone {
		t.fail("%s", removed(t.step, lines, g))
	}
	by.step = t.step
	for o := range w.made {
		t.madeBy[o] = by
	}
	return out, err
}

// slowScript is how long a script runs before the self-test says that it
// waits for it.
const slowScript = 30 * time.Second

// failure says how a script failed, after "its script" (or "the reference
// solution"): "failed: exit status 1", with what to do when the cause is
// known. A host port that someone else holds, or a command that never
// ends, is said so; the advice to end a step with `|| true` (attempt) is
// for the other failures of a wrong attempt's script, whose steps may fail
// as the learner's would.
func (t *tester) failure(ctx context.Context, err error, out, script string, lines lessons.Lines, attempt bool) string {
	if errors.Is(err, exercise.ErrScriptTimedOut) {
		return fmt.Sprintf("did not end: it still ran after %s, and was stopped; %s", t.o.ScriptTimeout, t.endless(ctx, script, lines))
	}
	if m := unableRE.FindStringSubmatch(out); m != nil && t.missing(ctx, m[1]) {
		at := lines.Key
		if i := lineNaming(script, exercise.Object{Kind: "image", Name: m[1]}); i >= 0 {
			at = lines.At(i)
		}
		return fmt.Sprintf("failed: the image %s (%s) is not on this machine, and pulling it failed (what it printed says why); %s", m[1], at, t.fetch())
	}
	if port, ok := sandbox.PortInUse(out); ok && port != "" {
		if held := t.portHeld(ctx, port); held != "" {
			return "failed: " + held
		}
	}
	if attempt {
		return fmt.Sprintf("failed: %v; a step that is meant to fail, as the learner's would, can end with `|| true`", err)
	}
	return fmt.Sprintf("failed: %v", err)
}

// missing reports whether the image ref is not on the engine.
func (t *tester) missing(ctx context.Context, ref string) bool {
	_, err := t.eng.InspectImage(ctx, ref)
	return errors.Is(err, sandbox.ErrNotFound)
}

// fetch says how to get the course's images, in doctor's words.
func (t *tester) fetch() string {
	return fmt.Sprintf("fetch the course's images with `%s` while online (or with --mirror HOST:PORT, or --load FILE from your instructor), then self-test again", t.o.Dockdojo("prepare"))
}

// unableRE finds, in what the docker CLI printed, an image it did not
// have and went to pull.
var unableRE = regexp.MustCompile(`Unable to find image '([^']+)' locally`)

// portHeld says who holds the host port that a script could not publish,
// and what to do, as start says it to a learner; "" when the script
// itself took it first (two containers on one port), which is the
// script's own doing.
func (t *tester) portHeld(ctx context.Context, port string) string {
	var holders []string
	for _, proto := range []string{"tcp", "udp"} {
		h, err := t.eng.PortHolders(ctx, port+"/"+proto)
		if err != nil {
			return ""
		}
		holders = append(holders, h...)
	}
	if len(holders) == 0 {
		return fmt.Sprintf("host port %s is in use by another program on this machine: stop it or free the port, and self-test again", port)
	}
	for _, h := range holders {
		if t.made[exercise.Object{Kind: "container", Name: h}] {
			return ""
		}
	}
	return fmt.Sprintf("host port %s is in use by container %s, which is not the exercise's: stop it (`docker stop %s`) or free the port, and self-test again", port, holders[0], holders[0])
}

// endless says why a script did not end: a container it started in the
// foreground that still runs (a server, run without -d), with the line
// that starts it, or else what usually keeps a script waiting.
func (t *tester) endless(ctx context.Context, script string, lines lessons.Lines) string {
	var names []string
	for o := range t.made {
		if o.Kind == "container" {
			names = append(names, o.Name)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		c, err := t.eng.InspectContainer(ctx, n)
		if err != nil || !c.Running || !c.Attached {
			continue
		}
		at := lines.Key
		if i := lineNaming(script, exercise.Object{Kind: "container", Name: n}); i >= 0 {
			at = lines.At(i)
		}
		return fmt.Sprintf("the container %s (%s) runs in the foreground, and the script waits for it to end, which a server never does: add -d to its docker run, as the learner would, to run it in the background", n, at)
	}
	return "a command in it does not end by itself (a server in the foreground? add -d; a loop, a long sleep?): a script must end, and the self-test stops one after " + t.o.ScriptTimeout.String()
}

// maker is the script that made an object, for what it leaves behind.
type maker struct {
	step              string // "the reference solution", say
	at                lessons.Pos
	solution, attempt bool // the reference solution, or a wrong attempt's script
}

// DefaultParallel is how many exercises Run self-tests at once by default:
// an exercise mostly waits (for containers to settle, servers to answer,
// the docker CLI), so several side by side keep two cores busy. On the
// 2-core test machine the built-in course took 124 s four at a time and
// 106 s six at a time (docs/performance.md).
const DefaultParallel = 6

// Run self-tests the exercises, several at once (see Options.Parallel),
// writing one line per exercise, in the order given, and a final "N
// passed, N failed" line to w. With Options.Repeat, each exercise runs that
// many times: one that passes some runs and fails others is flaky, counted
// as failed and said so. With Options.Keep, exercises run one at a time and
// Run stops at the first failing exercise, leaves it in place and says how
// to look at it and how to clean it up.
func Run(ctx context.Context, eng *sandbox.Engine, exercises []*lessons.Exercise, o Options, w io.Writer) (failed int, err error) {
	if o.Repeat < 1 {
		o.Repeat = 1
	}
	if o.Parallel < 1 {
		o.Parallel = DefaultParallel
	}
	if o.Keep {
		o.Parallel = 1
	}
	if o.Dockdojo == nil {
		o.Dockdojo = func(args ...string) string { return strings.Join(append([]string{"dockdojo"}, args...), " ") }
	}
	if o.Output.W != nil {
		o.Output.W = syncio.NewWriter(o.Output.W) // exercises that run at once share it
	}
	keptAny, made := false, ""
	if o.Workspaces == "" {
		dir, err := os.MkdirTemp("", "dockdojo-selftest-")
		if err != nil {
			return 0, err
		}
		made = dir
		defer func() {
			if !keptAny {
				os.RemoveAll(dir)
			}
		}()
		o.Workspaces = dir
	}

	g, err := newGuard(ctx, eng, exercises)
	if err != nil {
		return 0, err
	}
	o.guard = g
	runs := make([]exerciseRuns, len(exercises))
	claimed, costs := make([][]string, len(exercises)), make([]int, len(exercises))
	for i, ex := range exercises {
		runs[i].done = make(chan struct{})
		claimed[i], costs[i] = claims(ex), cost(ex)
	}
	var stopped atomic.Bool // an exercise was kept, or the run cannot go on
	finished := make(chan struct{})
	var started []bool
	go func() {
		defer close(finished)
		started = schedule(o.Parallel, claimed, costs, stopped.Load, func(i int) {
			defer close(runs[i].done)
			runs[i].run(ctx, eng, exercises[i], o)
			if runs[i].err != nil || runs[i].kept() {
				stopped.Store(true)
			}
		})
	}()
	// The run ends once every exercise started has finished, and cleaned up.
	defer func() { stopped.Store(true); <-finished }()

	passed, flaky := 0, 0
	for i, ex := range exercises {
		r := &runs[i]
		select {
		case <-r.done:
		case <-finished:
			if !started[i] {
				writeSummary(w, o.Repeat, passed, failed, flaky)
				return failed + flaky, nil
			}
		}
		if r.err != nil {
			// The engine is gone (or the run was cancelled): say so for
			// this exercise, stop, and still give the summary.
			fmt.Fprintf(w, "FAIL  %-40s %5.1fs\n      - stopped: %v\n", ex.Key(), r.took.Seconds(), r.err)
			failed++
			writeSummary(w, o.Repeat, passed, failed, flaky)
			return failed + flaky, fmt.Errorf("self-test of %s: %w", ex.Key(), r.err)
		}
		reports, took := r.reports, r.took
		var bad []Report
		for _, r := range reports {
			if !r.Passed() {
				bad = append(bad, r)
			}
		}
		runs := ""
		if o.Repeat > 1 {
			runs = fmt.Sprintf("; passed %d of %d runs", len(reports)-len(bad), len(reports))
		}
		switch {
		case len(bad) == 0:
			passed++
			attempts := "wrong attempts"
			if len(ex.Wrong) == 1 {
				attempts = "wrong attempt"
			}
			fmt.Fprintf(w, "ok    %-40s %5.1fs  (%d %s rejected%s)\n", ex.Key(), took.Seconds(), len(ex.Wrong), attempts, runs)
			continue
		case len(bad) < len(reports):
			flaky++
			fmt.Fprintf(w, "FLAKY %-40s %5.1fs  (%s: a check passes or fails by chance)\n", ex.Key(), took.Seconds(), strings.TrimPrefix(runs, "; "))
		default:
			failed++
			fmt.Fprintf(w, "FAIL  %-40s %5.1fs\n", ex.Key(), took.Seconds())
		}
		for _, p := range problems(reports) {
			for i, line := range strings.Split(p, "\n") {
				switch {
				case i == 0:
					fmt.Fprintf(w, "      - %s\n", line)
				case strings.TrimSpace(line) == "":
					fmt.Fprintln(w) // a blank line of what a script printed
				default:
					fmt.Fprintf(w, "        %s\n", line)
				}
			}
		}
		if k := reports[len(reports)-1].Kept; k != nil {
			keptAny = true
			writeKept(w, ex, k, o.Dockdojo, cmp.Or(made, filepath.Join(o.Workspaces, exDir(ex))))
			break
		}
	}
	writeSummary(w, o.Repeat, passed, failed, flaky)
	return failed + flaky, nil
}

// exerciseRuns are the runs of one exercise in a self-test.
type exerciseRuns struct {
	done    chan struct{} // closed once the runs are over
	reports []Report
	took    time.Duration
	err     error // the run could not go on (see Exercise)
}

// run self-tests ex Options.Repeat times, or until it is kept.
func (r *exerciseRuns) run(ctx context.Context, eng *sandbox.Engine, ex *lessons.Exercise, o Options) {
	o.Workspaces = filepath.Join(o.Workspaces, exDir(ex))
	if r.err = os.MkdirAll(o.Workspaces, 0o755); r.err != nil {
		return
	}
	for range o.Repeat {
		rep, err := Exercise(ctx, eng, ex, o)
		r.took += rep.Duration
		if err != nil {
			r.err = err
			return
		}
		r.reports = append(r.reports, rep)
		if rep.Kept != nil {
			return
		}
	}
}

func (r *exerciseRuns) kept() bool {
	return len(r.reports) > 0 && r.reports[len(r.reports)-1].Kept != nil
}

// exDir is the folder of an exercise's workspaces in a self-test run.
func exDir(ex *lessons.Exercise) string { return ex.Lesson.ID + "-" + ex.ID }

func writeSummary(w io.Writer, repeat, passed, failed, flaky int) {
	if repeat > 1 {
		fmt.Fprintf(w, "%d passed, %d failed, %d flaky\n", passed, failed, flaky)
	} else {
		fmt.Fprintf(w, "%d passed, %d failed\n", passed, failed)
	}
}

// problems lists the problems of every run, each once; with several runs,
// each says in which runs it happened.
func problems(reports []Report) []string {
	if len(reports) == 1 {
		return reports[0].Problems
	}
	var order []string
	runs := map[string][]string{}
	for i, r := range reports {
		for _, p := range r.Problems {
			if runs[p] == nil {
				order = append(order, p)
			}
			runs[p] = append(runs[p], fmt.Sprint(i+1))
		}
	}
	out := make([]string, len(order))
	for i, p := range order {
		word := "run"
		if len(runs[p]) > 1 {
			word = "runs"
		}
		out[i] = fmt.Sprintf("(%s %s) %s", word, strings.Join(runs[p], ", "), p)
	}
	return out
}

// writeKept says what a kept exercise left in place, how to look at each
// thing, and how to remove it all.
func writeKept(w io.Writer, ex *lessons.Exercise, k *Kept, dockdojo func(...string) string, dir string) {
	fmt.Fprintf(w, "      Kept as it was after %s, for you to inspect:\n", k.After)
	fmt.Fprintf(w, "        workspace  %s\n", k.Workspace)
	for _, obj := range k.Objects {
		var how string
		switch obj.Kind {
		case "container":
			how = fmt.Sprintf("docker logs %s; docker inspect %s", obj.Name, obj.Name)
			if obj.Name == exercise.SandboxName(ex) {
				how = fmt.Sprintf("docker exec -it %s %s (the sandbox)", obj.Name, strings.Join(shell(ex), " "))
			}
		case "network":
			how = "docker network inspect " + obj.Name
		case "volume":
			how = fmt.Sprintf("docker run --rm -v %s:/v busybox:1.36 ls -lR /v", obj.Name)
		case "image":
			how = "docker image inspect " + obj.Name
		}
		fmt.Fprintf(w, "        %-10s %s: %s\n", obj.Kind, obj.Name, how)
	}
	// The checks run again as a learner's check would, but count in a
	// progress file of the self-test's, and tell no classroom: a wrong
	// attempt kept because it passes would be recorded as done.
	q := shellquote.Quote
	fmt.Fprintf(w, "      Run the checks again (recorded in %s, not in your progress): DOCKDOJO_WORKSPACE=%s XDG_STATE_HOME=%s XDG_CONFIG_HOME=%s %s\n",
		dir, q(filepath.Dir(filepath.Dir(k.Workspace))), q(filepath.Join(dir, "state")), q(filepath.Join(dir, "config")), dockdojo("check", ex.Key()))
	fmt.Fprintf(w, "      Clean up: %s\n", dockdojo("reset", "--yes", ex.Key()))
	if k.Cleanup != "" {
		fmt.Fprintf(w, "        and the wrong attempt's cleanup, in the workspace:\n")
		for _, line := range strings.Split(strings.TrimSpace(k.Cleanup), "\n") {
			fmt.Fprintf(w, "          %s\n", line)
		}
	}
	fmt.Fprintf(w, "        and rm -rf %s\n", dir)
	fmt.Fprintln(w, "Stopped at the first failure, as --keep asks.")
}

func shell(ex *lessons.Exercise) []string {
	if ex.Sandbox != nil && len(ex.Sandbox.Shell) > 0 {
		return ex.Sandbox.Shell
	}
	return []string{"sh"}
}

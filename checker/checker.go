// Package checker owns the kinds of check an exercise can declare, and turns
// them into looks at the real engine and those into a verdict the learner can
// act on. Each kind is a type of its own, in a file named after it, with its
// fields, their validation, its title and its run; kinds.go lists them all. A
// learner who is not done yet is a Result; an engine that cannot be reached
// is an error.
package checker

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dockdojo/dockdojo/internal/termsafe"
	"github.com/dockdojo/dockdojo/sandbox"
)

// Target is what checks look at: a narrow view of the engine.
type Target interface {
	InspectContainer(ctx context.Context, name string) (sandbox.Container, error)
	InspectNetwork(ctx context.Context, name string) (sandbox.Network, error)
	InspectVolume(ctx context.Context, name string) (sandbox.Volume, error)
	InspectImage(ctx context.Context, ref string) (sandbox.Image, error)
	Exec(ctx context.Context, container string, cmd []string) (sandbox.ExecResult, error)
	Probe(ctx context.Context, spec sandbox.ProbeSpec) (sandbox.ExecResult, error)
	// ReadFile reads a file out of a probe that never starts (see
	// sandbox.Engine.ReadFile): a volume's file without a process.
	ReadFile(ctx context.Context, spec sandbox.ProbeSpec, path string) (sandbox.FileRead, error)
	// ContainerFile copies a file out of a container as `docker cp` does
	// (see sandbox.Engine.ContainerFile): nothing runs inside it.
	ContainerFile(ctx context.Context, container, path string) (sandbox.FileRead, error)
	Logs(ctx context.Context, container string) (string, error)
	// Build builds the folder dir of the folder top (see
	// sandbox.Engine.Build), reading it only through top.
	Build(ctx context.Context, top, dir, dockerfile, tag string, labels map[string]string) error
	ContainersWithLabels(ctx context.Context, labels map[string]string) ([]sandbox.Container, error)
	// Names lists the names of every container, network, volume or image
	// (kind), for recognising a near miss of a name.
	Names(ctx context.Context, kind string) ([]string, error)
	// PortHolders lists the running containers that publish a host port
	// ("8080/tcp").
	PortHolders(ctx context.Context, port string) ([]string, error)
	// WaitStopped returns when the container is not running (at once when
	// it is not), or with ctx's error when ctx ends first.
	WaitStopped(ctx context.Context, name string) error
	// HostAddress is where published ports are reached from this machine.
	HostAddress() string
}

// ProbeImage is the small image throwaway probe containers run.
const ProbeImage = "busybox:1.36"

// Env is everything a run of checks needs besides the checks.
type Env struct {
	Target    Target
	Exercise  string            // the exercise's key, for messages that name a command
	Sandbox   string            // the exercise's sandbox container name; "" when it has none
	Workspace string            // the exercise's workspace folder on the host
	Labels    map[string]string // put on probe containers, so a sweep finds them
	HTTP      *http.Client      // nil: a client with a 5 s timeout
	// Scope is what the checks may reach (see Scope); a check that names
	// anything else is refused, and runs nothing.
	Scope Scope
	// Skew says how far the engine's clock is ahead of this machine's, to
	// compare the times it records with a file's (see staleNote); nil: the
	// clocks agree.
	Skew func(context.Context) (time.Duration, error)

	// read is set when the running check read text out of a container.
	read *atomic.Bool
	// missing is what the running check found of a container it looks at
	// that is not there, or is being removed (see container): nil when it
	// found none such.
	missing *atomic.Pointer[string]

	// looks is what this run has seen of the engine (see Run): nil outside
	// a run.
	looks *looks

	// title is the running check's own title (Check.Title), "" when the
	// lesson gave none: a kind whose failure would otherwise quote the
	// checker's code (a regular expression) says it instead.
	title string
}

// Outcome is the verdict of one check.
type Outcome struct {
	Kind    string // the check's kind, as lessons name it (see kinds.go)
	Title   string // what the check looks for, in the learner's words
	Passed  bool
	Message string // what was expected and what was found, in plain words
	// Quotes reports that the check read text out of a container (a
	// command's output, logs, a file, an HTTP reply, an environment
	// variable), which Message may quote: such text is for the learner, and
	// never goes to a classroom.
	Quotes bool
}

// Result is the verdict of all of an exercise's checks, in declared order.
type Result struct {
	Outcomes []Outcome
}

// Passed reports whether every check passed.
func (r Result) Passed() bool { return r.FirstFailure() == nil }

// FirstFailure is the first check still failing, or nil.
func (r Result) FirstFailure() *Outcome {
	for i := range r.Outcomes {
		if !r.Outcomes[i].Passed {
			return &r.Outcomes[i]
		}
	}
	return nil
}

// NumPassed counts the checks that pass.
func (r Result) NumPassed() int {
	n := 0
	for _, o := range r.Outcomes {
		if o.Passed {
			n++
		}
	}
	return n
}

// Run runs every check against the engine. Its error is kept for an engine
// that cannot be reached (or a cancelled context); everything the learner
// still has to do is in the Result.
//
// Checks only look, so they run at the same time (at most Parallel at
// once) and the Result keeps them in declared order. In one run, the
// engine is asked about each object once, whichever checks look at it (see
// looks). An engine lost midway ends the run: the Result then holds the
// checks before the first that could not finish.
func Run(ctx context.Context, env Env, checks []Check) (Result, error) {
	if env.HTTP == nil {
		env.HTTP = &http.Client{Timeout: 5 * time.Second}
	}
	env.looks = newLooks(env.Target)
	env.Target = env.looks
	if skew := env.Skew; skew != nil {
		// The engine's clock is asked once a run, however many checks of
		// a stale image want it.
		once := sync.OnceValues(func() (time.Duration, error) { return skew(ctx) })
		env.Skew = func(context.Context) (time.Duration, error) { return once() }
	}
	// A check that finds the engine gone ends the checks after it, not
	// those before it: their verdicts are kept.
	outcomes := make([]Outcome, len(checks))
	stopped := make([]bool, len(checks)) // the check could not finish
	cancels := make([]context.CancelCauseFunc, len(checks))
	ctxs := make([]context.Context, len(checks))
	for i := range checks {
		ctxs[i], cancels[i] = context.WithCancelCause(ctx)
		defer cancels[i](nil)
	}
	var mu sync.Mutex
	var lost error
	slots := make(chan struct{}, Parallel)
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			ctx := ctxs[i]
			if ctx.Err() != nil {
				stopped[i] = true
				return
			}
			cenv := env.scoped()
			msg, err := run(ctx, cenv, c)
			if gone := cenv.missing.Load(); err == nil && gone != nil && msg == *gone && !asksWhetherThere(c.Spec) {
				// A check of a container that is not there can say
				// only that: its question, and the lesson's explain
				// of it, are about one that is.
				err = &absentError{msg: msg}
			}
			why, isRefusal := refusal(err)
			noExplain := isRefusal
			var u *unmetError
			var a *absentError
			switch {
			case isRefusal:
				msg = why
			case errors.As(err, &a):
				// What the question is about is not there: neither it
				// nor its negation holds, and the explain answers the
				// question, not what is missing.
				msg, noExplain = a.msg, true
			case errors.As(err, &u):
				// A message like any other, but about what the check
				// needs, not what it asks: the lesson's explain of its
				// own question would mislead.
				msg, noExplain = u.msg, true
				if c.Not {
					msg = c.negate(msg)
				}
			case err != nil && fatal(ctx, err):
				stopped[i] = true
				mu.Lock()
				if lost == nil {
					lost = err
				}
				mu.Unlock()
				for _, cancel := range cancels[i+1:] {
					cancel(err)
				}
				return
			case err != nil:
				msg = plain(err)
			case c.Not:
				msg = c.negate(msg)
			case msg != "":
				msg += staleNote(ctx, cenv, c.Spec)
			}
			outcomes[i] = outcome(c, msg, noExplain)
			outcomes[i].Quotes = cenv.read.Load()
		}()
	}
	wg.Wait()
	for i := range checks {
		if stopped[i] {
			if err := context.Cause(ctxs[i]); err != nil {
				return Result{Outcomes: outcomes[:i]}, err
			}
			return Result{Outcomes: outcomes[:i]}, lost
		}
	}
	env.looks.shortenRepeats(outcomes)
	return Result{Outcomes: outcomes}, nil
}

// Parallel is how many checks of one run look at the engine at once.
const Parallel = 4

// outcome is the verdict of check c whose run said msg ("" for a pass).
// With noExplain (a check that was refused, see refusal, or whose container
// is not running, see unmet) it fails without the lesson's explain: that is
// advice on the check's own question, and msg says what to change.
func outcome(c Check, msg string, noExplain bool) Outcome {
	o := Outcome{Kind: c.Kind, Title: c.TitleText(), Passed: msg == "", Message: termsafe.Printable(msg)}
	if !o.Passed && !noExplain && c.Explain != "" {
		o.Message += "\n" + c.Explain
	}
	return o
}

// A check that dockdojo would not run as it stands is refused: it names
// what is not the exercise's (ErrOutOfScope), it would reach this machine's
// network (sandbox.ErrHostNetwork), or it would run a command inside a
// container that could reach beyond itself (see unsafeToEnter). A kind
// refuses with the error of refuse, never with a message, so that a
// negated check that is refused fails too.
type refused struct{ msg string }

func (r *refused) Error() string { return r.msg }

// refuse is the error of a check that dockdojo will not run; msg tells the
// learner (or the lesson's author) what to change.
func refuse(msg string) error { return &refused{msg: msg} }

// A check that cannot do its part because a container it needs is not
// running (an exec, an HTTP request, a name lookup from it) fails with the
// error of unmet: its message says why, and the lesson's explain, written
// for the check's own question, is left out. Negated, it passes, as any
// failing check does.
type unmetError struct{ msg string }

func (u *unmetError) Error() string { return u.msg }

// unmet is the error of a check whose container is not running; msg says
// so and why.
func unmet(msg string) error { return &unmetError{msg: msg} }

// A check whose question is about an object that is not there (is image
// 2.0 a build of its own, or 1.0 under a second name?) fails with the error
// of absent, negated or not: "2.0 is not the same image as 1.0" is no more
// true of a 2.0 that does not exist than its opposite. Its message says
// what is missing, without the lesson's explain.
type absentError struct{ msg string }

func (a *absentError) Error() string { return a.msg }

// asksWhetherThere reports a check whose question is whether a container is
// there at all: its verdict and its explain stand when it is not. Every
// other check of a missing container fails with what is missing, negated
// or not (see absentError).
func asksWhetherThere(s Spec) bool {
	_, ok := s.(*ContainerExists)
	return ok
}

// orAbsent is err, or else the error of absent with msg.
func orAbsent(err error, msg string) error {
	if err != nil {
		return err
	}
	return &absentError{msg: msg}
}

// refusal is the message of a check refused with err, and whether err is a
// refusal at all.
func refusal(err error) (string, bool) {
	var r *refused
	switch {
	case err == nil:
		return "", false
	case errors.As(err, &r):
		return r.msg, true
	case errors.Is(err, ErrOutOfScope):
		return outOfScope(strings.TrimSuffix(err.Error(), ": "+ErrOutOfScope.Error())), true
	case errors.Is(err, sandbox.ErrHostNetwork):
		// The learner's doing, not the lesson's: say what to change.
		why := strings.TrimPrefix(strings.TrimSuffix(err.Error(), ": "+sandbox.ErrHostNetwork.Error()), "probe: ")
		return "dockdojo refuses this check: " + why + ", and would reach every port of this machine from there. Run the container without --network host.", true
	}
	return "", false
}

// TitleText says in a few words, for the learner, what the check looks
// for: the title its lesson gives it, or its kind's, with "not:" first for
// a negated check.
func (c Check) TitleText() string {
	switch {
	case c.Title != "":
		return c.Title
	case c.Not:
		return "not: " + c.specTitle()
	}
	return c.specTitle()
}

// placeTitled is a kind whose own title says only where it looks ("inside
// container dojo-db, things are as the goal asks"): what it looks for is a
// command, a script or a pattern, the answer the title must not give away.
type placeTitled interface{ titleSaysOnlyWhere() }

// WantsTitle reports a check that has no title of its lesson's while its
// kind's own says only where it looks: the learner's checklist would not
// say what it looks for.
func (c Check) WantsTitle() bool {
	_, ok := c.Spec.(placeTitled)
	return ok && c.Title == ""
}

func (c Check) specTitle() string {
	if c.Spec == nil {
		return c.Kind
	}
	return c.Spec.Title()
}

// negate turns the verdict of the spec (msg, "" when it holds) into that
// of the negated check. The spec's own message says why it does not hold,
// which is what a negated check wants: it passes.
func (c Check) negate(msg string) string {
	if msg != "" {
		return ""
	}
	return fmt.Sprintf("found that %s; it must not be so", c.specTitle())
}

// run performs one check and returns "" when it passes, or what is wrong.
func run(ctx context.Context, env Env, c Check) (string, error) {
	if c.Spec == nil {
		return "", fmt.Errorf("%s: unknown check kind %q", c.Pos, c.Kind)
	}
	for _, o := range c.Objects() {
		if why := env.Scope.Allows(o); why != "" {
			// An error, not a message: a refused check fails, negated or not.
			return "", fmt.Errorf("%s: %w", why, ErrOutOfScope)
		}
	}
	env.title = c.Title
	return c.Spec.Run(ctx, env)
}

// scoped is env for one check: its Target answers only about the objects
// in env.Scope, and it notes what the check read out of containers.
func (env Env) scoped() Env {
	env.read = new(atomic.Bool)
	env.missing = new(atomic.Pointer[string])
	env.Target = &scoped{Target: env.Target, scope: env.Scope, workspace: env.Workspace, read: env.read}
	client := *env.HTTP
	base := client.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	client.Transport = readingTransport{base: base, read: env.read}
	env.HTTP = &client
	return env
}

// fatal reports whether err stops the whole run rather than failing one check.
func fatal(ctx context.Context, err error) bool {
	return errors.Is(err, sandbox.ErrUnreachable) || ctx.Err() != nil
}

func plain(err error) string {
	if errors.Is(err, sandbox.ErrNotFound) {
		return strings.TrimSuffix(err.Error(), ": "+sandbox.ErrNotFound.Error())
	}
	return err.Error()
}

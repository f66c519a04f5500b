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
	"sync/atomic"
	"time"

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
	Logs(ctx context.Context, container string) (string, error)
	Build(ctx context.Context, dir, dockerfile, tag string, labels map[string]string) error
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

	// read is set when the running check read text out of a container.
	read *atomic.Bool

	// settled holds the containers (id and start) already waited for in
	// this run, so that each is waited for once.
	settled map[string]bool
	// builds holds the workspace folders built in this run, so that each
	// is built once.
	builds map[string]buildResult
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

// Run runs every check against the engine. Its error is kept for an engine
// that cannot be reached (or a cancelled context); everything the learner
// still has to do is in the Result.
func Run(ctx context.Context, env Env, checks []Check) (Result, error) {
	if env.HTTP == nil {
		env.HTTP = &http.Client{Timeout: 5 * time.Second}
	}
	env.settled = map[string]bool{}
	env.builds = map[string]buildResult{}
	var r Result
	for _, c := range checks {
		cenv := env.scoped()
		msg, err := run(ctx, cenv, c)
		switch {
		case errors.Is(err, ErrOutOfScope):
			msg = refused(strings.TrimSuffix(err.Error(), ": "+ErrOutOfScope.Error()))
		case errors.Is(err, sandbox.ErrHostNetwork):
			// The learner's doing, not the lesson's: say what to change.
			why := strings.TrimPrefix(strings.TrimSuffix(err.Error(), ": "+sandbox.ErrHostNetwork.Error()), "probe: ")
			msg = "dockdojo refuses this check: " + why + ", and would reach every port of this machine from there. Run the container without --network host."
		case err != nil && fatal(ctx, err):
			return r, err
		case err != nil:
			msg = plain(err)
		}
		o := Outcome{Kind: c.Kind, Title: c.TitleText(), Passed: msg == "", Message: msg, Quotes: cenv.read.Load()}
		if !o.Passed && c.Explain != "" {
			o.Message += "\n" + c.Explain
		}
		r.Outcomes = append(r.Outcomes, o)
	}
	return r, nil
}

// run performs one check and returns "" when it passes, or what is wrong.
func run(ctx context.Context, env Env, c Check) (string, error) {
	if c.Spec == nil {
		return "", fmt.Errorf("%s: unknown check kind %q", c.Pos, c.Kind)
	}
	for _, o := range c.Objects() {
		if why := env.Scope.Allows(o); why != "" {
			return refused(why), nil
		}
	}
	return c.Spec.Run(ctx, env)
}

// scoped is env for one check: its Target answers only about the objects
// in env.Scope, and it notes what the check read out of containers.
func (env Env) scoped() Env {
	env.read = new(atomic.Bool)
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

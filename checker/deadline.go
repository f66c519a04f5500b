package checker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
)

// Everything a check waits for has a deadline, so that a command that
// waits forever (a `cat` of a named pipe, a `sleep 100000`) fails its check
// instead of hanging dockdojo, and is stopped.
const (
	// DefaultTimeout is how long the command a lesson runs (exec, script,
	// image_run) may take, unless the check's timeout says otherwise.
	DefaultTimeout = 10 * time.Second
	// MaxTimeout is the most a check's timeout may give it.
	MaxTimeout = 2 * time.Minute
	// ProbeTimeout bounds what dockdojo runs on its own account: the
	// probes of volume_file and name_resolves, and reading a container's
	// logs.
	ProbeTimeout = 10 * time.Second
	// BuildTimeout bounds a build of the learner's workspace (image_run
	// with build), which the checks of one run share.
	BuildTimeout = 5 * time.Minute
)

// Timeout is the field of the kinds that run a lesson's command: how long
// it may take before it is stopped and the check fails.
type Timeout struct {
	// Timeout is in whole seconds, from 1 to MaxTimeout; 0 (not given)
	// means DefaultTimeout.
	Timeout int `yaml:"timeout"`
}

func (t Timeout) validate(l *Lint) {
	if max := int(MaxTimeout / time.Second); l.Given["timeout"] && (t.Timeout < 1 || t.Timeout > max) {
		l.Errorf("timeout", "timeout %d: give the seconds the command may take, from 1 to %d (default %d)", t.Timeout, max, int(DefaultTimeout/time.Second))
	}
}

// limit is how long the command may take.
func (t Timeout) limit() time.Duration {
	if t.Timeout <= 0 {
		return DefaultTimeout
	}
	return min(time.Duration(t.Timeout)*time.Second, MaxTimeout)
}

// overran says, when err is a command that ran past its limit, that what
// did not finish within it and whether it was stopped.
func overran(what string, limit time.Duration, err error) (string, bool) {
	var te *sandbox.TimeoutError
	if !errors.As(err, &te) {
		return "", false
	}
	msg := fmt.Sprintf("%s did not finish within %s", what, span(limit))
	if te.Stopped {
		return msg + ", so dockdojo stopped it; does it wait for something (input, a named pipe, a server that never answers)?", true
	}
	return msg + "; dockdojo could not stop it (its container has no `timeout` command, or what it started lives on): `docker top` shows what still runs", true
}

// span writes a limit as a learner reads it: "10 s", "5 min".
func span(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return fmt.Sprintf("%d min", d/time.Minute)
	}
	return fmt.Sprintf("%d s", (d+time.Second/2)/time.Second)
}

// within gives a command run through Target.Exec limit to finish, with the
// grace the engine needs to report that it stopped it.
func within(ctx context.Context, limit time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, limit+sandbox.ExecGrace)
}

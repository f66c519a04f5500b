package checker

import (
	"context"
	"errors"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
)

// A container's state in its first moments is not a verdict: a container
// whose command exits at once is "running" for a few milliseconds, and a
// server needs a moment to listen. These bound how long a check waits for a
// young container to show what it does; a container that is older is judged
// at once.
const (
	// Settle is how long a container must have been running before the
	// checker believes it runs. A younger one is watched until it is that
	// old, or until it stops if that comes first, and then looked at again.
	Settle = time.Second
	// Warmup is how long after a container started an HTTP check keeps
	// asking when no server answers yet (the connection is refused or cut).
	Warmup = 5 * time.Second
)

// settle returns ct once its state can be judged: a running container that
// started less than Settle ago is waited for, until it is Settle old or it
// stops, and inspected again. One that was started again meanwhile keeps
// exiting and being restarted by its restart policy: it is judged as
// restarting, not running. A container that is gone by then yields an error
// wrapping sandbox.ErrNotFound.
func settle(ctx context.Context, env Env, ct sandbox.Container) (sandbox.Container, error) {
	if !ct.Running || time.Since(ct.StartedAt) >= Settle {
		return ct, nil
	}
	if env.looks == nil {
		return settleNow(ctx, env, ct)
	}
	// Checks of the same container in one run share one wait.
	return env.looks.settled(ct, func() (sandbox.Container, error) { return settleNow(ctx, env, ct) })
}

// settleNow waits for a young running container, and inspects it again.
func settleNow(ctx context.Context, env Env, ct sandbox.Container) (sandbox.Container, error) {
	up := time.Since(ct.StartedAt)
	// An engine whose clock is ahead of this machine's makes a container
	// look younger than it is: wait Settle at most, and once per start.
	if err := waitStopped(ctx, env, ct.Name, min(Settle-up, Settle)); err != nil {
		return ct, err
	}
	again, err := env.Target.InspectContainer(ctx, ct.Name)
	if err != nil {
		return again, err
	}
	if again.Running && !again.StartedAt.Equal(ct.StartedAt) {
		again.Running, again.State = false, "restarting"
	}
	return again, nil
}

// waitStopped waits at most d for the container to stop. Its error is kept
// for the engine and ctx: a wait that runs out, or a container that is
// gone, is not an error.
func waitStopped(ctx context.Context, env Env, name string, d time.Duration) error {
	wctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	err := env.Target.WaitStopped(wctx, name)
	switch {
	case err == nil, errors.Is(err, sandbox.ErrNotFound):
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case wctx.Err() != nil:
		return nil
	}
	return err
}

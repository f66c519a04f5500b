package checker

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/dockdojo/dockdojo/sandbox"
)

// ContainerState checks that the named container is in this state (and exited with
// this code), or is absent; it can ask how it was run, in the foreground or
// detached. A container in its first moments is judged
// once it has settled (see Settle), so that one which exits at once is seen
// as exited.
type ContainerState struct {
	Container string `yaml:"container" check:"required"` // the container's exact name
	State     string `yaml:"state" check:"required"`     // running, exited, created, paused or absent
	ExitCode  *int   `yaml:"exit_code"`                  // for exited: the code; default any
	// Foreground asks that it was run in the foreground (`docker run`
	// without -d), where what it prints shows in the terminal: a lesson
	// that teaches the difference must not pass a run with -d.
	Foreground bool `yaml:"foreground"`
	// Detached asks that it was run in the background (`docker run -d`)
	// from the start, as container_running's field of that name does: a
	// lesson that teaches -d must not pass a run without it that was
	// stopped from another terminal.
	Detached bool `yaml:"detached"`
}

var _ Spec = (*ContainerState)(nil)

// states are the states a lesson may ask for; the documentation names the
// common ones.
var states = []string{"running", "exited", "created", "paused", "restarting", "dead", "absent"}

func (s *ContainerState) Title() string {
	switch {
	case s.Foreground:
		return fmt.Sprintf("container %s was run in the foreground and is %s", s.Container, s.State)
	case s.Detached:
		return fmt.Sprintf("container %s was run in the background and is %s", s.Container, s.State)
	}
	return fmt.Sprintf("container %s is %s", s.Container, s.State)
}

func (s *ContainerState) Validate(l *Lint) {
	l.Object("container", "container", s.Container)
	switch {
	case s.State != "" && !slices.Contains(states, s.State):
		l.Errorf("state", "state %q: use running, exited, created, paused or absent", s.State)
	case s.ExitCode != nil && s.State != "exited":
		// Run judges the code of an exited container only: with any other
		// state it would be ignored, and the lesson would not ask what it
		// says.
		l.Errorf("exit_code", "exit_code is judged only for a container that has exited, and this check asks for state %s: ask for state: exited, or remove exit_code", s.State)
	case s.Foreground && s.State == "absent":
		l.Errorf("foreground", "foreground is judged on a container that exists, and this check asks for state absent: remove foreground, or ask for another state")
	case s.Detached && s.State == "absent":
		l.Errorf("detached", "detached is judged on a container that exists, and this check asks for state absent: remove detached, or ask for another state")
	case s.Foreground && s.Detached:
		l.Errorf("detached", "a container is run either in the foreground or detached, and this check asks for both: keep one of foreground and detached")
	}
}

func (s *ContainerState) Run(ctx context.Context, env Env) (string, error) {
	if s.State == "absent" {
		ct, err := lookup(ctx, env, s.Container)
		switch {
		case errors.Is(err, sandbox.ErrNotFound):
			return "", nil
		case err != nil:
			return "", err
		case going(ct):
			return "", nil // on its way out, as if removed already
		}
		return fmt.Sprintf("container %s still exists (it is %s); remove it with `docker rm %s`, or run it with --rm next time", s.Container, ct.State, s.Container), nil
	}
	ct, msg, err := container(ctx, env, s.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	if s.Detached && ct.Attached && !composeMade(ct) {
		// Before the state: whatever state it is in, only running it
		// again with -d mends this, so that is what to say first.
		return fmt.Sprintf("container %s was run in the foreground (`docker run` without -d, or made with `docker create`), and this exercise asks for one run in the background with -d; remove it (`docker rm -f %s`) and run it again with -d", s.Container, s.Container), nil
	}
	if ct.State != s.State {
		return fmt.Sprintf("container %s is %s%s, expected %s", s.Container, ct.State, exitNote(ct), s.State), nil
	}
	if s.ExitCode != nil && ct.State == "exited" && ct.ExitCode != *s.ExitCode {
		return fmt.Sprintf("container %s exited with code %d, expected %d (`docker logs %s` says why)", s.Container, ct.ExitCode, *s.ExitCode, s.Container), nil
	}
	if s.Foreground && composeMade(ct) {
		return fmt.Sprintf("container %s was made by Docker Compose, and this exercise asks for `docker run` in the foreground, where what it prints shows in your terminal; remove it (`docker rm -f %s`) and run it again with `docker run`, without -d", s.Container, s.Container), nil
	}
	if s.Foreground && !ct.Attached {
		return fmt.Sprintf("container %s was run in the background (with -d), and this exercise asks for the foreground, where what it prints shows in your terminal; remove it (`docker rm -f %s`) and run it again without -d", s.Container, s.Container), nil
	}
	return "", nil
}

package checker

import (
	"context"
	"fmt"
	"slices"
)

// RestartPolicy checks that the named container has this restart policy (--restart).
type RestartPolicy struct {
	Container string `yaml:"container" check:"required"` // the container's exact name
	Policy    string `yaml:"policy" check:"required"`    // no, always, unless-stopped or on-failure
}

var _ Spec = (*RestartPolicy)(nil)

func (s *RestartPolicy) Title() string {
	return fmt.Sprintf("container %s restarts %s", s.Container, s.Policy)
}

func (s *RestartPolicy) Validate(l *Lint) {
	l.Object("container", "container", s.Container)
	if s.Policy != "" && !slices.Contains([]string{"no", "always", "unless-stopped", "on-failure"}, s.Policy) {
		l.Errorf("policy", "policy %q: use no, always, unless-stopped or on-failure", s.Policy)
	}
}

func (s *RestartPolicy) Run(ctx context.Context, env Env) (string, error) {
	ct, msg, err := container(ctx, env, s.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	got := ct.RestartPolicy
	if got == "" {
		got = "no"
	}
	if got != s.Policy {
		return fmt.Sprintf("container %s has restart policy %s, expected %s (--restart %s)", s.Container, got, s.Policy, s.Policy), nil
	}
	return "", nil
}

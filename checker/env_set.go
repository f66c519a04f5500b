package checker

import (
	"context"
	"fmt"
	"strings"
)

// EnvSet checks that the named container was created with this environment variable
// (-e NAME=value).
type EnvSet struct {
	Container string `yaml:"container" check:"required"` // the container's exact name
	Name      string `yaml:"name" check:"required"`      // the variable's name
	Value     string `yaml:"value"`                      // the value it must have; default any
}

var _ Spec = (*EnvSet)(nil)

func (s *EnvSet) Title() string {
	if s.Value != "" {
		return fmt.Sprintf("container %s has %s set as the goal asks", s.Container, s.Name)
	}
	return fmt.Sprintf("container %s has %s set", s.Container, s.Name)
}

func (s *EnvSet) Validate(l *Lint) { l.Object("container", "container", s.Container) }

func (s *EnvSet) Run(ctx context.Context, env Env) (string, error) {
	ct, msg, err := container(ctx, env, s.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	// The values are the learner's settings, which may be secrets: the
	// message quotes them for the learner alone.
	env.noteRead()
	var names []string
	for _, kv := range ct.Env {
		k, v, _ := strings.Cut(kv, "=")
		if k == s.Name {
			if s.Value != "" && v != s.Value {
				return fmt.Sprintf("container %s has %s=%s, expected %s=%s", s.Container, k, v, k, s.Value), nil
			}
			return "", nil
		}
		names = append(names, k)
	}
	return fmt.Sprintf("container %s has no environment variable %s (set it with -e %s=...); it has %s", s.Container, s.Name, s.Name, orNone(names, "none")), nil
}

package checker

import (
	"context"
	"fmt"
	"regexp"
)

// CapAdded checks that the named container was given this Linux capability with
// --cap-add, and no more than that: a privileged container, or one given
// ALL, fails.
type CapAdded struct {
	Container  string `yaml:"container" check:"required"`  // the container's exact name
	Capability string `yaml:"capability" check:"required"` // e.g. NET_ADMIN; CAP_ is optional
}

var _ Spec = (*CapAdded)(nil)

var capRE = regexp.MustCompile(`^[A-Z][A-Z_]*$`)

func (s *CapAdded) Title() string {
	return fmt.Sprintf("container %s was given %s", s.Container, s.Capability)
}

func (s *CapAdded) Validate(l *Lint) {
	l.Object("container", "container", s.Container)
	if s.Capability != "" && !capRE.MatchString(capName(s.Capability)) {
		l.Errorf("capability", "capability %q: name one Linux capability, e.g. NET_ADMIN", s.Capability)
	}
}

func (s *CapAdded) Run(ctx context.Context, env Env) (string, error) {
	ct, msg, err := container(ctx, env, s.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	want := capName(s.Capability)
	if ct.Privileged {
		return fmt.Sprintf("container %s is privileged, which grants every capability and every device; give it only --cap-add %s", s.Container, want), nil
	}
	for _, cp := range ct.CapAdd {
		if capName(cp) == "ALL" {
			return fmt.Sprintf("container %s was given ALL capabilities, which is nearly as much as --privileged; give it only --cap-add %s", s.Container, want), nil
		}
	}
	var got []string
	for _, cp := range ct.CapAdd {
		if capName(cp) == want {
			return "", nil
		}
		got = append(got, capName(cp))
	}
	return fmt.Sprintf("container %s was not given %s (--cap-add %s); it was given %s", s.Container, want, want, orNone(got, "none")), nil
}

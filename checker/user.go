package checker

import (
	"context"
	"fmt"
)

// User checks that the named container runs as this user, as configured (--user or
// the image's USER), compared as written: 1000 and nobody differ.
type User struct {
	Container string `yaml:"container" check:"required"` // the container's exact name
	User      string `yaml:"user" check:"required"`      // e.g. nobody or 1000:1000
}

var _ Spec = (*User)(nil)

func (s *User) Title() string { return fmt.Sprintf("container %s runs as %s", s.Container, s.User) }

func (s *User) Validate(l *Lint) {
	l.Object("container", "container", s.Container)
	if l.Given["user"] && s.User == "" {
		l.Errorf("user", "user is empty: give the user the container must run as, as --user or USER writes it, e.g. nobody or 1000:1000")
	}
}

func (s *User) Run(ctx context.Context, env Env) (string, error) {
	ct, msg, err := container(ctx, env, s.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	if ct.User != s.User {
		got := ct.User
		if got == "" {
			got = "the image's default user (root, unless the image says otherwise)"
		}
		return fmt.Sprintf("container %s runs as %s, expected %s", s.Container, got, s.User), nil
	}
	return "", nil
}

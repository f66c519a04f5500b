package checker

import (
	"context"
	"fmt"
	"strings"
)

// User checks that the named container runs as this user, as configured (--user or
// the image's USER), compared as written: 1000 and nobody differ. Root is
// root however it is written (root, 0, 0:0, or nothing set at all), and
// whatever its group: a container run as 0:1000 runs as root.
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
	if ct.User == s.User || isRoot(s.User) && rootUser(ct.User) {
		return "", nil
	}
	got := ct.User
	if got == "" {
		// The engine writes the image's USER into the container's
		// configuration: nothing there is root.
		got = "root (no --user, and its image sets no USER)"
	}
	return fmt.Sprintf("container %s runs as %s, expected %s", s.Container, got, s.User), nil
}

// rootUser reports whether a container configured with user runs as root,
// whatever its group: 0:1000 is root with another group, and a check that
// asks for any user but root must not pass it.
func rootUser(user string) bool {
	name, _, _ := strings.Cut(user, ":")
	return name == "" || name == "root" || name == "0"
}

// isRoot reports whether user, as --user or USER writes it, is root: ""
// (nothing set), root or 0, with root's group or none. Any other user is
// compared as written.
func isRoot(user string) bool {
	name, group, _ := strings.Cut(user, ":")
	return (name == "" || name == "root" || name == "0") && (group == "" || group == "root" || group == "0") && (name != "" || group == "")
}

package checker

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dockdojo/dockdojo/sandbox"
)

// EnvSet checks that the named container has this environment variable, and
// where it came from: given when the container was created (-e NAME=value,
// --env-file, a Compose file's environment), or left by its image's ENV.
type EnvSet struct {
	Container string `yaml:"container" check:"required"` // the container's exact name
	Name      string `yaml:"name" check:"required"`      // the variable's name
	Value     string `yaml:"value"`                      // the value it must have; default any
	// From is where the variable must come from: "run", given when the
	// container was created, or "image", the image's ENV, kept as it is.
	// Default either.
	From string `yaml:"from"`
}

var _ Spec = (*EnvSet)(nil)

func (s *EnvSet) Title() string {
	title := fmt.Sprintf("container %s has %s set", s.Container, s.Name)
	if s.Value != "" {
		title = fmt.Sprintf("container %s has %s set as the goal asks", s.Container, s.Name)
	}
	switch s.From {
	case "run":
		title += ", given when it was created"
	case "image":
		title += ", by its image"
	}
	return title
}

func (s *EnvSet) Validate(l *Lint) {
	l.Object("container", "container", s.Container)
	if s.From != "" && s.From != "run" && s.From != "image" {
		l.Errorf("from", "from %q: write run (given when the container was created, with -e) or image (the image's ENV)", s.From)
	}
}

func (s *EnvSet) Run(ctx context.Context, env Env) (string, error) {
	ct, msg, err := container(ctx, env, s.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	// The values are the learner's settings, which may be secrets: the
	// message quotes them for the learner alone.
	env.noteRead()
	value, ok := lookupEnv(ct.Env, s.Name)
	if !ok {
		var names []string
		for _, kv := range ct.Env {
			k, _, _ := strings.Cut(kv, "=")
			names = append(names, k)
		}
		return fmt.Sprintf("container %s has no environment variable %s (set it with -e %s=...); it has %s", s.Container, s.Name, s.Name, orNone(names, "none")), nil
	}
	if s.Value != "" && value != s.Value {
		return fmt.Sprintf("container %s has %s=%s, expected %s=%s", s.Container, s.Name, value, s.Name, s.Value), nil
	}
	if s.From == "" {
		return "", nil
	}
	// The engine keeps one list: the image's ENV with what was given at run
	// time over it. A value the image does not set was given at run time.
	im, err := env.Target.InspectImage(ctx, ct.ImageID)
	if errors.Is(err, sandbox.ErrNotFound) {
		return fmt.Sprintf("container %s's image %s is no longer on this machine, so where %s came from cannot be told", s.Container, ct.Image, s.Name), nil
	}
	if err != nil {
		return "", err
	}
	fromImage, inImage := lookupEnv(im.Env, s.Name)
	switch {
	case s.From == "run" && inImage && fromImage == value:
		return fmt.Sprintf("container %s has %s=%s from its image %s (ENV), expected it given when the container was created (-e %s=...)", s.Container, s.Name, value, ct.Image, s.Name), nil
	case s.From == "image" && !inImage:
		return fmt.Sprintf("container %s has %s=%s given when it was created (-e); its image %s sets no %s, expected it from the image (ENV %s=...)", s.Container, s.Name, value, ct.Image, s.Name, s.Name), nil
	case s.From == "image" && fromImage != value:
		return fmt.Sprintf("container %s has %s=%s given when it was created (-e), over its image's %s=%s; expected the image's value (leave out -e %s)", s.Container, s.Name, value, s.Name, fromImage, s.Name), nil
	}
	return "", nil
}

// lookupEnv finds a variable in a list of NAME=value pairs.
func lookupEnv(list []string, name string) (string, bool) {
	for _, kv := range list {
		if k, v, _ := strings.Cut(kv, "="); k == name {
			return v, true
		}
	}
	return "", false
}

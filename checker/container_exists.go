package checker

import (
	"context"
	"fmt"
)

// ContainerExists checks that a container with exactly this name exists, running or
// not.
type ContainerExists struct {
	Container string `yaml:"container" check:"required"` // the container's exact name
	// Image is the image it must have been made from, compared by image ID.
	Image string `yaml:"image"`
}

var _ Spec = (*ContainerExists)(nil)

func (s *ContainerExists) Title() string { return fmt.Sprintf("container %s exists", s.Container) }

func (s *ContainerExists) Validate(l *Lint) {
	l.Object("container", "container", s.Container)
	l.Object("image", "image", s.Image)
}

func (s *ContainerExists) Run(ctx context.Context, env Env) (string, error) {
	ct, msg, err := container(ctx, env, s.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	return fromImage(ctx, env, ct, s.Image)
}

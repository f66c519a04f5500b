package checker

import (
	"context"
	"fmt"
)

// ContainerRunning checks that the named container is running, and has
// been for long enough (Settle) that a command which exits at once is not
// taken for one that runs. It takes the fields of ContainerExists.
type ContainerRunning struct {
	ContainerExists `yaml:",inline"`
}

var _ Spec = (*ContainerRunning)(nil)

func (s *ContainerRunning) Title() string { return fmt.Sprintf("container %s is running", s.Container) }

func (s *ContainerRunning) Run(ctx context.Context, env Env) (string, error) {
	ct, msg, err := container(ctx, env, s.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	if !ct.Running {
		return fmt.Sprintf("container %s exists but is not running: it is %s%s", s.Container, ct.State, exitNote(ct)), nil
	}
	return fromImage(ctx, env, ct, s.Image)
}

package checker

import (
	"context"
	"fmt"

	"github.com/dockdojo/dockdojo/sandbox"
)

// ContainerRunning checks that the named container is running, and has
// been for long enough (Settle) that a command which exits at once is not
// taken for one that runs. It takes the fields of ContainerExists, and can
// ask that the container run detached.
type ContainerRunning struct {
	ContainerExists `yaml:",inline"`
	// Detached asks that it was run in the background (docker run -d): a
	// container run in the foreground holds the terminal that started it,
	// and may stop with it (Ctrl-C stops a program that heeds it; process 1
	// of a container, such as sleep, may not).
	Detached bool `yaml:"detached"`
}

var _ Spec = (*ContainerRunning)(nil)

func (s *ContainerRunning) Title() string {
	if s.Detached {
		return fmt.Sprintf("container %s is running in the background", s.Container)
	}
	return fmt.Sprintf("container %s is running", s.Container)
}

func (s *ContainerRunning) Run(ctx context.Context, env Env) (string, error) {
	ct, msg, err := container(ctx, env, s.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	attached := ct.Attached && !composeMade(ct)
	if !ct.Running && s.Detached && attached {
		// Starting it again would leave it made for the foreground, which
		// the check then refuses: say the one thing that works.
		return fmt.Sprintf("container %s exists but is not running (it is %s), and it was made to run in the foreground (`docker run` without -d, or `docker create`); remove it (`docker rm -f %s`) and run it again with -d", s.Container, ct.State, s.Container), nil
	}
	if !ct.Running {
		why, err := notRunning(ctx, env, ct)
		return fmt.Sprintf("container %s exists but is not running: %s", s.Container, why), err
	}
	if msg, err := fromImage(ctx, env, ct, s.Image); msg != "" || err != nil {
		return msg, err
	}
	if s.Detached && attached {
		return fmt.Sprintf("container %s runs in the foreground (`docker run` without -d, or made with `docker create`): it holds the terminal that started it until it ends, and the engine does not say whether you detached since (Ctrl-p Ctrl-q). Remove it (`docker rm -f %s`) and run it again with -d, so that it runs in the background from the start", s.Container, s.Container), nil
	}
	return "", nil
}

// composeMade says whether Docker Compose made the container. Whether it
// was made for the foreground says nothing then: Compose v2 makes every
// container attached, `up -d` too, and v1 makes them alike for `up` and
// `up -d`.
func composeMade(ct sandbox.Container) bool {
	_, ok := ct.Labels[ComposeProjectLabel]
	return ok
}

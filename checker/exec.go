package checker

import (
	"context"
	"fmt"

	"github.com/dockdojo/dockdojo/internal/shellquote"
)

// Exec checks that a command run inside a container (by default the exercise's
// sandbox) exits and prints as expected. dockdojo refuses to run it inside a
// container that could reach beyond itself (see unsafeToEnter).
type Exec struct {
	Command   []string `yaml:"command" check:"required"` // argv, run without a shell
	Container string   `yaml:"container"`                // the container's exact name; default the sandbox
	Output    `yaml:",inline"`
	Timeout   `yaml:",inline"`
}

var _ Spec = (*Exec)(nil)

func (*Exec) titleSaysOnlyWhere() {}

// Title names where the command runs, not the command: it is the
// checker's way of looking, and would give the answer away. A lesson with
// several exec checks gives each a title of its own.
func (s *Exec) Title() string {
	if s.Container == "" {
		return "inside the sandbox, things are as the goal asks"
	}
	return fmt.Sprintf("inside container %s, things are as the goal asks", s.Container)
}

func (s *Exec) Validate(l *Lint) {
	l.Object("container", "container", s.Container)
	if l.Given["command"] && len(s.Command) == 0 {
		l.Errorf("command", "command is empty: give the command to run and its arguments, as a list, e.g. [cat, /root/done.txt]")
	}
	s.Output.validate(l)
	s.Timeout.validate(l)
	if s.Container == "" && !l.Sandbox {
		l.Errorf("", "exec check without \"container\" runs in the sandbox, but the exercise has none: name a container or add a sandbox")
	}
}

func (s *Exec) Run(ctx context.Context, env Env) (string, error) {
	name := s.Container
	if name == "" {
		name = env.Sandbox
		if name == "" {
			return "this exercise has no sandbox to run the check in", nil
		}
	}
	ct, msg, err := container(ctx, env, name)
	if msg != "" || err != nil {
		if s.Container == "" && msg != "" {
			return "", unmet(fmt.Sprintf("the exercise's sandbox is not running; start it with `dockdojo start %s`", env.Exercise))
		}
		return msg, err
	}
	if !ct.Running {
		if s.Container == "" {
			return "", unmet(fmt.Sprintf("the exercise's sandbox %s is %s, so nothing can run inside it; start it again with `dockdojo start %s` (your workspace files are kept)", name, ct.State, env.Exercise))
		}
		why, err := notRunning(ctx, env, ct)
		if err != nil {
			return "", err
		}
		return "", unmet(fmt.Sprintf("container %s is not running, so nothing can run inside it: %s", name, why))
	}
	if why := unsafeToEnter(env, ct); why != "" {
		return "", refuse(fmt.Sprintf("dockdojo will not run a lesson's command inside %s: %s", name, why))
	}
	what := "`" + shellquote.Join(s.Command) + "`"
	ectx, cancel := within(ctx, s.limit())
	defer cancel()
	res, err := env.Target.Exec(ectx, name, s.Command)
	if msg, ok := overran(what, s.limit(), err); ok {
		return msg, nil
	}
	if err != nil {
		return "", err
	}
	return s.Output.judge(what, res)
}

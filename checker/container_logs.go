package checker

import (
	"context"
	"fmt"
	"strings"
)

// ContainerLogs checks that what the named container printed (stdout and stderr, as
// `docker logs` shows) contains this text, or is this text and nothing
// else. A container in its first moments is read once it has settled (see
// Settle).
type ContainerLogs struct {
	Container string `yaml:"container" check:"required"` // the container's exact name
	Contains  string `yaml:"contains"`                   // text its logs contain
	// Equals is all its logs hold, apart from white space at their ends
	// and Windows line ends (a container run with -t ends lines with \r\n).
	Equals *string `yaml:"equals"`
}

var _ Spec = (*ContainerLogs)(nil)

func (s *ContainerLogs) Title() string {
	if s.Equals != nil {
		return fmt.Sprintf("container %s printed \"%s\" and nothing else", s.Container, *s.Equals)
	}
	return fmt.Sprintf("container %s printed \"%s\"", s.Container, s.Contains)
}

func (s *ContainerLogs) Validate(l *Lint) {
	l.Object("container", "container", s.Container)
	switch {
	case s.Contains == "" && s.Equals == nil:
		l.Errorf("", "container_logs check needs \"contains\" (text the logs hold) or \"equals\" (all they hold)")
	case s.Contains != "" && s.Equals != nil:
		l.Errorf("equals", "give either contains or equals: equals is all the logs hold")
	}
}

func (s *ContainerLogs) Run(ctx context.Context, env Env) (string, error) {
	if _, msg, err := container(ctx, env, s.Container); msg != "" || err != nil {
		return msg, err
	}
	lctx, cancel := context.WithTimeout(ctx, ProbeTimeout)
	defer cancel()
	logs, err := env.Target.Logs(lctx, s.Container)
	if err != nil && lctx.Err() != nil && ctx.Err() == nil {
		return fmt.Sprintf("the logs of container %s could not be read within %s; `docker logs %s` shows them", s.Container, span(ProbeTimeout), s.Container), nil
	}
	if err != nil {
		return "", err
	}
	if s.Equals != nil {
		if _, same := sameText([]byte(logs), []byte(*s.Equals)); same {
			return "", nil
		}
		if strings.TrimSpace(logs) == "" {
			return fmt.Sprintf("container %s printed nothing; expected %s and nothing else in `docker logs %s`", s.Container, quote(*s.Equals), s.Container), nil
		}
		return fmt.Sprintf("container %s printed %s; expected %s and nothing else", s.Container, quoteShort(logs), quote(*s.Equals)), nil
	}
	if strings.Contains(logs, s.Contains) {
		return "", nil
	}
	if strings.TrimSpace(logs) == "" {
		return fmt.Sprintf("container %s printed nothing; expected %s in `docker logs %s`", s.Container, quote(s.Contains), s.Container), nil
	}
	return fmt.Sprintf("container %s printed %s; expected %s in it", s.Container, quoteShort(logs), quote(s.Contains)), nil
}

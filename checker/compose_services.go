package checker

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dockdojo/dockdojo/sandbox"
)

// Compose labels its containers with these, in v1 and v2 alike.
const (
	composeProject = ComposeProjectLabel
	composeService = "com.docker.compose.service"
)

// ComposeProjectLabel is the label that names a container's Compose
// project.
const ComposeProjectLabel = "com.docker.compose.project"

// ComposeServices checks that every named service of a Compose project has a running
// container, found by the labels Compose puts on them.
type ComposeServices struct {
	Project  string   `yaml:"project" check:"required"`  // the project's name
	Services []string `yaml:"services" check:"required"` // the services that must be running
}

var _ Spec = (*ComposeServices)(nil)

func (s *ComposeServices) Title() string {
	return fmt.Sprintf("Compose project %s runs %s", s.Project, strings.Join(s.Services, ", "))
}

func (s *ComposeServices) Validate(l *Lint) {
	l.Object("project", "project", s.Project)
	if len(s.Services) == 0 && l.Given["services"] {
		l.Errorf("services", "services is empty: name at least one service")
	}
}

func (s *ComposeServices) Run(ctx context.Context, env Env) (string, error) {
	cts, err := env.Target.ContainersWithLabels(ctx, map[string]string{composeProject: s.Project})
	if err != nil {
		return "", err
	}
	if len(cts) == 0 {
		return fmt.Sprintf("Compose project %s has no containers; run `docker compose up -d` in the folder of its compose.yaml (the project is named after the folder, or -p NAME)", s.Project), nil
	}
	for i, ct := range cts {
		cts[i], err = settle(ctx, env, ct)
		switch {
		case errors.Is(err, sandbox.ErrNotFound):
			cts[i].Running = false // gone while it was waited for
		case err != nil:
			return "", err
		}
	}
	var missing, stopped []string
	var down sandbox.Container // a container of the first service that is not running
	for _, svc := range s.Services {
		found, running := false, false
		var last sandbox.Container
		for _, ct := range cts {
			if ct.Labels[composeService] == svc {
				found, last = true, ct
				running = running || ct.Running
			}
		}
		switch {
		case !found:
			missing = append(missing, svc)
		case !running:
			if len(stopped) == 0 {
				down = last
			}
			stopped = append(stopped, svc)
		}
	}
	switch {
	case len(missing) > 0:
		return fmt.Sprintf("Compose project %s has no service %s", s.Project, strings.Join(missing, ", ")), nil
	case len(stopped) > 0:
		// Why the first one is down: a taken host port leaves empty logs.
		why, err := notRunningComposed(ctx, env, down)
		return fmt.Sprintf("in Compose project %s, %s is not running (container %s): %s", s.Project, strings.Join(stopped, ", "), down.Name, why), err
	}
	return "", nil
}

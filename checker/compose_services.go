package checker

import (
	"context"
	"errors"
	"fmt"
	"regexp"
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
		if why, err := s.nameTaken(ctx, env, s.Services); why != "" || err != nil {
			return fmt.Sprintf("Compose project %s has no containers: %s", s.Project, why), err
		}
		return fmt.Sprintf("Compose project %s has no containers; run `docker compose up -d` in the folder of its compose.yaml (the project is named after the folder, or -p NAME)", s.Project), nil
	}
	// A container of the project that the exercise does not own is not
	// looked into: it is judged by its name, labels and state as listed,
	// and never settled (which inspects it again).
	mine := func(ct sandbox.Container) bool {
		return env.Scope.Allows(Object{Type: "container", Name: ct.Name}) == ""
	}
	for i, ct := range cts {
		if !mine(ct) {
			continue
		}
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
		want := composeName(env.Scope, s.Project, svc, s.Services)
		found, running := false, false
		var last sandbox.Container
		misnamed := ""
		for _, ct := range cts {
			switch {
			case ct.Labels[composeService] != svc:
			case want != "" && !mine(ct):
				misnamed = ct.Name
			default:
				found, last = true, ct
				running = running || ct.Running
			}
		}
		switch {
		case !found && misnamed != "":
			// Without container_name, Compose names the container itself
			// (PROJECT_SERVICE_1, PROJECT-SERVICE-1): the learner's slip,
			// not the lesson's.
			return fmt.Sprintf("in Compose project %s, the container of service %s is named %s, not %s: give %s `container_name: %s` in compose.yaml, then run `docker compose up -d` again", s.Project, svc, misnamed, want, svc, want), nil
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
		msg := fmt.Sprintf("Compose project %s has no service %s", s.Project, strings.Join(missing, ", "))
		if why, err := s.nameTaken(ctx, env, missing); why != "" || err != nil {
			return msg + ": " + why, err
		}
		return msg, nil
	case len(stopped) > 0:
		// Why the first one is down: a taken host port leaves empty logs.
		why, err := notRunningComposed(ctx, env, down)
		return fmt.Sprintf("in Compose project %s, %s is not running (container %s): %s", s.Project, strings.Join(stopped, ", "), down.Name, why), err
	}
	return "", nil
}

// nameTaken says why Compose cannot make the container the exercise
// names for one of the services (after "Compose project P has no service
// S: "), and what to do: a container of that name is already there, made
// by another Compose project (`-p NAME`, or compose.yaml run from another
// folder) or by `docker run`, and `docker compose up -d` fails on the name
// taken until it is removed; or made by this project for a service named
// otherwise. It is "" when there is none such. It reads the container's
// labels only.
func (s *ComposeServices) nameTaken(ctx context.Context, env Env, services []string) (string, error) {
	for _, svc := range services {
		name := composeName(env.Scope, s.Project, svc, s.Services)
		if name == "" {
			continue
		}
		ct, err := env.Target.InspectContainer(ctx, name)
		switch {
		case errors.Is(err, sandbox.ErrNotFound):
			continue
		case err != nil:
			return "", err
		}
		then := fmt.Sprintf("; then run `docker compose up -d` in the folder %s, which names the project", s.Project)
		project := ct.Labels[composeProject]
		switch dir := ct.Labels[composeWorkingDirLabel]; {
		case project == s.Project && ct.Labels[composeService] != svc && ct.Labels[composeService] != "":
			return fmt.Sprintf("the container %s is there, made for its service %s: the service must be called %s in compose.yaml; then run `docker compose up -d` again", name, ct.Labels[composeService], svc), nil
		case project == s.Project:
			continue // made meanwhile
		case project == "":
			return fmt.Sprintf("the container %s is there, but Docker Compose did not make it (`docker run` did?), and Compose cannot make one under a name that is taken: remove it with `docker rm -f %s`%s", name, name, then), nil
		case dir != "":
			return fmt.Sprintf("the container %s is there, but Compose project %s made it, in the folder %s, and Compose cannot make another under that name: remove it with `docker compose -p %s down` in that folder, or with `docker rm -f %s`%s", name, project, dir, project, name, then), nil
		default:
			return fmt.Sprintf("the container %s is there, but Compose project %s made it, and Compose cannot make another under that name: remove it with `docker rm -f %s`%s", name, project, name, then), nil
		}
	}
	return "", nil
}

// composeName is the name the exercise gives the container of service in
// project, or "" when it names none: the container it owns that Compose v2
// would name after both without an index (PROJECT-SERVICE, or
// PROJECT_SERVICE), or else the one container it owns named after the
// project alone (PROJECT, PROJECT-SOMETHING) that is no other service's,
// when it is the one service so left.
func composeName(scope Scope, project, service string, services []string) string {
	named := func(svc string) string {
		for _, n := range scope.Containers {
			if composeKey(n) == composeKey(project+"-"+svc) {
				return n
			}
		}
		return ""
	}
	if n := named(service); n != "" {
		return n
	}
	var unnamed int // services with no container named after them
	taken := map[string]bool{}
	for _, svc := range services {
		if n := named(svc); n != "" {
			taken[n] = true
		} else {
			unnamed++
		}
	}
	var after []string // the other containers named after the project
	for _, n := range scope.Containers {
		if !taken[n] && !composeIndexed.MatchString(n) && (n == project || strings.HasPrefix(composeKey(n), composeKey(project)+"-")) {
			after = append(after, n)
		}
	}
	if len(after) == 1 && unnamed == 1 {
		return after[0]
	}
	return ""
}

// composeKey is a name as Compose v2 would spell it: v1 joins the
// project, the service and the index with underscores, v2 with hyphens.
func composeKey(name string) string { return strings.ReplaceAll(name, "_", "-") }

// composeIndexed matches the names Compose gives containers itself, which
// end in an index: PROJECT_SERVICE_1 (v1), PROJECT-SERVICE-1 (v2).
var composeIndexed = regexp.MustCompile(`[-_][0-9]+$`)

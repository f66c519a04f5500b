package checker

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
)

func containerState(ctx context.Context, env Env, c lessons.Check) (string, error) {
	if c.State == "absent" {
		ct, err := env.Target.InspectContainer(ctx, c.Container)
		switch {
		case errors.Is(err, sandbox.ErrNotFound):
			return "", nil
		case err != nil:
			return "", err
		}
		return fmt.Sprintf("container %s still exists (it is %s); remove it with `docker rm %s`, or run it with --rm next time", c.Container, ct.State, c.Container), nil
	}
	ct, msg, err := container(ctx, env, c.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	if ct.State != c.State {
		return fmt.Sprintf("container %s is %s%s, expected %s", c.Container, ct.State, exitNote(ct), c.State), nil
	}
	if c.ExitCode != nil && ct.State == "exited" && ct.ExitCode != *c.ExitCode {
		return fmt.Sprintf("container %s exited with code %d, expected %d (`docker logs %s` says why)", c.Container, ct.ExitCode, *c.ExitCode, c.Container), nil
	}
	return "", nil
}

func containerLogs(ctx context.Context, env Env, c lessons.Check) (string, error) {
	if _, msg, err := container(ctx, env, c.Container); msg != "" || err != nil {
		return msg, err
	}
	logs, err := env.Target.Logs(ctx, c.Container)
	if err != nil {
		return "", err
	}
	if strings.Contains(logs, c.Contains) {
		return "", nil
	}
	if strings.TrimSpace(logs) == "" {
		return fmt.Sprintf("container %s printed nothing; expected %q in `docker logs %s`", c.Container, c.Contains, c.Container), nil
	}
	return fmt.Sprintf("container %s printed %s; expected %q in it", c.Container, quoteShort(logs), c.Contains), nil
}

func envSet(ctx context.Context, env Env, c lessons.Check) (string, error) {
	ct, msg, err := container(ctx, env, c.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	var names []string
	for _, kv := range ct.Env {
		k, v, _ := strings.Cut(kv, "=")
		if k == c.Name {
			if c.Value != "" && v != c.Value {
				return fmt.Sprintf("container %s has %s=%s, expected %s=%s", c.Container, k, v, k, c.Value), nil
			}
			return "", nil
		}
		names = append(names, k)
	}
	return fmt.Sprintf("container %s has no environment variable %s (set it with -e %s=...); it has %s", c.Container, c.Name, c.Name, orNone(names, "none")), nil
}

// capName writes a capability as the engine's API 1.41 does not always: NET_ADMIN.
func capName(s string) string { return strings.TrimPrefix(strings.ToUpper(s), "CAP_") }

func capAdded(ctx context.Context, env Env, c lessons.Check) (string, error) {
	ct, msg, err := container(ctx, env, c.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	want := capName(c.Capability)
	if ct.Privileged {
		return fmt.Sprintf("container %s is privileged, which grants every capability and every device; give it only --cap-add %s", c.Container, want), nil
	}
	var got []string
	for _, cp := range ct.CapAdd {
		if capName(cp) == "ALL" {
			return fmt.Sprintf("container %s was given ALL capabilities, which is nearly as much as --privileged; give it only --cap-add %s", c.Container, want), nil
		}
	}
	for _, cp := range ct.CapAdd {
		if capName(cp) == want {
			return "", nil
		}
		got = append(got, capName(cp))
	}
	return fmt.Sprintf("container %s was not given %s (--cap-add %s); it was given %s", c.Container, want, want, orNone(got, "none")), nil
}

func restartPolicy(ctx context.Context, env Env, c lessons.Check) (string, error) {
	ct, msg, err := container(ctx, env, c.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	got := ct.RestartPolicy
	if got == "" {
		got = "no"
	}
	if got != c.Policy {
		return fmt.Sprintf("container %s has restart policy %s, expected %s (--restart %s)", c.Container, got, c.Policy, c.Policy), nil
	}
	return "", nil
}

func userCheck(ctx context.Context, env Env, c lessons.Check) (string, error) {
	ct, msg, err := container(ctx, env, c.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	if ct.User != c.User {
		got := ct.User
		if got == "" {
			got = "the image's default user (root, unless the image says otherwise)"
		}
		return fmt.Sprintf("container %s runs as %s, expected %s", c.Container, got, c.User), nil
	}
	return "", nil
}

func deviceMapped(ctx context.Context, env Env, c lessons.Check) (string, error) {
	ct, msg, err := container(ctx, env, c.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	var got []string
	for _, d := range ct.Devices {
		if filepath.Clean(d.PathInContainer) == filepath.Clean(c.Path) {
			if c.Host != "" && filepath.Clean(d.PathOnHost) != filepath.Clean(c.Host) {
				return fmt.Sprintf("container %s has %s mapped at %s, expected the host's %s", c.Container, d.PathOnHost, c.Path, c.Host), nil
			}
			return "", nil
		}
		got = append(got, d.PathOnHost+" at "+d.PathInContainer)
	}
	if ct.Privileged {
		return fmt.Sprintf("container %s is privileged, which hands it every host device; map only the one asked for with --device", c.Container), nil
	}
	return fmt.Sprintf("container %s has no device at %s; it has %s", c.Container, c.Path, orNone(got, "none")), nil
}

// BuildTag is the tag under which image_run builds an exercise's workspace.
func BuildTag(exercise string) string {
	return "dockdojo-check/" + strings.NewReplacer("/", "-", "_", "-").Replace(exercise) + ":latest"
}

func imageRun(ctx context.Context, env Env, c lessons.Check) (string, error) {
	image, what := c.Image, "image "+c.Image
	if c.Build != "" {
		dir := filepath.Join(env.Workspace, filepath.FromSlash(c.Build))
		image, what = BuildTag(env.Exercise), "your image"
		err := env.Target.Build(ctx, dir, "Dockerfile", image, env.Labels)
		var be *sandbox.BuildError
		if errors.As(err, &be) {
			msg := fmt.Sprintf("your Dockerfile in %s does not build: %s", c.Build, strings.TrimSpace(be.Message))
			if be.Output != "" {
				msg += "\nthe build said:\n" + be.Output
			}
			return msg, nil
		}
		if err != nil {
			return "", err
		}
	} else if _, err := env.Target.InspectImage(ctx, c.Image); errors.Is(err, sandbox.ErrNotFound) {
		return fmt.Sprintf("there is no image %s (`docker image ls` lists them)", c.Image), nil
	} else if err != nil {
		return "", err
	}
	res, err := env.Target.Probe(ctx, sandbox.ProbeSpec{Image: image, Cmd: c.Command, NetworkMode: "none", Labels: env.Labels})
	var se *sandbox.StartError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s could not start: %s", what+withCommand(c.Command), se.Reason), nil
	}
	if err != nil {
		return "", err
	}
	return judgeOutput(what+" run"+withCommand(c.Command), res, c.ExitCode, c.OutputContains, c.OutputMatches)
}

func withCommand(cmd []string) string {
	if len(cmd) == 0 {
		return ""
	}
	return " with `" + strings.Join(cmd, " ") + "`"
}

// judgeOutput compares a finished command's exit code and output with what
// is expected; what names the command in the message.
func judgeOutput(what string, res sandbox.ExecResult, exitCode *int, contains, matches string) (string, error) {
	want := 0
	if exitCode != nil {
		want = *exitCode
	}
	if res.ExitCode != want {
		return fmt.Sprintf("%s exited with %d, expected %d; %s", what, res.ExitCode, want, said(res)), nil
	}
	out := res.Stdout
	if contains != "" && !strings.Contains(out, contains) {
		if strings.TrimSpace(out) == "" {
			return fmt.Sprintf("%s printed nothing; expected output containing %q", what, contains), nil
		}
		return fmt.Sprintf("%s printed %s; expected it to contain %q", what, quoteShort(out), contains), nil
	}
	if matches != "" {
		re, err := compile(matches)
		if err != nil {
			return "", err
		}
		if !re.MatchString(out) {
			if strings.TrimSpace(out) == "" {
				return fmt.Sprintf("%s printed nothing; expected output matching %s", what, matches), nil
			}
			return fmt.Sprintf("%s printed %s; expected output matching %s", what, quoteShort(out), matches), nil
		}
	}
	return "", nil
}

func dockerfileCheck(_ context.Context, env Env, c lessons.Check) (string, error) {
	name := cmp.Or(c.File, "Dockerfile")
	f, err := os.Open(filepath.Join(env.Workspace, filepath.FromSlash(name)))
	if err != nil {
		return fmt.Sprintf("there is no %s in your workspace (%s)", name, env.Workspace), nil
	}
	defer f.Close()
	res, err := parser.Parse(f)
	if err != nil {
		return fmt.Sprintf("%s cannot be read as a Dockerfile: %v", name, err), nil
	}
	instr := strings.ToUpper(c.Instruction)
	var re *regexp.Regexp
	if c.Matches != "" {
		if re, err = compile(c.Matches); err != nil {
			return "", err
		}
	}
	var seen []string
	for _, n := range res.AST.Children {
		if !strings.EqualFold(n.Value, instr) {
			continue
		}
		args := strings.TrimSpace(n.Original[len(n.Value):])
		if re == nil || re.MatchString(args) {
			if c.Absent {
				return fmt.Sprintf("%s line %d: `%s` should not be there", name, n.StartLine, strings.TrimSpace(n.Original)), nil
			}
			return "", nil
		}
		seen = append(seen, fmt.Sprintf("line %d: %s", n.StartLine, strings.TrimSpace(n.Original)))
	}
	if c.Absent {
		return "", nil
	}
	if len(seen) == 0 {
		return fmt.Sprintf("%s has no %s instruction", name, instr), nil
	}
	return fmt.Sprintf("%s has no %s matching %s; found %s", name, instr, c.Matches, strings.Join(seen, "; ")), nil
}

// Compose labels its containers with these, in v1 and v2 alike.
const (
	composeProject = "com.docker.compose.project"
	composeService = "com.docker.compose.service"
)

func composeServices(ctx context.Context, env Env, c lessons.Check) (string, error) {
	cts, err := env.Target.ContainersWithLabels(ctx, map[string]string{composeProject: c.Project})
	if err != nil {
		return "", err
	}
	if len(cts) == 0 {
		return fmt.Sprintf("Compose project %s has no containers; run `docker compose up -d` in the folder of its compose.yaml (the project is named after the folder, or -p NAME)", c.Project), nil
	}
	var missing, stopped []string
	for _, svc := range c.Services {
		found, running := false, false
		for _, ct := range cts {
			if ct.Labels[composeService] == svc {
				found = true
				running = running || ct.Running
			}
		}
		switch {
		case !found:
			missing = append(missing, svc)
		case !running:
			stopped = append(stopped, svc)
		}
	}
	switch {
	case len(missing) > 0:
		return fmt.Sprintf("Compose project %s has no service %s", c.Project, strings.Join(missing, ", ")), nil
	case len(stopped) > 0:
		return fmt.Sprintf("in Compose project %s, %s is not running (`docker compose logs` says why)", c.Project, strings.Join(stopped, ", ")), nil
	}
	return "", nil
}

func scriptCheck(ctx context.Context, env Env, c lessons.Check) (string, error) {
	spec := sandbox.ProbeSpec{
		Image:       cmp.Or(c.Image, ProbeImage),
		Cmd:         []string{"sh", "-c", c.Script},
		NetworkMode: cmp.Or(c.Network, "none"),
		Labels:      env.Labels,
	}
	if c.Volume != "" {
		if _, msg, err := volume(ctx, env, c.Volume); msg != "" || err != nil {
			return msg, err
		}
		spec.Mounts = []sandbox.MountSpec{{Type: "volume", Source: c.Volume, Target: "/volume", ReadOnly: true}}
		// A script that reads a learner's data gets no network to send it anywhere.
		if spec.NetworkMode != "none" {
			return "the check reads a volume and joins a network at once, which dockdojo refuses: a lesson's script could send the learner's data away", nil
		}
	}
	if n := c.Network; strings.HasPrefix(n, "container:") {
		name := strings.TrimPrefix(n, "container:")
		ct, msg, err := container(ctx, env, name)
		if msg != "" || err != nil {
			return msg, err
		}
		if !ct.Running {
			return fmt.Sprintf("container %s is not running, so nothing can be checked from inside its network", name), nil
		}
	} else if n != "" && n != "none" && n != "bridge" {
		if _, err := env.Target.InspectNetwork(ctx, n); errors.Is(err, sandbox.ErrNotFound) {
			return fmt.Sprintf("there is no network named %s (`docker network ls` lists them)", n), nil
		} else if err != nil {
			return "", err
		}
	}
	if _, err := env.Target.InspectImage(ctx, spec.Image); errors.Is(err, sandbox.ErrNotFound) {
		return fmt.Sprintf("the check needs the image %s; run `docker pull %s` (or `dockdojo prepare`)", spec.Image, spec.Image), nil
	} else if err != nil {
		return "", err
	}
	res, err := env.Target.Probe(ctx, spec)
	if err != nil {
		return "", err
	}
	return judgeOutput("the check's script", res, c.ExitCode, c.OutputContains, "")
}

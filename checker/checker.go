// Package checker turns an exercise's declared checks into looks at the real
// engine, and those into a verdict the learner can act on. A learner who is
// not done yet is a Result; an engine that cannot be reached is an error.
package checker

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
)

// Target is what checks look at: a narrow view of the engine.
type Target interface {
	InspectContainer(ctx context.Context, name string) (sandbox.Container, error)
	InspectNetwork(ctx context.Context, name string) (sandbox.Network, error)
	InspectVolume(ctx context.Context, name string) (sandbox.Volume, error)
	InspectImage(ctx context.Context, ref string) (sandbox.Image, error)
	Exec(ctx context.Context, container string, cmd []string) (sandbox.ExecResult, error)
	Probe(ctx context.Context, spec sandbox.ProbeSpec) (sandbox.ExecResult, error)
	Logs(ctx context.Context, container string) (string, error)
	Build(ctx context.Context, dir, dockerfile, tag string, labels map[string]string) error
	ContainersWithLabels(ctx context.Context, labels map[string]string) ([]sandbox.Container, error)
	// HostAddress is where published ports are reached from this machine.
	HostAddress() string
}

// ProbeImage is the small image throwaway probe containers run.
const ProbeImage = "busybox:1.36"

// Env is everything a run of checks needs besides the checks.
type Env struct {
	Target    Target
	Exercise  string            // the exercise's key, for messages that name a command
	Sandbox   string            // the exercise's sandbox container name; "" when it has none
	Workspace string            // the exercise's workspace folder on the host
	Labels    map[string]string // put on probe containers, so a sweep finds them
	HTTP      *http.Client      // nil: a client with a 5 s timeout
}

// Outcome is the verdict of one check.
type Outcome struct {
	Check   lessons.Check
	Kind    string // the check's kind, e.g. container_running
	Title   string // what the check looks for, in the learner's words
	Passed  bool
	Message string // what was expected and what was found, in plain words
}

// Result is the verdict of all of an exercise's checks, in declared order.
type Result struct {
	Outcomes []Outcome
}

// Passed reports whether every check passed.
func (r Result) Passed() bool { return r.FirstFailure() == nil }

// FirstFailure is the first check still failing, or nil.
func (r Result) FirstFailure() *Outcome {
	for i := range r.Outcomes {
		if !r.Outcomes[i].Passed {
			return &r.Outcomes[i]
		}
	}
	return nil
}

// Run runs every check against the engine. Its error is kept for an engine
// that cannot be reached (or a cancelled context); everything the learner
// still has to do is in the Result.
func Run(ctx context.Context, env Env, checks []lessons.Check) (Result, error) {
	if env.HTTP == nil {
		env.HTTP = &http.Client{Timeout: 5 * time.Second}
	}
	var r Result
	for _, c := range checks {
		msg, err := run(ctx, env, c)
		if err != nil {
			if fatal(ctx, err) {
				return r, err
			}
			msg = plain(err)
		}
		o := Outcome{Check: c, Kind: c.Kind, Title: c.Describe(), Passed: msg == "", Message: msg}
		if !o.Passed && c.Explain != "" {
			o.Message += "\n" + c.Explain
		}
		r.Outcomes = append(r.Outcomes, o)
	}
	return r, nil
}

// fatal reports whether err stops the whole run rather than failing one check.
func fatal(ctx context.Context, err error) bool {
	return errors.Is(err, sandbox.ErrUnreachable) || ctx.Err() != nil
}

func plain(err error) string {
	if errors.Is(err, sandbox.ErrNotFound) {
		return strings.TrimSuffix(err.Error(), ": "+sandbox.ErrNotFound.Error())
	}
	return err.Error()
}

// run performs one check and returns "" when it passes, or what is wrong.
func run(ctx context.Context, env Env, c lessons.Check) (string, error) {
	switch c.Kind {
	case "container_exists":
		ct, msg, err := container(ctx, env, c.Container)
		if msg != "" || err != nil {
			return msg, err
		}
		return fromImage(ctx, env, ct, c.Image)
	case "container_running":
		return containerRunning(ctx, env, c)
	case "port_published":
		return portPublished(ctx, env, c)
	case "http_get":
		return httpGet(ctx, env, c)
	case "exec":
		return execCheck(ctx, env, c)
	case "network_exists":
		return networkExists(ctx, env, c)
	case "container_on_network":
		return containerOnNetwork(ctx, env, c)
	case "name_resolves":
		return nameResolves(ctx, env, c)
	case "volume_exists":
		_, msg, err := volume(ctx, env, c.Volume)
		return msg, err
	case "volume_file":
		return volumeFile(ctx, env, c)
	case "mount":
		return mountCheck(ctx, env, c)
	case "image_exists":
		return imageExists(ctx, env, c)
	case "container_state":
		return containerState(ctx, env, c)
	case "container_logs":
		return containerLogs(ctx, env, c)
	case "env_set":
		return envSet(ctx, env, c)
	case "cap_added":
		return capAdded(ctx, env, c)
	case "restart_policy":
		return restartPolicy(ctx, env, c)
	case "user":
		return userCheck(ctx, env, c)
	case "device_mapped":
		return deviceMapped(ctx, env, c)
	case "image_run":
		return imageRun(ctx, env, c)
	case "dockerfile":
		return dockerfileCheck(ctx, env, c)
	case "compose_services":
		return composeServices(ctx, env, c)
	case "script":
		return scriptCheck(ctx, env, c)
	}
	return "", fmt.Errorf("%s: unknown check kind %q", c.Pos, c.Kind)
}

// container inspects a container by exact name; a missing one is a message.
func container(ctx context.Context, env Env, name string) (sandbox.Container, string, error) {
	ct, err := env.Target.InspectContainer(ctx, name)
	if errors.Is(err, sandbox.ErrNotFound) {
		return ct, fmt.Sprintf("there is no container named %s (`docker ps -a` lists yours)", name), nil
	}
	return ct, "", err
}

func containerRunning(ctx context.Context, env Env, c lessons.Check) (string, error) {
	ct, msg, err := container(ctx, env, c.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	if !ct.Running {
		return fmt.Sprintf("container %s exists but is not running: it is %s%s", c.Container, ct.State, exitNote(ct)), nil
	}
	return fromImage(ctx, env, ct, c.Image)
}

// fromImage checks that a container was made from the image asked for, by
// the image's ID, so that a tag written differently ("busybox" for
// "busybox:latest") still counts and another image with the same files does
// not.
func fromImage(ctx context.Context, env Env, ct sandbox.Container, ref string) (string, error) {
	if ref == "" {
		return "", nil
	}
	im, err := env.Target.InspectImage(ctx, ref)
	if errors.Is(err, sandbox.ErrNotFound) {
		return fmt.Sprintf("container %s was made from %s, but the image %s is not on this machine (`docker pull %s`)", ct.Name, ct.Image, ref, ref), nil
	}
	if err != nil {
		return "", err
	}
	if im.ID != ct.ImageID {
		return fmt.Sprintf("container %s was made from %s, expected %s", ct.Name, ct.Image, ref), nil
	}
	return "", nil
}

func exitNote(ct sandbox.Container) string {
	if ct.State == "exited" {
		return fmt.Sprintf(" with exit code %d (`docker logs %s` says why)", ct.ExitCode, ct.Name)
	}
	return ""
}

// normPort writes a container port as "80/tcp".
func normPort(p string) string {
	if strings.Contains(p, "/") {
		return p
	}
	return p + "/tcp"
}

// publishedList describes every published port of a container.
func publishedList(ct sandbox.Container) string {
	var found []string
	for port, bs := range ct.Ports {
		for _, b := range bs {
			if s := fmt.Sprintf("%s -> %s", port, b.HostPort); !slices.Contains(found, s) {
				found = append(found, s)
			}
		}
	}
	if len(found) == 0 {
		return "it publishes no ports"
	}
	return "found " + strings.Join(sortStrings(found), ", ")
}

func portPublished(ctx context.Context, env Env, c lessons.Check) (string, error) {
	ct, msg, err := container(ctx, env, c.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	port := normPort(c.Port)
	bindings := ct.Ports[port]
	if len(bindings) == 0 {
		return fmt.Sprintf("port %s of %s is not published; %s", port, c.Container, publishedList(ct)), nil
	}
	if c.HostPort == "" {
		return "", nil
	}
	var got []string
	for _, b := range bindings {
		if b.HostPort == c.HostPort {
			return "", nil
		}
		// The engine lists a port once for IPv4 and once for IPv6.
		if !slices.Contains(got, b.HostPort) {
			got = append(got, b.HostPort)
		}
	}
	return fmt.Sprintf("port %s of %s is published on host port %s, expected %s", port, c.Container, strings.Join(got, ", "), c.HostPort), nil
}

func execCheck(ctx context.Context, env Env, c lessons.Check) (string, error) {
	name := c.Container
	if name == "" {
		name = env.Sandbox
		if name == "" {
			return "this exercise has no sandbox to run the check in", nil
		}
	}
	ct, msg, err := container(ctx, env, name)
	if msg != "" || err != nil {
		if c.Container == "" && msg != "" {
			return fmt.Sprintf("the exercise's sandbox is not running; start it with `dockdojo start %s`", env.Exercise), nil
		}
		return msg, err
	}
	if !ct.Running {
		return fmt.Sprintf("container %s is not running, so nothing can run inside it", name), nil
	}
	if why := unsafeToEnter(ct); why != "" {
		return fmt.Sprintf("dockdojo will not run a lesson's command inside %s: %s", name, why), nil
	}
	res, err := env.Target.Exec(ctx, name, c.Command)
	if err != nil {
		return "", err
	}
	return judgeOutput("`"+strings.Join(c.Command, " ")+"`", res, c.ExitCode, c.OutputContains, c.OutputMatches)
}

func said(res sandbox.ExecResult) string {
	out := strings.TrimSpace(res.Stderr + "\n" + res.Stdout)
	if out == "" {
		return "it printed nothing"
	}
	return "it said: " + quoteShort(out)
}

// quoteShort quotes s, cut to a length a message can carry.
func quoteShort(s string) string {
	s = strings.TrimSpace(s)
	const max = 160
	if len(s) > max {
		s = s[:max] + "..."
	}
	return fmt.Sprintf("%q", s)
}

func networkExists(ctx context.Context, env Env, c lessons.Check) (string, error) {
	n, err := env.Target.InspectNetwork(ctx, c.Network)
	if errors.Is(err, sandbox.ErrNotFound) {
		return fmt.Sprintf("there is no network named %s (`docker network ls` lists them)", c.Network), nil
	}
	if err != nil {
		return "", err
	}
	if c.Driver != "" && n.Driver != c.Driver {
		return fmt.Sprintf("network %s uses the %s driver, expected %s", c.Network, n.Driver, c.Driver), nil
	}
	return "", nil
}

func containerOnNetwork(ctx context.Context, env Env, c lessons.Check) (string, error) {
	ct, msg, err := container(ctx, env, c.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	if _, ok := ct.Networks[c.Network]; ok {
		return "", nil
	}
	var on []string
	for n := range ct.Networks {
		on = append(on, n)
	}
	if len(on) == 0 {
		return fmt.Sprintf("container %s is not on network %s; it is on no network", c.Container, c.Network), nil
	}
	return fmt.Sprintf("container %s is not on network %s; it is on %s", c.Container, c.Network, strings.Join(sortStrings(on), ", ")), nil
}

func volume(ctx context.Context, env Env, name string) (sandbox.Volume, string, error) {
	v, err := env.Target.InspectVolume(ctx, name)
	if errors.Is(err, sandbox.ErrNotFound) {
		return v, fmt.Sprintf("there is no volume named %s (`docker volume ls` lists them)", name), nil
	}
	return v, "", err
}

func volumeFile(ctx context.Context, env Env, c lessons.Check) (string, error) {
	if _, msg, err := volume(ctx, env, c.Volume); msg != "" || err != nil {
		return msg, err
	}
	file := filepath.ToSlash(filepath.Join("/volume", filepath.Clean("/"+c.Path)))
	res, err := env.Target.Probe(ctx, sandbox.ProbeSpec{
		Image:       ProbeImage,
		Cmd:         []string{"cat", file},
		NetworkMode: "none",
		Mounts:      []sandbox.MountSpec{{Type: "volume", Source: c.Volume, Target: "/volume", ReadOnly: true}},
		Labels:      env.Labels,
	})
	if err != nil {
		return "", err
	}
	if res.ExitCode != 0 {
		return fmt.Sprintf("volume %s holds no file %s", c.Volume, c.Path), nil
	}
	if c.Contains != "" && !strings.Contains(res.Stdout, c.Contains) {
		return fmt.Sprintf("%s in volume %s holds %s; expected it to contain %q", c.Path, c.Volume, quoteShort(res.Stdout), c.Contains), nil
	}
	return "", nil
}

func mountCheck(ctx context.Context, env Env, c lessons.Check) (string, error) {
	ct, msg, err := container(ctx, env, c.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	var found []string
	for _, m := range ct.Mounts {
		desc := m.Type + " " + orName(m) + " at " + m.Destination
		found = append(found, desc)
		if filepath.Clean(m.Destination) != filepath.Clean(c.Target) {
			continue
		}
		if m.Type != c.Type {
			return fmt.Sprintf("%s has a %s mount at %s, expected a %s mount", c.Container, m.Type, c.Target, c.Type), nil
		}
		if c.Source != "" && m.Type == "bind" {
			want := c.Source
			if !filepath.IsAbs(want) {
				want = filepath.Join(env.Workspace, filepath.FromSlash(want))
			}
			// Docker Desktop shows host paths under a prefix of its own VM.
			if got := filepath.Clean(m.Source); got != filepath.Clean(want) && !strings.HasSuffix(got, filepath.Clean(want)) {
				return fmt.Sprintf("%s mounts %s at %s, expected your folder %s", c.Container, m.Source, c.Target, want), nil
			}
		} else if c.Source != "" && m.Name != c.Source {
			return fmt.Sprintf("%s mounts %s at %s, expected volume %s", c.Container, orName(m), c.Target, c.Source), nil
		}
		return "", nil
	}
	if len(found) == 0 {
		return fmt.Sprintf("%s has no mount at %s; it has no mounts at all", c.Container, c.Target), nil
	}
	return fmt.Sprintf("%s has no mount at %s; found %s", c.Container, c.Target, strings.Join(found, "; ")), nil
}

func orName(m sandbox.Mount) string {
	if m.Name != "" {
		return m.Name
	}
	return m.Source
}

func imageExists(ctx context.Context, env Env, c lessons.Check) (string, error) {
	_, err := env.Target.InspectImage(ctx, c.Image)
	if errors.Is(err, sandbox.ErrNotFound) {
		return fmt.Sprintf("there is no image %s (`docker image ls` lists them)", c.Image), nil
	}
	return "", err
}

// unsafeToEnter says why a lesson's command must not run inside a container:
// lesson files may come from anyone, and a command run inside a privileged
// container, or one holding the Docker socket, runs with the power of the
// learner's machine.
func unsafeToEnter(ct sandbox.Container) string {
	if ct.Privileged {
		return "it is privileged, so a command inside it could reach your whole machine"
	}
	for _, m := range ct.Mounts {
		if strings.Contains(m.Source, "docker.sock") || strings.Contains(m.Destination, "docker.sock") {
			return "it holds the Docker socket, so a command inside it could control your Docker engine"
		}
	}
	for _, cp := range ct.CapAdd {
		if capName(cp) == "ALL" || capName(cp) == "SYS_ADMIN" {
			return "it was given " + capName(cp) + ", so a command inside it could reach beyond the container"
		}
	}
	return ""
}

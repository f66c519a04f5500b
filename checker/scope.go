package checker

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/dockdojo/dockdojo/sandbox"
)

// A lesson may come from anyone, and its checks run on the learner's own
// engine, where the learner keeps other work. So a lesson's checks reach
// only what its exercise is about: the exercise's sandbox, and the objects
// the exercise owns (Exercise.Owns in the lessons package), which the
// learner makes for it under fixed names. Images are the exception: any
// may be inspected and run, read-only, as the course needs them.
//
// The rule is enforced twice, both times from the objects a check names
// (Lint.Object) and never by each kind: the lessons package refuses a
// lesson whose check names an object out of its exercise's scope, and Run
// refuses it again (a check built by other means, a kind that names one
// object and touches another), through a Target that answers only about
// objects in scope.

// Scope is what an exercise's checks may reach.
type Scope struct {
	// Sandbox is the name of the exercise's sandbox container; "" when it
	// has none.
	Sandbox string
	// Containers, Networks and Volumes are the learner's objects the
	// exercise owns, and those dockdojo makes for its sandbox, by exact
	// name.
	Containers, Networks, Volumes []string
	// Images are the images the exercise owns: the learner builds them. A
	// check may name any image; these are the ones a stale build explains
	// (see staleNote).
	Images []string
}

// Predefined networks are the engine's own, not the learner's: a check may
// name them (a container is "on network none"), but a probe joins none of
// them but "none" (see Scope.join).
var predefinedNetworks = []string{"none", "bridge", "host", "default"}

// Allows says why a check may not name o, or "" when it may.
func (s Scope) Allows(o Object) string {
	var mine []string
	switch o.Type {
	case "image":
		return ""
	case "container":
		if o.Name == s.Sandbox && s.Sandbox != "" {
			return ""
		}
		mine = s.Containers
	case "network":
		if slices.Contains(predefinedNetworks, o.Name) {
			return ""
		}
		mine = s.Networks
	case "volume":
		mine = s.Volumes
	case "project":
		if s.ownsProject(o.Name) {
			return ""
		}
		return fmt.Sprintf("Compose project %s is not the exercise's: none of the objects it owns is named after it (%s-SERVICE-1, %s_default, ...)", o.Name, o.Name, o.Name)
	default:
		return fmt.Sprintf("%s %s is no kind of object a check may name", o.Type, o.Name)
	}
	if slices.Contains(mine, o.Name) {
		return ""
	}
	return fmt.Sprintf("the %s %s is not the exercise's", o.Type, o.Name)
}

// ownsProject reports whether the exercise owns an object that Compose
// names after project: its containers are PROJECT-SERVICE-N (or
// PROJECT_SERVICE_N), its networks and volumes PROJECT_NAME.
func (s Scope) ownsProject(project string) bool {
	for _, names := range [][]string{s.Containers, s.Networks, s.Volumes} {
		for _, n := range names {
			if strings.HasPrefix(n, project+"-") || strings.HasPrefix(n, project+"_") {
				return true
			}
		}
	}
	return false
}

// ErrOutOfScope is what a scoped Target answers about an object that the
// exercise does not own.
var ErrOutOfScope = errors.New("not the exercise's")

// outOfScope is the failure message of a check that names an object out
// of scope; it runs nothing.
func outOfScope(why string) string {
	return "dockdojo refuses this check: " + why + " (a check looks only at the exercise's sandbox and the objects it owns). The lesson must be fixed; `dockdojo lint` says where."
}

// scoped is the Target a check runs against: it answers only about the
// objects in scope, and notes when a check read text out of a container,
// which Outcome.Quotes then reports.
type scoped struct {
	Target
	scope     Scope
	workspace string
	read      *atomic.Bool
}

func (t *scoped) allow(typ, name string) error {
	if why := t.scope.Allows(Object{Type: typ, Name: name}); why != "" {
		return fmt.Errorf("%s: %w", why, ErrOutOfScope)
	}
	return nil
}

func (t *scoped) InspectContainer(ctx context.Context, name string) (sandbox.Container, error) {
	if err := t.allow("container", name); err != nil {
		return sandbox.Container{}, err
	}
	return t.Target.InspectContainer(ctx, name)
}

func (t *scoped) InspectNetwork(ctx context.Context, name string) (sandbox.Network, error) {
	if err := t.allow("network", name); err != nil {
		return sandbox.Network{}, err
	}
	return t.Target.InspectNetwork(ctx, name)
}

func (t *scoped) InspectVolume(ctx context.Context, name string) (sandbox.Volume, error) {
	if err := t.allow("volume", name); err != nil {
		return sandbox.Volume{}, err
	}
	return t.Target.InspectVolume(ctx, name)
}

func (t *scoped) Exec(ctx context.Context, name string, cmd []string) (sandbox.ExecResult, error) {
	if err := t.allow("container", name); err != nil {
		return sandbox.ExecResult{}, err
	}
	t.read.Store(true)
	return t.Target.Exec(ctx, name, cmd)
}

func (t *scoped) ContainerFile(ctx context.Context, name, path string) (sandbox.FileRead, error) {
	if err := t.allow("container", name); err != nil {
		return sandbox.FileRead{}, err
	}
	t.read.Store(true)
	return t.Target.ContainerFile(ctx, name, path)
}

func (t *scoped) Logs(ctx context.Context, name string) (string, error) {
	if err := t.allow("container", name); err != nil {
		return "", err
	}
	t.read.Store(true)
	return t.Target.Logs(ctx, name)
}

// Probe runs a throwaway container only where the exercise reaches: on no
// network, on a network it owns, or in the network of a container it owns;
// with the exercise's volumes only, and then with no network, so that what
// it reads cannot be sent anywhere.
func (t *scoped) Probe(ctx context.Context, spec sandbox.ProbeSpec) (sandbox.ExecResult, error) {
	if err := t.allowProbe(spec); err != nil {
		return sandbox.ExecResult{}, err
	}
	if err := t.onlyMine(ctx, spec.NetworkMode); err != nil {
		return sandbox.ExecResult{}, err
	}
	t.read.Store(true)
	return t.Target.Probe(ctx, spec)
}

// ReadFile reads a file out of a probe that never starts, by the rules of
// Probe.
func (t *scoped) ReadFile(ctx context.Context, spec sandbox.ProbeSpec, path string) (sandbox.FileRead, error) {
	if err := t.allowProbe(spec); err != nil {
		return sandbox.FileRead{}, err
	}
	t.read.Store(true)
	return t.Target.ReadFile(ctx, spec, path)
}

func (t *scoped) allowProbe(spec sandbox.ProbeSpec) error {
	mode := spec.NetworkMode
	if name, ok := strings.CutPrefix(mode, "container:"); ok {
		if err := t.allow("container", name); err != nil {
			return err
		}
	} else if mode != "" && mode != "none" {
		if slices.Contains(predefinedNetworks, mode) {
			return fmt.Errorf("a probe may not join the %s network, which every container of the learner's may be on: %w", mode, ErrOutOfScope)
		}
		if err := t.allow("network", mode); err != nil {
			return err
		}
	}
	for _, m := range spec.Mounts {
		if m.Type != "volume" {
			return fmt.Errorf("a probe mounts only the exercise's volumes, not a %s mount of %s: %w", m.Type, m.Source, ErrOutOfScope)
		}
		if err := t.allow("volume", m.Source); err != nil {
			return err
		}
		if mode != "" && mode != "none" {
			return fmt.Errorf("a probe that reads volume %s joins no network, so that what it reads cannot be sent anywhere: %w", m.Source, ErrOutOfScope)
		}
	}
	return nil
}

// onlyMine refuses a probe on a network that holds a container the
// exercise does not own: a lesson may name under owns a network the
// learner already has for other work, and a probe there would reach the
// learner's services on it. dockdojo's own containers (the sandbox,
// other probes) are named dockdojo-.
func (t *scoped) onlyMine(ctx context.Context, mode string) error {
	if mode == "" || mode == "none" || strings.HasPrefix(mode, "container:") || slices.Contains(predefinedNetworks, mode) {
		return nil
	}
	nw, err := t.Target.InspectNetwork(ctx, mode)
	if err != nil {
		return nil // the probe's own start says what is wrong with it
	}
	var others []string
	for _, name := range nw.Containers {
		if !strings.HasPrefix(name, "dockdojo-") && t.scope.Allows(Object{Type: "container", Name: name}) != "" {
			others = append(others, name)
		}
	}
	if len(others) > 0 {
		slices.Sort(others)
		return refuse(fmt.Sprintf("dockdojo will not run a lesson's script on network %s: it holds %s, not this exercise's, which the script could reach; if the network is the exercise's, disconnect %s (`docker network disconnect %s %s`)", mode, strings.Join(others, ", "), others[0], mode, others[0]))
	}
	return nil
}

// Build builds only folders of the exercise's workspace.
func (t *scoped) Build(ctx context.Context, top, dir, dockerfile, tag string, labels map[string]string) error {
	if t.workspace == "" || top != t.workspace || !fs.ValidPath(dir) {
		return fmt.Errorf("the folder %s of %s is not in the exercise's workspace: %w", dir, top, ErrOutOfScope)
	}
	t.read.Store(true)
	return t.Target.Build(ctx, top, dir, dockerfile, tag, labels)
}

// ContainersWithLabels lists only the containers of a Compose project the
// exercise owns.
func (t *scoped) ContainersWithLabels(ctx context.Context, labels map[string]string) ([]sandbox.Container, error) {
	project, ok := labels[composeProject]
	if !ok {
		return nil, fmt.Errorf("containers are listed only by the Compose project of the exercise: %w", ErrOutOfScope)
	}
	if err := t.allow("project", project); err != nil {
		return nil, err
	}
	return t.Target.ContainersWithLabels(ctx, labels)
}

// readingTransport notes that an HTTP reply was read: a server in a
// container wrote it.
type readingTransport struct {
	base http.RoundTripper
	read *atomic.Bool
}

func (r readingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.read.Store(true)
	return r.base.RoundTrip(req)
}

// noteRead marks that the running check read text out of a container by
// other means than its Target (a kind that quotes what it inspected, such
// as an environment variable's value).
func (env Env) noteRead() {
	if env.read != nil {
		env.read.Store(true)
	}
}

package checker

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dockdojo/dockdojo/sandbox"
)

// Script checks that a shell script, run with sh -c in a hardened throwaway
// container, exits and prints as expected: for anything the other kinds do
// not cover. It never runs on the learner's machine itself.
type Script struct {
	Script string `yaml:"script" check:"required"` // the script
	Image  string `yaml:"image"`                   // the image it runs in; default ProbeImage
	// Network is a network to join, or container:NAME to share that
	// container's; default none. Never host.
	Network string `yaml:"network"`
	// Volume is mounted read-only at /volume; a script that reads one gets
	// no network.
	Volume         string `yaml:"volume"`
	ExitCode       *int   `yaml:"exit_code"`       // the expected exit code; default 0
	OutputContains string `yaml:"output_contains"` // its stdout contains this text
	Timeout        `yaml:",inline"`
}

var _ Spec = (*Script)(nil)

func (*Script) titleSaysOnlyWhere() {}

func (s *Script) Title() string { return "a look from a throwaway container finds what the goal asks" }

func (s *Script) Validate(l *Lint) {
	l.pinnedImage("image", s.Image)
	l.Object("volume", "volume", s.Volume)
	s.Timeout.validate(l)
	if name, ok := strings.CutPrefix(s.Network, "container:"); ok {
		l.Object("container", "network", name)
	} else {
		l.Object("network", "network", s.Network)
	}
	switch s.Network {
	case "host":
		l.Errorf("network", "a script check cannot use the host network: it would reach everything on the learner's machine")
	case "bridge", "default":
		l.Errorf("network", "a script check cannot join the default network %s: every container of the learner's may be on it; name a network the exercise owns, or container:NAME of a container it owns", s.Network)
	}
	if s.Volume != "" && s.Network != "" && s.Network != "none" {
		l.Errorf("network", "a script check that reads a volume joins no network, so that it cannot send the learner's data anywhere: remove network, or split the check in two")
	}
}

func (s *Script) Run(ctx context.Context, env Env) (string, error) {
	spec := sandbox.ProbeSpec{
		Image:       cmp.Or(s.Image, ProbeImage),
		Cmd:         []string{"sh", "-c", s.Script},
		NetworkMode: cmp.Or(s.Network, "none"),
		Labels:      env.Labels,
		Timeout:     s.limit(),
	}
	if s.Volume != "" {
		if _, msg, err := volume(ctx, env, s.Volume); msg != "" || err != nil {
			return msg, err
		}
		spec.Mounts = []sandbox.MountSpec{{Type: "volume", Source: s.Volume, Target: "/volume", ReadOnly: true}}
		// A script that reads a learner's data gets no network to send it anywhere.
		if spec.NetworkMode != "none" {
			return "", refuse("the check reads a volume and joins a network at once, which dockdojo refuses: a lesson's script could send the learner's data away")
		}
	}
	if n := s.Network; strings.HasPrefix(n, "container:") {
		name := strings.TrimPrefix(n, "container:")
		ct, msg, err := running(ctx, env, name, "nothing can be checked from inside its network")
		if msg != "" || err != nil {
			return msg, err
		}
		if on, err := onDefaultBridge(ctx, env, ct); err != nil {
			return "", err
		} else if on != "" {
			return "", refuse(fmt.Sprintf("container %s is on Docker's default network (bridge), where every container of yours may be, so dockdojo does not run a lesson's script in its network; run it on a network of the exercise's (`docker run --network NAME`)", on))
		}
	} else if n != "" && n != "none" && n != "bridge" {
		if _, err := env.Target.InspectNetwork(ctx, n); errors.Is(err, sandbox.ErrNotFound) {
			return noNetwork(ctx, env, n)
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
	if msg, ok := overran("the check's script", s.limit(), err); ok {
		return msg, nil
	}
	if err != nil {
		return "", err
	}
	return judgeOutput("the check's script", res, s.ExitCode, s.OutputContains, "")
}

// onDefaultBridge names the container whose network ct has, itself or the
// one it shares (--network container:NAME), when that container is on the
// engine's default bridge: a script there would reach every container of
// the learner's that has no network of its own.
func onDefaultBridge(ctx context.Context, env Env, ct sandbox.Container) (string, error) {
	for range 8 {
		if _, ok := ct.Networks["bridge"]; ok {
			return ct.Name, nil
		}
		next, ok := strings.CutPrefix(ct.NetworkMode, "container:")
		if !ok {
			return "", nil
		}
		var err error
		if ct, err = env.Target.InspectContainer(ctx, next); err != nil {
			return "", err
		}
	}
	return ct.Name, nil // a chain too long to follow is refused as well
}

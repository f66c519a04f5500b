package checker

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// ContainerOnNetwork checks that the named container is attached to the named
// network, and with Only, to no other.
type ContainerOnNetwork struct {
	Container string `yaml:"container" check:"required"` // the container's exact name
	Network   string `yaml:"network" check:"required"`   // the network's exact name
	Only      bool   `yaml:"only"`                       // and it is on no other network
}

var _ Spec = (*ContainerOnNetwork)(nil)

func (s *ContainerOnNetwork) Title() string {
	if s.Only {
		return fmt.Sprintf("container %s is on network %s and no other", s.Container, s.Network)
	}
	return fmt.Sprintf("container %s is on network %s", s.Container, s.Network)
}

func (s *ContainerOnNetwork) Validate(l *Lint) {
	l.Object("container", "container", s.Container)
	l.Object("network", "network", s.Network)
}

func (s *ContainerOnNetwork) Run(ctx context.Context, env Env) (string, error) {
	ct, msg, err := container(ctx, env, s.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	on := slices.Sorted(maps.Keys(ct.Networks))
	if _, ok := ct.Networks[s.Network]; ok {
		others := slices.DeleteFunc(on, func(n string) bool { return n == s.Network })
		if s.Only && len(others) > 0 {
			return fmt.Sprintf("container %s is on network %s, and also on %s; expected it on %s only (`docker network disconnect %s %s`)", s.Container, s.Network, strings.Join(others, ", "), s.Network, others[0], s.Container), nil
		}
		return "", nil
	}
	if len(on) == 0 && s.Network == "none" {
		// Disconnected from every network: loopback only, as on none,
		// but not what was asked, and a start may connect it again.
		return fmt.Sprintf("container %s is not on network none; it was taken off every network (`docker network disconnect`), which is not the same: a container's network is chosen when it is made. Remove it (`docker rm -f %s`) and run it again with `--network none`", s.Container, s.Container), nil
	}
	if len(on) == 0 {
		return fmt.Sprintf("container %s is not on network %s; it is on no network (`docker network connect %s %s` connects it)", s.Container, s.Network, s.Network, s.Container), nil
	}
	return fmt.Sprintf("container %s is not on network %s; it is on %s", s.Container, s.Network, strings.Join(on, ", ")), nil
}

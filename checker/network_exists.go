package checker

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/dockdojo/dockdojo/sandbox"
)

// NetworkExists checks that a network with exactly this name exists.
type NetworkExists struct {
	Network string `yaml:"network" check:"required"` // the network's exact name
	Driver  string `yaml:"driver"`                   // the driver it must use, e.g. bridge
	// Subnet is a subnet the network must have (`docker network create
	// --subnet`), e.g. 10.234.53.0/24: read from the network itself, where
	// a look from a container on it would hold an endpoint there.
	Subnet string `yaml:"subnet"`
}

var _ Spec = (*NetworkExists)(nil)

func (s *NetworkExists) Title() string {
	var with []string
	if s.Driver != "" {
		with = append(with, "driver "+s.Driver)
	}
	if s.Subnet != "" {
		with = append(with, "subnet "+s.Subnet)
	}
	if len(with) > 0 {
		return fmt.Sprintf("network %s exists with %s", s.Network, strings.Join(with, " and "))
	}
	return fmt.Sprintf("network %s exists", s.Network)
}

func (s *NetworkExists) Validate(l *Lint) {
	l.Object("network", "network", s.Network)
	if s.Subnet == "" {
		return
	}
	if p, err := netip.ParsePrefix(s.Subnet); err != nil || p.Masked() != p {
		l.Errorf("subnet", "subnet %q: write the network's address range as Docker shows it, e.g. 10.234.53.0/24 (the address with the host part zero, a slash, the prefix length)", s.Subnet)
	}
}

func (s *NetworkExists) Run(ctx context.Context, env Env) (string, error) {
	n, err := env.Target.InspectNetwork(ctx, s.Network)
	if errors.Is(err, sandbox.ErrNotFound) {
		return noNetwork(ctx, env, s.Network)
	}
	if err != nil {
		return "", err
	}
	if s.Driver != "" && n.Driver != s.Driver {
		return fmt.Sprintf("network %s uses the %s driver, expected %s", s.Network, n.Driver, s.Driver), nil
	}
	if s.Subnet != "" && !slices.Contains(n.Subnets, s.Subnet) {
		has := "no subnet of its own"
		if len(n.Subnets) > 0 {
			has = "the subnet " + strings.Join(n.Subnets, " and ")
		}
		return fmt.Sprintf("network %s has %s, expected %s (a network's subnet is fixed when it is made: `docker network create --subnet %s %s`)", s.Network, has, s.Subnet, s.Subnet, s.Network), nil
	}
	return "", nil
}

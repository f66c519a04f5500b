package checker

import (
	"context"
	"errors"
	"fmt"

	"github.com/dockdojo/dockdojo/sandbox"
)

// NetworkExists checks that a network with exactly this name exists.
type NetworkExists struct {
	Network string `yaml:"network" check:"required"` // the network's exact name
	Driver  string `yaml:"driver"`                   // the driver it must use, e.g. bridge
}

var _ Spec = (*NetworkExists)(nil)

func (s *NetworkExists) Title() string {
	if s.Driver != "" {
		return fmt.Sprintf("network %s exists with driver %s", s.Network, s.Driver)
	}
	return fmt.Sprintf("network %s exists", s.Network)
}

func (s *NetworkExists) Validate(l *Lint) { l.Object("network", "network", s.Network) }

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
	return "", nil
}

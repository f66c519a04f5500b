package checker

import (
	"context"
	"fmt"
)

// VolumeExists checks that a volume with exactly this name exists.
type VolumeExists struct {
	Volume string `yaml:"volume" check:"required"` // the volume's exact name
}

var _ Spec = (*VolumeExists)(nil)

func (s *VolumeExists) Title() string { return fmt.Sprintf("volume %s exists", s.Volume) }

func (s *VolumeExists) Validate(l *Lint) { l.Object("volume", "volume", s.Volume) }

func (s *VolumeExists) Run(ctx context.Context, env Env) (string, error) {
	_, msg, err := volume(ctx, env, s.Volume)
	return msg, err
}

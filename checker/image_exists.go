package checker

import (
	"context"
	"errors"
	"fmt"

	"github.com/dockdojo/dockdojo/sandbox"
)

// ImageExists checks that an image with exactly this reference exists.
type ImageExists struct {
	Image string `yaml:"image" check:"required"` // the reference, with its tag
}

var _ Spec = (*ImageExists)(nil)

func (s *ImageExists) Title() string { return fmt.Sprintf("image %s exists", s.Image) }

func (s *ImageExists) Validate(l *Lint) { l.pinnedImage("image", s.Image) }

func (s *ImageExists) Run(ctx context.Context, env Env) (string, error) {
	_, err := env.Target.InspectImage(ctx, s.Image)
	if errors.Is(err, sandbox.ErrNotFound) {
		return noImage(ctx, env, s.Image)
	}
	return "", err
}

package checker

import (
	"context"
	"fmt"
	"strings"
)

// SameImage checks that two references name one image (one image ID): a
// name given with docker tag, not a second build. Negated, it checks that
// they are two images: a rebuild, not the old image under a new name.
type SameImage struct {
	Image string `yaml:"image" check:"required"` // one reference, with its tag
	As    string `yaml:"as" check:"required"`    // the other, with its tag
}

var _ Spec = (*SameImage)(nil)

func (s *SameImage) Title() string {
	return fmt.Sprintf("%s is the same image as %s", s.Image, s.As)
}

func (s *SameImage) Validate(l *Lint) {
	l.pinnedImage("image", s.Image)
	l.pinnedImage("as", s.As)
	if s.Image != "" && s.Image == s.As {
		l.Errorf("as", "as names the image itself (%s): name another reference", s.As)
	}
}

func (s *SameImage) Run(ctx context.Context, env Env) (string, error) {
	// Either image missing is no answer to the question, negated or not.
	a, msg, err := image(ctx, env, s.Image)
	if err != nil || msg != "" {
		return "", orAbsent(err, msg)
	}
	b, msg, err := image(ctx, env, s.As)
	if err != nil || msg != "" {
		return "", orAbsent(err, msg)
	}
	if a.ID != b.ID {
		return fmt.Sprintf("%s and %s are two images (IDs %s and %s), expected one image under both names (`docker tag %s %s` gives an image a second name)", s.Image, s.As, shortImageID(a.ID), shortImageID(b.ID), s.As, s.Image), nil
	}
	return "", nil
}

// shortImageID writes an image ID as `docker image ls` does: 12 hex digits.
func shortImageID(id string) string {
	hex, _ := strings.CutPrefix(id, "sha256:")
	return hex[:min(len(hex), 12)]
}

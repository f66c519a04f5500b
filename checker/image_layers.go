package checker

import (
	"context"
	"fmt"
	"slices"
)

// ImageLayers checks how an image is made of layers, as its RootFS lists
// them: built on a base image (FROM it, so the base's layers come first),
// and with a number of layers of its own. RUN, COPY and ADD each add a
// layer; ENV, CMD and the other instructions that only set configuration
// add none.
type ImageLayers struct {
	Image string `yaml:"image" check:"required"` // the image reference, with its tag
	Base  string `yaml:"base"`                   // the image it is built on: its layers come first
	Min   *int   `yaml:"min"`                    // at least this many layers; above base when base is given
	Max   *int   `yaml:"max"`                    // at most this many layers; above base when base is given
}

var _ Spec = (*ImageLayers)(nil)

func (s *ImageLayers) Title() string {
	what := fmt.Sprintf("image %s", s.Image)
	if s.Base != "" {
		what += " is built on " + s.Base
		if s.Min != nil || s.Max != nil {
			what += " and"
		}
	}
	switch {
	case s.Min != nil && s.Max != nil && *s.Min == *s.Max:
		what += fmt.Sprintf(" has %d %s", *s.Min, s.layers())
	case s.Min != nil && s.Max != nil:
		what += fmt.Sprintf(" has %d to %d %s", *s.Min, *s.Max, s.layers())
	case s.Min != nil:
		what += fmt.Sprintf(" has at least %d %s", *s.Min, s.layers())
	case s.Max != nil:
		what += fmt.Sprintf(" has at most %d %s", *s.Max, s.layers())
	}
	return what
}

// layers says what is counted: "layers", or "layers of its own".
func (s *ImageLayers) layers() string {
	if s.Base != "" {
		return "layers of its own"
	}
	return "layers"
}

func (s *ImageLayers) Validate(l *Lint) {
	l.pinnedImage("image", s.Image)
	l.pinnedImage("base", s.Base)
	switch {
	case s.Base == "" && s.Min == nil && s.Max == nil:
		l.Errorf("", "image_layers needs base (the image it is built on), min or max (how many layers)")
	case s.Min != nil && *s.Min < 0:
		l.Errorf("min", "min %d: give a number of layers, 0 or more", *s.Min)
	case s.Max != nil && *s.Max < 0:
		l.Errorf("max", "max %d: give a number of layers, 0 or more", *s.Max)
	case s.Min != nil && s.Max != nil && *s.Min > *s.Max:
		l.Errorf("max", "max %d is less than min %d", *s.Max, *s.Min)
	}
}

func (s *ImageLayers) Run(ctx context.Context, env Env) (string, error) {
	im, msg, err := image(ctx, env, s.Image)
	if msg != "" || err != nil {
		return msg, err
	}
	n, above := len(im.Layers), ""
	if s.Base != "" {
		base, msg, err := image(ctx, env, s.Base)
		if msg != "" || err != nil {
			return msg, err
		}
		if len(base.Layers) > len(im.Layers) || !slices.Equal(base.Layers, im.Layers[:len(base.Layers)]) {
			return fmt.Sprintf("image %s is not built on %s: its first layers are not that image's (`docker history %s` shows what it is made of; a Dockerfile starts FROM %s)", s.Image, s.Base, s.Image, s.Base), nil
		}
		n, above = len(im.Layers)-len(base.Layers), " of its own, above "+s.Base
	}
	switch {
	case s.Min != nil && n < *s.Min:
		return fmt.Sprintf("image %s has %d %s%s, expected at least %d", s.Image, n, plural(n, "layer"), above, *s.Min), nil
	case s.Max != nil && n > *s.Max:
		return fmt.Sprintf("image %s has %d %s%s, expected at most %d (`docker history %s` lists them; each RUN, COPY and ADD adds one)", s.Image, n, plural(n, "layer"), above, *s.Max, s.Image), nil
	}
	return "", nil
}

// plural is word, with an s unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

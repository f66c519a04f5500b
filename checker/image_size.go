package checker

import (
	"context"
	"fmt"
	"strings"

	"github.com/docker/go-units"
)

// ImageSize checks how big an image is, as `docker image ls` counts it (its
// layers and those of the images it is built on): within bounds, or smaller
// than another image, as a multi-stage build is smaller than the build
// stage it copies from.
type ImageSize struct {
	Image       string `yaml:"image" check:"required"` // the image reference, with its tag
	Max         string `yaml:"max"`                    // at most this size, e.g. 20MB
	Min         string `yaml:"min"`                    // at least this size
	SmallerThan string `yaml:"smaller_than"`           // smaller than this image
}

var _ Spec = (*ImageSize)(nil)

func (s *ImageSize) Title() string {
	var parts []string
	if s.Min != "" {
		parts = append(parts, "at least "+s.Min)
	}
	if s.Max != "" {
		parts = append(parts, "at most "+s.Max)
	}
	if s.SmallerThan != "" {
		parts = append(parts, "smaller than "+s.SmallerThan)
	}
	return fmt.Sprintf("image %s is %s", s.Image, strings.Join(parts, " and "))
}

func (s *ImageSize) Validate(l *Lint) {
	l.pinnedImage("image", s.Image)
	l.pinnedImage("smaller_than", s.SmallerThan)
	if s.Max == "" && s.Min == "" && s.SmallerThan == "" {
		l.Errorf("", "image_size needs max, min or smaller_than")
	}
	minimum, okMin := l.size("min", s.Min)
	maximum, okMax := l.size("max", s.Max)
	if okMin && okMax && s.Min != "" && s.Max != "" && minimum > maximum {
		l.Errorf("max", "max %s is less than min %s", s.Max, s.Min)
	}
	if s.SmallerThan != "" && s.SmallerThan == s.Image {
		l.Errorf("smaller_than", "smaller_than names the image itself (%s): name another image", s.Image)
	}
}

// size checks a size field and returns its bytes.
func (l *Lint) size(field, value string) (int64, bool) {
	if value == "" {
		return 0, true
	}
	n, err := parseSize(value)
	if err != nil {
		l.Errorf(field, "%s %q: write a size as `docker image ls` shows one, like 20MB or 1.5GB (kB, MB, GB: powers of 1000)", field, value)
		return 0, false
	}
	return n, true
}

// parseSize reads a size in the decimal units `docker image ls` writes.
// Binary units (MiB) are refused rather than read as decimal ones, as
// go-units would.
func parseSize(s string) (int64, error) {
	if strings.Contains(strings.ToLower(s), "ib") {
		return 0, fmt.Errorf("binary unit in %q", s)
	}
	return units.FromHumanSize(s)
}

// humanSize writes bytes as `docker image ls` does: 74.5MB.
func humanSize(n int64) string { return units.HumanSizeWithPrecision(float64(n), 3) }

func (s *ImageSize) Run(ctx context.Context, env Env) (string, error) {
	im, msg, err := image(ctx, env, s.Image)
	if msg != "" || err != nil {
		return msg, err
	}
	if s.Max != "" {
		maximum, err := parseSize(s.Max)
		if err != nil {
			return "", fmt.Errorf("max: %w", err)
		}
		if im.Size > maximum {
			return fmt.Sprintf("image %s is %s, expected at most %s", s.Image, humanSize(im.Size), s.Max), nil
		}
	}
	if s.Min != "" {
		minimum, err := parseSize(s.Min)
		if err != nil {
			return "", fmt.Errorf("min: %w", err)
		}
		if im.Size < minimum {
			return fmt.Sprintf("image %s is %s, expected at least %s", s.Image, humanSize(im.Size), s.Min), nil
		}
	}
	if s.SmallerThan != "" {
		other, msg, err := image(ctx, env, s.SmallerThan)
		if msg != "" || err != nil {
			return msg, err
		}
		if im.Size >= other.Size {
			return fmt.Sprintf("image %s is %s, not smaller than %s (%s)", s.Image, humanSize(im.Size), s.SmallerThan, humanSize(other.Size)), nil
		}
	}
	return "", nil
}

package checker

import (
	"context"
	"fmt"
)

// ImageExists checks that an image with exactly this reference exists and,
// with BuiltFrom, that it was built from the workspace's files as they are
// now.
type ImageExists struct {
	Image string `yaml:"image" check:"required"` // the reference, with its tag
	// BuiltFrom is the workspace folder the image is built from ("." for
	// the workspace itself): no file under it may have changed after the
	// image was built. A learner who changes a file of the build and does
	// not build again (`docker compose up -d` without --build) keeps the
	// old image, which a check of its configuration alone does not notice.
	BuiltFrom string `yaml:"built_from"`
}

var _ Spec = (*ImageExists)(nil)

func (s *ImageExists) Title() string {
	switch s.BuiltFrom {
	case "":
		return fmt.Sprintf("image %s exists", s.Image)
	case ".":
		return fmt.Sprintf("image %s is built from your workspace as it is now", s.Image)
	}
	return fmt.Sprintf("image %s is built from %s as it is now", s.Image, s.BuiltFrom)
}

func (s *ImageExists) Validate(l *Lint) {
	l.pinnedImage("image", s.Image)
	switch {
	case s.BuiltFrom == "" && l.Given["built_from"]:
		l.Errorf("built_from", "built_from is empty: name the workspace folder the image is built from, or \".\" for the workspace itself")
	case s.BuiltFrom != "" && s.BuiltFrom != "." && !localPath(s.BuiltFrom):
		l.Errorf("built_from", "built_from %q must be \".\" or a relative folder inside the workspace", s.BuiltFrom)
	}
}

func (s *ImageExists) Run(ctx context.Context, env Env) (string, error) {
	im, msg, err := image(ctx, env, s.Image)
	if msg != "" || err != nil || s.BuiltFrom == "" || env.Workspace == "" || im.Built.IsZero() {
		return msg, err
	}
	name, changed, err := newestFile(env.Workspace, s.BuiltFrom, func(string) bool { return true })
	switch {
	case err != nil:
		return fmt.Sprintf("there is no folder %s in your workspace (%s), which image %s is built from", s.BuiltFrom, env.Workspace, s.Image), nil
	case name == "" || !changedAfter(ctx, env, changed, im.Built):
		return "", nil
	}
	return staleMessage(name, changed, s.Image, im.Built) + ", so that it holds your files as they are now", nil
}

package checker

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/dockdojo/dockdojo/internal/shellquote"
	"github.com/dockdojo/dockdojo/sandbox"
)

// ImageRun checks that an image, or the learner's workspace built with its Dockerfile,
// runs to its end in a hardened throwaway container without network, and
// exits and prints as expected.
type ImageRun struct {
	Image   string   `yaml:"image"`   // the image to run, with its tag; this or Build
	Build   string   `yaml:"build"`   // a workspace folder ("." for the workspace) to build and run
	Command []string `yaml:"command"` // instead of the image's default command
	Output  `yaml:",inline"`
	Timeout `yaml:",inline"` // how long the run may take; a build has BuildTimeout
}

var _ Spec = (*ImageRun)(nil)

// buildRepo is the repository of the images image_run builds.
const buildRepo = "dockdojo-check/"

// BuildTag is the tag under which image_run builds an exercise's workspace.
func BuildTag(exercise string) string {
	return buildRepo + strings.NewReplacer("/", "-", "_", "-").Replace(exercise) + ":latest"
}

// IsBuildTag reports an image reference under which image_run builds: one
// the checks made, not the learner.
func IsBuildTag(ref string) bool { return strings.HasPrefix(ref, buildRepo) }

func (*ImageRun) titleSaysOnlyWhere() {}

func (s *ImageRun) Title() string {
	if s.Build != "" {
		return fmt.Sprintf("the image built from your %s runs as the goal asks", path.Join(s.Build, "Dockerfile"))
	}
	return fmt.Sprintf("image %s runs as the goal asks", s.Image)
}

func (s *ImageRun) Validate(l *Lint) {
	l.pinnedImage("image", s.Image)
	s.Output.validate(l)
	s.Timeout.validate(l)
	switch {
	case s.Image == "" && s.Build == "":
		l.Errorf("", "image_run needs \"image\" (an image to run) or \"build\" (a workspace folder to build and run)")
	case s.Image != "" && s.Build != "":
		l.Errorf("build", "give image_run either \"image\" or \"build\", not both")
	case s.Build != "" && s.Build != "." && !localPath(s.Build):
		l.Errorf("build", "build %q must be \".\" or a relative folder inside the workspace", s.Build)
	}
}

func (s *ImageRun) Run(ctx context.Context, env Env) (string, error) {
	image, what := s.Image, "image "+s.Image
	if s.Build != "" {
		var msg string
		var err error
		image, msg, err = s.built(ctx, env)
		if msg != "" || err != nil {
			return msg, err
		}
		what = "your image"
	} else if _, err := env.Target.InspectImage(ctx, s.Image); errors.Is(err, sandbox.ErrNotFound) {
		return noImage(ctx, env, s.Image)
	} else if err != nil {
		return "", err
	}
	res, err := env.Target.Probe(ctx, sandbox.ProbeSpec{Image: image, Cmd: s.Command, NetworkMode: "none", Labels: env.Labels, Timeout: s.limit()})
	if msg, ok := overran(what+" run"+withCommand(s.Command), s.limit(), err); ok {
		return msg, nil
	}
	var se *sandbox.StartError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s could not start: %s", what+withCommand(s.Command), se.Reason), nil
	}
	if err != nil {
		return "", err
	}
	return s.Output.judge(what+" run"+withCommand(s.Command), res)
}

// buildResult is one build of a workspace folder in a run of checks: the image
// it made, or why it did not.
type buildResult struct {
	image string // the image's ID
	msg   string // why it failed, for the learner; "" when it built
	err   error  // the engine's failure
}

// built builds the workspace folder s.Build, once per run of checks: every
// image_run of that folder runs the same image, and a build that fails
// shows its output once, with the first check that needs it.
func (s *ImageRun) built(ctx context.Context, env Env) (string, string, error) {
	dir := filepath.Join(env.Workspace, filepath.FromSlash(s.Build))
	if env.looks == nil {
		b := s.build(ctx, env, dir)
		return b.image, b.msg, b.err
	}
	b, _ := recall(env.looks, "built "+dir, func() (buildResult, error) { return s.build(ctx, env, dir), nil })
	if b.msg != "" {
		env.looks.sayOnce(b.msg, fmt.Sprintf("your Dockerfile in %s does not build (its output is shown above)", s.Build))
	}
	return b.image, b.msg, b.err
}

func (s *ImageRun) build(ctx context.Context, env Env, dir string) buildResult {
	if msg := outOfWorkspace(env.Workspace, s.Build); msg != "" {
		return buildResult{msg: msg}
	}
	tag := BuildTag(env.Exercise)
	bctx, cancel := context.WithTimeout(ctx, BuildTimeout)
	defer cancel()
	err := env.Target.Build(bctx, env.Workspace, path.Clean(s.Build), "Dockerfile", tag, env.Labels)
	if msg, ok := overran(fmt.Sprintf("the build of your Dockerfile in %s", s.Build), BuildTimeout, err); ok {
		return buildResult{msg: msg}
	}
	var be *sandbox.BuildError
	if errors.As(err, &be) {
		msg := fmt.Sprintf("your Dockerfile in %s does not build: %s", s.Build, strings.TrimSpace(be.Message))
		if be.Output != "" {
			msg += "\nthe build said:\n" + be.Output
		}
		return buildResult{msg: msg}
	}
	if err != nil {
		return buildResult{err: err}
	}
	im, err := env.Target.InspectImage(ctx, tag)
	if err != nil {
		return buildResult{err: err}
	}
	return buildResult{image: im.ID}
}

func withCommand(cmd []string) string {
	if len(cmd) == 0 {
		return ""
	}
	return " with `" + shellquote.Join(cmd) + "`"
}

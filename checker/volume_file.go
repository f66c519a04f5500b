package checker

import (
	"context"
	"fmt"
	"path"

	"github.com/dockdojo/dockdojo/sandbox"
)

// VolumeFile checks that a file exists in the named volume, read through the volume
// itself by a throwaway probe without network (one that never starts, but
// for a symbolic link or a path the engine will not copy), and what it
// holds.
type VolumeFile struct {
	Volume string `yaml:"volume" check:"required"` // the volume's exact name
	Path   string `yaml:"path" check:"required"`   // the file's path inside the volume
	Text   `yaml:",inline"`
}

var _ Spec = (*VolumeFile)(nil)

// Title names the file, not what it must hold: a pattern or the lines
// expected are the answer, and the learner sees the title before a first
// try.
func (s *VolumeFile) Title() string {
	if s.Text.given() {
		return fmt.Sprintf("volume %s holds %s, written as the goal asks", s.Volume, s.Path)
	}
	return fmt.Sprintf("volume %s holds %s", s.Volume, s.Path)
}

func (s *VolumeFile) Validate(l *Lint) {
	l.Object("volume", "volume", s.Volume)
	if s.Path != "" && !localPath(s.Path) {
		l.Errorf("path", "path %q must be a relative path inside the volume, like notes/today.txt (no leading /, ./ or ..)", s.Path)
	}
	s.Text.validate(l)
}

func (s *VolumeFile) Run(ctx context.Context, env Env) (string, error) {
	if _, msg, err := volume(ctx, env, s.Volume); msg != "" || err != nil {
		return msg, err
	}
	spec := sandbox.ProbeSpec{
		Image:       ProbeImage,
		NetworkMode: "none",
		Mounts:      []sandbox.MountSpec{{Type: "volume", Source: s.Volume, Target: "/volume", ReadOnly: true}},
		Labels:      env.Labels,
		Timeout:     ProbeTimeout,
	}
	p := path.Join("/volume", path.Clean("/"+s.Path))
	// The engine copies the file out of a probe that never starts, much
	// faster than a probe that runs cat (each request to the engine has a
	// deadline of its own). A symbolic link, or a path the engine will not
	// copy, is left to cat, which reads it as a program in the volume's
	// container would.
	read, err := env.Target.ReadFile(ctx, spec, p)
	if err != nil {
		return "", err
	}
	var data []byte
	switch {
	case read.Found:
		data = read.Data
	case !read.Unread:
		return s.missing(), nil
	default:
		spec.Cmd = []string{"cat", p}
		res, err := env.Target.Probe(ctx, spec)
		if msg, ok := overran(fmt.Sprintf("reading %s from volume %s", s.Path, s.Volume), ProbeTimeout, err); ok {
			return msg, nil
		}
		if err != nil {
			return "", err
		}
		if res.ExitCode != 0 {
			return s.missing(), nil
		}
		data = []byte(res.Stdout)
	}
	return s.Text.judge(fmt.Sprintf("%s in volume %s", s.Path, s.Volume), env.title, data)
}

func (s *VolumeFile) missing() string {
	return fmt.Sprintf("volume %s holds no file %s", s.Volume, s.Path)
}

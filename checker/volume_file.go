package checker

import (
	"context"
	"fmt"
	"path"

	"github.com/dockdojo/dockdojo/sandbox"
)

// VolumeFile checks that a file exists in the named volume, read through the volume
// itself by a throwaway probe without network, and what it holds.
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
	res, err := env.Target.Probe(ctx, sandbox.ProbeSpec{
		Image:       ProbeImage,
		Cmd:         []string{"cat", path.Join("/volume", path.Clean("/"+s.Path))},
		NetworkMode: "none",
		Mounts:      []sandbox.MountSpec{{Type: "volume", Source: s.Volume, Target: "/volume", ReadOnly: true}},
		Labels:      env.Labels,
		Timeout:     ProbeTimeout,
	})
	if msg, ok := overran(fmt.Sprintf("reading %s from volume %s", s.Path, s.Volume), ProbeTimeout, err); ok {
		return msg, nil
	}
	if err != nil {
		return "", err
	}
	if res.ExitCode != 0 {
		return fmt.Sprintf("volume %s holds no file %s", s.Volume, s.Path), nil
	}
	return s.Text.judge(fmt.Sprintf("%s in volume %s", s.Path, s.Volume), []byte(res.Stdout))
}

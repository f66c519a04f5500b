package checker

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/dockdojo/dockdojo/sandbox"
)

// VolumeFile checks that a file exists in the named volume, read through the volume
// itself by a throwaway probe without network.
type VolumeFile struct {
	Volume   string `yaml:"volume" check:"required"` // the volume's exact name
	Path     string `yaml:"path" check:"required"`   // the file's path inside the volume
	Contains string `yaml:"contains"`                // the file contains this text
}

var _ Spec = (*VolumeFile)(nil)

func (s *VolumeFile) Title() string { return fmt.Sprintf("volume %s holds %s", s.Volume, s.Path) }

func (s *VolumeFile) Validate(l *Lint) {
	l.Object("volume", "volume", s.Volume)
	if s.Path != "" && !localPath(s.Path) {
		l.Errorf("path", "path %q must be a relative path inside the volume, like notes/today.txt (no leading /, ./ or ..)", s.Path)
	}
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
	if s.Contains != "" && !strings.Contains(res.Stdout, s.Contains) {
		return fmt.Sprintf("%s in volume %s holds %s; expected it to contain %q", s.Path, s.Volume, quoteShort(res.Stdout), s.Contains), nil
	}
	return "", nil
}

package checker

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
)

// DeviceMapped checks that a host device is mapped into the named container with
// --device. A privileged container fails: it gets every device.
type DeviceMapped struct {
	Container string `yaml:"container" check:"required"` // the container's exact name
	Path      string `yaml:"path" check:"required"`      // the device's path inside the container
	Host      string `yaml:"host"`                       // the device's path on the host; default any
}

var _ Spec = (*DeviceMapped)(nil)

func (s *DeviceMapped) Title() string {
	return fmt.Sprintf("container %s has a device at %s", s.Container, s.Path)
}

func (s *DeviceMapped) Validate(l *Lint) {
	l.Object("container", "container", s.Container)
	if s.Path != "" && !path.IsAbs(s.Path) {
		l.Errorf("path", "device path %q must be absolute, e.g. /dev/fuse", s.Path)
	}
}

func (s *DeviceMapped) Run(ctx context.Context, env Env) (string, error) {
	ct, msg, err := container(ctx, env, s.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	var got []string
	for _, d := range ct.Devices {
		if filepath.Clean(d.PathInContainer) == filepath.Clean(s.Path) {
			if s.Host != "" && filepath.Clean(d.PathOnHost) != filepath.Clean(s.Host) {
				return fmt.Sprintf("container %s has %s mapped at %s, expected the host's %s", s.Container, d.PathOnHost, s.Path, s.Host), nil
			}
			return "", nil
		}
		got = append(got, d.PathOnHost+" at "+d.PathInContainer)
	}
	if ct.Privileged {
		return fmt.Sprintf("container %s is privileged, which hands it every host device; map only the one asked for with --device", s.Container), nil
	}
	return fmt.Sprintf("container %s has no device at %s; it has %s", s.Container, s.Path, orNone(got, "none")), nil
}

package checker

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"strings"
)

// DeviceMapped checks that a host device is mapped into the named container with
// --device. A privileged container fails: it gets every device. With Only,
// no other device is mapped.
type DeviceMapped struct {
	Container string `yaml:"container" check:"required"` // the container's exact name
	Path      string `yaml:"path" check:"required"`      // the device's path inside the container
	Host      string `yaml:"host"`                       // the device's path on the host; default any
	Only      bool   `yaml:"only"`                       // no other device is mapped
}

var _ Spec = (*DeviceMapped)(nil)

func (s *DeviceMapped) Title() string {
	if s.Only {
		return fmt.Sprintf("container %s has a device at %s, and no other", s.Container, s.Path)
	}
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
	var got, others []string
	found := false
	for _, d := range ct.Devices {
		if !found && filepath.Clean(d.PathInContainer) == filepath.Clean(s.Path) {
			if s.Host != "" && filepath.Clean(d.PathOnHost) != filepath.Clean(s.Host) {
				return fmt.Sprintf("container %s has %s mapped at %s, expected the host's %s", s.Container, d.PathOnHost, s.Path, s.Host), nil
			}
			found = true
			continue
		}
		got = append(got, d.PathOnHost+" at "+d.PathInContainer)
		others = append(others, "--device "+d.PathOnHost)
	}
	if ct.Privileged {
		return fmt.Sprintf("container %s is privileged, which hands it every host device; map only the one asked for with --device", s.Container), nil
	}
	if !found {
		return fmt.Sprintf("container %s has no device at %s; it has %s", s.Container, s.Path, orNone(got, "none")), nil
	}
	if s.Only && len(got) > 0 {
		return fmt.Sprintf("container %s has %s, and also %s; expected that device alone: every device mapped is one more the container may read and write past file permissions; remove it (`docker rm -f %s`) and run it again without %s", s.Container, s.Path, orNone(got, ""), s.Container, strings.Join(others, " ")), nil
	}
	return "", nil
}

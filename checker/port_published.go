package checker

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// PortPublished checks that the named container publishes a container port on the
// host.
type PortPublished struct {
	Container string `yaml:"container" check:"required"` // the container's exact name
	Port      string `yaml:"port" check:"required"`      // the container port, "80" or "80/tcp"
	HostPort  string `yaml:"host_port"`                  // the host port it must be published on; default any
}

var _ Spec = (*PortPublished)(nil)

func (s *PortPublished) Title() string {
	if s.HostPort != "" {
		return fmt.Sprintf("container %s publishes port %s on host port %s", s.Container, s.Port, s.HostPort)
	}
	return fmt.Sprintf("container %s publishes port %s", s.Container, s.Port)
}

func (s *PortPublished) Validate(l *Lint) {
	l.Object("container", "container", s.Container)
	l.port("port", s.Port)
	if s.HostPort != "" && !hostPortRE.MatchString(s.HostPort) {
		l.Errorf("host_port", "host_port %q: write a port number like 8080", s.HostPort)
	}
}

func (s *PortPublished) Run(ctx context.Context, env Env) (string, error) {
	ct, msg, err := container(ctx, env, s.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	port := normPort(s.Port)
	bindings := ct.Ports[port]
	if len(bindings) == 0 {
		return fmt.Sprintf("port %s of %s is not published; %s", port, s.Container, publishedList(ct)), nil
	}
	if s.HostPort == "" {
		return "", nil
	}
	var got []string
	for _, b := range bindings {
		if b.HostPort == s.HostPort {
			return "", nil
		}
		// The engine lists a port once for IPv4 and once for IPv6.
		if !slices.Contains(got, b.HostPort) {
			got = append(got, b.HostPort)
		}
	}
	return fmt.Sprintf("port %s of %s is published on host port %s, expected %s", port, s.Container, strings.Join(got, ", "), s.HostPort), nil
}

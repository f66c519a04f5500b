package checker

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dockdojo/dockdojo/sandbox"
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

// HostPorts is the host port the learner must publish, when the check
// names one.
func (s *PortPublished) HostPorts() []string {
	if s.HostPort == "" {
		return nil
	}
	_, proto, _ := strings.Cut(normPort(s.Port), "/")
	return []string{s.HostPort + "/" + proto}
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
	bindings := published(ct, port)
	if len(bindings) == 0 {
		return fmt.Sprintf("port %s of %s is not published; %s. Ports are published when a container is made: remove it (`docker rm -f %s`) and run it again with -p %s:%s", port, s.Container, publishedList(ct), s.Container, cmp.Or(s.HostPort, "HOST"), strings.TrimSuffix(s.Port, "/tcp")), nil
	}
	var got []string
	for _, b := range bindings {
		// The engine lists a port once for IPv4 and once for IPv6.
		if !slices.Contains(got, b.HostPort) {
			got = append(got, b.HostPort)
		}
	}
	if s.HostPort != "" && !slices.Contains(got, s.HostPort) {
		on := "host port " + strings.Join(got, ", ")
		if slices.Equal(got, []string{""}) {
			on = "a host port the engine chooses"
		}
		return fmt.Sprintf("port %s of %s is published on %s, expected %s", port, s.Container, on, s.HostPort), nil
	}
	// Published as asked, but a host port that was taken kept it from starting.
	if taken, ok := sandbox.PortInUse(ct.StateError); ok && !ct.Running && (taken == "" || slices.Contains(got, taken)) {
		why, err := portTaken(ctx, env, taken, s.Container)
		return fmt.Sprintf("container %s could not start with port %s published: %s; then `docker start %s` starts it", s.Container, port, why, s.Container), err
	}
	return "", nil
}

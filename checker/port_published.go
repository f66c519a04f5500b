package checker

import (
	"cmp"
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/dockdojo/dockdojo/sandbox"
)

// PortPublished checks that the named container publishes a container port on the
// host: on a host port, and on a host address (this machine only, or every
// network it is on).
type PortPublished struct {
	Container string `yaml:"container" check:"required"` // the container's exact name
	Port      string `yaml:"port" check:"required"`      // the container port, "80" or "80/tcp"
	HostPort  string `yaml:"host_port"`                  // the host port it must be published on; default any
	// HostIP is the host address every binding of the port must be on:
	// 127.0.0.1 for this machine only, 0.0.0.0 for all interfaces (which
	// the engine also lists as ::). Default any.
	HostIP string `yaml:"host_ip"`
}

var _ Spec = (*PortPublished)(nil)

func (s *PortPublished) Title() string {
	title := fmt.Sprintf("container %s publishes port %s", s.Container, s.Port)
	if s.HostPort != "" {
		title += " on host port " + s.HostPort
	}
	switch {
	case s.HostIP == "":
	case allInterfaces(s.HostIP):
		title += ", on all interfaces"
	case isLoopback(s.HostIP):
		title += ", to this machine only"
	default:
		title += ", on the host address the goal asks"
	}
	return title
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
	l.hostPort("host_port", s.HostPort)
	if _, err := netip.ParseAddr(s.HostIP); s.HostIP != "" && err != nil {
		l.Errorf("host_ip", "host_ip %q: write an IP address: 127.0.0.1 for this machine only, 0.0.0.0 for all interfaces", s.HostIP)
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
		return fmt.Sprintf("port %s of %s is not published; %s. %s", port, s.Container, publishedList(ct), s.remake(ct, "")), nil
	}
	var got []string
	var on []sandbox.Binding
	for _, b := range bindings {
		if s.HostPort == "" || b.HostPort == s.HostPort {
			on = append(on, b)
		}
		// The engine lists a port once for IPv4 and once for IPv6.
		if !slices.Contains(got, b.HostPort) {
			got = append(got, b.HostPort)
		}
	}
	if len(on) == 0 {
		where := "host port " + strings.Join(got, ", ")
		if slices.Equal(got, []string{""}) {
			where = "a host port the engine chooses"
		}
		return fmt.Sprintf("port %s of %s is published on %s, expected %s. %s", port, s.Container, where, s.HostPort, s.remake(ct, "")), nil
	}
	if msg := s.wrongHostIP(port, on); msg != "" {
		return msg + ". " + s.remake(ct, on[0].HostPort), nil
	}
	// Published as asked, but a host port that was taken kept it from starting.
	if taken, ok := sandbox.PortInUse(ct.StateError); ok && !ct.Running && (taken == "" || slices.Contains(got, taken)) {
		why, err := portTaken(ctx, env, taken, s.Container)
		again := fmt.Sprintf("`docker start %s` starts it", s.Container)
		if composeMade(ct) {
			again = "run `docker compose up -d` again in the folder of its compose.yaml"
		}
		return fmt.Sprintf("container %s could not start with port %s published: %s; then %s", s.Container, port, why, again), err
	}
	return "", nil
}

// remake says how to publish the port as asked: a container's ports are
// fixed when it is made, by docker run's -p, or by the ports of its
// service in a compose file. The host port is the one the check asks for,
// else hostPort (the one the learner chose), else HOST.
func (s *PortPublished) remake(ct sandbox.Container, hostPort string) string {
	mapping := cmp.Or(s.HostPort, hostPort, "HOST") + ":" + strings.TrimSuffix(normPort(s.Port), "/tcp")
	if s.HostIP != "" && !allInterfaces(s.HostIP) {
		mapping = hostIPFlag(s.HostIP) + ":" + mapping
	}
	if composeMade(ct) {
		return fmt.Sprintf("Ports are published when a container is made: make its service's `ports:` in the compose file read \"%s\", and run `docker compose up -d` again in its folder", mapping)
	}
	return fmt.Sprintf("Ports are published when a container is made: remove it (`docker rm -f %s`) and run it again with `-p %s`", s.Container, mapping)
}

// wrongHostIP says how bindings differ from the host address the check
// asks for, or "" when they do not (or it asks for none).
func (s *PortPublished) wrongHostIP(port string, bindings []sandbox.Binding) string {
	if s.HostIP == "" {
		return ""
	}
	var wrong []string
	for _, b := range bindings {
		if sameHostIP(b.HostIP, s.HostIP) {
			continue
		}
		if w := bindingText(b); !slices.Contains(wrong, w) {
			wrong = append(wrong, w)
		}
	}
	if len(wrong) == 0 {
		return ""
	}
	if allInterfaces(s.HostIP) {
		return fmt.Sprintf("port %s of %s is published on %s, expected on all interfaces", port, s.Container, strings.Join(wrong, ", "))
	}
	return fmt.Sprintf("port %s of %s is published on %s, expected only on %s", port, s.Container, strings.Join(wrong, ", "), s.HostIP)
}

// sameHostIP reports whether a binding's host address is the one asked for.
func sameHostIP(got, want string) bool {
	if allInterfaces(want) {
		return allInterfaces(got)
	}
	g, err1 := netip.ParseAddr(got)
	w, err2 := netip.ParseAddr(want)
	return err1 == nil && err2 == nil && g == w
}

// allInterfaces reports whether a host address means every interface: a
// port published without an address is listed as 0.0.0.0 and ::.
func allInterfaces(ip string) bool {
	a, err := netip.ParseAddr(ip)
	return ip == "" || (err == nil && a.IsUnspecified())
}

// isLoopback reports whether a host address is reachable from this machine
// only.
func isLoopback(ip string) bool {
	a, err := netip.ParseAddr(ip)
	return err == nil && a.IsLoopback()
}

// bindingText writes where a binding listens, as a learner reads it: 0.0.0.0
// and ::, which the engine lists for one -p without an address, are one
// "all interfaces".
func bindingText(b sandbox.Binding) string {
	if allInterfaces(b.HostIP) {
		return "all interfaces (host port " + b.HostPort + ")"
	}
	return hostIPFlag(b.HostIP) + ":" + b.HostPort
}

// hostIPFlag writes a host address as -p takes it: an IPv6 one in brackets.
func hostIPFlag(ip string) string {
	if ip == "" {
		return "0.0.0.0"
	}
	if strings.Contains(ip, ":") {
		return "[" + ip + "]"
	}
	return ip
}

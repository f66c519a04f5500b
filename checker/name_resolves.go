package checker

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
)

// NameResolves checks that inside the container From, the DNS name Name resolves to
// an address of the container To (or to Address). dockdojo asks with
// nslookup inside From itself when From has it and may be entered (see
// unsafeToEnter), which costs one exec; otherwise from a throwaway probe
// that shares From's network namespace. It ties the answer to the container
// the name must lead to.
type NameResolves struct {
	From    string `yaml:"from" check:"required"` // the exact name of the container that asks
	Name    string `yaml:"name" check:"required"` // the name it looks up
	To      string `yaml:"to"`                    // the container the name must lead to; default Name
	Address string `yaml:"address"`               // instead of To: the address it must resolve to
}

var _ Spec = (*NameResolves)(nil)

func (s *NameResolves) Title() string {
	if s.Address != "" {
		return fmt.Sprintf("from %s, the name %s resolves to %s", s.From, s.Name, s.Address)
	}
	return fmt.Sprintf("from %s, the name %s resolves to %s", s.From, s.Name, s.to())
}

func (s *NameResolves) to() string {
	if s.To == "" {
		return s.Name
	}
	return s.To
}

func (s *NameResolves) Validate(l *Lint) {
	l.Object("container", "from", s.From)
	switch {
	case s.To != "":
		l.Object("container", "to", s.To)
	case s.Address == "":
		l.Object("container", "name", s.Name) // the container the name leads to
	}
	if s.Address != "" && s.To != "" {
		l.Errorf("address", "give name_resolves either \"to\" (a container) or \"address\", not both")
	}
	if s.Address != "" && net.ParseIP(s.Address) == nil {
		l.Errorf("address", "address %q is not an IP address", s.Address)
	}
}

func (s *NameResolves) Run(ctx context.Context, env Env) (string, error) {
	from, msg, err := running(ctx, env, s.From, "it cannot look up names")
	if msg != "" || err != nil {
		return msg, err
	}
	lctx, cancel := within(ctx, ProbeTimeout)
	defer cancel()
	res, err := s.lookup(lctx, env, from)
	if msg, ok := overran(fmt.Sprintf("looking up %s from %s", s.Name, s.From), ProbeTimeout, err); ok {
		return msg, nil
	}
	if err != nil {
		return "", err
	}
	addrs := lookedUp(res.Stdout)
	if len(addrs) == 0 {
		if s.Address != "" {
			return fmt.Sprintf("from %s, the name %s does not resolve; is the container using your DNS server?", s.From, s.Name), nil
		}
		return fmt.Sprintf("from %s, the name %s does not resolve; containers find each other by name only on the same user-defined network", s.From, s.Name), nil
	}
	if s.Address != "" {
		if slices.Contains(addrs, s.Address) {
			return "", nil
		}
		return fmt.Sprintf("from %s, the name %s resolves to %s, expected %s", s.From, s.Name, strings.Join(addrs, ", "), s.Address), nil
	}
	to, msg, err := container(ctx, env, s.to())
	if msg != "" || err != nil {
		return msg, err
	}
	var theirs []string
	for netName, a := range to.Networks {
		for _, ip := range addrs {
			if a.IP != "" && a.IP == ip {
				return "", nil
			}
		}
		if a.IP != "" {
			theirs = append(theirs, a.IP+" on "+netName)
		}
	}
	return fmt.Sprintf("from %s, the name %s resolves to %s, which is not container %s (it has %s)", s.From, s.Name, strings.Join(addrs, ", "), s.to(), orNone(theirs, "no address")), nil
}

// lookup runs nslookup for the name from inside from's network namespace:
// in from itself when it has nslookup and may be entered, or else in a
// probe that shares its network.
func (s *NameResolves) lookup(ctx context.Context, env Env, from sandbox.Container) (sandbox.ExecResult, error) {
	cmd := []string{"nslookup", s.Name}
	if unsafeToEnter(env, from) == "" {
		// As long as a probe may take: a DNS server that does not answer
		// is waited for, one that hangs is not.
		ectx, cancel := context.WithTimeout(ctx, lookupTimeout)
		res, err := env.Target.Exec(ectx, from.Name, cmd)
		cancel()
		if err != nil || !missingCommand(res) {
			return res, err
		}
	}
	return env.Target.Probe(ctx, sandbox.ProbeSpec{
		Image:       ProbeImage,
		Cmd:         cmd,
		NetworkMode: "container:" + from.Name,
		Labels:      env.Labels,
		Timeout:     ProbeTimeout,
	})
}

// lookupTimeout bounds a lookup run inside the asking container.
const lookupTimeout = 30 * time.Second

// missingCommand reports an exec whose command the container does not
// have: the runtime exits 126 (found but not runnable) or 127 (not found).
func missingCommand(res sandbox.ExecResult) bool {
	return res.ExitCode == 126 || res.ExitCode == 127
}

// lookedUp reads the addresses of the answer from busybox nslookup output:
// the "Address" lines after the first "Name:" line.
func lookedUp(out string) []string {
	var addrs []string
	answer := false
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "Name:") {
			answer = true
			continue
		}
		if !answer || !strings.HasPrefix(line, "Address") {
			continue
		}
		_, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		fields := strings.Fields(v)
		if len(fields) == 0 {
			continue
		}
		if ip := net.ParseIP(fields[0]); ip != nil {
			addrs = append(addrs, ip.String())
		}
	}
	return addrs
}

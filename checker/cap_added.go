package checker

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dockdojo/dockdojo/internal/nearmiss"
)

// CapAdded checks that the named container was given this Linux capability with
// --cap-add, and no more than that: a privileged container, or one given
// ALL, fails. With Only, it was given no other; and with Only and no
// Capability, none at all: Docker's own short list is all it has.
type CapAdded struct {
	Container string `yaml:"container" check:"required"` // the container's exact name
	// Capability is e.g. NET_ADMIN; CAP_ is optional. Required, but with
	// Only, where "" means none.
	Capability string `yaml:"capability"`
	Only       bool   `yaml:"only"` // no capability added but Capability
}

var _ Spec = (*CapAdded)(nil)

// linuxCaps are the Linux capabilities, without the CAP_ prefix.
var linuxCaps = []string{
	"AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE", "BLOCK_SUSPEND", "BPF", "CHECKPOINT_RESTORE",
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER",
	"KILL", "LEASE", "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN",
	"NET_BIND_SERVICE", "NET_BROADCAST", "NET_RAW", "PERFMON", "SETFCAP", "SETGID", "SETPCAP",
	"SETUID", "SYSLOG", "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT", "SYS_MODULE", "SYS_NICE",
	"SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "WAKE_ALARM",
}

// Capabilities lists the Linux capabilities, without the CAP_ prefix.
func Capabilities() []string { return slices.Clone(linuxCaps) }

func (s *CapAdded) Title() string {
	switch {
	case s.Only && s.Capability == "":
		return fmt.Sprintf("container %s was given no added capability", s.Container)
	case s.Only:
		return fmt.Sprintf("container %s was given %s and no other capability", s.Container, s.Capability)
	}
	return fmt.Sprintf("container %s was given %s", s.Container, s.Capability)
}

// Validate takes a capability as Run does: in any case, with or without
// CAP_. ALL is refused, as Run fails a container given ALL.
func (s *CapAdded) Validate(l *Lint) {
	l.Object("container", "container", s.Container)
	name := capName(s.Capability)
	switch {
	case s.Capability == "" && !s.Only:
		l.Errorf("capability", "check kind cap_added needs the field \"capability\": the one Linux capability the learner adds, e.g. NET_ADMIN (or only: true without it, for a container given none)")
	case s.Capability == "":
	case name == "ALL":
		l.Errorf("capability", "capability %q: name the one Linux capability the learner adds, e.g. NET_ADMIN; a container given ALL fails this check", s.Capability)
	case !slices.Contains(linuxCaps, name):
		l.Errorf("capability", "capability %q is not a Linux capability%s; `man 7 capabilities` lists them", s.Capability, nearmiss.DidYouMean(name, linuxCaps))
	}
}

func (s *CapAdded) Run(ctx context.Context, env Env) (string, error) {
	ct, msg, err := container(ctx, env, s.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	want := capName(s.Capability)
	instead := "give it only --cap-add " + want
	if want == "" {
		instead = "run it again without it, and without --cap-add"
	}
	if ct.Privileged {
		return fmt.Sprintf("container %s is privileged, which grants every capability and every device; %s", s.Container, instead), nil
	}
	for _, cp := range ct.CapAdd {
		if capName(cp) == "ALL" {
			return fmt.Sprintf("container %s was given ALL capabilities, which is nearly as much as --privileged; %s", s.Container, instead), nil
		}
	}
	var found bool
	var got, others []string
	for _, cp := range ct.CapAdd {
		switch name := capName(cp); {
		case name == want:
			found = true
		case !slices.Contains(got, name):
			got = append(got, name)
			others = append(others, "--cap-add "+name)
		}
	}
	switch {
	case want != "" && !found:
		return fmt.Sprintf("container %s was not given %s (--cap-add %s); it was given %s", s.Container, want, want, orNone(got, "none")), nil
	case s.Only && len(got) > 0 && want == "":
		return fmt.Sprintf("container %s was given %s, expected no added capability: devices and the rest of this exercise need none; remove it (`docker rm -f %s`) and run it again without %s", s.Container, orNone(got, ""), s.Container, strings.Join(others, " ")), nil
	case s.Only && len(got) > 0:
		return fmt.Sprintf("container %s was given %s, and also %s; expected %s alone: remove it (`docker rm -f %s`) and run it again without %s", s.Container, want, orNone(got, ""), want, s.Container, strings.Join(others, " ")), nil
	}
	return "", nil
}

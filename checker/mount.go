package checker

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/dockdojo/dockdojo/sandbox"
)

// Mount checks that the named container has a mount of this type at this path.
type Mount struct {
	Container string `yaml:"container" check:"required"` // the container's exact name
	Type      string `yaml:"type" check:"required"`      // volume, bind or tmpfs
	Target    string `yaml:"target" check:"required"`    // the path in the container
	// Source is, for a volume, the volume's exact name; for a bind mount,
	// the host folder, relative to the workspace or absolute.
	Source string `yaml:"source"`
	// ReadOnly, when given, is whether the container may not write to the
	// mount (-v NAME:PATH:ro, --mount ...,readonly, --tmpfs PATH:ro).
	ReadOnly *bool `yaml:"read_only"`
}

var _ Spec = (*Mount)(nil)

func (s *Mount) Title() string {
	access := ""
	if s.ReadOnly != nil {
		access = map[bool]string{true: "read-only ", false: "writable "}[*s.ReadOnly]
	}
	return fmt.Sprintf("container %s has a %s%s mount at %s", s.Container, access, s.Type, s.Target)
}

func (s *Mount) Validate(l *Lint) {
	l.Object("container", "container", s.Container)
	if s.Type == "volume" {
		l.Object("volume", "source", s.Source)
	}
	if s.Type != "" && s.Type != "volume" && s.Type != "bind" && s.Type != "tmpfs" {
		l.Errorf("type", "mount type %q: use volume, bind or tmpfs", s.Type)
	}
	if s.Target != "" && !path.IsAbs(s.Target) {
		l.Errorf("target", "target %q must be an absolute path in the container, like /data: a mount is never at a relative one", s.Target)
	}
}

func (s *Mount) Run(ctx context.Context, env Env) (string, error) {
	ct, msg, err := container(ctx, env, s.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	var found []string
	for _, m := range ct.Mounts {
		found = append(found, m.Type+" "+orName(m)+" at "+m.Destination)
		if filepath.Clean(m.Destination) != filepath.Clean(s.Target) {
			continue
		}
		if m.Type != s.Type {
			return fmt.Sprintf("%s has a %s mount at %s, expected a %s mount", s.Container, m.Type, s.Target, s.Type), nil
		}
		if s.Source != "" && m.Type == "bind" {
			want := s.Source
			if !filepath.IsAbs(want) {
				want = filepath.Join(env.Workspace, filepath.FromSlash(want))
			}
			// Docker Desktop shows host paths under a prefix of its own VM.
			if got := filepath.Clean(m.Source); got != filepath.Clean(want) && !strings.HasSuffix(got, filepath.Clean(want)) {
				what := "folder"
				if info, err := os.Stat(want); err == nil && !info.IsDir() {
					what = "file"
				}
				return fmt.Sprintf("%s mounts %s at %s, expected your %s %s", s.Container, m.Source, s.Target, what, want), nil
			}
		} else if s.Source != "" && m.Name != s.Source {
			return fmt.Sprintf("%s mounts %s at %s, expected volume %s", s.Container, orName(m), s.Target, s.Source), nil
		}
		if s.ReadOnly != nil && m.ReadOnly != *s.ReadOnly {
			return s.accessMessage(m), nil
		}
		return "", nil
	}
	if len(found) == 0 {
		return fmt.Sprintf("%s has no mount at %s; it has no mounts at all", s.Container, s.Target), nil
	}
	return fmt.Sprintf("%s has no mount at %s; found %s", s.Container, s.Target, strings.Join(found, "; ")), nil
}

// accessMessage says that mount m is read-only where it should be
// writable, or the other way round, and how to write the flag.
func (s *Mount) accessMessage(m sandbox.Mount) string {
	what := map[string]string{"volume": "volume " + m.Name, "bind": "folder " + m.Source, "tmpfs": "a tmpfs"}[m.Type]
	if what == "" {
		what = m.Type + " " + orName(m)
	}
	if m.ReadOnly {
		return fmt.Sprintf("%s has %s at %s read-only, expected it writable (leave out :ro)", s.Container, what, s.Target)
	}
	flag := map[string]string{"volume": "-v " + m.Name + ":", "bind": "-v FOLDER:", "tmpfs": "--tmpfs "}[m.Type] + s.Target + ":ro"
	return fmt.Sprintf("%s has %s at %s writable, expected it read-only (%s)", s.Container, what, s.Target, flag)
}

// orName is a mount's volume name, or its source when it has none.
func orName(m sandbox.Mount) string {
	if m.Name != "" {
		return m.Name
	}
	return m.Source
}

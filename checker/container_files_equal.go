package checker

import (
	"context"
	"fmt"
	"path"
	"strings"
)

// ContainerFilesEqual checks that a file in one container holds the same as
// a file in another (or in the same one): a file copied with docker cp, or
// one that two containers share through a volume. Both containers must be
// running: dockdojo reads each file with cat inside its container, and
// refuses to in a container that could reach beyond itself (see
// unsafeToEnter).
type ContainerFilesEqual struct {
	Container      string `yaml:"container" check:"required"`       // the one container's exact name
	Path           string `yaml:"path" check:"required"`            // the absolute path of the file in it
	OtherContainer string `yaml:"other_container" check:"required"` // the other container's exact name
	OtherPath      string `yaml:"other_path"`                       // the file's path in the other; default path
}

var _ Spec = (*ContainerFilesEqual)(nil)

func (s *ContainerFilesEqual) otherPath() string {
	if s.OtherPath == "" {
		return s.Path
	}
	return s.OtherPath
}

func (s *ContainerFilesEqual) Title() string {
	return fmt.Sprintf("%s in %s is the same as %s in %s", s.Path, s.Container, s.otherPath(), s.OtherContainer)
}

func (s *ContainerFilesEqual) Validate(l *Lint) {
	l.Object("container", "container", s.Container)
	l.Object("container", "other_container", s.OtherContainer)
	// In the order the fields are written, so that problems are too.
	for _, f := range [][2]string{{"path", s.Path}, {"other_path", s.OtherPath}} {
		field, p := f[0], f[1]
		if p != "" && (!path.IsAbs(p) || path.Clean(p) == "/") {
			l.Errorf(field, "%s %q: write the absolute path of a file in the container, like /root/note.txt", field, p)
		}
	}
	if s.Container != "" && s.Container == s.OtherContainer && path.Clean(s.Path) == path.Clean(s.otherPath()) {
		l.Errorf("other_container", "the check compares %s in %s with itself: name another container or other_path", s.Path, s.Container)
	}
}

func (s *ContainerFilesEqual) Run(ctx context.Context, env Env) (string, error) {
	a, msg, err := s.read(ctx, env, s.Container, s.Path)
	if msg != "" || err != nil {
		return msg, err
	}
	b, msg, err := s.read(ctx, env, s.OtherContainer, s.otherPath())
	if msg != "" || err != nil {
		return msg, err
	}
	if a == b {
		return "", nil
	}
	line, _ := sameText([]byte(a), []byte(b))
	if line == 0 {
		return fmt.Sprintf("%s in %s and %s in %s differ only in white space at their ends (%d and %d bytes)", s.Path, s.Container, s.otherPath(), s.OtherContainer, len(a), len(b)), nil
	}
	return fmt.Sprintf("%s in %s and %s in %s differ from line %d on (%d and %d bytes)", s.Path, s.Container, s.otherPath(), s.OtherContainer, line, len(a), len(b)), nil
}

// read reads the file p in the running container name with cat; what
// keeps it from being read is a message.
func (s *ContainerFilesEqual) read(ctx context.Context, env Env, name, p string) (string, string, error) {
	ct, msg, err := container(ctx, env, name)
	if msg != "" || err != nil {
		return "", msg, err
	}
	if !ct.Running {
		return "", fmt.Sprintf("container %s is %s%s, so its file %s cannot be read: dockdojo reads it inside the running container", name, ct.State, exitNote(ct), p), nil
	}
	if why := unsafeToEnter(env, ct); why != "" {
		return "", "", refuse(fmt.Sprintf("dockdojo will not run a command inside %s to read %s: %s", name, p, why))
	}
	ectx, cancel := within(ctx, ProbeTimeout)
	defer cancel()
	res, err := env.Target.Exec(ectx, name, []string{"cat", p})
	if msg, ok := overran(fmt.Sprintf("reading %s in container %s", p, name), ProbeTimeout, err); ok {
		return "", msg, nil
	}
	if err != nil {
		return "", "", err
	}
	switch {
	case res.ExitCode == 0:
		return res.Stdout, "", nil
	case strings.Contains(res.Stderr, "Is a directory"):
		return "", fmt.Sprintf("%s in container %s is a folder, not a file", p, name), nil
	case strings.Contains(res.Stderr, "executable file not found"), res.ExitCode == 126, res.ExitCode == 127:
		return "", fmt.Sprintf("container %s has no cat to read %s with", name, p), nil
	}
	return "", fmt.Sprintf("container %s has no file %s", name, p), nil
}

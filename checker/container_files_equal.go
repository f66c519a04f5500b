package checker

import (
	"context"
	"fmt"
	"path"
)

// ContainerFilesEqual checks that a file in one container holds the same as
// a file in another (or in the same one): a file copied with docker cp, or
// one that two containers share through a volume. Each file is copied out
// of its container as ContainerFile reads it, running or not.
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
	validFilePath(l, "path", s.Path)
	validFilePath(l, "other_path", s.OtherPath)
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

// read reads the file p of the container name (see readIn).
func (s *ContainerFilesEqual) read(ctx context.Context, env Env, name, p string) (string, string, error) {
	ct, msg, err := container(ctx, env, name)
	if msg != "" || err != nil {
		return "", msg, err
	}
	data, msg, err := readIn(ctx, env, ct, p)
	return string(data), msg, err
}

package checker

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/dockdojo/dockdojo/sandbox"
)

// ContainerFile checks that a file exists in a container, and what it
// holds. The engine copies it out as `docker cp` does, from the
// container's own files and its volumes and bind mounts, whether the
// container runs, has stopped or never started: nothing runs inside it. A
// symbolic link, or a file in a tmpfs mount (which only the container's
// processes see), is read with cat inside the running container instead.
type ContainerFile struct {
	Container string `yaml:"container"`             // the container's exact name; "": the exercise's sandbox
	Path      string `yaml:"path" check:"required"` // the file's absolute path in it
	Text      `yaml:",inline"`
}

var _ Spec = (*ContainerFile)(nil)

// Title names the file, not what it must hold (see VolumeFile.Title).
func (s *ContainerFile) Title() string {
	where := "container " + s.Container
	if s.Container == "" {
		where = "the sandbox"
	}
	if s.Text.given() {
		return fmt.Sprintf("%s holds %s, written as the goal asks", where, s.Path)
	}
	return fmt.Sprintf("%s holds %s", where, s.Path)
}

func (s *ContainerFile) Validate(l *Lint) {
	l.Object("container", "container", s.Container)
	validFilePath(l, "path", s.Path)
	s.Text.validate(l)
	if s.Container == "" && !l.Sandbox {
		l.Errorf("", "container_file check without \"container\" reads the sandbox, but the exercise has none: name a container or add a sandbox")
	}
}

func (s *ContainerFile) Run(ctx context.Context, env Env) (string, error) {
	name := s.Container
	if name == "" {
		name = env.Sandbox
		if name == "" {
			return "this exercise has no sandbox to read the file in", nil
		}
	}
	ct, msg, err := container(ctx, env, name)
	if msg != "" || err != nil {
		if s.Container == "" && msg != "" {
			return "", unmet(fmt.Sprintf("the exercise's sandbox is not there; start it with `dockdojo start %s`", env.Exercise))
		}
		return msg, err
	}
	data, msg, err := readIn(ctx, env, ct, s.Path)
	if msg != "" || err != nil {
		return msg, err
	}
	return s.Text.judge(fmt.Sprintf("%s in container %s", s.Path, name), env.title, data)
}

// validFilePath reports a path that is no file a copy out of a container
// can read: not absolute, the root, or in a folder the kernel makes for a
// running process (what a check wants to know there, an exec asks).
func validFilePath(l *Lint, field, p string) {
	if p == "" {
		return
	}
	if !path.IsAbs(p) || path.Clean(p) == "/" {
		l.Errorf(field, "%s %q: write the absolute path of a file in the container, like /root/note.txt", field, p)
		return
	}
	for _, dir := range []string{"/proc", "/sys", "/dev"} {
		if c := path.Clean(p); c == dir || strings.HasPrefix(c, dir+"/") {
			l.Errorf(field, "%s %q is in %s, which the kernel makes for the container's running processes and a copy out of the container does not see: ask with an exec check, e.g. command: [cat, %s]", field, p, dir, c)
			return
		}
	}
}

// readIn reads the file p of the container ct: copied out by the engine,
// or with cat inside it when only its processes see the file (a link, a
// tmpfs mount). What keeps it from being read is a message.
func readIn(ctx context.Context, env Env, ct sandbox.Container, p string) ([]byte, string, error) {
	p = path.Clean(p)
	if why := env.readsOut(ct, p); why != "" {
		return nil, "", refuse(fmt.Sprintf("dockdojo will not read %s in %s: %s", p, ct.Name, why))
	}
	tmpfs := inTmpfs(ct, p)
	if tmpfs == "" {
		read, err := env.Target.ContainerFile(ctx, ct.Name, p)
		switch {
		case err != nil:
			return nil, "", err
		case read.Found:
			return read.Data, "", nil
		case read.Folder:
			return nil, fmt.Sprintf("%s in container %s is a folder, not a file", p, ct.Name), nil
		case !read.Unread:
			return nil, fmt.Sprintf("container %s has no file %s", ct.Name, p), nil
		}
	}
	if !ct.Running {
		why := "it is a link, which dockdojo follows only inside the running container"
		if tmpfs != "" {
			why = fmt.Sprintf("it is in the tmpfs mount %s, whose files live in memory only while the container runs", tmpfs)
		}
		return nil, fmt.Sprintf("container %s is %s%s, so its file %s cannot be read: %s", ct.Name, ct.State, exitNote(ct), p, why), nil
	}
	if why := unsafeToEnter(env, ct); why != "" {
		return nil, "", refuse(fmt.Sprintf("dockdojo will not run a command inside %s to read %s: %s", ct.Name, p, why))
	}
	ectx, cancel := within(ctx, ProbeTimeout)
	defer cancel()
	res, err := env.Target.Exec(ectx, ct.Name, []string{"cat", p})
	if msg, ok := overran(fmt.Sprintf("reading %s in container %s", p, ct.Name), ProbeTimeout, err); ok {
		return nil, msg, nil
	}
	if err != nil {
		return nil, "", err
	}
	switch {
	case res.ExitCode == 0:
		return []byte(res.Stdout), "", nil
	case strings.Contains(res.Stderr, "Is a directory"):
		return nil, fmt.Sprintf("%s in container %s is a folder, not a file", p, ct.Name), nil
	case strings.Contains(res.Stderr, "executable file not found"), res.ExitCode == 126, res.ExitCode == 127:
		return nil, fmt.Sprintf("container %s has no cat to read %s with", ct.Name, p), nil
	}
	return nil, fmt.Sprintf("container %s has no file %s", ct.Name, p), nil
}

// inTmpfs is the tmpfs mount of ct that holds p, or "".
func inTmpfs(ct sandbox.Container, p string) string {
	p = path.Clean(p)
	for _, m := range ct.Mounts {
		if m.Type == "tmpfs" && (p == m.Destination || strings.HasPrefix(p, strings.TrimSuffix(m.Destination, "/")+"/")) {
			return m.Destination
		}
	}
	return ""
}

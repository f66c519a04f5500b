package checker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/dockdojo/dockdojo/internal/regfile"
)

// WorkspaceFile checks a file in the exercise's workspace, on the learner's
// machine: that it exists, and what it holds (a text, a pattern, the same
// as another workspace file, or what a container printed, as
// `docker logs NAME > FILE` saves it). The file is read through the
// workspace folder, so a link that leads out of it is not followed.
type WorkspaceFile struct {
	Path       string `yaml:"path" check:"required"` // relative to the workspace
	Text       `yaml:",inline"`
	EqualsFile string `yaml:"equals_file"` // the file equals this workspace file
	EqualsLogs string `yaml:"equals_logs"` // the file equals what this container printed
}

var _ Spec = (*WorkspaceFile)(nil)

// maxWorkspaceFile bounds how much of a workspace file is read.
const maxWorkspaceFile = 1 << 20

// Title names the file and what it is compared with, not a pattern or a
// text it must hold: those are the answer, and the learner sees the title
// before a first try.
func (s *WorkspaceFile) Title() string {
	switch {
	case s.EqualsLogs != "":
		return fmt.Sprintf("%s in your workspace holds what container %s printed", s.Path, s.EqualsLogs)
	case s.EqualsFile != "":
		return fmt.Sprintf("%s in your workspace is the same as %s", s.Path, s.EqualsFile)
	case s.Text.given():
		return fmt.Sprintf("%s in your workspace is written as the goal asks", s.Path)
	}
	return fmt.Sprintf("your workspace has %s", s.Path)
}

func (s *WorkspaceFile) Validate(l *Lint) {
	l.Object("container", "equals_logs", s.EqualsLogs)
	// In the order the fields are written, so that problems are too.
	for _, f := range [][2]string{{"path", s.Path}, {"equals_file", s.EqualsFile}} {
		field, p := f[0], f[1]
		if p != "" && !localPath(p) {
			l.Errorf(field, "%s %q must be a relative path inside the workspace, like logs/hello.txt (no leading /, ./ or ..)", field, p)
		}
	}
	s.Text.validate(l)
	switch {
	case s.EqualsFile != "" && s.EqualsLogs != "":
		l.Errorf("equals_logs", "give workspace_file either equals_file or equals_logs, not both")
	case s.EqualsFile != "" && s.EqualsFile == s.Path:
		l.Errorf("equals_file", "equals_file names the file itself (%s): name another file", s.Path)
	}
}

func (s *WorkspaceFile) Run(ctx context.Context, env Env) (string, error) {
	data, msg := readWorkspace(env.Workspace, s.Path)
	if msg != "" {
		return msg, nil
	}
	if msg, err := s.Text.judge(s.Path, env.title, data); msg != "" || err != nil {
		return msg, err
	}
	if s.EqualsFile != "" {
		other, msg := readWorkspace(env.Workspace, s.EqualsFile)
		if msg != "" {
			return msg, nil
		}
		if line, same := sameText(data, other); !same {
			return fmt.Sprintf("%s is not the same as %s: they differ from line %d on", s.Path, s.EqualsFile, line), nil
		}
	}
	if s.EqualsLogs != "" {
		if _, msg, err := container(ctx, env, s.EqualsLogs); msg != "" || err != nil {
			return msg, err
		}
		logs, err := env.Target.Logs(ctx, s.EqualsLogs)
		if err != nil {
			return "", err
		}
		if line, same := sameText(data, []byte(logs)); !same {
			return fmt.Sprintf("%s is not what container %s printed: they differ from line %d on (`docker logs %s > %s` saves what it printed)", s.Path, s.EqualsLogs, line, s.EqualsLogs, s.Path), nil
		}
	}
	return "", nil
}

// readWorkspace reads the workspace file name (a slash path), through the
// workspace folder so that no link leads out of it; a file that cannot be
// read is a message.
func readWorkspace(ws, name string) ([]byte, string) {
	root, err := os.OpenRoot(ws)
	if err != nil {
		return nil, fmt.Sprintf("there is no %s in your workspace (%s): the workspace folder itself is missing; `dockdojo start` makes it", name, ws)
	}
	defer root.Close()
	f, err := regfile.OpenIn(root, filepath.FromSlash(name))
	var notFile *regfile.NotRegularError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if other := otherCase(root, name); other != "" {
			// A build reads dockerfile too, on a file system that ignores
			// case; dockdojo and Linux do not.
			return nil, fmt.Sprintf("there is no %s in your workspace (%s), but there is %s: name it %s, as written", name, ws, other, path.Base(name))
		}
		return nil, fmt.Sprintf("there is no %s in your workspace (%s)", name, ws)
	case err != nil && rootCause(err).Error() == "path escapes from parent":
		// os.Root's words, for a link that leads out of the folder.
		return nil, fmt.Sprintf("%s in your workspace is a link that leads out of the workspace (%s), and only what is inside it is read: put the file itself there", name, ws)
	case errors.As(err, &notFile) && notFile.Mode.IsDir():
		return nil, fmt.Sprintf("%s in your workspace is a folder, not a file", name)
	case errors.As(err, &notFile):
		// A named pipe would make the read wait forever (the sandbox
		// can make one there).
		return nil, fmt.Sprintf("%s in your workspace is %s, not a file: remove it (`rm %s`) and write the file there", name, regfile.Kind(notFile.Mode), name)
	case err != nil:
		return nil, fmt.Sprintf("%s in your workspace cannot be read: %v", name, rootCause(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxWorkspaceFile))
	if err != nil {
		return nil, fmt.Sprintf("%s in your workspace cannot be read: %v", name, rootCause(err))
	}
	return data, ""
}

// sameText compares two texts as a learner means "the same": apart from
// white space at their ends and Windows line ends. It returns the first
// line where they differ.
func sameText(a, b []byte) (line int, same bool) {
	norm := func(t []byte) []string {
		t = bytes.TrimSpace(bytes.ReplaceAll(t, []byte("\r\n"), []byte("\n")))
		return strings.Split(string(t), "\n")
	}
	la, lb := norm(a), norm(b)
	for i := 0; i < max(len(la), len(lb)); i++ {
		if i >= len(la) || i >= len(lb) || la[i] != lb[i] {
			return i + 1, false
		}
	}
	return 0, true
}

// outOfWorkspace says so when the workspace folder name (a slash path) is
// a link, or lies under one, that leads out of the workspace: a build of
// it would send a folder of this machine to the engine.
func outOfWorkspace(ws, name string) string {
	top, err := filepath.EvalSymlinks(ws)
	if err != nil {
		return "" // the build says what is missing
	}
	real, err := filepath.EvalSymlinks(filepath.Join(ws, filepath.FromSlash(name)))
	if err != nil {
		return ""
	}
	if rel, err := filepath.Rel(top, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Sprintf("%s in your workspace is a link that leads out of the workspace (%s), and only what is inside it is built: put the folder itself there", name, ws)
	}
	return ""
}

// otherCase names a file beside name whose name differs from it in case
// alone (dockerfile for Dockerfile), or "".
func otherCase(root *os.Root, name string) string {
	dir, base := path.Split(name)
	entries, err := fs.ReadDir(root.FS(), path.Clean("./"+dir))
	if err != nil {
		return ""
	}
	for _, e := range entries {
		if e.Name() != base && strings.EqualFold(e.Name(), base) {
			return dir + e.Name()
		}
	}
	return ""
}

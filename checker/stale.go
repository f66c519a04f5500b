package checker

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"
)

// imageJudge is a kind that judges an image as it was built (its
// configuration, layers, size, or what it runs): judgedImage is the image's
// reference, or "" when the check builds what it judges itself.
type imageJudge interface {
	judgedImage() string
}

func (s *ImageConfig) judgedImage() string { return s.Image }
func (s *ImageLayers) judgedImage() string { return s.Image }
func (s *ImageSize) judgedImage() string   { return s.Image }
func (s *ImageRun) judgedImage() string {
	if s.Build != "" {
		return ""
	}
	return s.Image
}

// staleNote explains a failing check of an image the learner builds (one
// the exercise owns) that is older than a Dockerfile of the workspace: the
// learner changed the file and did not build it again, the most common
// reason a fixed Dockerfile still fails. It is "" otherwise. The engine's
// clock is asked only then, to tell a stale image from a clock behind.
func staleNote(ctx context.Context, env Env, spec Spec) string {
	if note := composeStaleNote(ctx, env, spec); note != "" {
		return note
	}
	j, ok := spec.(imageJudge)
	if !ok || j.judgedImage() == "" || !slices.Contains(env.Scope.Images, j.judgedImage()) || env.Workspace == "" {
		return ""
	}
	im, err := env.Target.InspectImage(ctx, j.judgedImage())
	if err != nil || im.Built.IsZero() {
		return ""
	}
	name, changed, _ := newestFile(env.Workspace, ".", isDockerfile)
	if name == "" || !changedAfter(ctx, env, changed, im.Built) {
		return ""
	}
	return "; " + staleMessage(name, changed, j.judgedImage(), im.Built)
}

// staleMessage says that the workspace file name changed after the image
// ref was built, and what to do.
func staleMessage(name string, changed time.Time, ref string, built time.Time) string {
	return fmt.Sprintf("%s changed at %s, after image %s was built (%s): build it again", name, changed.Local().Format("15:04:05"), ref, built.Local().Format("15:04:05"))
}

// changedAfter reports whether a file changed at changed (this machine's
// clock) after an image was built at built (the engine's clock), by more
// than a second: the slack of a file saved by the same script that then
// built. The engine's clock is asked only when the times say so, to tell
// a file changed since from an engine whose clock is behind, which builds
// in the past.
func changedAfter(ctx context.Context, env Env, changed, built time.Time) bool {
	if !changed.After(built.Add(time.Second)) {
		return false
	}
	if env.Skew == nil {
		return true
	}
	skew, err := env.Skew(ctx)
	return err == nil && changed.After(built.Add(-skew+time.Second))
}

// newestFile is the regular file that keep accepts under the folder dir of
// the workspace ws (a slash path, "." for the whole workspace) changed
// last: its slash path in the workspace, and when. It reads through the
// workspace folder, so no link leads out of it, and looks a few folders
// deep, past hidden files and folders (.git, an editor's swap files) and
// node_modules. Its error says that dir is no folder of the workspace.
func newestFile(ws, dir string, keep func(name string) bool) (name string, changed time.Time, err error) {
	const depth, most = 4, 2000
	root, err := os.OpenRoot(ws)
	if err != nil {
		return "", time.Time{}, err
	}
	defer root.Close()
	fsys := root.FS()
	if info, err := fs.Stat(fsys, dir); err != nil || !info.IsDir() {
		return "", time.Time{}, fmt.Errorf("%s is not a folder of the workspace", dir)
	}
	seen := 0
	_ = fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		seen++
		if err != nil || seen > most {
			return fs.SkipDir
		}
		if p == dir {
			return nil
		}
		rel := p
		if dir != "." {
			rel = strings.TrimPrefix(p, dir+"/")
		}
		if strings.HasPrefix(d.Name(), ".") || d.IsDir() && (d.Name() == "node_modules" || strings.Count(rel, "/") >= depth) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !keep(d.Name()) {
			return nil
		}
		if info, err := d.Info(); err == nil && info.Mode().IsRegular() && info.ModTime().After(changed) {
			name, changed = p, info.ModTime()
		}
		return nil
	})
	return name, changed, nil
}

// isDockerfile reports whether a file's name is a Dockerfile's:
// Dockerfile, Containerfile, Dockerfile.dev or app.Dockerfile.
func isDockerfile(name string) bool {
	lower := strings.ToLower(name)
	return lower == "dockerfile" || lower == "containerfile" || strings.HasPrefix(lower, "dockerfile.") || strings.HasSuffix(lower, ".dockerfile")
}

// composeConfigLabel lists the Compose files a container was made from, by
// their paths on the learner's machine (Compose v1 and v2 alike).
const composeConfigLabel = "com.docker.compose.project.config_files"

// composeWorkingDirLabel is the folder Compose ran in, to which
// docker-compose v1's config_files are relative.
const composeWorkingDirLabel = "com.docker.compose.project.working_dir"

// composeStaleNote explains a failing check of a container Docker Compose
// made from a compose file of the workspace that changed after the
// container was made: the learner edited compose.yaml and did not run
// `docker compose up -d` again, which alone applies it. Only files inside
// the workspace are looked at, and only for when they changed.
func composeStaleNote(ctx context.Context, env Env, spec Spec) string {
	name := judgedContainer(spec)
	if name == "" || env.Workspace == "" {
		return ""
	}
	ct, err := env.Target.InspectContainer(ctx, name)
	if err != nil || !composeMade(ct) || ct.Created.IsZero() {
		return ""
	}
	top, err := filepath.EvalSymlinks(env.Workspace)
	if err != nil {
		return ""
	}
	for _, file := range strings.Split(ct.Labels[composeConfigLabel], ",") {
		file = strings.TrimSpace(file)
		if dir := ct.Labels[composeWorkingDirLabel]; !filepath.IsAbs(file) && dir != "" {
			// docker-compose v1 writes the file as given, relative to
			// the folder it ran in.
			file = filepath.Join(dir, file)
		}
		real, err := filepath.EvalSymlinks(file)
		if err != nil {
			continue
		}
		rel, err := filepath.Rel(top, real)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		info, err := os.Stat(real)
		if err != nil || !changedAfter(ctx, env, info.ModTime(), ct.Created) {
			continue
		}
		return fmt.Sprintf("; %s changed at %s, after container %s was made (%s): run `docker compose up -d` again in its folder, which applies it",
			filepath.ToSlash(rel), info.ModTime().Local().Format("15:04:05"), ct.Name, ct.Created.Local().Format("15:04:05"))
	}
	return ""
}

// judgedContainer is the container a check judges, by its container field,
// or "".
func judgedContainer(spec Spec) string {
	v := reflect.Indirect(reflect.ValueOf(spec))
	if v.Kind() != reflect.Struct {
		return ""
	}
	if f := v.FieldByName("Container"); f.IsValid() && f.Kind() == reflect.String {
		return f.String()
	}
	return ""
}

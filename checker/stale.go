package checker

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
	j, ok := spec.(imageJudge)
	if !ok || j.judgedImage() == "" || !slices.Contains(env.Scope.Images, j.judgedImage()) || env.Workspace == "" {
		return ""
	}
	im, err := env.Target.InspectImage(ctx, j.judgedImage())
	if err != nil || im.Built.IsZero() {
		return ""
	}
	name, changed := newestDockerfile(env.Workspace)
	// A second's slack: a file saved by the same script that then built.
	if name == "" || !changed.After(im.Built.Add(time.Second)) {
		return ""
	}
	if env.Skew != nil {
		// The build's time is on the engine's clock: read on this
		// machine's, an engine whose clock is behind builds in the past.
		skew, err := env.Skew(ctx)
		if err != nil || !changed.After(im.Built.Add(-skew+time.Second)) {
			return ""
		}
	}
	return fmt.Sprintf("; %s changed at %s, after image %s was built (%s): build it again", name, changed.Local().Format("15:04:05"), j.judgedImage(), im.Built.Local().Format("15:04:05"))
}

// newestDockerfile is the Dockerfile of the workspace changed last (a slash
// path), and when; it looks a few folders deep, past hidden folders.
func newestDockerfile(ws string) (name string, changed time.Time) {
	const depth, most = 4, 2000
	seen := 0
	_ = filepath.WalkDir(ws, func(p string, d fs.DirEntry, err error) error {
		seen++
		if err != nil || seen > most {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(ws, p)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || strings.Count(rel, string(os.PathSeparator)) >= depth) {
				return filepath.SkipDir
			}
			return nil
		}
		if !isDockerfile(d.Name()) {
			return nil
		}
		if info, err := d.Info(); err == nil && info.Mode().IsRegular() && info.ModTime().After(changed) {
			name, changed = filepath.ToSlash(rel), info.ModTime()
		}
		return nil
	})
	return name, changed
}

// isDockerfile reports whether a file's name is a Dockerfile's:
// Dockerfile, Containerfile, Dockerfile.dev or app.Dockerfile.
func isDockerfile(name string) bool {
	lower := strings.ToLower(name)
	return lower == "dockerfile" || lower == "containerfile" || strings.HasPrefix(lower, "dockerfile.") || strings.HasSuffix(lower, ".dockerfile")
}

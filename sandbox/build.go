package sandbox

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
	"sync"
	"sync/atomic"
	"time"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/pkg/jsonmessage"
	"github.com/docker/docker/pkg/stdcopy"

	"github.com/dockdojo/dockdojo/internal/termsafe"
)

// maxLogs bounds how much of a container's log is read.
const maxLogs = 1 << 20

// Logs returns what the container with exactly this name printed, stdout and
// stderr together: the first MiB of what the engine still keeps (a log of
// dockdojo's containers is kept to 20 MiB, its oldest part dropped; see
// hardened). The first, not the last: what a check looks for is most often
// what a program says as it starts ("listening on port 80").
func (e *Engine) Logs(ctx context.Context, name string) (string, error) {
	c, err := e.inspectContainer(ctx, name)
	if err != nil {
		return "", err
	}
	rc, err := e.cli.ContainerLogs(ctx, c.ID, container.LogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		return "", e.wrap("logs of "+name, err)
	}
	defer rc.Close()
	out := &capped{max: maxLogs}
	if c.Config != nil && c.Config.Tty {
		_, err = io.Copy(out, rc)
	} else {
		_, err = stdcopy.StdCopy(out, out, rc)
	}
	if err != nil {
		return "", e.wrap("read logs of "+name, err)
	}
	return out.String(), nil
}

// BuildError is a build that the engine refused or that failed: the
// learner's Dockerfile is wrong, not the engine unreachable.
type BuildError struct {
	Message string // the engine's error
	Output  string // the end of the build's output
}

func (e *BuildError) Error() string { return "build failed: " + e.Message }

// Build builds the folder dir of top (a slash path, "." for top itself;
// Dockerfile at dockerfile, relative to dir) into an image tagged tag and
// labelled, with the classic builder that every engine from API 1.41 has.
// The folder is opened inside top and read through it (see packContext):
// a link, even one put there while the build runs, never makes it send
// what is outside top. A failing build is a *BuildError; one that runs
// past ctx's deadline is a *TimeoutError (the engine stops a classic build
// whose client goes away).
//
// Its steps run without network and with a sandbox's memory and CPU
// (MemoryMax, MemorySwapMax, NanoCPUs); their containers keep no log (the
// classic builder's own choice). The rest of a sandbox's hardening the
// classic builder does not take: Linux refuses security options on a build
// (no-new-privileges), and there is no field for capabilities or a pids
// limit, so a step has what `docker build` gives it. A step that the kernel
// stopped for memory is a *BuildError that says which step and why.
func (e *Engine) Build(ctx context.Context, top, dir, dockerfile, tag string, labels map[string]string) (err error) {
	if deadline, ok := ctx.Deadline(); ok {
		limit := time.Until(deadline).Round(time.Second)
		defer func() {
			if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
				// An overrun is the Dockerfile's only when the engine
				// still answers.
				if serr := e.stuckBuilding(ctx, fmt.Sprintf("did not finish the build within %s", limit)); serr != nil {
					err = serr
					return
				}
				err = &TimeoutError{What: "build", Limit: limit, Stopped: true}
			}
		}()
	}
	ctx, stuck := e.watchBuild(ctx)
	defer func() {
		if serr := stuck(); serr != nil {
			err = serr
		}
	}()
	if dockerfile == "" {
		dockerfile = "Dockerfile"
	}
	root, err := os.OpenRoot(top)
	if err != nil {
		return &BuildError{Message: fmt.Sprintf("cannot open %s: %v", top, err)}
	}
	defer root.Close()
	src, err := root.OpenRoot(path.Clean(dir))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &BuildError{Message: fmt.Sprintf("there is no folder %s in %s", dir, top)}
	case err != nil:
		return &BuildError{Message: fmt.Sprintf("the folder %s leads out of %s (through a link), and only what is inside it is built", dir, top)}
	}
	defer src.Close()
	where := filepath.Join(top, filepath.FromSlash(dir))
	if _, err := src.Stat(dockerfile); err != nil {
		return &BuildError{Message: fmt.Sprintf("no %s in %s", dockerfile, where)}
	}
	tar := packContext(src, dockerignore(src), path.Clean(dockerfile), ".dockerignore")
	defer tar.Close()
	steps := e.watchSteps(ctx)
	defer steps.stop()
	resp, err := e.cli.ImageBuild(ctx, tar, build.ImageBuildOptions{
		Tags:        []string{tag},
		Dockerfile:  dockerfile,
		Labels:      withLabels(labels, map[string]string{LabelRole: "build"}),
		Remove:      true,
		ForceRemove: true,
		Version:     build.BuilderV1,
		// Learners' builds run offline, as in a classroom without Wi-Fi: a
		// Dockerfile that needs the internet fails here as it would there.
		NetworkMode: "none",
		// A step gets what a sandbox gets, so that a RUN cannot take the
		// learner's machine's memory; NanoCPUs as a quota of each period.
		Memory:     MemoryMax,
		MemorySwap: MemorySwapMax,
		CPUPeriod:  cpuPeriod,
		CPUQuota:   NanoCPUs * cpuPeriod / 1e9,
	})
	if err != nil {
		if errors.Is(e.wrap("build", err), ErrUnreachable) || ctx.Err() != nil {
			return e.wrap("build", err)
		}
		return &BuildError{Message: err.Error()}
	}
	defer resp.Body.Close()
	heard(ctx)
	var out bytes.Buffer
	err = jsonmessage.DisplayJSONMessagesStream(heardReader{resp.Body, ctx}, &out, 0, false, nil)
	if err != nil {
		var jm *jsonmessage.JSONError
		if errors.As(err, &jm) {
			said := termsafe.StripCSI(out.String())
			be := &BuildError{Message: termsafe.StripCSI(jm.Message), Output: tail(said, 12)}
			if step, id := lastStep(said); steps.outOfMemory(id, jm.Code) {
				be.Message = tooMuchMemory(step)
			}
			return be
		}
		return e.wrap("build", err)
	}
	return nil
}

// buildQuiet is how long a build may go without a word from the engine
// before the engine is asked whether it still answers (see watchBuild).
var buildQuiet = 10 * time.Second

// watchBuild watches a build on ctx for an engine that stops answering in
// the middle of it (a wedged engine): a build that says nothing for
// buildQuiet (a step that sleeps, or an engine that is stuck) has the
// engine asked for its containers, and when it does not answer, the build
// is given up on then, not at its deadline. Its steps' own silence is
// the learner's; the engine's is not, and is not blamed on the Dockerfile.
// The returned context is the build's: the engine's answer read through
// it (see heard) counts as a word. stuck reports, once the build is over,
// the engine found stuck as an error that wraps ErrUnreachable, or nil.
func (e *Engine) watchBuild(ctx context.Context) (bctx context.Context, stuck func() error) {
	bctx, cancel := context.WithCancelCause(ctx)
	var last atomic.Int64
	last.Store(time.Now().UnixNano())
	bctx = context.WithValue(bctx, heardKey{}, &last)
	done := make(chan struct{})
	var found error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(buildQuiet / 4)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-bctx.Done():
				return
			case <-tick.C:
			}
			quiet := time.Since(time.Unix(0, last.Load()))
			if quiet < buildQuiet {
				continue
			}
			if found = e.stuckBuilding(bctx, fmt.Sprintf("said nothing of the build for %s", quiet.Round(time.Second))); found != nil {
				cancel(found)
				return
			}
			last.Store(time.Now().UnixNano())
		}
	}()
	return bctx, func() error {
		close(done)
		wg.Wait()
		cancel(nil)
		return found
	}
}

// heardKey keys the time the engine was last heard from in a build's
// context (see watchBuild).
type heardKey struct{}

// heard notes that the engine said something about the build on ctx.
func heard(ctx context.Context) {
	if last, ok := ctx.Value(heardKey{}).(*atomic.Int64); ok {
		last.Store(time.Now().UnixNano())
	}
}

// heardReader notes every read of a build's answer (see heard).
type heardReader struct {
	io.Reader
	ctx context.Context
}

func (r heardReader) Read(p []byte) (int, error) {
	n, err := r.Reader.Read(p)
	if n > 0 {
		heard(r.ctx)
	}
	return n, err
}

// stuckBuilding asks the engine for its containers after a build went
// quiet or overran (what it did, as "said nothing of the build for
// 10s"); an engine that does not answer within AnswerTimeout is
// stuck, and the error says so (wrapping ErrUnreachable); nil when it
// answers.
func (e *Engine) stuckBuilding(ctx context.Context, what string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), AnswerTimeout)
	defer cancel()
	_, err := e.cli.ContainerList(ctx, container.ListOptions{Limit: 1})
	if err == nil || !errors.Is(e.wrap("", err), ErrUnreachable) && ctx.Err() == nil {
		return nil
	}
	e.stuck.Store(true)
	return fmt.Errorf("build: %w: %s (found via %s) %s, and did not answer within %s when asked for its containers", ErrUnreachable, e.ep.Host, e.ep.Source, what, AnswerTimeout)
}

// dockerignore reads the patterns of the folder's .dockerignore, if any.
func dockerignore(src *os.Root) []string {
	data, err := src.ReadFile(".dockerignore")
	if err != nil {
		return nil
	}
	var pats []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			// As the docker CLI reads it: /x is x at the top of the folder.
			if p := path.Clean(line); len(p) > 1 && p[0] == '/' {
				line = p[1:]
			}
			pats = append(pats, line)
		}
	}
	return pats
}

// tail keeps the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// ContainersWithLabels returns every container, running or not, carrying all
// the given labels, whoever made it: it is how a Compose project's services
// are found (com.docker.compose.project / service). It only reads.
func (e *Engine) ContainersWithLabels(ctx context.Context, labels map[string]string) ([]Container, error) {
	if len(labels) == 0 {
		return nil, errors.New("list containers: no labels given")
	}
	args := filters.NewArgs()
	for k, v := range labels {
		args.Add("label", k+"="+v)
	}
	list, err := e.cli.ContainerList(ctx, container.ListOptions{All: true, Filters: args})
	if err != nil {
		return nil, e.wrap("list containers", err)
	}
	var out []Container
	for _, c := range list {
		full, err := e.cli.ContainerInspect(ctx, c.ID)
		if err != nil {
			continue // removed meanwhile
		}
		out = append(out, convertContainer(full))
	}
	return out, nil
}

package sandbox

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/pkg/stdcopy"
	"github.com/docker/go-connections/nat"
)

// keepAlive idles until told to stop and exits promptly on SIGTERM, so a
// sandbox stops at once instead of waiting out the engine's kill timeout.
var keepAlive = []string{"sh", "-c", "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done"}

// removeTimeout bounds clean-up that runs on a fresh context after the
// caller's context may already be done.
const removeTimeout = 30 * time.Second

// cancelGrace bounds clean-up after the caller gave up (Ctrl-C, SIGTERM):
// a start is to end within 3 s of the signal even while the engine holds a
// request, so what the engine has not done by then is left for the next
// start (or `dockdojo clean`) to remove.
const cancelGrace = 1500 * time.Millisecond

// cleanupContext is the context of clean-up after work on ctx failed or
// was given up: one of its own, for ctx may be what failed, bounded by
// removeTimeout, or by cancelGrace once ctx is done. An engine found stuck
// is not waited for again at all (see deadlines).
func cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	limit := removeTimeout
	if ctx.Err() != nil {
		limit = cancelGrace
	}
	return context.WithTimeout(context.WithoutCancel(ctx), limit)
}

// defaultProbeTimeout is used when ProbeSpec.Timeout is zero.
const defaultProbeTimeout = 30 * time.Second

// maxProbeOutput caps what a probe may write to each stream, so a runaway
// script cannot exhaust memory.
const maxProbeOutput = 4 << 20

// RunContainer creates and starts a hardened, labelled container: all
// capabilities dropped except spec.CapAdd, no-new-privileges, the pids,
// memory and CPU limits of this package, never privileged, published ports
// bound on 127.0.0.1, a log of bounded size (LogMaxSize). It refuses bind
// mounts whose source is not absolute or would expose the Docker socket.
// A nil Cmd runs a keep-alive command that exits promptly on SIGTERM. The
// labels are spec.Labels plus LabelManaged.
// A container that was created but failed to start is removed again.
func (e *Engine) RunContainer(ctx context.Context, spec ContainerSpec) (id string, err error) {
	if spec.Image == "" {
		return "", fmt.Errorf("run container %q: no image given", spec.Name)
	}
	mounts, err := e.mounts(spec.Mounts)
	if err != nil {
		return "", fmt.Errorf("run container %q: %w", spec.Name, err)
	}
	exposed, bindings, err := portBindings(spec.Ports)
	if err != nil {
		return "", fmt.Errorf("run container %q: %w", spec.Name, err)
	}
	cmd := spec.Cmd
	if cmd == nil {
		cmd = keepAlive
	}
	cfg := &container.Config{
		Image:        spec.Image,
		Cmd:          cmd,
		Env:          spec.Env,
		WorkingDir:   spec.Workdir,
		Hostname:     spec.Hostname,
		ExposedPorts: exposed,
		Labels:       withLabels(spec.Labels, nil),
	}
	hc := hardened(spec.CapAdd, mounts)
	hc.PortBindings = bindings
	hc.NetworkMode = container.NetworkMode(spec.Network)

	// The create is seen through (see seenThrough), and removed when ctx
	// ended meanwhile.
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("run container %q: %w", spec.Name, err)
	}
	cctx, done := seenThrough(ctx)
	resp, err := e.cli.ContainerCreate(cctx, cfg, hc, &network.NetworkingConfig{}, nil, spec.Name)
	done()
	if err != nil {
		return "", e.wrap(fmt.Sprintf("create container %q", spec.Name), err)
	}
	if err := ctx.Err(); err != nil {
		return "", e.removeOrLeave(ctx, resp.ID, spec.Name, fmt.Errorf("run container %q: %w", spec.Name, err))
	}
	if err := e.cli.ContainerStart(ctx, resp.ID, container.StartOptions{}); err != nil {
		return "", e.removeOrLeave(ctx, resp.ID, spec.Name, e.wrap(fmt.Sprintf("start container %q", spec.Name), err))
	}
	return resp.ID, nil
}

// removeOrLeave removes the container id (name) that a run made and could
// not start, and returns err, saying so when the container could not be
// removed: it is dockdojo's, and is left for the next start or `dockdojo
// clean` to remove.
func (e *Engine) removeOrLeave(ctx context.Context, id, name string, err error) error {
	if rerr := e.forceRemove(ctx, id); rerr != nil {
		return fmt.Errorf("%w; the container %s it made is left as it is (the next start removes it, as `dockdojo clean` does)", err, name)
	}
	return err
}

// createGrace is how long a create that ctx gave up on is still waited
// for (see seenThrough): with cancelGrace for the removal after it, within
// the 3 s a start has to end after Ctrl-C.
const createGrace = time.Second

// seenThrough is the context of a request that creates a container: the
// engine finishes a create whose client gave up (Ctrl-C, a deadline) a
// moment later, and the container would then be left where nothing knows
// of it: a self-test stopped with Ctrl-C found its sandbox still there
// the next time. So when ctx ends, the create gets createGrace more, for
// its caller to learn the container and remove it; an engine that takes
// longer is not waited for. done releases it.
func seenThrough(ctx context.Context) (cctx context.Context, done func()) {
	cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(createGrace, cancel) })
	return cctx, func() { stop(); cancel() }
}

// hardened is the host configuration every dockdojo container starts from.
func hardened(capAdd []string, mounts []mount.Mount) *container.HostConfig {
	pids := int64(PidsLimit)
	return &container.HostConfig{
		CapDrop:     []string{"ALL"},
		CapAdd:      capAdd,
		SecurityOpt: []string{"no-new-privileges"},
		Privileged:  false,
		Mounts:      mounts,
		Resources: container.Resources{
			PidsLimit:  &pids,
			Memory:     MemoryMax,
			MemorySwap: MemorySwapMax,
			NanoCPUs:   NanoCPUs,
		},
		LogConfig: container.LogConfig{
			Type:   LogDriver,
			Config: map[string]string{"max-size": LogMaxSize, "max-file": LogMaxFiles},
		},
	}
}

// withLabels merges dockdojo's labels over the caller's, plus extra.
func withLabels(labels, extra map[string]string) map[string]string {
	out := make(map[string]string, len(labels)+len(extra)+1)
	for k, v := range labels {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	out[LabelManaged] = "true"
	return out
}

// portBindings turns "80/tcp" -> "8080" into the SDK's form, bound on
// 127.0.0.1 so a sandbox is never reachable from the network.
func portBindings(ports map[string]string) (nat.PortSet, nat.PortMap, error) {
	if len(ports) == 0 {
		return nil, nil, nil
	}
	exposed := nat.PortSet{}
	bindings := nat.PortMap{}
	for cport, hport := range ports {
		proto, port := nat.SplitProtoPort(cport)
		if _, err := nat.ParsePort(port); err != nil || port == "" {
			return nil, nil, fmt.Errorf("invalid container port %q: want PORT or PORT/PROTO, e.g. 80/tcp", cport)
		}
		if hport != "" {
			if _, err := nat.ParsePort(hport); err != nil {
				return nil, nil, fmt.Errorf("invalid host port %q for %s: want a number or empty for any", hport, cport)
			}
		}
		p, err := nat.NewPort(proto, port)
		if err != nil {
			return nil, nil, fmt.Errorf("invalid container port %q: %w", cport, err)
		}
		exposed[p] = struct{}{}
		bindings[p] = []nat.PortBinding{{HostIP: "127.0.0.1", HostPort: hport}}
	}
	return exposed, bindings, nil
}

// mounts validates and converts mount requests. A bind source must be an
// absolute host path and must not be, contain, or lie inside the Docker
// socket or its directories: the socket inside a container is root on the host.
func (e *Engine) mounts(specs []MountSpec) ([]mount.Mount, error) {
	var out []mount.Mount
	for _, m := range specs {
		if m.Target == "" || !strings.HasPrefix(m.Target, "/") {
			return nil, fmt.Errorf("mount target %q must be an absolute path in the container", m.Target)
		}
		mm := mount.Mount{Source: m.Source, Target: m.Target, ReadOnly: m.ReadOnly}
		switch m.Type {
		case "bind":
			if err := checkBindSource(m.Source, e.socketPaths()); err != nil {
				return nil, err
			}
			mm.Type = mount.TypeBind
		case "volume":
			if m.Source == "" {
				return nil, fmt.Errorf("volume mount at %s needs a volume name as its source", m.Target)
			}
			mm.Type = mount.TypeVolume
		case "tmpfs":
			mm.Type, mm.Source = mount.TypeTmpfs, ""
		default:
			return nil, fmt.Errorf("mount at %s has unknown type %q: want bind, volume or tmpfs", m.Target, m.Type)
		}
		out = append(out, mm)
	}
	return out, nil
}

// socketPaths are the engine's own unix socket, beyond the well-known ones.
func (e *Engine) socketPaths() []string {
	if e == nil {
		return nil
	}
	if p, ok := strings.CutPrefix(e.ep.Host, "unix://"); ok {
		return []string{p}
	}
	return nil
}

// wellKnownSockets are where Docker sockets live; binding any of them, a
// directory holding one, or a path inside one hands the engine to a container.
var wellKnownSockets = []string{"/var/run/docker.sock", "/run/docker.sock"}

// checkBindSource refuses a bind source that is relative or that names the
// Docker socket: base name docker.sock, anything under /var/run/docker* or
// /run/docker*, an ancestor of a known socket (such as / or /var/run), or a
// symlink resolving to any of those.
func checkBindSource(src string, extraSockets []string) error {
	if !filepath.IsAbs(src) {
		return fmt.Errorf("bind mount source %q must be an absolute host path", src)
	}
	candidates := []string{filepath.Clean(src)}
	if real, err := filepath.EvalSymlinks(src); err == nil && real != candidates[0] {
		candidates = append(candidates, real)
	}
	sockets := append(append([]string{}, wellKnownSockets...), extraSockets...)
	for _, p := range candidates {
		if namesDockerSocket(p) {
			return fmt.Errorf("bind mount source %q is refused: it exposes the Docker socket, which would give the container control of the host", src)
		}
		for _, s := range sockets {
			if s = filepath.Clean(s); s == p || isWithin(s, p) || isWithin(p, s) {
				return fmt.Errorf("bind mount source %q is refused: it exposes the Docker socket %s, which would give the container control of the host", src, s)
			}
		}
	}
	return nil
}

// ExposesEngine reports whether a bind mount of the host path src hands
// the Docker engine to the container: the socket, a folder that holds
// one (such as / or /var/run), or a path inside one.
func ExposesEngine(src string) bool {
	return filepath.IsAbs(src) && checkBindSource(src, nil) != nil
}

// namesDockerSocket reports whether a cleaned absolute path is or lies inside
// a path that names the Docker socket.
func namesDockerSocket(p string) bool {
	parts := strings.Split(p, string(filepath.Separator))
	for i, part := range parts {
		if part == "docker.sock" {
			return true
		}
		if strings.HasPrefix(part, "docker") {
			prefix := strings.Join(parts[:i], "/")
			if prefix == "/var/run" || prefix == "/run" {
				return true
			}
		}
	}
	return false
}

// isWithin reports whether path lies strictly inside dir.
func isWithin(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, "../") && !filepath.IsAbs(rel)
}

// forceRemove removes a container and its anonymous volumes on a context
// of its own (see cleanupContext), because the caller's, ctx, may be what
// failed.
func (e *Engine) forceRemove(ctx context.Context, id string) error {
	if e.stuck.Load() {
		// What failed was the engine: asking it again only waits.
		return fmt.Errorf("remove container %s: %w: %s (found via %s) does not answer", id, ErrUnreachable, e.ep.Host, e.ep.Source)
	}
	ctx, cancel := cleanupContext(ctx)
	defer cancel()
	err := e.cli.ContainerRemove(ctx, id, container.RemoveOptions{Force: true, RemoveVolumes: true})
	if err != nil && !beingRemoved(err) {
		return e.wrap("remove container "+id, err)
	}
	return nil
}

// beingRemoved reports an error that means the object is gone or going: it
// was removed, or another removal of it is under way (a `dockdojo clean` in
// another terminal, say).
func beingRemoved(err error) bool {
	return cerrdefs.IsNotFound(err) || strings.Contains(err.Error(), "is already in progress")
}

// Probe runs a throwaway hardened container labelled with role "probe" to
// completion within spec.Timeout (default 30 s) and returns its output and
// exit code. The container is force-removed whatever happened.
func (e *Engine) Probe(ctx context.Context, spec ProbeSpec) (res ExecResult, err error) {
	if spec.Image == "" {
		return ExecResult{}, errors.New("probe: no image given")
	}
	timeout := spec.Timeout
	if timeout <= 0 {
		timeout = defaultProbeTimeout
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// A probe that overran is removed (see below), and so stopped.
	defer func() {
		if err != nil && ctx.Err() != nil && parent.Err() == nil {
			err = &TimeoutError{What: "probe", Limit: timeout, Stopped: true}
		}
	}()

	mounts, err := e.mounts(spec.Mounts)
	if err != nil {
		return ExecResult{}, fmt.Errorf("probe: %w", err)
	}
	netMode, err := e.probeNetwork(ctx, spec.NetworkMode)
	if err != nil {
		return ExecResult{}, fmt.Errorf("probe: %w", err)
	}
	id, err := e.createProbe(ctx, &container.Config{Image: spec.Image, Cmd: spec.Cmd}, spec.Labels, mounts, netMode)
	if err != nil {
		return ExecResult{}, e.wrap("probe: create container", err)
	}
	defer e.removeProbe(parent, id, "probe", &err)

	// Attach before starting so no output is lost, whatever the log driver.
	att, err := hijack(ctx, "POST /containers/"+id+"/attach", func(ctx context.Context) (types.HijackedResponse, error) {
		return e.cli.ContainerAttach(ctx, id, container.AttachOptions{Stream: true, Stdout: true, Stderr: true})
	})
	if err != nil {
		return ExecResult{}, e.wrap("probe: attach", err)
	}
	defer att.Close()
	stdout := &capped{max: maxProbeOutput}
	stderr := &capped{max: maxProbeOutput}
	copied := make(chan error, 1)
	go func() {
		_, err := stdcopy.StdCopy(stdout, stderr, att.Reader)
		copied <- err
	}()

	waitC, errC := e.cli.ContainerWait(ctx, id, container.WaitConditionNextExit)
	if err := e.cli.ContainerStart(ctx, id, container.StartOptions{}); err != nil {
		werr := e.wrap("probe: start container", err)
		if errors.Is(werr, ErrUnreachable) || ctx.Err() != nil {
			return ExecResult{}, werr
		}
		return ExecResult{}, &StartError{Reason: startReason(err.Error())}
	}
	var code int
	select {
	case w := <-waitC:
		if w.Error != nil && w.Error.Message != "" {
			return ExecResult{}, fmt.Errorf("probe: wait: %s", w.Error.Message)
		}
		code = int(w.StatusCode)
	case err := <-errC:
		if ctx.Err() != nil {
			return ExecResult{}, fmt.Errorf("probe: no result within %s: %w", timeout, ctx.Err())
		}
		return ExecResult{}, e.wrap("probe: wait", err)
	}
	// The attach stream ends once the container has exited.
	select {
	case <-copied:
	case <-ctx.Done():
		return ExecResult{}, fmt.Errorf("probe: reading output: %w", ctx.Err())
	}
	return ExecResult{ExitCode: code, Stdout: stdout.String(), Stderr: stderr.String()}, nil
}

// createProbe creates a probe container of cfg, labelled with role "probe"
// over labels, hardened, with mounts, on the network netMode, under a name
// of its own, and returns its ID. The create is seen through (see
// seenThrough); the caller removes the container (see removeProbe).
func (e *Engine) createProbe(ctx context.Context, cfg *container.Config, labels map[string]string, mounts []mount.Mount, netMode string) (string, error) {
	cfg.Labels = withLabels(labels, map[string]string{LabelRole: "probe"})
	hc := hardened(nil, mounts)
	hc.NetworkMode = container.NetworkMode(netMode)
	cctx, done := seenThrough(ctx)
	defer done()
	resp, err := e.cli.ContainerCreate(cctx, cfg, hc, &network.NetworkingConfig{}, nil, "dockdojo-probe-"+randomHex(6))
	return resp.ID, err
}

// removeProbe force-removes the probe container id, deferred by op, the
// call that made it: a failure to remove becomes op's error, as "op: ...",
// when *err holds none of its own.
func (e *Engine) removeProbe(ctx context.Context, id, op string, err *error) {
	if rerr := e.forceRemove(ctx, id); rerr != nil && *err == nil {
		*err = fmt.Errorf("%s: %w", op, rerr)
	}
}

// probeNetwork resolves network names and "container:NAME" by exact name, so
// a probe never joins the wrong object through a prefix match.
//
// A probe never gets the host's network, not even through a container that
// has it (`--network host`, or the network of one that has it): it would
// reach every port of the learner's machine.
func (e *Engine) probeNetwork(ctx context.Context, mode string) (string, error) {
	switch mode {
	case "", "none", "bridge", "default":
		return mode, nil
	case "host":
		return "", fmt.Errorf("a probe may not use the host network: %w", ErrHostNetwork)
	}
	if name, ok := strings.CutPrefix(mode, "container:"); ok {
		c, err := e.InspectContainer(ctx, name)
		if err != nil {
			return "", err
		}
		if !c.Running {
			return "", fmt.Errorf("container %q is %s, not running; cannot share its network", name, c.State)
		}
		if err := e.notOnHost(ctx, c); err != nil {
			return "", err
		}
		return "container:" + c.ID, nil
	}
	n, err := e.InspectNetwork(ctx, mode)
	if err != nil {
		return "", err
	}
	return n.ID, nil
}

// notOnHost refuses a container whose network is the host's, directly or
// through the containers whose network it shares.
func (e *Engine) notOnHost(ctx context.Context, c Container) error {
	for range 8 {
		target, shares := strings.CutPrefix(c.NetworkMode, "container:")
		switch {
		case c.NetworkMode == "host":
			return fmt.Errorf("container %s runs on the host network, which a probe may not share: %w", c.Name, ErrHostNetwork)
		case !shares:
			return nil
		}
		next, err := e.InspectContainer(ctx, target)
		if err != nil {
			return err
		}
		c = next
	}
	return fmt.Errorf("container %s shares the network of a chain of containers too long to follow: %w", c.Name, ErrHostNetwork)
}

// capped keeps the first max bytes written and discards the rest.
type capped struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := c.max - c.buf.Len(); room > 0 {
		if len(p) > room {
			c.buf.Write(p[:room])
		} else {
			c.buf.Write(p)
		}
	}
	return len(p), nil
}

func (c *capped) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// StartError is a container the engine made but could not start, because of
// what it was asked to run: a command that does not exist, say. It is the
// learner's to fix, not an engine failure.
type StartError struct {
	Reason string
}

func (e *StartError) Error() string { return "could not start: " + e.Reason }

var execReasonRE = regexp.MustCompile(`exec: "[^"]*": [^:]+`)

// startReason keeps the part of the runtime's message a learner can act on.
func startReason(msg string) string {
	if m := execReasonRE.FindString(msg); m != "" {
		return strings.TrimSpace(m)
	}
	if i := strings.LastIndex(msg, "OCI runtime create failed: "); i >= 0 {
		return strings.TrimSuffix(strings.TrimSpace(msg[i+len("OCI runtime create failed: "):]), ": unknown")
	}
	return strings.TrimPrefix(msg, "Error response from daemon: ")
}

// portInUseRE finds the host port in the engine's word that a container
// could not start because its host port is taken: "Bind for 0.0.0.0:8080
// failed: port is already allocated" (another container has it), "listen
// tcp4 0.0.0.0:8080: bind: address already in use" (another program has
// it), Docker Desktop's "exposing port TCP 0.0.0.0:8080 -> ...".
var portInUseRE = regexp.MustCompile(`(?:Bind for|listen (?:tcp|udp)[46]?|exposing port (?:TCP|UDP)) \[?[0-9a-fA-F.:]*?\]?:([0-9]+)`)

// PortInUse reads, from the engine's error for a container that could not
// start, the host port that was taken; ok is false for any other error.
func PortInUse(msg string) (hostPort string, ok bool) {
	if !strings.Contains(msg, "port is already allocated") && !strings.Contains(msg, "address already in use") {
		return "", false
	}
	m := portInUseRE.FindStringSubmatch(msg)
	if m == nil {
		return "", true
	}
	return m[1], true
}

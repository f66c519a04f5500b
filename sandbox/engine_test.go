package sandbox_test

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
	"github.com/docker/docker/client"

	"github.com/dockdojo/dockdojo/internal/syncio"
	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// testImage is built locally by scripts/standin-images.sh; tests never pull.
const testImage = "busybox:1.36"

// uniqueName returns a distinctive name for an object this test creates.
func uniqueName(what string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return "dojotest-" + what + "-" + hex.EncodeToString(b)
}

// ctxFor bounds a test's calls to the engine.
func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// engine connects and makes sure the test image is present without pulling.
func engine(t *testing.T) *sandbox.Engine {
	t.Helper()
	e := sandboxtest.Engine(t)
	if _, err := e.InspectImage(context.Background(), testImage); err != nil {
		t.Fatalf("test image %s is missing (build it with scripts/standin-images.sh): %v", testImage, err)
	}
	return e
}

// rawClient talks to the same engine without going through package sandbox,
// so tests can look at the real objects and make unlabelled ones.
func rawClient(t *testing.T, e *sandbox.Engine) *client.Client {
	t.Helper()
	cli, err := client.NewClientWithOpts(client.WithHost(e.Endpoint().Host), client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cli.Close() })
	return cli
}

// theirContainer creates through cli a container dockdojo did not make,
// as a learner's own, and removes it when the test ends. It returns its ID.
func theirContainer(t *testing.T, ctx context.Context, cli *client.Client, name string, cfg *container.Config, host *container.HostConfig) string {
	t.Helper()
	created, err := cli.ContainerCreate(ctx, cfg, host, nil, nil, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cli.ContainerRemove(context.Background(), created.ID, container.RemoveOptions{Force: true})
	})
	return created.ID
}

// theirVolume creates through cli a volume dockdojo did not make, as a
// learner's own, with labels, and removes it when the test ends.
func theirVolume(t *testing.T, ctx context.Context, cli *client.Client, name string, labels map[string]string) {
	t.Helper()
	if _, err := cli.VolumeCreate(ctx, volume.CreateOptions{Name: name, Labels: labels}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cli.VolumeRemove(context.Background(), name, true) })
}

// runSandbox starts a keep-alive sandbox and removes it when the test ends.
func runSandbox(t *testing.T, e *sandbox.Engine, spec sandbox.ContainerSpec) string {
	t.Helper()
	if spec.Image == "" {
		spec.Image = testImage
	}
	id, err := e.RunContainer(ctxFor(t), spec)
	if id != "" {
		t.Cleanup(func() { _ = e.RemoveContainer(context.Background(), spec.Name) })
	}
	if err != nil {
		t.Fatalf("RunContainer(%s): %v", spec.Name, err)
	}
	return id
}

func TestConnectInfo(t *testing.T) {
	e := engine(t)
	facts, err := e.Facts(ctxFor(t))
	if err != nil {
		t.Fatal(err)
	}
	if facts.ServerVersion == "" || facts.APIVersion == "" || facts.OSType == "" || facts.Architecture == "" {
		t.Errorf("Facts() = %+v, want the engine's version, API, OS and architecture", facts)
	}
	if ep := e.Endpoint(); ep.Host == "" || ep.Source == "" {
		t.Errorf("Endpoint() = %+v", ep)
	}
	if strings.HasPrefix(e.Endpoint().Host, "unix://") && e.HostAddress() != "127.0.0.1" {
		t.Errorf("HostAddress() = %q for a unix socket, want 127.0.0.1", e.HostAddress())
	}
}

func TestConnectUnreachable(t *testing.T) {
	// A listener that accepts and never answers: the ping must give up.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { _ = c.Close() })
		}
	}()
	silent := "tcp://" + ln.Addr().String()
	missing := "unix://" + filepath.Join(t.TempDir(), "docker.sock")
	// A web server that is not Docker: it answers the ping "404 page not
	// found".
	web := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(web.Close)
	notEngine := "tcp://" + strings.TrimPrefix(web.URL, "http://")

	for _, tt := range []struct {
		name, host string
		want       []string
	}{
		{"no socket", missing, []string{missing, "DOCKER_HOST", "no socket"}},
		{"silent engine", silent, []string{silent, "DOCKER_HOST", "did not answer within 1.5s"}},
		{"ssh", "ssh://me@host", []string{"ssh://", "DOCKER_HOST"}},
		{"a web server", notEngine, []string{notEngine, "DOCKER_HOST", "answered, but is not a Docker engine (it answered the engine's ping with 404, not found)", "check the address and port"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := func(k string) string {
				if k == "DOCKER_HOST" {
					return tt.host
				}
				return ""
			}
			e, err := sandbox.Connect(context.Background(), env, t.TempDir())
			if err == nil {
				_ = e.Close()
				t.Fatal("Connect succeeded, want an error")
			}
			if !errors.Is(err, sandbox.ErrUnreachable) {
				t.Errorf("error %q does not wrap ErrUnreachable", err)
			}
			if errors.Is(err, sandbox.ErrNotAnEngine) != (tt.host == notEngine) {
				t.Errorf("error %q: wraps ErrNotAnEngine %t", err, errors.Is(err, sandbox.ErrNotAnEngine))
			}
			for _, s := range tt.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
		})
	}
}

func TestConnectPermissionDenied(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root is never denied a socket")
	}
	path := filepath.Join(t.TempDir(), "docker.sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	if err := os.Chmod(path, 0); err != nil {
		t.Fatal(err)
	}
	env := func(k string) string {
		if k == "DOCKER_HOST" {
			return "unix://" + path
		}
		return ""
	}
	_, err = sandbox.Connect(context.Background(), env, t.TempDir())
	if !errors.Is(err, sandbox.ErrUnreachable) || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("Connect() error = %v, want ErrUnreachable mentioning permission denied", err)
	}
}

func TestEnsureImagePresent(t *testing.T) {
	e := engine(t)
	var out bytes.Buffer
	pulled, err := e.EnsureImage(ctxFor(t), testImage, &out, 0, false)
	if err != nil || pulled {
		t.Errorf("EnsureImage(%s) = %v, %v; want no pull", testImage, pulled, err)
	}
	if out.Len() != 0 {
		t.Errorf("EnsureImage wrote %q for a present image", out.String())
	}
}

func TestRunContainerIsHardened(t *testing.T) {
	e := engine(t)
	labels := sandboxtest.Labels(t)
	name := uniqueName("hard")
	id := runSandbox(t, e, sandbox.ContainerSpec{
		Name:   name,
		CapAdd: []string{"NET_BIND_SERVICE"},
		Ports:  map[string]string{"80/tcp": ""},
		Env:    []string{"GREETING=hi"},
		Labels: labels,
	})
	ctx := ctxFor(t)

	// The real container, as the engine reports it.
	raw, err := rawClient(t, e).ContainerInspect(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	hc := raw.HostConfig
	if !slices.Equal(hc.CapDrop, []string{"ALL"}) {
		t.Errorf("CapDrop = %v, want [ALL]", hc.CapDrop)
	}
	if len(hc.CapAdd) != 1 || strings.TrimPrefix(hc.CapAdd[0], "CAP_") != "NET_BIND_SERVICE" {
		t.Errorf("CapAdd = %v, want exactly NET_BIND_SERVICE", hc.CapAdd)
	}
	if !slices.ContainsFunc(hc.SecurityOpt, func(s string) bool { return strings.HasPrefix(s, "no-new-privileges") }) {
		t.Errorf("SecurityOpt = %v, want no-new-privileges", hc.SecurityOpt)
	}
	if hc.PidsLimit == nil || *hc.PidsLimit != sandbox.PidsLimit {
		t.Errorf("PidsLimit = %v, want %d", hc.PidsLimit, sandbox.PidsLimit)
	}
	if hc.Memory != sandbox.MemoryMax || hc.MemorySwap != sandbox.MemorySwapMax || hc.NanoCPUs != sandbox.NanoCPUs {
		t.Errorf("Memory, MemorySwap, NanoCPUs = %d, %d, %d; want %d, %d, %d", hc.Memory, hc.MemorySwap, hc.NanoCPUs, sandbox.MemoryMax, sandbox.MemorySwapMax, sandbox.NanoCPUs)
	}
	if hc.Privileged {
		t.Error("container is privileged")
	}
	if lc := hc.LogConfig; lc.Type != sandbox.LogDriver || lc.Config["max-size"] != sandbox.LogMaxSize || lc.Config["max-file"] != sandbox.LogMaxFiles {
		t.Errorf("LogConfig = %+v, want %s with max-size %s and max-file %s", lc, sandbox.LogDriver, sandbox.LogMaxSize, sandbox.LogMaxFiles)
	}
	for k, v := range labels {
		if raw.Config.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, raw.Config.Labels[k], v)
		}
	}
	if raw.Config.Labels[sandbox.LabelManaged] != "true" {
		t.Errorf("label %s missing", sandbox.LabelManaged)
	}
	for _, b := range raw.NetworkSettings.Ports["80/tcp"] {
		if b.HostIP != "127.0.0.1" {
			t.Errorf("port 80/tcp bound on %q, want 127.0.0.1", b.HostIP)
		}
	}

	// What the kernel enforces inside, not only what was asked for.
	status, err := e.Exec(ctx, name, []string{"cat", "/proc/self/status"})
	if err != nil {
		t.Fatal(err)
	}
	if !regexpLine(status.Stdout, "NoNewPrivs:", "1") {
		t.Errorf("NoNewPrivs not set inside the container:\n%s", status.Stdout)
	}
	// NET_BIND_SERVICE is capability 10: bit 0x400, and nothing else.
	if !regexpLine(status.Stdout, "CapEff:", "0000000000000400") {
		t.Errorf("effective capabilities are not exactly NET_BIND_SERVICE:\n%s", status.Stdout)
	}

	// And through package sandbox's own view.
	c, err := e.InspectContainer(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != id || c.Name != name || !c.Running || c.Image != testImage || c.PidsLimit != sandbox.PidsLimit ||
		c.Memory != sandbox.MemoryMax || c.NanoCPUs != sandbox.NanoCPUs || c.Privileged || c.Labels[sandbox.LabelManaged] != "true" ||
		!slices.Contains(c.Env, "GREETING=hi") || len(c.Ports["80/tcp"]) == 0 {
		t.Errorf("InspectContainer() = %+v", c)
	}
}

// A sandbox that prints without end leaves a log of bounded size on the
// learner's disk, and its logs still read: the end of what it printed.
func TestRunContainerLogIsBounded(t *testing.T) {
	e := engine(t)
	name := uniqueName("chatty")
	// 64 MB of output, over three times the bound (two files of 10 MB),
	// and more than that again as the engine writes it, a line of JSON for
	// each line printed.
	id := runSandbox(t, e, sandbox.ContainerSpec{
		Name:   name,
		Cmd:    []string{"sh", "-c", "yes 0123456789012345678901234567890123456789 | head -c 64000000; echo printed-all; exec sleep 3600"},
		Labels: sandboxtest.Labels(t),
	})
	ctx := ctxFor(t)
	cli := rawClient(t, e)
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(200 * time.Millisecond) {
		rc, err := cli.ContainerLogs(ctx, id, container.LogsOptions{ShowStdout: true, Tail: "1"})
		if err != nil {
			t.Fatal(err)
		}
		last, _ := io.ReadAll(rc)
		rc.Close()
		if bytes.Contains(last, []byte("printed-all")) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sandbox has not printed it all within a minute; its last line is %q", last)
		}
	}
	logs, err := e.Logs(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if len(logs) < 1<<19 || !strings.Contains(logs, "\n0123456789012345678901234567890123456789\n") {
		t.Errorf("logs read after rotation: %d bytes starting %q, want a MiB of the printed lines", len(logs), logs[:min(len(logs), 100)])
	}

	raw, err := cli.ContainerInspect(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if raw.LogPath == "" {
		t.Skip("the engine tells no log file (not the json-file driver's own path)")
	}
	files, _ := filepath.Glob(raw.LogPath + "*")
	var total int64
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			t.Skipf("the log files of the engine are not readable here: %v", err)
		}
		total += fi.Size()
	}
	// Two files of 10 MiB; the engine rotates before a write once a file is
	// full, so a file may pass its size by one line.
	const bound = 2*10<<20 + 64<<10
	if len(files) == 0 || total > bound {
		t.Errorf("log files %v take %d bytes, want at most %d", files, total, bound)
	}
}

// regexpLine reports whether text has a line "key<whitespace>value".
func regexpLine(text, key, value string) bool {
	for _, line := range strings.Split(text, "\n") {
		if k, v, ok := strings.Cut(line, "\t"); ok && k == key && strings.TrimSpace(v) == value {
			return true
		}
	}
	return false
}

func TestRunContainerRefusesDangerousMounts(t *testing.T) {
	e := engine(t)
	labels := sandboxtest.Labels(t)
	for _, src := range []string{"/var/run/docker.sock", "/run/docker.sock", "/var/run", "/", "relative/dir"} {
		t.Run(src, func(t *testing.T) {
			name := uniqueName("sock")
			id, err := e.RunContainer(ctxFor(t), sandbox.ContainerSpec{
				Name:   name,
				Image:  testImage,
				Labels: labels,
				Mounts: []sandbox.MountSpec{{Type: "bind", Source: src, Target: "/mnt"}},
			})
			if id != "" {
				t.Cleanup(func() { _ = e.RemoveContainer(context.Background(), name) })
			}
			if err == nil {
				t.Fatalf("bind of %s accepted", src)
			}
			if _, err := e.InspectContainer(ctxFor(t), name); !errors.Is(err, sandbox.ErrNotFound) {
				t.Errorf("a container was created despite the refusal: %v", err)
			}
		})
	}
}

func TestRunContainerMounts(t *testing.T) {
	e := engine(t)
	labels := sandboxtest.Labels(t)
	ws := t.TempDir()
	if err := os.WriteFile(filepath.Join(ws, "hello.txt"), []byte("from the host\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	vol := uniqueName("vol")
	if err := e.CreateVolume(ctxFor(t), vol, labels); err != nil {
		t.Fatal(err)
	}
	name := uniqueName("mounts")
	runSandbox(t, e, sandbox.ContainerSpec{
		Name:   name,
		Labels: labels,
		Mounts: []sandbox.MountSpec{
			{Type: "bind", Source: ws, Target: "/work", ReadOnly: true},
			{Type: "volume", Source: vol, Target: "/data"},
			{Type: "tmpfs", Target: "/scratch"},
		},
	})
	res, err := e.Exec(ctxFor(t), name, []string{"cat", "/work/hello.txt"})
	if err != nil || res.Stdout != "from the host\n" {
		t.Errorf("reading the bind mount: %+v, %v", res, err)
	}
	c, err := e.InspectContainer(ctxFor(t), name)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]sandbox.Mount{}
	for _, m := range c.Mounts {
		types[m.Destination] = m
	}
	if m := types["/work"]; m.Type != "bind" || !m.ReadOnly {
		t.Errorf("/work mount = %+v, want a read-only bind", m)
	}
	if m := types["/data"]; m.Type != "volume" || m.Name != vol {
		t.Errorf("/data mount = %+v, want volume %s", m, vol)
	}
	if m := types["/scratch"]; m.Type != "tmpfs" {
		t.Errorf("/scratch mount = %+v, want tmpfs", m)
	}
}

func TestExec(t *testing.T) {
	e := engine(t)
	labels := sandboxtest.Labels(t)
	name := uniqueName("exec")
	runSandbox(t, e, sandbox.ContainerSpec{Name: name, Labels: labels})

	tests := []struct {
		name string
		cmd  []string
		want sandbox.ExecResult
	}{
		{"success", []string{"true"}, sandbox.ExecResult{ExitCode: 0}},
		{"exit 3", []string{"sh", "-c", "exit 3"}, sandbox.ExecResult{ExitCode: 3}},
		// Output closes before the engine records the code: reading it too
		// early reports 0.
		{"slow exit 7", []string{"sh", "-c", "exec >&- 2>&-; sleep 0.3; exit 7"}, sandbox.ExecResult{ExitCode: 7}},
		{"sleep then exit 7", []string{"sh", "-c", "sleep 0.3; exit 7"}, sandbox.ExecResult{ExitCode: 7}},
		{"streams kept apart", []string{"sh", "-c", "echo out; echo err >&2; echo more"}, sandbox.ExecResult{Stdout: "out\nmore\n", Stderr: "err\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.Exec(ctxFor(t), name, tt.cmd)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Exec(%q) = %+v, want %+v", tt.cmd, got, tt.want)
			}
		})
	}

	t.Run("missing container", func(t *testing.T) {
		if _, err := e.Exec(ctxFor(t), name+"-nope", []string{"true"}); !errors.Is(err, sandbox.ErrNotFound) {
			t.Errorf("Exec in a missing container: %v, want ErrNotFound", err)
		}
	})
	// A bounded exec leaves no process of its own behind: in a container
	// whose process 1 never reaps (sleep), each would stay a zombie, and
	// `watch` runs an exec check every few seconds.
	t.Run("leaves nothing behind", func(t *testing.T) {
		sleeper := uniqueName("exec-sleeper")
		runSandbox(t, e, sandbox.ContainerSpec{Name: sleeper, Labels: labels, Cmd: []string{"sleep", "3600"}})
		for range 3 {
			if res, err := e.Exec(ctxFor(t), sleeper, []string{"true"}); err != nil || res.ExitCode != 0 {
				t.Fatalf("Exec(true) = %+v, %v", res, err)
			}
		}
		ps, err := e.Exec(context.Background(), sleeper, []string{"ps", "-o", "pid,stat,args"})
		if err != nil {
			t.Fatal(err)
		}
		var left []string
		for _, line := range strings.Split(strings.TrimSpace(ps.Stdout), "\n")[1:] {
			if f := strings.Fields(line); f[0] != "1" && !strings.HasPrefix(f[2], "ps") {
				left = append(left, line)
			}
		}
		if len(left) > 0 {
			t.Errorf("three checks left processes in the container:\n%s", ps.Stdout)
		}
	})
	// Ctrl-C during a check ends the command too: it must not stay in
	// the learner's container, where nothing would ever stop it.
	t.Run("cancelled", func(t *testing.T) {
		running := func() bool {
			ps, err := e.Exec(context.Background(), name, []string{"ps", "-o", "args"})
			return err == nil && strings.Contains(ps.Stdout, "sleep 301")
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		done := make(chan error, 1)
		go func() {
			_, err := e.Exec(ctx, name, []string{"sleep", "301"})
			done <- err
		}()
		for deadline := time.Now().Add(10 * time.Second); !running(); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the command did not start within 10 s")
			}
		}
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Exec cancelled: %v, want context.Canceled", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Exec still runs 10 s after its context was cancelled")
		}
		for deadline := time.Now().Add(5 * time.Second); running(); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the cancelled command still runs in the container 5 s later")
			}
		}
	})
	t.Run("context deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		if _, err := e.Exec(ctx, name, []string{"sleep", "30"}); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Exec past its deadline: %v, want context.DeadlineExceeded", err)
		}
	})
}

// probesOf lists the probe containers labelled with labels' run.
func probesOf(t *testing.T, cli *client.Client, labels map[string]string) []container.Summary {
	t.Helper()
	list, err := cli.ContainerList(ctxFor(t), container.ListOptions{All: true, Filters: filters.NewArgs(
		filters.Arg("label", sandbox.LabelRun+"="+labels[sandbox.LabelRun]),
		filters.Arg("label", sandbox.LabelRole+"=probe"),
	)})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestProbe(t *testing.T) {
	e := engine(t)
	labels := sandboxtest.Labels(t)
	cli := rawClient(t, e)
	probes := func() []container.Summary { return probesOf(t, cli, labels) }

	res, err := e.Probe(ctxFor(t), sandbox.ProbeSpec{
		Image:  testImage,
		Cmd:    []string{"sh", "-c", "echo probe-out; echo probe-err >&2; exit 5"},
		Labels: labels,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := sandbox.ExecResult{ExitCode: 5, Stdout: "probe-out\n", Stderr: "probe-err\n"}
	if res != want {
		t.Errorf("Probe() = %+v, want %+v", res, want)
	}
	if left := probes(); len(left) != 0 {
		t.Errorf("probe containers left behind: %+v", left)
	}

	t.Run("shares a container's network", func(t *testing.T) {
		name := uniqueName("probe-target")
		runSandbox(t, e, sandbox.ContainerSpec{Name: name, Labels: labels, Hostname: "target"})
		res, err := e.Probe(ctxFor(t), sandbox.ProbeSpec{
			Image: testImage, Cmd: []string{"hostname"}, NetworkMode: "container:" + name, Labels: labels,
		})
		if err != nil || res.Stdout != "target\n" {
			t.Errorf("Probe in the target's namespace = %+v, %v", res, err)
		}
	})

	t.Run("timeout", func(t *testing.T) {
		_, err := e.Probe(ctxFor(t), sandbox.ProbeSpec{
			Image: testImage, Cmd: []string{"sleep", "30"}, Labels: labels, Timeout: 500 * time.Millisecond,
		})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Probe past its timeout: %v, want context.DeadlineExceeded", err)
		}
		if left := probes(); len(left) != 0 {
			t.Errorf("probe containers left behind after a timeout: %+v", left)
		}
	})
}

// TestReadFile copies files out of a volume through a probe that never
// starts: a file, a file in a folder, and what is not a file; it refuses a
// relative path and a network, and leaves no probe behind.
func TestReadFile(t *testing.T) {
	e := engine(t)
	labels := sandboxtest.Labels(t)
	vol := uniqueName("readfile")
	if err := e.CreateVolume(ctxFor(t), vol, labels); err != nil {
		t.Fatal(err)
	}
	mounts := []sandbox.MountSpec{{Type: "volume", Source: vol, Target: "/v"}}
	res, err := e.Probe(ctxFor(t), sandbox.ProbeSpec{Image: testImage, Labels: labels, Mounts: mounts,
		Cmd: []string{"sh", "-c", "printf 'one\\ntwo\\n' > /v/a.txt && mkdir /v/d && echo deep > /v/d/b.txt && ln -s a.txt /v/link && : > /v/empty"}})
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("writing the volume: %+v, %v", res, err)
	}
	mounts[0].ReadOnly = true
	spec := sandbox.ProbeSpec{Image: testImage, Labels: labels, Mounts: mounts}
	for _, tt := range []struct {
		path string
		want sandbox.FileRead
	}{
		{"/v/a.txt", sandbox.FileRead{Found: true, Data: []byte("one\ntwo\n")}},
		{"/v/d/b.txt", sandbox.FileRead{Found: true, Data: []byte("deep\n")}},
		{"/v/empty", sandbox.FileRead{Found: true, Data: []byte{}}},
		{"/v/missing.txt", sandbox.FileRead{}},
		{"/v/d", sandbox.FileRead{Folder: true}},
		{"/v/link", sandbox.FileRead{Unread: true}},
		{"/v/a.txt/x", sandbox.FileRead{Unread: true}},
	} {
		got, err := e.ReadFile(ctxFor(t), spec, tt.path)
		if err != nil {
			t.Errorf("ReadFile(%s): %v", tt.path, err)
			continue
		}
		if got.Found != tt.want.Found || got.Folder != tt.want.Folder || got.Unread != tt.want.Unread || string(got.Data) != string(tt.want.Data) {
			t.Errorf("ReadFile(%s) = %+v (%q), want %+v (%q)", tt.path, got, got.Data, tt.want, tt.want.Data)
		}
	}
	for _, bad := range []struct {
		spec sandbox.ProbeSpec
		path string
		want string
	}{
		{spec, "v/a.txt", "is not an absolute path"},
		{sandbox.ProbeSpec{Image: testImage, Labels: labels, Mounts: mounts, NetworkMode: "bridge"}, "/v/a.txt", "needs no network"},
		{sandbox.ProbeSpec{Labels: labels, Mounts: mounts}, "/v/a.txt", "no image given"},
	} {
		if _, err := e.ReadFile(ctxFor(t), bad.spec, bad.path); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("ReadFile(%s, network %q): %v, want an error saying %q", bad.path, bad.spec.NetworkMode, err, bad.want)
		}
	}
	if left := probesOf(t, rawClient(t, e), labels); len(left) != 0 {
		t.Errorf("probe containers left behind: %+v", left)
	}
}

func TestShell(t *testing.T) {
	e := engine(t)
	labels := sandboxtest.Labels(t)
	name := uniqueName("shell")
	runSandbox(t, e, sandbox.ContainerSpec{Name: name, Labels: labels})

	in, inw := io.Pipe()
	t.Cleanup(func() { _ = inw.Close() })
	go func() { _, _ = io.WriteString(inw, "stty size; echo hi; exit 4\n") }()
	resize := make(chan sandbox.TermSize)
	t.Cleanup(func() { close(resize) })
	var out syncio.Buffer
	code, err := e.Shell(ctxFor(t), name, []string{"sh"}, sandbox.ShellIO{
		In: in, Out: &out, Size: sandbox.TermSize{Rows: 24, Cols: 80}, Resize: resize,
	})
	if err != nil {
		t.Fatal(err)
	}
	if code != 4 {
		t.Errorf("exit code = %d, want 4; output:\n%q", code, out.String())
	}
	// The TTY echoes the input line, whose "hi" is followed by ";".
	if !strings.Contains(out.String(), "hi\r\n") {
		t.Errorf("output lacks the echo's result:\n%q", out.String())
	}
	if !strings.Contains(out.String(), "24 80") {
		t.Errorf("the remote terminal was not sized 24x80:\n%q", out.String())
	}
}

func TestInspectExactName(t *testing.T) {
	e := engine(t)
	labels := sandboxtest.Labels(t)
	ctx := ctxFor(t)
	base := uniqueName("x-web")

	id := runSandbox(t, e, sandbox.ContainerSpec{Name: base + "-2", Labels: labels})
	for _, ask := range []string{base, id[:12], "dojotest-"} {
		if c, err := e.InspectContainer(ctx, ask); !errors.Is(err, sandbox.ErrNotFound) {
			t.Errorf("InspectContainer(%q) = %s, %v; want ErrNotFound", ask, c.Name, err)
		}
	}
	for _, ask := range []string{base + "-2", id} {
		if c, err := e.InspectContainer(ctx, ask); err != nil || c.ID != id {
			t.Errorf("InspectContainer(%q) = %s, %v; want %s", ask, c.ID, err, id)
		}
	}

	if err := e.CreateNetwork(ctx, base+"-2", "", labels); err != nil {
		t.Fatal(err)
	}
	n, err := e.InspectNetwork(ctx, base+"-2")
	if err != nil || n.Driver != "bridge" || n.Labels[sandbox.LabelManaged] != "true" {
		t.Fatalf("InspectNetwork(%q) = %+v, %v", base+"-2", n, err)
	}
	for _, ask := range []string{base, n.ID[:12], n.ID} {
		if got, err := e.InspectNetwork(ctx, ask); !errors.Is(err, sandbox.ErrNotFound) {
			t.Errorf("InspectNetwork(%q) = %s, %v; want ErrNotFound", ask, got.Name, err)
		}
	}

	if err := e.CreateVolume(ctx, base+"-2", labels); err != nil {
		t.Fatal(err)
	}
	if v, err := e.InspectVolume(ctx, base+"-2"); err != nil || v.Labels[sandbox.LabelRun] != labels[sandbox.LabelRun] {
		t.Errorf("InspectVolume(%q) = %+v, %v", base+"-2", v, err)
	}
	if _, err := e.InspectVolume(ctx, base); !errors.Is(err, sandbox.ErrNotFound) {
		t.Errorf("InspectVolume(%q): %v, want ErrNotFound", base, err)
	}

	img, err := e.InspectImage(ctx, testImage)
	if err != nil || !slices.Contains(img.Tags, testImage) {
		t.Fatalf("InspectImage(%s) = %+v, %v", testImage, img, err)
	}
	if _, err := e.InspectImage(ctx, strings.TrimPrefix(img.ID, "sha256:")[:12]); !errors.Is(err, sandbox.ErrNotFound) {
		t.Errorf("InspectImage(ID prefix): %v, want ErrNotFound", err)
	}
	if _, err := e.InspectImage(ctx, img.ID); err != nil {
		t.Errorf("InspectImage(full ID): %v", err)
	}
}

func TestCreateVolumeRefusesSomeoneElses(t *testing.T) {
	e := engine(t)
	labels := sandboxtest.Labels(t)
	cli := rawClient(t, e)
	name := uniqueName("theirs")
	theirVolume(t, ctxFor(t), cli, name, nil)
	if err := e.CreateVolume(ctxFor(t), name, labels); err == nil {
		t.Error("CreateVolume over an unlabelled volume succeeded")
	}
	v, err := e.InspectVolume(ctxFor(t), name)
	if err != nil || len(v.Labels) != 0 {
		t.Errorf("the unlabelled volume changed: %+v, %v", v, err)
	}
}

func TestRemoveLabelled(t *testing.T) {
	e := engine(t)
	labels := sandboxtest.Labels(t)
	cli := rawClient(t, e)
	ctx := ctxFor(t)

	// Ours.
	mine := uniqueName("mine")
	if err := e.CreateNetwork(ctx, mine, "bridge", labels); err != nil {
		t.Fatal(err)
	}
	if err := e.CreateVolume(ctx, mine, labels); err != nil {
		t.Fatal(err)
	}
	runSandbox(t, e, sandbox.ContainerSpec{Name: mine, Labels: labels, Network: mine,
		Mounts: []sandbox.MountSpec{{Type: "volume", Source: mine, Target: "/data"}}})

	// Another run of dockdojo, and objects dockdojo never made.
	otherRun := map[string]string{sandbox.LabelExercise: labels[sandbox.LabelExercise], sandbox.LabelRun: "other-" + labels[sandbox.LabelRun]}
	other := uniqueName("other-run")
	if err := e.CreateVolume(ctx, other, otherRun); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.RemoveVolume(context.Background(), other) })

	theirs := uniqueName("theirs")
	unmanaged := map[string]string{sandbox.LabelExercise: labels[sandbox.LabelExercise], sandbox.LabelRun: labels[sandbox.LabelRun]}
	if _, err := cli.NetworkCreate(ctx, theirs, network.CreateOptions{Labels: unmanaged}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cli.NetworkRemove(context.Background(), theirs) })
	theirVolume(t, ctx, cli, theirs, unmanaged)
	theirContainer(t, ctx, cli, theirs, &container.Config{Image: testImage, Cmd: []string{"true"}, Labels: unmanaged}, &container.HostConfig{})

	listed, err := e.ListLabelled(ctx, labels)
	if err != nil {
		t.Fatal(err)
	}
	want := sandbox.Removed{Containers: []string{mine}, Networks: []string{mine}, Volumes: []string{mine}}
	if !sameRemoved(listed, want) {
		t.Errorf("ListLabelled() = %+v, want %+v", listed, want)
	}
	removed, err := e.RemoveLabelled(ctx, labels)
	if err != nil {
		t.Fatal(err)
	}
	if !sameRemoved(removed, want) {
		t.Errorf("RemoveLabelled() = %+v, want %+v", removed, want)
	}
	if left, err := e.ListLabelled(ctx, labels); err != nil || !sameRemoved(left, sandbox.Removed{}) {
		t.Errorf("after RemoveLabelled, ListLabelled() = %+v, %v", left, err)
	}
	if _, err := e.InspectContainer(ctx, mine); !errors.Is(err, sandbox.ErrNotFound) {
		t.Errorf("labelled container still there: %v", err)
	}

	// Untouched.
	if _, err := e.InspectContainer(ctx, theirs); err != nil {
		t.Errorf("unlabelled container: %v", err)
	}
	if _, err := e.InspectNetwork(ctx, theirs); err != nil {
		t.Errorf("unlabelled network: %v", err)
	}
	if _, err := e.InspectVolume(ctx, theirs); err != nil {
		t.Errorf("unlabelled volume: %v", err)
	}
	if _, err := e.InspectVolume(ctx, other); err != nil {
		t.Errorf("other run's volume: %v", err)
	}
}

func TestRemoveLabelledLeavesNetworkInUse(t *testing.T) {
	e := engine(t)
	labels := sandboxtest.Labels(t)
	cli := rawClient(t, e)
	ctx := ctxFor(t)

	netName := uniqueName("shared")
	if err := e.CreateNetwork(ctx, netName, "", labels); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.RemoveNetwork(context.Background(), netName) })
	theirs := uniqueName("theirs")
	id := theirContainer(t, ctx, cli, theirs, &container.Config{Image: testImage, Cmd: []string{"sleep", "300"}},
		&container.HostConfig{NetworkMode: container.NetworkMode(netName)})
	if err := cli.ContainerStart(ctx, id, container.StartOptions{}); err != nil {
		t.Fatal(err)
	}

	removed, err := e.RemoveLabelled(ctx, labels)
	if err == nil || !strings.Contains(err.Error(), theirs) || !strings.Contains(err.Error(), netName) {
		t.Errorf("RemoveLabelled() error = %v, want it to name network %s and container %s", err, netName, theirs)
	}
	if len(removed.Networks) != 0 {
		t.Errorf("RemoveLabelled() claims to have removed %v", removed.Networks)
	}
	if c, err := e.InspectContainer(ctx, theirs); err != nil || !c.Running {
		t.Errorf("the other container was disturbed: %+v, %v", c, err)
	}
	if _, err := e.InspectNetwork(ctx, netName); err != nil {
		t.Errorf("the network in use was removed: %v", err)
	}
}

// TestRemoveVolumeInUse: a volume that containers still use, running or
// stopped, does not go, and the error names them and says what to do,
// not the engine's "volume is in use - [ID, ID]"; so does a sandbox's
// volume that a container dockdojo did not make still uses.
func TestRemoveVolumeInUse(t *testing.T) {
	e := engine(t)
	labels := sandboxtest.Labels(t)
	cli := rawClient(t, e)
	ctx := ctxFor(t)
	vol, ours := uniqueName("in-use"), uniqueName("in-use-ours")
	theirVolume(t, ctx, cli, vol, nil)
	if err := e.CreateVolume(ctx, ours, labels); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cli.VolumeRemove(context.Background(), ours, true) })
	writer, reader := vol+"-writer", vol+"-reader"
	for _, name := range []string{reader, writer} {
		theirContainer(t, ctx, cli, name, &container.Config{Image: testImage, Cmd: []string{"true"}},
			&container.HostConfig{Binds: []string{vol + ":/data", ours + ":/ours"}})
	}

	err := e.RemoveVolume(ctx, vol)
	want := "the volume " + vol + " is used by the containers " + reader + ", " + writer + ": remove them first (`docker rm -f " + reader + " " + writer + "`, or reset the exercises that made them)"
	if !errors.Is(err, sandbox.ErrConflict) || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "name already in use") {
		t.Errorf("RemoveVolume of a volume in use: %v; want %q in it", err, want)
	}
	if _, err := e.InspectVolume(ctx, vol); err != nil {
		t.Errorf("the volume in use went: %v", err)
	}

	_, err = e.RemoveLabelled(ctx, labels)
	if want := "the volume " + ours + " is used by the containers " + reader + ", " + writer + ": remove them first"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("RemoveLabelled of a volume in use: %v; want %q in it", err, want)
	}
}

func TestRemoveByExactName(t *testing.T) {
	e := engine(t)
	labels := sandboxtest.Labels(t)
	ctx := ctxFor(t)
	base := uniqueName("rm")
	runSandbox(t, e, sandbox.ContainerSpec{Name: base + "-2", Labels: labels})
	if err := e.CreateNetwork(ctx, base+"-2", "", labels); err != nil {
		t.Fatal(err)
	}
	if err := e.CreateVolume(ctx, base+"-2", labels); err != nil {
		t.Fatal(err)
	}
	for what, remove := range map[string]func(context.Context, string) error{
		"container": e.RemoveContainer, "network": e.RemoveNetwork, "volume": e.RemoveVolume, "image": e.RemoveImage,
	} {
		if err := remove(ctx, base); !errors.Is(err, sandbox.ErrNotFound) {
			t.Errorf("remove %s %q: %v, want ErrNotFound", what, base, err)
		}
	}
	if err := e.RemoveContainer(ctx, base+"-2"); err != nil {
		t.Error(err)
	}
	if err := e.RemoveNetwork(ctx, base+"-2"); err != nil {
		t.Error(err)
	}
	if err := e.RemoveVolume(ctx, base+"-2"); err != nil {
		t.Error(err)
	}
	if left, err := e.ListLabelled(ctx, labels); err != nil || !sameRemoved(left, sandbox.Removed{}) {
		t.Errorf("left after removal: %+v, %v", left, err)
	}
}

func sameRemoved(a, b sandbox.Removed) bool {
	return slices.Equal(a.Containers, b.Containers) && slices.Equal(a.Networks, b.Networks) && slices.Equal(a.Volumes, b.Volumes)
}

// TestSandboxNetworkMadeOnceByManyStarts: starts that find the sandboxes'
// network missing at the same moment all get it, and there is one.
func TestSandboxNetworkMadeOnceByManyStarts(t *testing.T) {
	e := engine(t)
	ctx := ctxFor(t)
	cli := rawClient(t, e)
	_ = e.RemoveNetwork(ctx, sandbox.SandboxNetwork) // in use by sandboxes of other tests: then it stays
	ids := make(chan string, 8)
	for range 8 {
		go func() {
			id, err := e.EnsureSandboxNetwork(ctx)
			if err != nil {
				t.Errorf("EnsureSandboxNetwork: %v", err)
			}
			ids <- id
		}()
	}
	first := <-ids
	for range 7 {
		if id := <-ids; id != first {
			t.Errorf("starts at the same moment got networks %s and %s; want one", first, id)
		}
	}
	list, err := cli.NetworkList(ctx, network.ListOptions{Filters: filters.NewArgs(filters.Arg("name", "^"+sandbox.SandboxNetwork+"$"))})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Options["com.docker.network.bridge.enable_icc"] != "false" || list[0].Labels[sandbox.LabelManaged] != "true" {
		t.Errorf("networks named %s: %+v; want one, dockdojo's, with containers kept apart", sandbox.SandboxNetwork, list)
	}
}

// TestSandboxNetworkTwinsMeetOnOne: twins of the sandboxes' network (made
// by starts that did not share a lock) are told apart the same way by
// every start, which joins the oldest, and the unused others go.
func TestSandboxNetworkTwinsMeetOnOne(t *testing.T) {
	e := engine(t)
	ctx := ctxFor(t)
	cli := rawClient(t, e)
	_ = e.RemoveNetwork(ctx, sandbox.SandboxNetwork)
	list := func() []network.Summary {
		l, err := cli.NetworkList(ctx, network.ListOptions{Filters: filters.NewArgs(filters.Arg("name", "^"+sandbox.SandboxNetwork+"$"))})
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	t.Cleanup(func() {
		for _, n := range list() {
			_ = cli.NetworkRemove(context.Background(), n.ID)
		}
	})
	// Creates at the same moment: what Debian's engine 20.10 lets through.
	var twins []network.Summary
	for try := 0; try < 5 && len(twins) < 2; try++ {
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _ = cli.NetworkCreate(ctx, sandbox.SandboxNetwork, network.CreateOptions{Labels: map[string]string{sandbox.LabelManaged: "true"}})
			}()
		}
		wg.Wait()
		twins = list()
	}
	if len(twins) < 2 {
		t.Logf("this engine made no twins of a network name in 5 tries: nothing to tell apart")
		return
	}
	slices.SortFunc(twins, func(a, b network.Summary) int { return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID)) })
	id, err := e.EnsureSandboxNetwork(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if id != twins[0].ID {
		t.Errorf("joined %s; want the oldest of %d twins, %s", id, len(twins), twins[0].ID)
	}
	if n := len(list()); n != 1 {
		t.Errorf("%d networks named %s after a start; want the unused twins gone", n, sandbox.SandboxNetwork)
	}
}

// ListUnlabelled lists what someone else made, and leaves out what
// dockdojo made.
func TestListUnlabelled(t *testing.T) {
	e := engine(t)
	ctx := ctxFor(t)
	ours, theirs := uniqueName("ours"), uniqueName("theirs")
	if err := e.CreateVolume(ctx, ours, sandboxtest.Labels(t)); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("docker", "volume", "create", theirs).CombinedOutput(); err != nil {
		t.Fatalf("docker volume create: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = e.RemoveVolume(context.Background(), theirs) })
	got, err := e.ListUnlabelled(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(got.Volumes, theirs) || slices.Contains(got.Volumes, ours) {
		t.Errorf("volumes = %v; want %s and not %s", got.Volumes, theirs, ours)
	}
	if !slices.Contains(got.Networks, "bridge") || !slices.Contains(got.Images, testImage) {
		t.Errorf("networks %v, images %v; want bridge and %s among them", got.Networks, got.Images, testImage)
	}
}

// TestContainerFile copies files out of a container as `docker cp` does:
// one it made, one in its volume, what is not a file, while it runs and
// once it has stopped; it refuses a relative path. A file in a tmpfs mount
// is not seen: only the container's processes see it.
func TestContainerFile(t *testing.T) {
	e := engine(t)
	labels := sandboxtest.Labels(t)
	vol := uniqueName("ctfile")
	if err := e.CreateVolume(ctxFor(t), vol, labels); err != nil {
		t.Fatal(err)
	}
	name := uniqueName("ctfile")
	runSandbox(t, e, sandbox.ContainerSpec{Name: name, Labels: labels, Cmd: []string{"sh", "-c",
		"printf 'one\\ntwo\\n' > /root/a.txt && echo kept > /v/b.txt && echo gone > /t/c.txt && ln -s a.txt /root/link && mkdir /root/d && exec sleep 300"},
		Mounts: []sandbox.MountSpec{{Type: "volume", Source: vol, Target: "/v"}, {Type: "tmpfs", Target: "/t"}}})
	ctx := ctxFor(t)
	for deadline := time.Now().Add(10 * time.Second); ; {
		if got, err := e.ContainerFile(ctx, name, "/root/d"); err == nil && got.Folder {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the container did not write its files within 10 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	want := []struct {
		path string
		want sandbox.FileRead
	}{
		{"/root/a.txt", sandbox.FileRead{Found: true, Data: []byte("one\ntwo\n")}},
		{"/v/b.txt", sandbox.FileRead{Found: true, Data: []byte("kept\n")}},
		{"/t/c.txt", sandbox.FileRead{}},
		{"/root/missing.txt", sandbox.FileRead{}},
		{"/root/d", sandbox.FileRead{Folder: true}},
		{"/root/link", sandbox.FileRead{Unread: true}},
	}
	look := func(when string) {
		for _, tt := range want {
			got, err := e.ContainerFile(ctx, name, tt.path)
			if err != nil {
				t.Errorf("%s: ContainerFile(%s): %v", when, tt.path, err)
				continue
			}
			if got.Found != tt.want.Found || got.Folder != tt.want.Folder || got.Unread != tt.want.Unread || string(got.Data) != string(tt.want.Data) {
				t.Errorf("%s: ContainerFile(%s) = %+v (%q), want %+v (%q)", when, tt.path, got, got.Data, tt.want, tt.want.Data)
			}
		}
	}
	look("running")
	timeout := 0
	if err := rawClient(t, e).ContainerStop(ctx, name, container.StopOptions{Timeout: &timeout}); err != nil {
		t.Fatal(err)
	}
	look("stopped")
	if _, err := e.ContainerFile(ctx, name, "root/a.txt"); err == nil || !strings.Contains(err.Error(), "is not an absolute path") {
		t.Errorf("ContainerFile of a relative path: %v, want an error saying so", err)
	}
}

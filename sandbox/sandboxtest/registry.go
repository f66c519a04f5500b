package sandboxtest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// registryStartTimeout bounds how long Registry waits for the registry to
// answer.
const registryStartTimeout = 15 * time.Second

// Registry starts a container registry of its own (Debian's docker-registry
// package, /usr/bin/docker-registry) on a free port of 127.0.0.1, keeping its
// storage in the test's temporary folder, and stops it when the test ends.
// It returns the registry's HOST:PORT. The engine talks plain HTTP to
// registries on 127.0.0.0/8 without being told to, so nothing is configured
// on the engine, which must run on this machine. Without the program the
// test is skipped, except in CI (CI=true), where it fails.
func Registry(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("docker-registry")
	if err != nil {
		missing(t, "the docker-registry program (apt-get install docker-registry) is not installed: %v", err)
	}
	dir := t.TempDir()
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		addr, err := freeLoopbackAddr()
		if err != nil {
			t.Fatalf("find a free port for the test registry: %v", err)
		}
		if lastErr = startRegistry(t, bin, dir, addr); lastErr == nil {
			return addr
		}
	}
	missing(t, "start the test registry: %v", lastErr)
	return ""
}

// missing fails the test in CI and skips it elsewhere.
func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

func freeLoopbackAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// startRegistry runs the registry on addr and waits until it answers; the
// port may have been taken meanwhile, in which case it says so.
func startRegistry(t testing.TB, bin, dir, addr string) error {
	t.Helper()
	storage := filepath.Join(dir, "storage-"+strings.ReplaceAll(addr, ":", "-"))
	config := filepath.Join(dir, "config-"+strings.ReplaceAll(addr, ":", "-")+".yml")
	conf := fmt.Sprintf("version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\nhttp:\n  addr: %s\n  secret: dockdojo-test\n", storage, addr)
	if err := os.WriteFile(config, []byte(conf), 0o600); err != nil {
		return err
	}
	logPath := config + ".log"
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd := exec.Command(bin, "serve", config)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-exited
	}

	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(registryStartTimeout)
	for {
		resp, err := client.Get("http://" + addr + "/v2/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				t.Cleanup(stop)
				return nil
			}
		}
		select {
		case err := <-exited:
			exited <- err
			log, _ := os.ReadFile(logPath)
			return fmt.Errorf("docker-registry on %s exited (%v): %s", addr, err, strings.TrimSpace(string(log)))
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			stop()
			log, _ := os.ReadFile(logPath)
			return fmt.Errorf("docker-registry on %s did not answer within %s: %s", addr, registryStartTimeout, strings.TrimSpace(string(log)))
		}
	}
}

// Push copies the local image src into the registry as registry/name with
// the docker CLI, as an instructor filling a classroom registry would, and
// untags the registry/name it tagged for that: src and everything else
// local is left as it was.
func Push(t testing.TB, registry, src, name string) {
	t.Helper()
	if _, err := exec.LookPath("docker"); err != nil {
		missing(t, "the docker CLI, which pushes test images to the test registry, is missing: %v", err)
	}
	target := registry + "/" + name
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	docker := func(args ...string) {
		t.Helper()
		out, err := exec.CommandContext(ctx, "docker", args...).CombinedOutput()
		if err != nil {
			t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	docker("tag", src, target)
	defer docker("rmi", target)
	docker("push", target)
}

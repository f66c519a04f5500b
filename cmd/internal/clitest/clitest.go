// Package clitest is what the command line's tests share: a learner's
// machine in a temporary folder, and dockdojo run in-process as a fresh
// process would run it. It is for tests only.
package clitest

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dockdojo/dockdojo/cmd/internal/factory"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/cmd/internal/root"
)

// LearnerEnv is the environment of a learner with a home, progress, config
// and workspaces of their own under dir, colour off, and the Docker
// settings of this process, as KEY=value lines for exec.Cmd.Env.
func LearnerEnv(dir string) []string {
	env := []string{
		"HOME=" + filepath.Join(dir, "home"),
		"XDG_STATE_HOME=" + filepath.Join(dir, "state"),
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
		"DOCKDOJO_WORKSPACE=" + filepath.Join(dir, "ws"),
		"PATH=" + os.Getenv("PATH"),
		"NO_COLOR=1",
	}
	for _, k := range []string{"DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_CONFIG"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	// With HOME moved, the current docker context would be looked up in an
	// empty home; point DOCKER_CONFIG at the real one instead.
	if _, set := os.LookupEnv("DOCKER_CONFIG"); !set {
		if home, err := os.UserHomeDir(); err == nil {
			if st, err := os.Stat(filepath.Join(home, ".docker")); err == nil && st.IsDir() {
				env = append(env, "DOCKER_CONFIG="+filepath.Join(home, ".docker"))
			}
		}
	}
	return env
}

// Env is a learner's environment as a map, for Run, with USER set to user.
type Env map[string]string

// Learner is the environment of the learner user, under dir.
func Learner(dir, user string) Env {
	env := Env{"USER": user}
	for _, kv := range LearnerEnv(dir) {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	return env
}

// Getenv reads the environment.
func (e Env) Getenv(k string) string { return e[k] }

// Run runs one dockdojo command in this process, as a fresh process with
// the environment env and no terminal would, and returns its exit code,
// output and how long it took.
func Run(env Env, args ...string) (code int, stdout, stderr string, took time.Duration) {
	io, _, out, errOut := iostreams.Test()
	start := time.Now()
	code = root.Main(args, factory.New(io, env.Getenv, env["HOME"]))
	return code, out.String(), errOut.String(), time.Since(start)
}

package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// defaultUnixSocket is where a Linux engine listens unless told otherwise.
const defaultUnixSocket = "/var/run/docker.sock"

// defaultNamedPipe is where a Windows engine listens unless told otherwise.
const defaultNamedPipe = "npipe:////./pipe/docker_engine"

// Resolve finds the engine the way the docker CLI does: DOCKER_HOST; else the
// context named by DOCKER_CONTEXT or by currentContext in
// $DOCKER_CONFIG/config.json (default ~/.docker/config.json), whose endpoint is
// read from $DOCKER_CONFIG/contexts/meta/<sha256 of the name>/meta.json, the
// context "default" meaning no context; else /var/run/docker.sock when it
// exists; else Docker Desktop's ~/.docker/run/docker.sock when it exists; else
// /var/run/docker.sock. It reads only those files and the environment given,
// and its errors name the file at fault and how to fix it.
func Resolve(getenv func(string) string, home string) (Endpoint, error) {
	if runtime.GOOS == "windows" {
		return resolve(getenv, home, "")
	}
	return resolve(getenv, home, defaultUnixSocket)
}

// resolve is Resolve with the default socket path as a parameter, so tests can
// pretend it is absent; "" means the platform has no default socket (Windows)
// and the named pipe is the fallback.
func resolve(getenv func(string) string, home, defaultSocket string) (Endpoint, error) {
	if host := getenv("DOCKER_HOST"); host != "" {
		return Endpoint{Host: host, Source: "DOCKER_HOST"}, nil
	}

	configDir := getenv("DOCKER_CONFIG")
	if configDir == "" {
		configDir = filepath.Join(home, ".docker")
	}
	name, err := contextName(getenv, configDir)
	if err != nil {
		return Endpoint{}, err
	}
	if name != "" && name != "default" {
		return contextEndpoint(configDir, name, getenv("DOCKER_CONTEXT") != "")
	}

	if defaultSocket == "" {
		return Endpoint{Host: defaultNamedPipe, Source: "default named pipe"}, nil
	}
	if exists(defaultSocket) {
		return Endpoint{Host: "unix://" + defaultSocket, Source: "default socket"}, nil
	}
	if home != "" {
		desktop := filepath.Join(home, ".docker", "run", "docker.sock")
		if exists(desktop) {
			return Endpoint{Host: "unix://" + desktop, Source: "Docker Desktop socket"}, nil
		}
	}
	return Endpoint{Host: "unix://" + defaultSocket, Source: "default socket"}, nil
}

// contextName is DOCKER_CONTEXT, or else currentContext from config.json; a
// missing config.json means no context.
func contextName(getenv func(string) string, configDir string) (string, error) {
	if name := getenv("DOCKER_CONTEXT"); name != "" {
		return name, nil
	}
	path := filepath.Join(configDir, "config.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read docker config %s: %w", path, err)
	}
	// The docker CLI treats an empty file as an empty configuration.
	if len(data) == 0 {
		return "", nil
	}
	var cfg struct {
		CurrentContext string `json:"currentContext"`
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		return "", fmt.Errorf("read docker config %s: invalid JSON (%v); fix or remove the file, or set DOCKER_HOST", path, err)
	}
	return cfg.CurrentContext, nil
}

// contextMeta is the part of a docker context's meta.json that dockdojo uses.
type contextMeta struct {
	Endpoints map[string]struct {
		Host          string `json:"Host"`
		SkipTLSVerify bool   `json:"SkipTLSVerify"`
	} `json:"Endpoints"`
}

// contextEndpoint reads the docker endpoint of the named context.
func contextEndpoint(configDir, name string, fromEnv bool) (Endpoint, error) {
	sum := sha256.Sum256([]byte(name))
	id := hex.EncodeToString(sum[:])
	path := filepath.Join(configDir, "contexts", "meta", id, "meta.json")
	chosen := "currentContext in " + filepath.Join(configDir, "config.json")
	if fromEnv {
		chosen = "DOCKER_CONTEXT"
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Endpoint{}, fmt.Errorf("docker context %q (from %s) does not exist: %s is missing; run `docker context ls` and `docker context use NAME`, or unset DOCKER_CONTEXT", name, chosen, path)
	}
	if err != nil {
		return Endpoint{}, fmt.Errorf("read docker context %q: %w", name, err)
	}
	var meta contextMeta
	if err := json.Unmarshal(data, &meta); err != nil {
		return Endpoint{}, fmt.Errorf("read docker context %q from %s: invalid JSON (%v); recreate the context with `docker context create`, or set DOCKER_HOST", name, path, err)
	}
	ep, ok := meta.Endpoints["docker"]
	if !ok || ep.Host == "" {
		return Endpoint{}, fmt.Errorf("docker context %q in %s has no docker endpoint host; recreate it with `docker context create %s --docker host=...`, or set DOCKER_HOST", name, path, name)
	}
	return Endpoint{
		Host:          ep.Host,
		Source:        "context " + name,
		TLSDir:        filepath.Join(configDir, "contexts", "tls", id, "docker"),
		SkipTLSVerify: ep.SkipTLSVerify,
	}, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

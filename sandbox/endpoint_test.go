package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFile creates path with its directories.
func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func metaPath(configDir, name string) string {
	sum := sha256.Sum256([]byte(name))
	return filepath.Join(configDir, "contexts", "meta", hex.EncodeToString(sum[:]), "meta.json")
}

func TestResolve(t *testing.T) {
	const remoteMeta = `{"Name":"remote","Metadata":{},"Endpoints":{"docker":{"Host":"tcp://10.0.0.5:2376","SkipTLSVerify":false}}}`
	const desktopMeta = `{"Name":"desktop-linux","Metadata":{},"Endpoints":{"docker":{"Host":"unix:///Users/me/.docker/run/docker.sock","SkipTLSVerify":false}}}`

	tests := []struct {
		name string
		env  map[string]string
		// files are created relative to a temporary directory: "home/..",
		// "cfg/.." (used as DOCKER_CONFIG when env names it "$CFG"), "sock".
		files         map[string]string
		defaultSocket bool // whether the default socket exists
		want          Endpoint
		wantErr       []string // substrings of the error
	}{
		{
			name: "DOCKER_HOST wins over everything",
			env:  map[string]string{"DOCKER_HOST": "tcp://1.2.3.4:2375", "DOCKER_CONTEXT": "remote"},
			want: Endpoint{Host: "tcp://1.2.3.4:2375", Source: "DOCKER_HOST"},
		},
		{
			name:  "DOCKER_CONTEXT read from DOCKER_CONFIG",
			env:   map[string]string{"DOCKER_CONTEXT": "remote", "DOCKER_CONFIG": "$CFG"},
			files: map[string]string{"meta:cfg:remote": remoteMeta},
			want:  Endpoint{Host: "tcp://10.0.0.5:2376", Source: "context remote", TLSDir: "$CFG/contexts/tls/$HASH(remote)/docker"},
		},
		{
			name: "currentContext from config.json under home",
			files: map[string]string{
				"home/.docker/config.json":        `{"auths":{},"currentContext":"desktop-linux"}`,
				"meta:home/.docker:desktop-linux": desktopMeta,
			},
			defaultSocket: true,
			want:          Endpoint{Host: "unix:///Users/me/.docker/run/docker.sock", Source: "context desktop-linux", TLSDir: "$HOME/.docker/contexts/tls/$HASH(desktop-linux)/docker"},
		},
		{
			name:          "DOCKER_CONTEXT=default overrides currentContext",
			env:           map[string]string{"DOCKER_CONTEXT": "default"},
			files:         map[string]string{"home/.docker/config.json": `{"currentContext":"remote"}`},
			defaultSocket: true,
			want:          Endpoint{Host: "unix://$SOCK", Source: "default socket"},
		},
		{
			name:          "currentContext default means no context",
			files:         map[string]string{"home/.docker/config.json": `{"currentContext":"default"}`},
			defaultSocket: true,
			want:          Endpoint{Host: "unix://$SOCK", Source: "default socket"},
		},
		{
			name:          "no config file, default socket present",
			defaultSocket: true,
			want:          Endpoint{Host: "unix://$SOCK", Source: "default socket"},
		},
		{
			name:  "default socket absent, Docker Desktop socket present",
			files: map[string]string{"home/.docker/run/docker.sock": ""},
			want:  Endpoint{Host: "unix://$HOME/.docker/run/docker.sock", Source: "Docker Desktop socket"},
		},
		{
			name: "nothing present falls back to the default socket",
			want: Endpoint{Host: "unix://$SOCK", Source: "default socket"},
		},
		{
			name:          "empty config.json is an empty configuration",
			files:         map[string]string{"home/.docker/config.json": ""},
			defaultSocket: true,
			want:          Endpoint{Host: "unix://$SOCK", Source: "default socket"},
		},
		{
			name:    "bad config JSON names the file",
			files:   map[string]string{"home/.docker/config.json": `{"currentContext": `},
			wantErr: []string{"$HOME/.docker/config.json", "invalid JSON", "fix or remove the file"},
		},
		{
			name:    "unknown context from DOCKER_CONTEXT",
			env:     map[string]string{"DOCKER_CONTEXT": "nope", "DOCKER_CONFIG": "$CFG"},
			wantErr: []string{`docker context "nope"`, "DOCKER_CONTEXT", "$CFG/contexts/meta/", "docker context ls"},
		},
		{
			name:    "unknown context from config.json",
			files:   map[string]string{"home/.docker/config.json": `{"currentContext":"gone"}`},
			wantErr: []string{`docker context "gone"`, "currentContext in $HOME/.docker/config.json", "docker context use"},
		},
		{
			name:    "bad meta JSON names the file",
			env:     map[string]string{"DOCKER_CONTEXT": "remote", "DOCKER_CONFIG": "$CFG"},
			files:   map[string]string{"meta:cfg:remote": `{"Endpoints":`},
			wantErr: []string{"$CFG/contexts/meta/", "meta.json", "invalid JSON"},
		},
		{
			name:    "context without a docker endpoint",
			env:     map[string]string{"DOCKER_CONTEXT": "remote", "DOCKER_CONFIG": "$CFG"},
			files:   map[string]string{"meta:cfg:remote": `{"Name":"remote","Endpoints":{}}`},
			wantErr: []string{"no docker endpoint", "DOCKER_HOST"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			home := filepath.Join(dir, "home")
			cfg := filepath.Join(dir, "cfg")
			sock := filepath.Join(dir, "var", "run", "docker.sock")
			hash := func(s string) string {
				sum := sha256.Sum256([]byte(s))
				return hex.EncodeToString(sum[:])
			}
			expand := func(s string) string {
				s = strings.ReplaceAll(s, "$HOME", home)
				s = strings.ReplaceAll(s, "$CFG", cfg)
				s = strings.ReplaceAll(s, "$SOCK", sock)
				for _, n := range []string{"remote", "desktop-linux"} {
					s = strings.ReplaceAll(s, "$HASH("+n+")", hash(n))
				}
				return s
			}
			for path, content := range tt.files {
				if rest, ok := strings.CutPrefix(path, "meta:"); ok {
					base, name, _ := strings.Cut(rest, ":")
					writeFile(t, metaPath(filepath.Join(dir, base), name), content)
					continue
				}
				writeFile(t, filepath.Join(dir, path), content)
			}
			if tt.defaultSocket {
				writeFile(t, sock, "")
			}
			getenv := func(k string) string { return expand(tt.env[k]) }

			got, err := resolve(getenv, home, sock)
			if len(tt.wantErr) > 0 {
				if err == nil {
					t.Fatalf("resolve() = %+v, want an error", got)
				}
				for _, s := range tt.wantErr {
					if s = expand(s); !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not mention %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("resolve(): %v", err)
			}
			want := tt.want
			want.Host, want.TLSDir = expand(want.Host), expand(want.TLSDir)
			if got != want {
				t.Errorf("resolve() = %+v\nwant        %+v", got, want)
			}
		})
	}
}

func TestResolveDefaultsToHome(t *testing.T) {
	// Resolve itself (not only resolve) honours DOCKER_HOST without touching files.
	got, err := Resolve(func(k string) string {
		if k == "DOCKER_HOST" {
			return "unix:///tmp/x.sock"
		}
		return ""
	}, "/nonexistent")
	if err != nil || got.Host != "unix:///tmp/x.sock" || got.Source != "DOCKER_HOST" {
		t.Errorf("Resolve() = %+v, %v", got, err)
	}
}

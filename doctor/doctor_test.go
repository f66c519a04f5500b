package doctor

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
)

// healthy is what doctor gathers on a Linux machine whose engine is fine.
func healthy() Input {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	return Input{
		GOOS:        "linux",
		ProcVersion: "Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org)",
		Home:        "/home/ada",
		Workspace:   "/home/ada/dockdojo",
		Progress:    "/home/ada/.local/state/dockdojo/progress.json",
		Endpoint:    sandbox.Endpoint{Host: "unix:///var/run/docker.sock", Source: "default socket"},
		Socket: &sandbox.SocketAccess{Path: "/var/run/docker.sock", Exists: true, Owner: "root", Group: "docker",
			InGroup: true, Connected: true},
		Facts: &sandbox.EngineFacts{
			Kind: sandbox.KindDockerEngine, Name: "laptop", ServerVersion: "28.5.2",
			APIVersion: "1.51", ServerAPI: "1.51", ServerMinAPI: "1.24",
			OSType: "linux", OperatingSystem: "Debian GNU/Linux 13 (trixie)", Architecture: "x86_64",
			CgroupVersion: "2", CgroupDriver: "systemd", MemoryLimit: true, PidsLimit: true, CPUQuota: true,
			DockerRootDir: "/var/lib/docker", EngineTime: now, LocalTime: now.Add(-300 * time.Millisecond),
		},
		FreeBytes: 50 << 30,
		Container: &ContainerTry{Image: "busybox:1.36", Took: 312 * time.Millisecond},
		Compose:   Compose{Plugin: "/usr/libexec/docker/cli-plugins/docker-compose"},
		Images: []Image{
			{Ref: "busybox:1.36", Present: true, Platform: sandbox.ImagePlatform{OS: "linux", Architecture: "amd64", Size: 4 << 20}},
			{Ref: "httpd:2.4", Present: true, Platform: sandbox.ImagePlatform{OS: "linux", Architecture: "amd64", Size: 150 << 20}},
		},
	}
}

// checkOf finds the named check, failing the test when it is absent.
func checkOf(t *testing.T, checks []Check, name string) Check {
	t.Helper()
	for _, c := range checks {
		if c.Check == name {
			return c
		}
	}
	t.Fatalf("no %s check in %+v", name, checks)
	return Check{}
}

var checkNames = []string{"engine", "api", "container", "socket", "disk", "architecture", "cgroup", "images", "compose", "clock", "wsl", "folders"}

func TestJudgeDoctor(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Input)
		check  string
		status string
		detail string // in Detail
		fix    string // in Fix
	}{
		{"healthy engine", nil, "engine", StatusOK, "Docker Engine 28.5.2, linux/x86_64 (Debian GNU/Linux 13 (trixie)), at unix:///var/run/docker.sock, found via default socket", ""},
		{"rootless", func(in *Input) { in.Facts.Rootless = true }, "engine", StatusOK, "Docker Engine (rootless) 28.5.2", ""},
		{"Windows containers", func(in *Input) { in.Facts.OSType = "windows" }, "engine", StatusFail, "runs windows containers", "Switch to Linux containers"},
		{"unreachable via DOCKER_HOST", func(in *Input) {
			in.Facts, in.Endpoint.Source = nil, "DOCKER_HOST"
			in.ConnectErr = fmt.Errorf("%w: unix:///tmp/x.sock (found via DOCKER_HOST): no socket", sandbox.ErrUnreachable)
		}, "engine", StatusFail, "found via DOCKER_HOST", "unset DOCKER_HOST"},
		{"not an engine", func(in *Input) {
			in.Facts, in.Endpoint.Source, in.Endpoint.Host = nil, "DOCKER_HOST", "tcp://127.0.0.1:8080"
			in.ConnectErr = fmt.Errorf("%w: tcp://127.0.0.1:8080 (found via DOCKER_HOST) answered, but is %w (404 page not found)", sandbox.ErrUnreachable, sandbox.ErrNotAnEngine)
		}, "engine", StatusFail, "404 page not found", "DOCKER_HOST=tcp://127.0.0.1:8080 answered, but is not a Docker engine"},
		{"unreachable, socket denied", func(in *Input) {
			in.Facts, in.ConnectErr = nil, fmt.Errorf("%w: permission denied", sandbox.ErrUnreachable)
			in.Socket.Denied, in.Socket.Connected, in.Socket.InGroup = true, false, false
		}, "engine", StatusFail, "permission denied", "usermod -aG docker"},
		{"unreachable context", func(in *Input) {
			in.Facts, in.Endpoint.Source = nil, "context colima"
			in.ConnectErr = fmt.Errorf("%w: timeout", sandbox.ErrUnreachable)
		}, "engine", StatusFail, "timeout", "docker context use default"},
		{"bad docker config", func(in *Input) { in.Facts, in.ResolveErr = nil, errors.New("read docker config: invalid JSON") }, "engine", StatusFail, "invalid JSON", "set DOCKER_HOST"},

		{"a container starts", nil, "container", StatusOK, "started and removed a throwaway container of busybox:1.36 on the default network in 310ms", ""},
		{"no image to try", func(in *Input) { in.Container = nil }, "container", StatusWarn, "the image busybox:1.36 it would start is not here yet", "dockdojo prepare"},
		{"containers cannot start", func(in *Input) {
			in.Container.Err = errors.New(`probe: start container: network bridge not found`)
		}, "container", StatusFail, "the engine answers but cannot start a container: probe: start container: network bridge not found", "docker network inspect bridge"},
		{"the runtime fails", func(in *Input) { in.Container.ExitCode = 127 }, "container", StatusFail, "`true` exited with 127", "container runtime"},

		{"compose plugin", nil, "compose", StatusOK, "`docker compose` (the v2 plugin at /usr/libexec/docker/cli-plugins/docker-compose)", ""},
		{"compose v1 only", func(in *Input) { in.Compose = Compose{Standalone: "/usr/bin/docker-compose"} }, "compose", StatusWarn, "dockdojo shows their commands as `docker-compose` here", "docker-compose-plugin"},
		{"no compose", func(in *Input) { in.Compose = Compose{} }, "compose", StatusWarn, "no Compose", "cli-plugins/docker-compose"},

		{"api in use", nil, "api", StatusOK, "API 1.51 in use (the engine speaks 1.24 to 1.51", ""},
		{"api too old", func(in *Input) { in.Facts.ServerAPI, in.Facts.APIVersion = "1.40", "1.40" }, "api", StatusFail, "dockdojo needs 1.41", "upgrade Docker"},

		{"socket via the docker group", nil, "socket", StatusOK, "as a member of the group docker; its members control the engine, which is as good as root", ""},
		{"socket denied", func(in *Input) { in.Socket.Denied, in.Socket.Connected, in.Socket.InGroup = true, false, false }, "socket", StatusFail, "permission denied on /var/run/docker.sock (owner root, group docker", "as good as root"},
		{"no socket", func(in *Input) { in.Socket = &sandbox.SocketAccess{Path: "/var/run/docker.sock"} }, "socket", StatusFail, "no socket at /var/run/docker.sock", "start Docker"},
		{"socket refuses", func(in *Input) { in.Socket.Connected, in.Socket.DialError = false, "connection refused" }, "socket", StatusFail, "nothing answers", "start Docker"},
		{"tcp endpoint", func(in *Input) { in.Socket, in.Endpoint.Host = nil, "tcp://10.0.0.2:2376" }, "socket", StatusOK, "TCP endpoint", ""},

		{"plenty of disk", nil, "disk", StatusOK, "53.7GB free where the engine keeps images (/var/lib/docker); the 2 course images here take up to 161MB", ""},
		{"little disk", func(in *Input) { in.FreeBytes = 1 << 30 }, "disk", StatusWarn, "1.07GB free", "docker system df"},
		{"no disk", func(in *Input) { in.FreeBytes = 100 << 20 }, "disk", StatusFail, "105MB free", "docker system df"},
		{"disk of Docker Desktop", func(in *Input) {
			in.DiskUnknown = "Docker Desktop keeps images in the disk of its virtual machine"
			in.Images = append(in.Images, Image{Ref: "python:2.7-slim"})
		}, "disk", StatusOK, "cannot be measured from here: Docker Desktop keeps images in the disk of its virtual machine; the 2 course images here take up to 161MB; 1 more to fetch", ""},

		{"same architecture", nil, "architecture", StatusOK, "the engine runs on amd64, and so do the 2 course images here", ""},
		{"Apple Silicon with amd64 images", func(in *Input) {
			in.Facts.Kind, in.Facts.Architecture = sandbox.KindDockerDesktop, "aarch64"
			in.Images[0].Platform.Architecture = "arm64"
		}, "architecture", StatusWarn, "the engine runs on arm64 but httpd:2.4 is linux/amd64: such images run under emulation", "Use Rosetta"},
		{"no images yet", func(in *Input) { in.Images = []Image{{Ref: "busybox:1.36"}} }, "architecture", StatusOK, "no course image is here yet", ""},

		{"cgroup v2", nil, "cgroup", StatusOK, "cgroup v2 (driver systemd)", ""},
		{"cgroup v1", func(in *Input) { in.Facts.CgroupVersion, in.Facts.CgroupDriver = "1", "cgroupfs" }, "cgroup", StatusOK, "cgroup v1 (driver cgroupfs)", ""},
		{"rootless without limits", func(in *Input) {
			in.Facts.Rootless, in.Facts.CgroupVersion, in.Facts.MemoryLimit, in.Facts.PidsLimit = true, "1", false, false
		}, "cgroup", StatusWarn, "cannot enforce memory, process-count limits", "systemd delegation"},

		{"all images", nil, "images", StatusOK, "all 2 images the course needs are here: busybox:1.36, httpd:2.4", ""},
		{"missing images", func(in *Input) { in.Images[1].Present = false }, "images", StatusWarn, "1 of the course's 2 images are missing: httpd:2.4", "dockdojo prepare"},
		{"broken lessons", func(in *Input) { in.CourseErr = errors.New("x.md:3: bad YAML") }, "images", StatusFail, "x.md:3: bad YAML", "--lessons"},

		{"clocks agree", nil, "clock", StatusOK, "agree within 1s", ""},
		{"engine clock ahead", func(in *Input) { in.Facts.EngineTime = in.Facts.LocalTime.Add(2 * time.Minute) }, "clock", StatusWarn, "2m0s ahead of this computer's", "timedatectl set-ntp true"},
		{"Desktop clock behind", func(in *Input) {
			in.Facts.Kind, in.Facts.EngineTime = sandbox.KindDockerDesktop, in.Facts.LocalTime.Add(-45*time.Second)
		}, "clock", StatusWarn, "45s behind", "restart Docker Desktop"},
		{"no engine time", func(in *Input) { in.Facts.EngineTime = time.Time{} }, "clock", StatusSkip, "did not say its time", ""},

		{"plain Linux", nil, "wsl", StatusOK, "not Windows or WSL", ""},
		{"Windows itself", func(in *Input) { in.GOOS, in.ProcVersion = "windows", "" }, "wsl", StatusWarn, "runs on Windows itself", "wsl --install"},
		{"WSL 2 with Desktop", func(in *Input) {
			in.ProcVersion = "Linux version 5.15.153.1-microsoft-standard-WSL2 (root@1) (gcc)"
			in.Facts.Kind = sandbox.KindDockerDesktop
		}, "wsl", StatusOK, "WSL 2 with Docker Desktop's WSL integration", ""},
		{"WSL 2 workspace on the C drive", func(in *Input) {
			in.ProcVersion = "Linux version 5.15.153.1-microsoft-standard-WSL2"
			in.Workspace = "/mnt/c/Users/ada/dockdojo"
		}, "wsl", StatusWarn, "/mnt/c/Users/ada/dockdojo is on a Windows drive", "--workspace ~/dockdojo"},
		{"WSL 1", func(in *Input) {
			in.ProcVersion = "Linux version 4.4.0-19041-Microsoft (Microsoft@Microsoft.com)"
		}, "wsl", StatusFail, "WSL 1", "wsl --set-version"},
		{"WSL clock", func(in *Input) {
			in.ProcVersion = "Linux version 5.15.153.1-microsoft-standard-WSL2"
			in.Facts.EngineTime = in.Facts.LocalTime.Add(time.Hour)
		}, "clock", StatusWarn, "1h0m0s ahead", "wsl --shutdown"},

		{"folders under HOME", nil, "folders", StatusOK, "your progress is kept in /home/ada/.local/state/dockdojo/progress.json and your exercises' files under /home/ada/dockdojo", ""},
		// Without HOME the folders would be relative, under whatever
		// folder dockdojo runs in: doctor says so instead of naming them.
		{"HOME unset", func(in *Input) {
			in.Home, in.Workspace, in.Progress = "", "dockdojo", ".local/state/dockdojo/progress.json"
		}, "folders", StatusFail, "HOME is not set: dockdojo has no folder to keep your progress", "set HOME to your home folder"},
		{"HOME unset on WSL", func(in *Input) {
			in.ProcVersion = "Linux version 5.15.153.1-microsoft-standard-WSL2"
			in.Home, in.Workspace, in.Progress = "", "dockdojo", ".local/state/dockdojo/progress.json"
		}, "folders", StatusFail, "HOME is not set", "XDG_STATE_HOME and DOCKDOJO_WORKSPACE"},
		{"HOME relative", func(in *Input) {
			in.Home, in.Workspace, in.Progress = "me", "me/dockdojo", "me/.local/state/dockdojo/progress.json"
		}, "folders", StatusFail, "HOME (me) is not an absolute path", "set HOME"},
		{"no HOME, folders of their own", func(in *Input) {
			in.Home = ""
		}, "folders", StatusOK, "your progress is kept in /home/ada/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := healthy()
			if tt.change != nil {
				tt.change(&in)
			}
			checks := Judge(in)
			if len(checks) != len(checkNames) {
				t.Fatalf("%d checks, want one per name %v: %+v", len(checks), checkNames, checks)
			}
			for i, c := range checks {
				if c.Check != checkNames[i] {
					t.Errorf("check %d is %s, want %s", i, c.Check, checkNames[i])
				}
				if (c.Status == StatusWarn || c.Status == StatusFail) && c.Fix == "" {
					t.Errorf("%s is %s without a fix: %s", c.Check, c.Status, c.Detail)
				}
				for _, p := range []string{in.Progress, in.Workspace} {
					if !filepath.IsAbs(p) && strings.Contains(p, "/") && strings.Contains(c.Detail, p) {
						t.Errorf("%s names the relative path %q: %s", c.Check, p, c.Detail)
					}
				}
			}
			c := checkOf(t, checks, tt.check)
			fixOK := strings.Contains(c.Fix, tt.fix)
			if tt.fix == "" {
				fixOK = c.Fix == "" // a check that needs no fix offers none
			}
			if c.Status != tt.status || !strings.Contains(c.Detail, tt.detail) || !fixOK {
				t.Errorf("%s = %s %q fix %q\nwant %s, detail with %q, fix with %q", c.Check, c.Status, c.Detail, c.Fix, tt.status, tt.detail, tt.fix)
			}
		})
	}
}

// TestJudgeDoctorUnreachable: with no engine, the checks that need one
// are skipped, not failed, and say why.
func TestJudgeDoctorUnreachable(t *testing.T) {
	in := healthy()
	in.Facts, in.Images = nil, nil
	in.ConnectErr = fmt.Errorf("%w: no socket", sandbox.ErrUnreachable)
	in.Socket = &sandbox.SocketAccess{Path: "/var/run/docker.sock"}
	want := map[string]string{
		"engine": StatusFail, "api": StatusSkip, "container": StatusSkip, "socket": StatusFail, "disk": StatusSkip, "architecture": StatusSkip,
		"cgroup": StatusSkip, "images": StatusSkip, "compose": StatusOK, "clock": StatusSkip, "wsl": StatusOK, "folders": StatusOK,
	}
	for _, c := range Judge(in) {
		if c.Status != want[c.Check] {
			t.Errorf("%s = %s (%s), want %s", c.Check, c.Status, c.Detail, want[c.Check])
		}
	}
}

func TestComposeSay(t *testing.T) {
	const hint = "Run `docker compose up -d` in the folder; `docker compose ps` lists it."
	if got := (Compose{Plugin: "/p", Standalone: "/s"}).Say(hint); got != hint {
		t.Errorf("with the plugin, the words changed: %q", got)
	}
	if got := (Compose{Standalone: "/usr/bin/docker-compose"}).Say(hint); got != "Run `docker-compose up -d` in the folder; `docker-compose ps` lists it." {
		t.Errorf("with docker-compose alone: %q", got)
	}
	if got := (Compose{}).Say(hint); got != hint {
		t.Errorf("with no Compose at all, the lessons' words stay: %q", got)
	}

	// A paragraph that already names docker-compose speaks of both on
	// purpose and stays as it is; the paragraphs around it are still said.
	v1 := Compose{Standalone: "/usr/bin/docker-compose"}
	const solution = "cd dojo-cmp-hello\n" +
		"if docker compose version >/dev/null 2>&1; then dc=\"docker compose\"\n" +
		"else dc=docker-compose; fi\n" +
		"$dc up -d\n" +
		"  \t\n" +
		"docker compose ps\n"
	const said = "cd dojo-cmp-hello\n" +
		"if docker compose version >/dev/null 2>&1; then dc=\"docker compose\"\n" +
		"else dc=docker-compose; fi\n" +
		"$dc up -d\n" +
		"  \t\n" +
		"docker-compose ps\n"
	if got := v1.Say(solution); got != said {
		t.Errorf("a fallback was rewritten:\n got %q\nwant %q", got, said)
	}
	for _, text := range []string{
		"docker compose up -d || docker-compose up -d",
		"If `docker compose version` fails on your machine, use\nthe older one: write `docker-compose` where this lesson says `docker\ncompose`.\n",
		"",
		"\n\n",
	} {
		if got := v1.Say(text); got != text {
			t.Errorf("Say(%q) = %q, want it unchanged", text, got)
		}
	}
	for text, want := range map[string]string{
		"Run docker compose up -d.\n\nThen docker compose ps": "Run docker-compose up -d.\n\nThen docker-compose ps",
		// A lesson's paragraph wraps where it likes.
		"only stops the containers, and `docker\ncompose start` starts them": "only stops the containers, and `docker-compose start` starts them",
		"watch the monitor with `docker compose\nlogs -f monitor`.":          "watch the monitor with `docker-compose\nlogs -f monitor`.",
		"`docker  compose\t up`": "`docker-compose\t up`",
		// The words alone, or quoted, are a name, not a command.
		"a warning about \"docker compose\". It is": "a warning about \"docker compose\". It is",
		"the plugin `docker compose` (two words)":   "the plugin `docker compose` (two words)",
		"docker compose":       "docker compose",
		"docker\n\ncompose up": "docker\n\ncompose up",
	} {
		if got := v1.Say(text); got != want {
			t.Errorf("Say(%q) = %q, want %q", text, got, want)
		}
	}
}

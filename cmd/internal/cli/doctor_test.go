package cli

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
)

// healthy is what doctor gathers on a Linux machine whose engine is fine.
func healthy() doctorInput {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	return doctorInput{
		GOOS:        "linux",
		ProcVersion: "Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org)",
		Workspace:   "/home/ada/dockdojo",
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
		Images: []doctorImage{
			{Ref: "busybox:1.36", Present: true, Platform: sandbox.ImagePlatform{OS: "linux", Architecture: "amd64", Size: 4 << 20}},
			{Ref: "httpd:2.4", Present: true, Platform: sandbox.ImagePlatform{OS: "linux", Architecture: "amd64", Size: 150 << 20}},
		},
	}
}

// checkOf finds the named check, failing the test when it is absent.
func checkOf(t *testing.T, checks []doctorCheck, name string) doctorCheck {
	t.Helper()
	for _, c := range checks {
		if c.Check == name {
			return c
		}
	}
	t.Fatalf("no %s check in %+v", name, checks)
	return doctorCheck{}
}

var doctorCheckNames = []string{"engine", "api", "socket", "disk", "architecture", "cgroup", "images", "clock", "wsl"}

func TestJudgeDoctor(t *testing.T) {
	tests := []struct {
		name   string
		change func(*doctorInput)
		check  string
		status string
		detail string // in Detail
		fix    string // in Fix
	}{
		{"healthy engine", nil, "engine", statusOK, "Docker Engine 28.5.2, linux/x86_64 (Debian GNU/Linux 13 (trixie)), at unix:///var/run/docker.sock, found via default socket", ""},
		{"rootless", func(in *doctorInput) { in.Facts.Rootless = true }, "engine", statusOK, "Docker Engine (rootless) 28.5.2", ""},
		{"Windows containers", func(in *doctorInput) { in.Facts.OSType = "windows" }, "engine", statusFail, "runs windows containers", "Switch to Linux containers"},
		{"unreachable via DOCKER_HOST", func(in *doctorInput) {
			in.Facts, in.Endpoint.Source = nil, "DOCKER_HOST"
			in.ConnectErr = fmt.Errorf("%w: unix:///tmp/x.sock (found via DOCKER_HOST): no socket", sandbox.ErrUnreachable)
		}, "engine", statusFail, "found via DOCKER_HOST", "unset DOCKER_HOST"},
		{"unreachable, socket denied", func(in *doctorInput) {
			in.Facts, in.ConnectErr = nil, fmt.Errorf("%w: permission denied", sandbox.ErrUnreachable)
			in.Socket.Denied, in.Socket.Connected, in.Socket.InGroup = true, false, false
		}, "engine", statusFail, "permission denied", "usermod -aG docker"},
		{"unreachable context", func(in *doctorInput) {
			in.Facts, in.Endpoint.Source = nil, "context colima"
			in.ConnectErr = fmt.Errorf("%w: timeout", sandbox.ErrUnreachable)
		}, "engine", statusFail, "timeout", "docker context use default"},
		{"bad docker config", func(in *doctorInput) { in.Facts, in.ResolveErr = nil, errors.New("read docker config: invalid JSON") }, "engine", statusFail, "invalid JSON", "set DOCKER_HOST"},

		{"api in use", nil, "api", statusOK, "API 1.51 in use (the engine speaks 1.24 to 1.51", ""},
		{"api too old", func(in *doctorInput) { in.Facts.ServerAPI, in.Facts.APIVersion = "1.40", "1.40" }, "api", statusFail, "dockdojo needs 1.41", "upgrade Docker"},

		{"socket via the docker group", nil, "socket", statusOK, "as a member of the group docker; its members control the engine, which is as good as root", ""},
		{"socket denied", func(in *doctorInput) { in.Socket.Denied, in.Socket.Connected, in.Socket.InGroup = true, false, false }, "socket", statusFail, "permission denied on /var/run/docker.sock (owner root, group docker", "as good as root"},
		{"no socket", func(in *doctorInput) { in.Socket = &sandbox.SocketAccess{Path: "/var/run/docker.sock"} }, "socket", statusFail, "no socket at /var/run/docker.sock", "start Docker"},
		{"socket refuses", func(in *doctorInput) { in.Socket.Connected, in.Socket.DialError = false, "connection refused" }, "socket", statusFail, "nothing answers", "start Docker"},
		{"tcp endpoint", func(in *doctorInput) { in.Socket, in.Endpoint.Host = nil, "tcp://10.0.0.2:2376" }, "socket", statusOK, "TCP endpoint", ""},

		{"plenty of disk", nil, "disk", statusOK, "53.7GB free where the engine keeps images (/var/lib/docker); the 2 course images here take up to 161.5MB", ""},
		{"little disk", func(in *doctorInput) { in.FreeBytes = 1 << 30 }, "disk", statusWarn, "1.1GB free", "docker system df"},
		{"no disk", func(in *doctorInput) { in.FreeBytes = 100 << 20 }, "disk", statusFail, "104.9MB free", "docker system df"},
		{"disk of Docker Desktop", func(in *doctorInput) {
			in.DiskUnknown = "Docker Desktop keeps images in the disk of its virtual machine"
			in.Images = append(in.Images, doctorImage{Ref: "python:2.7-slim"})
		}, "disk", statusOK, "cannot be measured from here: Docker Desktop keeps images in the disk of its virtual machine; the 2 course images here take up to 161.5MB; 1 more to fetch", ""},

		{"same architecture", nil, "architecture", statusOK, "the engine runs on amd64, and so do the 2 course images here", ""},
		{"Apple Silicon with amd64 images", func(in *doctorInput) {
			in.Facts.Kind, in.Facts.Architecture = sandbox.KindDockerDesktop, "aarch64"
			in.Images[0].Platform.Architecture = "arm64"
		}, "architecture", statusWarn, "the engine runs on arm64 but httpd:2.4 is linux/amd64: such images run under emulation", "Use Rosetta"},
		{"no images yet", func(in *doctorInput) { in.Images = []doctorImage{{Ref: "busybox:1.36"}} }, "architecture", statusOK, "no course image is here yet", ""},

		{"cgroup v2", nil, "cgroup", statusOK, "cgroup v2 (driver systemd)", ""},
		{"cgroup v1", func(in *doctorInput) { in.Facts.CgroupVersion, in.Facts.CgroupDriver = "1", "cgroupfs" }, "cgroup", statusOK, "cgroup v1 (driver cgroupfs)", ""},
		{"rootless without limits", func(in *doctorInput) {
			in.Facts.Rootless, in.Facts.CgroupVersion, in.Facts.MemoryLimit, in.Facts.PidsLimit = true, "1", false, false
		}, "cgroup", statusWarn, "cannot enforce memory, process-count limits", "systemd delegation"},

		{"all images", nil, "images", statusOK, "all 2 images the course needs are here: busybox:1.36, httpd:2.4", ""},
		{"missing images", func(in *doctorInput) { in.Images[1].Present = false }, "images", statusWarn, "1 of the course's 2 images are missing: httpd:2.4", "dockdojo prepare"},
		{"broken lessons", func(in *doctorInput) { in.CourseErr = errors.New("x.md:3: bad YAML") }, "images", statusFail, "x.md:3: bad YAML", "--lessons"},

		{"clocks agree", nil, "clock", statusOK, "agree within 1s", ""},
		{"engine clock ahead", func(in *doctorInput) { in.Facts.EngineTime = in.Facts.LocalTime.Add(2 * time.Minute) }, "clock", statusWarn, "2m0s ahead of this computer's", "timedatectl set-ntp true"},
		{"Desktop clock behind", func(in *doctorInput) {
			in.Facts.Kind, in.Facts.EngineTime = sandbox.KindDockerDesktop, in.Facts.LocalTime.Add(-45*time.Second)
		}, "clock", statusWarn, "45s behind", "restart Docker Desktop"},
		{"no engine time", func(in *doctorInput) { in.Facts.EngineTime = time.Time{} }, "clock", statusSkip, "did not say its time", ""},

		{"plain Linux", nil, "wsl", statusOK, "not Windows or WSL", ""},
		{"Windows itself", func(in *doctorInput) { in.GOOS, in.ProcVersion = "windows", "" }, "wsl", statusWarn, "runs on Windows itself", "wsl --install"},
		{"WSL 2 with Desktop", func(in *doctorInput) {
			in.ProcVersion = "Linux version 5.15.153.1-microsoft-standard-WSL2 (root@1) (gcc)"
			in.Facts.Kind = sandbox.KindDockerDesktop
		}, "wsl", statusOK, "WSL 2 with Docker Desktop's WSL integration", ""},
		{"WSL 2 workspace on the C drive", func(in *doctorInput) {
			in.ProcVersion = "Linux version 5.15.153.1-microsoft-standard-WSL2"
			in.Workspace = "/mnt/c/Users/ada/dockdojo"
		}, "wsl", statusWarn, "/mnt/c/Users/ada/dockdojo is on a Windows drive", "--workspace ~/dockdojo"},
		{"WSL 1", func(in *doctorInput) {
			in.ProcVersion = "Linux version 4.4.0-19041-Microsoft (Microsoft@Microsoft.com)"
		}, "wsl", statusFail, "WSL 1", "wsl --set-version"},
		{"WSL clock", func(in *doctorInput) {
			in.ProcVersion = "Linux version 5.15.153.1-microsoft-standard-WSL2"
			in.Facts.EngineTime = in.Facts.LocalTime.Add(time.Hour)
		}, "clock", statusWarn, "1h0m0s ahead", "wsl --shutdown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := healthy()
			if tt.change != nil {
				tt.change(&in)
			}
			checks := judgeDoctor(in)
			if len(checks) != len(doctorCheckNames) {
				t.Fatalf("%d checks, want one per name %v: %+v", len(checks), doctorCheckNames, checks)
			}
			for i, c := range checks {
				if c.Check != doctorCheckNames[i] {
					t.Errorf("check %d is %s, want %s", i, c.Check, doctorCheckNames[i])
				}
				if (c.Status == statusWarn || c.Status == statusFail) && c.Fix == "" {
					t.Errorf("%s is %s without a fix: %s", c.Check, c.Status, c.Detail)
				}
			}
			c := checkOf(t, checks, tt.check)
			if c.Status != tt.status || !strings.Contains(c.Detail, tt.detail) || !strings.Contains(c.Fix, tt.fix) {
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
		"engine": statusFail, "api": statusSkip, "socket": statusFail, "disk": statusSkip, "architecture": statusSkip,
		"cgroup": statusSkip, "images": statusSkip, "clock": statusSkip, "wsl": statusOK,
	}
	for _, c := range judgeDoctor(in) {
		if c.Status != want[c.Check] {
			t.Errorf("%s = %s (%s), want %s", c.Check, c.Status, c.Detail, want[c.Check])
		}
	}
}

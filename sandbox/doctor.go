package sandbox

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/docker/docker/api/types/versions"
	"github.com/docker/docker/client"
)

// Kinds of engine that `dockdojo doctor` tells apart, because their fixes
// differ.
const (
	KindDockerEngine  = "Docker Engine"
	KindDockerDesktop = "Docker Desktop"
	KindPodman        = "Podman"
)

// MinAPIVersion is the oldest engine API dockdojo works with (Docker 20.10).
const MinAPIVersion = "1.41"

// EngineFacts is what the engine says about itself, for `dockdojo doctor`.
type EngineFacts struct {
	Kind     string // KindDockerEngine, KindDockerDesktop or KindPodman
	Rootless bool   // the engine runs without root (SecurityOptions has name=rootless)

	Name            string // the engine's host name
	ServerVersion   string
	APIVersion      string // negotiated: what dockdojo and the engine speak
	ServerAPI       string // the newest API the engine speaks
	ServerMinAPI    string // the oldest API the engine speaks
	OSType          string // linux or windows
	OperatingSystem string // e.g. "Debian GNU/Linux 12 (bookworm)", "Docker Desktop"
	Architecture    string // as the engine says it: x86_64, aarch64, ...
	KernelVersion   string
	CgroupVersion   string // "1" or "2"; "" when the engine does not say (API before 1.40)
	CgroupDriver    string
	// What the engine can enforce of the limits every sandbox gets.
	MemoryLimit, PidsLimit, CPUQuota bool
	DockerRootDir                    string // where the engine keeps images, on its own machine

	// EngineTime is the engine's clock, and LocalTime this machine's at the
	// moment the engine answered (the middle of the request).
	EngineTime, LocalTime time.Time
}

// APITooOld reports whether the engine speaks an API older than
// MinAPIVersion.
func (f EngineFacts) APITooOld() bool {
	return f.ServerAPI != "" && versions.LessThan(f.ServerAPI, MinAPIVersion)
}

// KindHints is what DetectKind looks at: fields of the engine's info and
// version answers.
type KindHints struct {
	OperatingSystem string   // Info.OperatingSystem
	SecurityOptions []string // Info.SecurityOptions
	Platform        string   // Version.Platform.Name
	Components      []string // Version.Components[].Name
}

// DetectKind tells Docker Engine, Docker Desktop and Podman apart, and
// whether the engine runs rootless.
func DetectKind(h KindHints) (kind string, rootless bool) {
	for _, opt := range h.SecurityOptions {
		// Options read "name=rootless" or "name=seccomp,profile=default".
		for _, part := range strings.Split(opt, ",") {
			if part == "name=rootless" {
				rootless = true
			}
		}
	}
	podman := strings.Contains(strings.ToLower(h.Platform), "podman") ||
		slices.ContainsFunc(h.Components, func(c string) bool { return strings.Contains(strings.ToLower(c), "podman") })
	switch {
	case podman:
		return KindPodman, rootless
	case h.OperatingSystem == "Docker Desktop" || strings.Contains(h.Platform, "Docker Desktop"):
		return KindDockerDesktop, rootless
	}
	return KindDockerEngine, rootless
}

// Facts asks the engine about itself.
// Skew is how far the engine's clock is ahead of this machine's (behind
// when negative): a Docker Desktop VM's clock drifts after the laptop
// sleeps, and the times the engine records (an image's build) are on it.
func (e *Engine) Skew(ctx context.Context) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, AnswerTimeout)
	defer cancel()
	before := time.Now()
	info, err := e.cli.Info(ctx)
	after := time.Now()
	if err != nil {
		return 0, e.wrap("engine info", err)
	}
	t, err := time.Parse(time.RFC3339Nano, info.SystemTime)
	if err != nil {
		return 0, fmt.Errorf("engine info: its clock %q: %w", info.SystemTime, err)
	}
	return t.Sub(before.Add(after.Sub(before) / 2)), nil
}

func (e *Engine) Facts(ctx context.Context) (EngineFacts, error) {
	before := time.Now()
	info, err := e.cli.Info(ctx)
	after := time.Now()
	if err != nil {
		return EngineFacts{}, e.wrap("engine info", err)
	}
	ver, err := e.cli.ServerVersion(ctx)
	if err != nil {
		return EngineFacts{}, e.wrap("engine version", err)
	}
	hints := KindHints{OperatingSystem: info.OperatingSystem, SecurityOptions: info.SecurityOptions, Platform: ver.Platform.Name}
	for _, c := range ver.Components {
		hints.Components = append(hints.Components, c.Name)
	}
	f := EngineFacts{
		Name:            info.Name,
		ServerVersion:   info.ServerVersion,
		APIVersion:      e.cli.ClientVersion(),
		ServerAPI:       ver.APIVersion,
		ServerMinAPI:    ver.MinAPIVersion,
		OSType:          info.OSType,
		OperatingSystem: info.OperatingSystem,
		Architecture:    info.Architecture,
		KernelVersion:   info.KernelVersion,
		CgroupVersion:   info.CgroupVersion,
		CgroupDriver:    info.CgroupDriver,
		MemoryLimit:     info.MemoryLimit,
		PidsLimit:       info.PidsLimit,
		CPUQuota:        info.CPUCfsQuota,
		DockerRootDir:   info.DockerRootDir,
		LocalTime:       before.Add(after.Sub(before) / 2),
	}
	f.Kind, f.Rootless = DetectKind(hints)
	if t, err := time.Parse(time.RFC3339Nano, info.SystemTime); err == nil {
		f.EngineTime = t
	}
	return f, nil
}

// ImagePlatform is the platform and size of one local image.
type ImagePlatform struct {
	OS, Architecture, Variant string
	Size                      int64 // bytes, counting layers shared with other images
}

// ImagePlatformOf inspects the image that ref names exactly (see
// InspectImage). An absent image yields an error wrapping ErrNotFound.
func (e *Engine) ImagePlatformOf(ctx context.Context, ref string) (ImagePlatform, error) {
	img, err := e.cli.ImageInspect(ctx, ref)
	if err != nil {
		return ImagePlatform{}, e.wrap(fmt.Sprintf("inspect image %q", ref), err)
	}
	if ok, err := imageMatches(ref, img.ID, img.RepoTags, img.RepoDigests); err != nil || !ok {
		return ImagePlatform{}, fmt.Errorf("inspect image %q: %w", ref, ErrNotFound)
	}
	return ImagePlatform{OS: img.Os, Architecture: img.Architecture, Variant: img.Variant, Size: img.Size}, nil
}

// NormalizeArch writes a CPU architecture the way image platforms do:
// x86_64 is amd64, aarch64 is arm64.
func NormalizeArch(arch string) string {
	switch strings.ToLower(arch) {
	case "x86_64", "x86-64", "amd64":
		return "amd64"
	case "aarch64", "arm64":
		return "arm64"
	case "armv7l", "armhf", "arm":
		return "arm"
	case "i386", "i686", "386":
		return "386"
	}
	return strings.ToLower(arch)
}

// SocketPath is the file of a unix:// endpoint, and "" for any other.
func SocketPath(ep Endpoint) string {
	u, err := client.ParseHostURL(ep.Host)
	if err != nil || u.Scheme != "unix" {
		return ""
	}
	return u.Host
}

package checker

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/dockdojo/dockdojo/sandbox"
)

// The looks at engine objects that several kinds share.

// lookup inspects a container by exact name, once its state is settled. A
// missing container yields an error wrapping sandbox.ErrNotFound.
func lookup(ctx context.Context, env Env, name string) (sandbox.Container, error) {
	ct, err := env.Target.InspectContainer(ctx, name)
	if err != nil {
		return ct, err
	}
	return settle(ctx, env, ct)
}

// container inspects a container by exact name, once its state is settled;
// a missing one is a message.
func container(ctx context.Context, env Env, name string) (sandbox.Container, string, error) {
	ct, err := lookup(ctx, env, name)
	if errors.Is(err, sandbox.ErrNotFound) {
		return ct, fmt.Sprintf("there is no container named %s (`docker ps -a` lists yours)", name), nil
	}
	return ct, "", err
}

// fromImage checks that a container was made from the image asked for, by
// the image's ID, so that a tag written differently ("busybox" for
// "busybox:latest") still counts and another image with the same files does
// not.
func fromImage(ctx context.Context, env Env, ct sandbox.Container, ref string) (string, error) {
	if ref == "" {
		return "", nil
	}
	im, err := env.Target.InspectImage(ctx, ref)
	if errors.Is(err, sandbox.ErrNotFound) {
		return fmt.Sprintf("container %s was made from %s, but the image %s is not on this machine (`docker pull %s`)", ct.Name, ct.Image, ref, ref), nil
	}
	if err != nil {
		return "", err
	}
	if im.ID != ct.ImageID {
		return fmt.Sprintf("container %s was made from %s, expected %s", ct.Name, ct.Image, ref), nil
	}
	return "", nil
}

// exitNote says how a container that is not running got there.
func exitNote(ct sandbox.Container) string {
	switch ct.State {
	case "exited":
		return fmt.Sprintf(" with exit code %d (`docker logs %s` says why)", ct.ExitCode, ct.Name)
	case "restarting":
		return fmt.Sprintf(" (it keeps exiting, last with exit code %d, and its restart policy starts it again; `docker logs %s` says why)", ct.ExitCode, ct.Name)
	}
	return ""
}

// volume inspects a volume by exact name; a missing one is a message.
func volume(ctx context.Context, env Env, name string) (sandbox.Volume, string, error) {
	v, err := env.Target.InspectVolume(ctx, name)
	if errors.Is(err, sandbox.ErrNotFound) {
		return v, fmt.Sprintf("there is no volume named %s (`docker volume ls` lists them)", name), nil
	}
	return v, "", err
}

// noNetwork is the message for a network that does not exist.
func noNetwork(name string) string {
	return fmt.Sprintf("there is no network named %s (`docker network ls` lists them)", name)
}

// noImage is the message for an image that is not on this machine.
func noImage(ref string) string {
	return fmt.Sprintf("there is no image %s (`docker image ls` lists them)", ref)
}

// normPort writes a container port as "80/tcp".
func normPort(p string) string {
	if strings.Contains(p, "/") {
		return p
	}
	return p + "/tcp"
}

// publishedList describes every published port of a container.
func publishedList(ct sandbox.Container) string {
	var found []string
	for port, bs := range ct.Ports {
		for _, b := range bs {
			if s := fmt.Sprintf("%s -> %s", port, b.HostPort); !slices.Contains(found, s) {
				found = append(found, s)
			}
		}
	}
	if len(found) == 0 {
		return "it publishes no ports"
	}
	slices.Sort(found)
	return "found " + strings.Join(found, ", ")
}

// unsafeToEnter says why a lesson's command must not run inside a container:
// lesson files may come from anyone, and a command run inside a privileged
// container, or one holding the Docker socket, runs with the power of the
// learner's machine.
func unsafeToEnter(ct sandbox.Container) string {
	if ct.Privileged {
		return "it is privileged, so a command inside it could reach your whole machine"
	}
	for _, m := range ct.Mounts {
		if strings.Contains(m.Source, "docker.sock") || strings.Contains(m.Destination, "docker.sock") {
			return "it holds the Docker socket, so a command inside it could control your Docker engine"
		}
	}
	for _, cp := range ct.CapAdd {
		if capName(cp) == "ALL" || capName(cp) == "SYS_ADMIN" {
			return "it was given " + capName(cp) + ", so a command inside it could reach beyond the container"
		}
	}
	return ""
}

// capName writes a capability as the engine's API 1.41 does not always: NET_ADMIN.
func capName(s string) string { return strings.TrimPrefix(strings.ToUpper(s), "CAP_") }

// orNone lists the strings, or says none when there are none.
func orNone(list []string, none string) string {
	if len(list) == 0 {
		return none
	}
	slices.Sort(list)
	return strings.Join(list, ", ")
}

// quoteShort quotes s, cut to a length a message can carry.
func quoteShort(s string) string {
	s = strings.TrimSpace(s)
	const max = 160
	if len(s) > max {
		s = s[:max] + "..."
	}
	return fmt.Sprintf("%q", s)
}

// rootCause is the innermost error that err wraps.
func rootCause(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok || u.Unwrap() == nil {
			return err
		}
		err = u.Unwrap()
	}
}

// image inspects an image by its exact reference; a missing one is a
// message.
func image(ctx context.Context, env Env, ref string) (sandbox.Image, string, error) {
	im, err := env.Target.InspectImage(ctx, ref)
	if errors.Is(err, sandbox.ErrNotFound) {
		return im, noImage(ref), nil
	}
	return im, "", err
}

// parseDockerfile parses the workspace's Dockerfile name (a slash path) as
// Docker does; a file that is missing or cannot be parsed is a message.
func parseDockerfile(env Env, name string) (*parser.Result, string) {
	f, err := os.Open(filepath.Join(env.Workspace, filepath.FromSlash(name)))
	if err != nil {
		return nil, fmt.Sprintf("there is no %s in your workspace (%s)", name, env.Workspace)
	}
	defer f.Close()
	res, err := parser.Parse(f)
	if err != nil {
		return nil, fmt.Sprintf("%s cannot be read as a Dockerfile: %v", name, err)
	}
	return res, ""
}

package sandbox

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/distribution/reference"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/go-connections/nat"
)

// The engine resolves names loosely: a container or network may be found by
// an ID prefix, and an image by an ID prefix when no tag matches. dockdojo's
// checks are about exact names ("web" must never find "web-2" or a container
// whose ID starts with the letters asked for), so every Inspect compares what
// came back with what was asked.

// InspectContainer returns the container with exactly this name (or this
// full ID). An absent container yields an error wrapping ErrNotFound.
func (e *Engine) InspectContainer(ctx context.Context, name string) (Container, error) {
	c, err := e.inspectContainer(ctx, name)
	if err != nil {
		return Container{}, err
	}
	return convertContainer(c), nil
}

// WaitStopped returns when the container with exactly this name is not
// running: at once when it is not, else when it exits or is stopped. It
// returns ctx's error when ctx ends first, and an error wrapping ErrNotFound
// when there is no such container.
func (e *Engine) WaitStopped(ctx context.Context, name string) error {
	c, err := e.inspectContainer(ctx, name)
	if err != nil {
		return err
	}
	waitC, errC := e.cli.ContainerWait(ctx, c.ID, container.WaitConditionNotRunning)
	select {
	case <-waitC:
		return nil
	case err := <-errC:
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return e.wrap(fmt.Sprintf("wait for container %q", name), err)
	}
}

func (e *Engine) inspectContainer(ctx context.Context, name string) (container.InspectResponse, error) {
	name = strings.TrimPrefix(name, "/")
	if name == "" {
		return container.InspectResponse{}, fmt.Errorf("inspect container: empty name: %w", ErrNotFound)
	}
	c, err := e.cli.ContainerInspect(ctx, name)
	if err != nil {
		return container.InspectResponse{}, e.wrap(fmt.Sprintf("inspect container %q", name), err)
	}
	if c.ContainerJSONBase == nil || (strings.TrimPrefix(c.Name, "/") != name && c.ID != name) {
		return container.InspectResponse{}, fmt.Errorf("inspect container %q: %w", name, ErrNotFound)
	}
	return c, nil
}

func convertContainer(c container.InspectResponse) Container {
	out := Container{
		ID:      c.ID,
		Name:    strings.TrimPrefix(c.Name, "/"),
		ImageID: c.Image,
	}
	if c.Path != "" {
		out.Command = append([]string{c.Path}, c.Args...)
	}
	if t, err := time.Parse(time.RFC3339Nano, c.Created); err == nil {
		out.Created = t
	}
	if s := c.State; s != nil {
		out.State, out.Running, out.ExitCode, out.StateError = string(s.Status), s.Running && !s.Restarting, s.ExitCode, s.Error
		if t, err := time.Parse(time.RFC3339Nano, s.StartedAt); err == nil && t.Year() > 1 {
			out.StartedAt = t
		}
	}
	if cfg := c.Config; cfg != nil {
		out.Image, out.Env, out.User, out.Labels = cfg.Image, cfg.Env, cfg.User, cfg.Labels
		out.Attached = cfg.AttachStdin || cfg.AttachStdout || cfg.AttachStderr
		out.Tty, out.OpenStdin = cfg.Tty, cfg.OpenStdin
	}
	if hc := c.HostConfig; hc != nil {
		out.CapAdd, out.CapDrop = hc.CapAdd, hc.CapDrop
		out.Privileged, out.SecurityOpt = hc.Privileged, hc.SecurityOpt
		if hc.PidsLimit != nil {
			out.PidsLimit = *hc.PidsLimit
		}
		out.Memory, out.NanoCPUs = hc.Memory, hc.NanoCPUs
		out.RestartPolicy, out.AutoRemove = string(hc.RestartPolicy.Name), hc.AutoRemove
		// --tmpfs mounts are kept in HostConfig.Tmpfs, not in Mounts.
		for _, target := range slices.Sorted(maps.Keys(hc.Tmpfs)) {
			ro := slices.Contains(strings.Split(hc.Tmpfs[target], ","), "ro")
			out.Mounts = append(out.Mounts, Mount{Type: "tmpfs", Destination: target, ReadOnly: ro})
		}
		for _, d := range hc.Devices {
			out.Devices = append(out.Devices, Device{PathOnHost: d.PathOnHost, PathInContainer: d.PathInContainer, Permissions: d.CgroupPermissions})
		}
		out.NetworkMode = string(hc.NetworkMode)
		out.PidMode, out.IpcMode = string(hc.PidMode), string(hc.IpcMode)
		out.PortBindings = bindings(hc.PortBindings)
	}
	if ns := c.NetworkSettings; ns != nil {
		out.Ports = bindings(ns.Ports)
		if len(ns.Networks) > 0 {
			out.Networks = make(map[string]NetAttachment, len(ns.Networks))
			for n, es := range ns.Networks {
				if es == nil {
					continue
				}
				out.Networks[n] = NetAttachment{IP: es.IPAddress, Aliases: es.Aliases}
			}
		}
	}
	for _, m := range c.Mounts {
		out.Mounts = append(out.Mounts, Mount{
			Type:        string(m.Type),
			Name:        m.Name,
			Source:      m.Source,
			Destination: m.Destination,
			ReadOnly:    !m.RW,
		})
	}
	return out
}

// bindings converts port bindings; an exposed but unpublished port keeps
// its key with no bindings.
func bindings(ports nat.PortMap) map[string][]Binding {
	if len(ports) == 0 {
		return nil
	}
	out := make(map[string][]Binding, len(ports))
	for p, bs := range ports {
		list := []Binding{}
		for _, b := range bs {
			list = append(list, Binding{HostIP: b.HostIP, HostPort: b.HostPort})
		}
		out[string(p)] = list
	}
	return out
}

// InspectNetwork returns the network with exactly this name. An absent
// network yields an error wrapping ErrNotFound; two networks sharing the name
// (possible on engines before API 1.44) is an error too.
func (e *Engine) InspectNetwork(ctx context.Context, name string) (Network, error) {
	id, err := e.networkID(ctx, name)
	if err != nil {
		return Network{}, err
	}
	n, err := e.cli.NetworkInspect(ctx, id, network.InspectOptions{})
	if err != nil {
		return Network{}, e.wrap(fmt.Sprintf("inspect network %q", name), err)
	}
	if n.Name != name {
		return Network{}, fmt.Errorf("inspect network %q: %w", name, ErrNotFound)
	}
	out := Network{ID: n.ID, Name: n.Name, Driver: n.Driver, Labels: n.Labels}
	for _, c := range n.IPAM.Config {
		if c.Subnet != "" {
			out.Subnets = append(out.Subnets, c.Subnet)
		}
	}
	if len(n.Containers) > 0 {
		out.Containers = make(map[string]string, len(n.Containers))
		for id, r := range n.Containers {
			out.Containers[id] = r.Name
		}
	}
	return out, nil
}

// networkID finds the ID of the one network named exactly name. Listing
// rather than inspecting avoids the engine's ID-prefix matching and its
// "ambiguous" answer.
func (e *Engine) networkID(ctx context.Context, name string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("inspect network: empty name: %w", ErrNotFound)
	}
	list, err := e.cli.NetworkList(ctx, network.ListOptions{Filters: filters.NewArgs(filters.Arg("name", name))})
	if err != nil {
		return "", e.wrap(fmt.Sprintf("inspect network %q", name), err)
	}
	var ids []string
	for _, n := range list {
		if n.Name == name {
			ids = append(ids, n.ID)
		}
	}
	switch len(ids) {
	case 0:
		return "", fmt.Errorf("inspect network %q: %w", name, ErrNotFound)
	case 1:
		return ids[0], nil
	}
	sort.Strings(ids)
	return "", fmt.Errorf("inspect network %q: %d networks share this name (IDs %s); remove the extra ones with `docker network rm ID`", name, len(ids), strings.Join(ids, ", "))
}

// InspectVolume returns the volume with exactly this name. An absent volume
// yields an error wrapping ErrNotFound.
func (e *Engine) InspectVolume(ctx context.Context, name string) (Volume, error) {
	if name == "" {
		return Volume{}, fmt.Errorf("inspect volume: empty name: %w", ErrNotFound)
	}
	v, err := e.cli.VolumeInspect(ctx, name)
	if err != nil {
		return Volume{}, e.wrap(fmt.Sprintf("inspect volume %q", name), err)
	}
	if v.Name != name {
		return Volume{}, fmt.Errorf("inspect volume %q: %w", name, ErrNotFound)
	}
	return Volume{Name: v.Name, Driver: v.Driver, Labels: v.Labels}, nil
}

// InspectImage returns the image that ref names exactly: a reference such as
// busybox:1.36 (busybox meaning busybox:latest) or name@digest, or a full
// image ID. An absent image yields an error wrapping ErrNotFound.
func (e *Engine) InspectImage(ctx context.Context, ref string) (Image, error) {
	if ref == "" {
		return Image{}, fmt.Errorf("inspect image: empty reference: %w", ErrNotFound)
	}
	img, err := e.cli.ImageInspect(ctx, ref)
	if err != nil {
		return Image{}, e.wrap(fmt.Sprintf("inspect image %q", ref), err)
	}
	ok, err := imageMatches(ref, img.ID, img.RepoTags, img.RepoDigests)
	if err != nil {
		return Image{}, fmt.Errorf("inspect image %q: %w", ref, err)
	}
	if !ok {
		return Image{}, fmt.Errorf("inspect image %q: %w", ref, ErrNotFound)
	}
	out := Image{ID: img.ID, Tags: img.RepoTags, Layers: img.RootFS.Layers, Size: img.Size, Built: img.Metadata.LastTagTime}
	if created, err := time.Parse(time.RFC3339Nano, img.Created); err == nil && created.After(out.Built) {
		out.Built = created
	}
	if cfg := img.Config; cfg != nil {
		out.Cmd, out.Entrypoint, out.Labels = cfg.Cmd, cfg.Entrypoint, cfg.Labels
		out.Env, out.User, out.WorkingDir = cfg.Env, cfg.User, cfg.WorkingDir
		out.ExposedPorts = slices.Sorted(maps.Keys(cfg.ExposedPorts))
	}
	return out, nil
}

// imageMatches reports whether the image with these ID, tags and digests is
// exactly what ref names, rather than an ID-prefix match.
func imageMatches(ref, id string, tags, digests []string) (bool, error) {
	if hexID, ok := strings.CutPrefix(ref, "sha256:"); ok || isFullHexID(ref) {
		return "sha256:"+hexID == id, nil
	}
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return false, fmt.Errorf("invalid image reference: %w", err)
	}
	same := func(candidates []string, want string) bool {
		for _, c := range candidates {
			n, err := reference.ParseNormalizedNamed(c)
			if err == nil && n.String() == want {
				return true
			}
		}
		return false
	}
	if canonical, ok := named.(reference.Canonical); ok {
		want := named.Name() + "@" + canonical.Digest().String()
		return same(digests, want), nil
	}
	return same(tags, reference.TagNameOnly(named).String()), nil
}

func isFullHexID(s string) bool { return len(s) == 64 && hexDigits(s) }

// AnonymousVolume reports whether name is the name the engine gives a
// volume made with a container (`-v /data`, a VOLUME of its image): 64
// hex digits, as an ID.
func AnonymousVolume(name string) bool { return isFullHexID(name) }

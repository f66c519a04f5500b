package sandbox

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
)

// Names lists the names of every object of one kind on the engine, whoever
// made it: "container" (running or not), "network", "volume", or "image"
// (its tags, as docker shows them: busybox:1.36). It only reads, and only
// names: it is how a check recognises a near miss of a name a lesson asks
// for ("found dojo_web; did you mean dojo-web?").
func (e *Engine) Names(ctx context.Context, kind string) ([]string, error) {
	var names []string
	switch kind {
	case "container":
		list, err := e.cli.ContainerList(ctx, container.ListOptions{All: true})
		if err != nil {
			return nil, e.wrap("list containers", err)
		}
		for _, c := range list {
			names = append(names, containerName(c.Names, c.ID))
		}
	case "network":
		list, err := e.cli.NetworkList(ctx, network.ListOptions{})
		if err != nil {
			return nil, e.wrap("list networks", err)
		}
		for _, n := range list {
			names = append(names, n.Name)
		}
	case "volume":
		list, err := e.cli.VolumeList(ctx, volume.ListOptions{})
		if err != nil {
			return nil, e.wrap("list volumes", err)
		}
		for _, v := range list.Volumes {
			if v != nil {
				names = append(names, v.Name)
			}
		}
	case "image":
		list, err := e.cli.ImageList(ctx, image.ListOptions{})
		if err != nil {
			return nil, e.wrap("list images", err)
		}
		for _, im := range list {
			for _, tag := range im.RepoTags {
				if tag != "<none>:<none>" {
					names = append(names, tag)
				}
			}
		}
	default:
		return nil, fmt.Errorf("list names: unknown kind of object %q", kind)
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// PortHolders lists, by name, the running containers that publish the host
// port port ("8080/tcp", "53/udp"): the ones holding it, as far as the
// engine knows.
func (e *Engine) PortHolders(ctx context.Context, port string) ([]string, error) {
	list, err := e.cli.ContainerList(ctx, container.ListOptions{Filters: filters.NewArgs(filters.Arg("publish", port))})
	if err != nil {
		return nil, e.wrap("list containers publishing "+port, err)
	}
	var names []string
	for _, c := range list {
		names = append(names, containerName(c.Names, c.ID))
	}
	slices.Sort(names)
	return names, nil
}

// ListUnlabelled lists, by name, every container (running or not),
// network, volume and image tag on the engine that dockdojo did not make
// (none carries LabelManaged): what is someone else's. The four lists are
// asked side by side; each is one request, a few milliseconds on an
// engine of some hundred objects.
func (e *Engine) ListUnlabelled(ctx context.Context) (Removed, error) {
	var out Removed
	var errs [4]error
	ours := func(labels map[string]string) bool { return labels[LabelManaged] == "true" }
	var wg sync.WaitGroup
	wg.Go(func() {
		list, err := e.cli.ContainerList(ctx, container.ListOptions{All: true})
		if err != nil {
			errs[0] = e.wrap("list containers", err)
			return
		}
		for _, c := range list {
			if !ours(c.Labels) {
				out.Containers = append(out.Containers, containerName(c.Names, c.ID))
			}
		}
	})
	wg.Go(func() {
		list, err := e.cli.NetworkList(ctx, network.ListOptions{})
		if err != nil {
			errs[1] = e.wrap("list networks", err)
			return
		}
		for _, n := range list {
			if !ours(n.Labels) {
				out.Networks = append(out.Networks, n.Name)
			}
		}
	})
	wg.Go(func() {
		list, err := e.cli.VolumeList(ctx, volume.ListOptions{})
		if err != nil {
			errs[2] = e.wrap("list volumes", err)
			return
		}
		for _, v := range list.Volumes {
			if v != nil && !ours(v.Labels) {
				out.Volumes = append(out.Volumes, v.Name)
			}
		}
	})
	wg.Go(func() {
		list, err := e.cli.ImageList(ctx, image.ListOptions{})
		if err != nil {
			errs[3] = e.wrap("list images", err)
			return
		}
		for _, im := range list {
			if ours(im.Labels) {
				continue
			}
			for _, tag := range im.RepoTags {
				if tag != "<none>:<none>" {
					out.Images = append(out.Images, tag)
				}
			}
		}
	})
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return Removed{}, err
	}
	for _, l := range []*[]string{&out.Containers, &out.Networks, &out.Volumes, &out.Images} {
		slices.Sort(*l)
	}
	return out, nil
}

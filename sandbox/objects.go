package sandbox

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"

	"github.com/dockdojo/dockdojo/internal/regfile"
)

// CreateNetwork creates a network with this name and driver ("" for the
// engine's default, bridge) carrying labels plus LabelManaged.
func (e *Engine) CreateNetwork(ctx context.Context, name, driver string, labels map[string]string) error {
	_, err := e.cli.NetworkCreate(ctx, name, network.CreateOptions{
		Driver: driver,
		Labels: withLabels(labels, nil),
	})
	if err != nil {
		return e.wrap(fmt.Sprintf("create network %q", name), err)
	}
	return nil
}

// SandboxNetwork is the network of every sandbox that names none: a
// bridge of dockdojo's own on which containers cannot reach one another.
// On the engine's default bridge a sandbox (and the command a lesson gives
// it) would reach every container of the learner's that has no network of
// its own, unpublished ports too; here it reaches none, and still the
// internet, as a container on the default bridge does.
const SandboxNetwork = "dockdojo-sandboxes"

// EnsureSandboxNetwork makes SandboxNetwork when it is not there, and
// returns the ID of the one to join. A network of that name that dockdojo
// did not make is not joined.
//
// The engine's check for a network of the same name is not atomic: starts
// at the same moment (a self-test's, two terminals') can make one each.
// Those starts are kept one at a time on this machine where they share a
// temporary folder; where they do not, every start picks the same one of
// the twins (the oldest) and removes the others it can, so all sandboxes
// meet on one network and the name is soon one network's again.
func (e *Engine) EnsureSandboxNetwork(ctx context.Context) (string, error) {
	if id, err := e.sandboxNetwork(ctx); id != "" || err != nil {
		return id, err
	}
	unlock, err := lockFile(ctx, e.ep.Host, "sandbox-network")
	if err != nil {
		return "", err
	}
	defer unlock()
	if id, err := e.sandboxNetwork(ctx); id != "" || err != nil {
		return id, err
	}
	_, err = e.cli.NetworkCreate(ctx, SandboxNetwork, network.CreateOptions{
		Driver:  "bridge",
		Labels:  withLabels(nil, nil),
		Options: map[string]string{"com.docker.network.bridge.enable_icc": "false"},
	})
	if err != nil {
		return "", e.wrap(fmt.Sprintf("create network %q", SandboxNetwork), err)
	}
	id, err := e.sandboxNetwork(ctx)
	if id == "" && err == nil {
		err = fmt.Errorf("network %s was made, then was gone", SandboxNetwork)
	}
	return id, err
}

// sandboxNetwork is the ID of SandboxNetwork, "" when there is none: the
// oldest of twins, whose others go when no container uses them.
func (e *Engine) sandboxNetwork(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, AnswerTimeout)
	defer cancel()
	list, err := e.cli.NetworkList(ctx, network.ListOptions{Filters: filters.NewArgs(filters.Arg("name", "^"+SandboxNetwork+"$"))})
	if err != nil {
		return "", e.wrap("list networks", err)
	}
	list = slices.DeleteFunc(list, func(n network.Summary) bool { return n.Name != SandboxNetwork })
	if len(list) == 0 {
		return "", nil
	}
	for _, n := range list {
		if n.Labels[LabelManaged] != "true" {
			return "", fmt.Errorf("a network named %s exists that dockdojo did not make, and sandboxes join only dockdojo's own: remove or rename it (`docker network rm %s`)", SandboxNetwork, SandboxNetwork)
		}
	}
	slices.SortFunc(list, func(a, b network.Summary) int { return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID)) })
	for _, twin := range list[1:] {
		_ = e.cli.NetworkRemove(ctx, twin.ID) // in use: it stays, and goes with clean
	}
	return list[0].ID, nil
}

// EngineLock is the file lock named for what and the engine at host, in
// the temporary folder, so that it holds across the processes and users of
// this machine that share it, and a process that dies holds nothing. It is
// opened read-only, so that a lock file another user made can be taken.
func EngineLock(host, what string) *regfile.Lock {
	sum := sha256.Sum256([]byte(host))
	path := filepath.Join(os.TempDir(), "dockdojo-"+what+"-"+hex.EncodeToString(sum[:6])+".lock")
	return regfile.NewLock(path, 0o666)
}

// lockFile takes a file lock named for what and the engine at host, in
// the temporary folder, so that it holds across processes and users of
// this machine; it waits for it until ctx ends, or ChangeTimeout.
func lockFile(ctx context.Context, host, what string) (unlock func(), err error) {
	l := EngineLock(host, what)
	path := l.Path()
	ctx, cancel := context.WithTimeout(ctx, ChangeTimeout)
	defer cancel()
	ok, err := l.TryLockContext(ctx, 20*time.Millisecond)
	var notFile *regfile.LockError
	if errors.As(err, &notFile) {
		return nil, fmt.Errorf("make the network %s: %w", SandboxNetwork, err)
	}
	if err != nil || !ok {
		return nil, fmt.Errorf("wait for another dockdojo to make the network %s (lock %s): %w", SandboxNetwork, path, cmp.Or(err, ctx.Err()))
	}
	return func() { _ = l.Unlock() }, nil
}

// CreateVolume creates a volume with this name carrying labels plus
// LabelManaged. The engine answers a create for an existing name with the
// existing volume; when that volume lacks these labels it is not dockdojo's
// to take over, and CreateVolume says so.
func (e *Engine) CreateVolume(ctx context.Context, name string, labels map[string]string) error {
	want := withLabels(labels, nil)
	v, err := e.cli.VolumeCreate(ctx, volume.CreateOptions{Name: name, Labels: want})
	if err != nil {
		return e.wrap(fmt.Sprintf("create volume %q", name), err)
	}
	for k, val := range want {
		if v.Labels[k] != val {
			return fmt.Errorf("create volume %q: a volume with this name already exists and was not created by this exercise; remove it with `docker volume rm %s` or pick another name", name, name)
		}
	}
	return nil
}

// labelFilter selects objects carrying LabelManaged=true and every given label.
func labelFilter(labels map[string]string) filters.Args {
	args := filters.NewArgs(filters.Arg("label", LabelManaged+"=true"))
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		if k == LabelManaged {
			continue
		}
		args.Add("label", k+"="+labels[k])
	}
	return args
}

// labelled is one object found by label.
type labelled struct{ id, name string }

// found is what carries LabelManaged=true and a set of labels.
type found struct{ containers, networks, volumes, images []labelled }

// SweepOption narrows what ListLabelled and RemoveLabelled look for.
type SweepOption func(*sweep)

type sweep struct{ noImages bool }

// WithoutImages leaves images out, for objects whose owner never builds one.
// Of the four lists the image list costs the engine the most (it reads every
// image it has to filter them), and every start and reset makes one.
func WithoutImages() SweepOption { return func(s *sweep) { s.noImages = true } }

// findLabelled lists the containers, networks, volumes and images that
// carry LabelManaged=true and all the given labels, each sorted by name.
// The four lists are asked side by side: every start and reset makes them.
// It never lists unfiltered.
func (e *Engine) findLabelled(ctx context.Context, labels map[string]string, opts []SweepOption) (found, error) {
	var sw sweep
	for _, o := range opts {
		o(&sw)
	}
	f := labelFilter(labels)
	var out found
	var errs [4]error
	var wg sync.WaitGroup
	wg.Go(func() {
		containers, err := e.cli.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
		if err != nil {
			errs[0] = e.wrap("list containers", err)
			return
		}
		for _, c := range containers {
			out.containers = append(out.containers, labelled{c.ID, containerName(c.Names, c.ID)})
		}
	})
	wg.Go(func() {
		networks, err := e.cli.NetworkList(ctx, network.ListOptions{Filters: f})
		if err != nil {
			errs[1] = e.wrap("list networks", err)
			return
		}
		for _, n := range networks {
			out.networks = append(out.networks, labelled{n.ID, n.Name})
		}
	})
	wg.Go(func() {
		volumes, err := e.cli.VolumeList(ctx, volume.ListOptions{Filters: f})
		if err != nil {
			errs[2] = e.wrap("list volumes", err)
			return
		}
		for _, v := range volumes.Volumes {
			if v != nil {
				out.volumes = append(out.volumes, labelled{v.Name, v.Name})
			}
		}
	})
	if !sw.noImages {
		wg.Go(func() { out.images, errs[3] = e.findImages(ctx, labels) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return found{}, err
		}
	}
	byName := func(a, b labelled) int { return strings.Compare(a.name, b.name) }
	slices.SortFunc(out.containers, byName)
	slices.SortFunc(out.networks, byName)
	slices.SortFunc(out.volumes, byName)
	return out, nil
}

// containerName picks a container's own name from a list entry, which also
// carries legacy link aliases such as "/other/alias".
func containerName(names []string, id string) string {
	for _, n := range names {
		n = strings.TrimPrefix(n, "/")
		if n != "" && !strings.Contains(n, "/") {
			return n
		}
	}
	return id
}

func names(objs []labelled) []string {
	var out []string
	for _, o := range objs {
		out = append(out, o.name)
	}
	return out
}

// ListLabelled lists the containers, networks and volumes that
// RemoveLabelled would remove, by name.
func (e *Engine) ListLabelled(ctx context.Context, labels map[string]string, opts ...SweepOption) (Removed, error) {
	f, err := e.findLabelled(ctx, labels, opts)
	if err != nil {
		return Removed{}, err
	}
	return Removed{Containers: names(f.containers), Networks: names(f.networks), Volumes: names(f.volumes), Images: names(f.images)}, nil
}

// findImages lists the images dockdojo built (checks that build a learner's
// workspace) carrying all the given labels.
func (e *Engine) findImages(ctx context.Context, labels map[string]string) ([]labelled, error) {
	list, err := e.cli.ImageList(ctx, image.ListOptions{Filters: labelFilter(labels)})
	if err != nil {
		return nil, e.wrap("list images", err)
	}
	var out []labelled
	for _, im := range list {
		name := im.ID
		if len(im.RepoTags) > 0 && im.RepoTags[0] != "<none>:<none>" {
			name = im.RepoTags[0]
		}
		out = append(out, labelled{im.ID, name})
	}
	slices.SortFunc(out, func(a, b labelled) int { return strings.Compare(a.name, b.name) })
	return out, nil
}

// RemoveLabelled force-removes every container (with its anonymous volumes),
// then every network, then every volume, then every image that carries LabelManaged=true and
// all the given labels; it never removes unfiltered. It returns what it
// removed by name. An object it could not remove, such as a network still
// used by a container dockdojo did not create, stays and is named in the
// error, and the rest is still removed.
func (e *Engine) RemoveLabelled(ctx context.Context, labels map[string]string, opts ...SweepOption) (Removed, error) {
	f, err := e.findLabelled(ctx, labels, opts)
	if err != nil {
		return Removed{}, err
	}
	var removed Removed
	var errs []error
	for _, c := range f.containers {
		err := e.cli.ContainerRemove(ctx, c.id, container.RemoveOptions{Force: true, RemoveVolumes: true})
		switch {
		case err == nil:
			removed.Containers = append(removed.Containers, c.name)
		case beingRemoved(err): // going meanwhile, e.g. auto-removed
			if err := e.waitRemoved(ctx, c.id, c.name); err != nil {
				errs = append(errs, err)
			}
		default:
			errs = append(errs, e.wrap(fmt.Sprintf("remove container %q", c.name), err))
		}
	}
	for _, n := range f.networks {
		err := e.cli.NetworkRemove(ctx, n.id)
		switch {
		case err == nil:
			removed.Networks = append(removed.Networks, n.name)
		case cerrdefs.IsNotFound(err):
		default:
			errs = append(errs, e.networkInUse(ctx, n, err))
		}
	}
	for _, v := range f.volumes {
		err := e.cli.VolumeRemove(ctx, v.id, false)
		switch {
		case err == nil:
			removed.Volumes = append(removed.Volumes, v.name)
		case cerrdefs.IsNotFound(err):
		default:
			errs = append(errs, e.volumeInUse(ctx, v.name, fmt.Sprintf("remove volume %q (left in place)", v.name), err))
		}
	}
	for _, im := range f.images {
		// Not pruned: the untagged parents of a build are the learner's
		// build cache too, which a build beside may be taking a step from
		// (see RemoveImage). Only the steps that added dockdojo's labels
		// go with the image.
		steps := e.labelSteps(ctx, im.id)
		_, err := e.cli.ImageRemove(ctx, im.id, image.RemoveOptions{Force: true})
		if cerrdefs.IsConflict(err) {
			// dockdojo's own containers of the image (probes removing
			// themselves) may still be going: wait for them, then again.
			if werr := e.waitImageUnused(ctx, im.id); werr != nil {
				errs = append(errs, werr)
				continue
			}
			_, err = e.cli.ImageRemove(ctx, im.id, image.RemoveOptions{Force: true})
		}
		if err == nil {
			for _, id := range steps {
				// Another build's of the same labels stands on it: it
				// goes with that one.
				if _, err := e.cli.ImageRemove(ctx, id, image.RemoveOptions{}); err != nil {
					break
				}
			}
		}
		switch {
		case err == nil:
			removed.Images = append(removed.Images, im.name)
		// Engine 20.10 answers "unrecognized image ID" for an image removed
		// between the listing and now.
		case cerrdefs.IsNotFound(err), strings.Contains(err.Error(), "unrecognized image ID"):
		default:
			errs = append(errs, e.wrap(fmt.Sprintf("remove image %q (left in place)", im.name), err))
		}
	}
	return removed, errors.Join(errs...)
}

// maxLabelSteps bounds the walk of labelSteps: a build adds one step a
// label.
const maxLabelSteps = 8

// labelSteps lists the untagged parents of dockdojo's image id that carry
// a label of dockdojo's, nearest first: the steps the classic builder adds,
// one a label, after the Dockerfile's own (those stay: they are the same
// layers as the learner's build of that Dockerfile).
func (e *Engine) labelSteps(ctx context.Context, id string) []string {
	img, err := e.cli.ImageInspect(ctx, id)
	var steps []string
	for err == nil && img.Parent != "" && len(steps) < maxLabelSteps {
		parent, perr := e.cli.ImageInspect(ctx, img.Parent)
		if perr != nil || len(parent.RepoTags) > 0 || parent.Config == nil || !hasOurLabel(parent.Config.Labels) {
			break
		}
		steps = append(steps, parent.ID)
		img = parent
	}
	return steps
}

// hasOurLabel reports whether labels hold one of dockdojo's label keys.
func hasOurLabel(labels map[string]string) bool {
	for k := range labels {
		if strings.HasPrefix(k, labelPrefix) {
			return true
		}
	}
	return false
}

// imageFreeWait bounds how long a removal waits for dockdojo's own
// containers of an image to go.
const imageFreeWait = 15 * time.Second

// waitImageUnused waits until no container uses the image id, as long as
// all that use it are dockdojo's and on their way out; a container of the
// learner's that uses it is said at once.
func (e *Engine) waitImageUnused(ctx context.Context, id string) error {
	ctx, cancel := context.WithTimeout(ctx, imageFreeWait)
	defer cancel()
	for {
		cs, err := e.cli.ContainerList(ctx, container.ListOptions{All: true, Filters: filters.NewArgs(filters.Arg("ancestor", id))})
		if err != nil {
			return e.wrap("remove image: list its containers", err)
		}
		var ours []string
		for _, c := range cs {
			if c.Labels[LabelManaged] != "true" {
				return fmt.Errorf("remove image %s (left in place): your container %s uses it", shortID(id), strings.TrimPrefix(firstName(c.Names), "/"))
			}
			ours = append(ours, c.ID)
		}
		if len(ours) == 0 {
			return nil
		}
		for _, c := range ours {
			if err := e.cli.ContainerRemove(ctx, c, container.RemoveOptions{Force: true}); err != nil && !beingRemoved(err) {
				return e.wrap("remove image: remove its container", err)
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("remove image %s (left in place): dockdojo's containers of it did not go within %s", shortID(id), imageFreeWait)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func shortID(id string) string {
	id = strings.TrimPrefix(id, "sha256:")
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

func firstName(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return names[0]
}

// networkInUse explains a failed network removal, naming the containers that
// still use the network when there are any: the engine's own words ("has
// active endpoints") name none.
func (e *Engine) networkInUse(ctx context.Context, n labelled, cause error) error {
	ins, err := e.cli.NetworkInspect(ctx, n.id, network.InspectOptions{})
	if err != nil || len(ins.Containers) == 0 {
		return e.wrap(fmt.Sprintf("remove network %q (left in place)", n.name), cause)
	}
	var users []string
	for _, r := range ins.Containers {
		users = append(users, r.Name)
	}
	sort.Strings(users)
	return fmt.Errorf("remove network %q: left in place because %s still %s it: %s; disconnect %s with `docker network disconnect %s %s`, or remove %s, then try again",
		n.name, plural(len(users), "this container", "these containers"), plural(len(users), "uses", "use"), strings.Join(users, ", "),
		plural(len(users), "it", "each"), n.name, plural(len(users), users[0], "NAME"), plural(len(users), "it", "them"))
}

// plural is one when n is 1, many otherwise.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// RemoveContainer force-removes the container with exactly this name, with
// its anonymous volumes. An absent container yields an error wrapping
// ErrNotFound.
func (e *Engine) RemoveContainer(ctx context.Context, name string) error {
	c, err := e.inspectContainer(ctx, name)
	if err != nil {
		return err
	}
	if err := e.cli.ContainerRemove(ctx, c.ID, container.RemoveOptions{Force: true, RemoveVolumes: true}); err != nil {
		if beingRemoved(err) {
			return e.waitRemoved(ctx, c.ID, name)
		}
		return e.wrap(fmt.Sprintf("remove container %q", name), err)
	}
	return nil
}

// waitRemoved returns once the container the engine is removing (one run
// with --rm that stopped, or one removed by another command) is gone, so
// that its name is free again; it waits ChangeTimeout at most.
func (e *Engine) waitRemoved(ctx context.Context, id, name string) error {
	ctx, cancel := context.WithTimeout(ctx, ChangeTimeout)
	defer cancel()
	waitC, errC := e.cli.ContainerWait(ctx, id, container.WaitConditionRemoved)
	select {
	case <-waitC:
		return nil
	case err := <-errC:
		switch {
		case cerrdefs.IsNotFound(err):
			return nil
		case errors.Is(err, context.DeadlineExceeded):
			return fmt.Errorf("remove container %q: the engine was still removing it after %s", name, ChangeTimeout)
		}
		return e.wrap(fmt.Sprintf("wait for container %q to be removed", name), err)
	}
}

// RemoveNetwork removes the network with exactly this name. An absent
// network yields an error wrapping ErrNotFound.
func (e *Engine) RemoveNetwork(ctx context.Context, name string) error {
	id, err := e.networkID(ctx, name)
	if err != nil {
		return err
	}
	if err := e.cli.NetworkRemove(ctx, id); err != nil {
		if cerrdefs.IsNotFound(err) {
			return e.wrap(fmt.Sprintf("remove network %q", name), err)
		}
		return e.networkInUse(ctx, labelled{id: id, name: name}, err)
	}
	return nil
}

// RemoveVolume removes the volume with exactly this name. An absent volume
// yields an error wrapping ErrNotFound.
func (e *Engine) RemoveVolume(ctx context.Context, name string) error {
	if _, err := e.InspectVolume(ctx, name); err != nil {
		return err
	}
	if err := e.cli.VolumeRemove(ctx, name, false); err != nil {
		return e.volumeInUse(ctx, name, fmt.Sprintf("remove volume %q", name), err)
	}
	return nil
}

// volumeInUse explains a failed removal (op) of the volume name: the
// engine's own words ("volume is in use - [ID, ID]") name neither the
// containers nor what to do, so when containers still use it, it names
// them, stopped ones too (they hold it as well), and says how to free it.
func (e *Engine) volumeInUse(ctx context.Context, name, op string, cause error) error {
	err := e.wrap(op, cause)
	if !errors.Is(err, ErrConflict) {
		return err
	}
	cs, lerr := e.cli.ContainerList(ctx, container.ListOptions{All: true, Filters: filters.NewArgs(filters.Arg("volume", name))})
	if lerr != nil || len(cs) == 0 {
		return err
	}
	users := make([]string, len(cs))
	for i, c := range cs {
		users[i] = strings.TrimPrefix(firstName(c.Names), "/")
	}
	sort.Strings(users)
	if len(users) == 1 {
		return inUseError{fmt.Sprintf("the volume %s is used by the container %s: remove that container first (`docker rm -f %s`, or reset the exercise that made it), then try again", name, users[0], users[0])}
	}
	return inUseError{fmt.Sprintf("the volume %s is used by the containers %s: remove them first (`docker rm -f %s`, or reset the exercises that made them), then try again", name, strings.Join(users, ", "), strings.Join(users, " "))}
}

// RemoveImage removes the image that ref names exactly (see InspectImage):
// a tag is untagged, and the image deleted when no tag is left. The
// untagged images it was built on stay (`docker rmi --no-prune`): they are
// the engine's build cache, which another build may be using at that very
// moment (the self-test saw a build fail with "failed to get digest" when
// a reset beside it pruned a layer both had built), and they are not
// named. RemoveLabelled leaves them too, for dockdojo's own builds, whose
// steps before the labels are the same layers as the learner's build of
// the same Dockerfile. An absent image yields an error wrapping ErrNotFound.
// A ref that is no name (see NamedImage) is refused before the engine is
// asked anything: the engine would remove whatever image the ID or digest
// names, one that dockdojo did not make among them.
func (e *Engine) RemoveImage(ctx context.Context, ref string) error {
	switch err := NamedImage(ref); {
	case errors.Is(err, ErrImageID), errors.Is(err, ErrImageDigest):
		return fmt.Errorf("refuse to remove the image: %w; dockdojo removes an image only by its name, as an ID or a digest names whatever image has it", err)
	case err != nil:
		return fmt.Errorf("remove image: %w", err)
	}
	if _, err := e.InspectImage(ctx, ref); err != nil {
		return err
	}
	if _, err := e.cli.ImageRemove(ctx, ref, image.RemoveOptions{}); err != nil {
		err = e.wrap(fmt.Sprintf("remove image %q", ref), err)
		if errors.Is(err, ErrConflict) {
			// The engine's own words ("must force", and ErrConflict's "name
			// already in use") do not say what to do: name the container.
			cs, lerr := e.cli.ContainerList(ctx, container.ListOptions{All: true, Filters: filters.NewArgs(filters.Arg("ancestor", ref))})
			if lerr == nil && len(cs) > 0 {
				name := strings.TrimPrefix(firstName(cs[0].Names), "/")
				return inUseError{fmt.Sprintf("the image %s is used by the container %s: remove that container first (`docker rm -f %s`, or reset the exercise that made it), then try again", ref, name, name)}
			}
		}
		return err
	}
	return nil
}

// inUseError is an object that cannot go while another uses it, said in
// the learner's words; it is an ErrConflict.
type inUseError struct{ msg string }

func (e inUseError) Error() string { return e.msg }
func (e inUseError) Unwrap() error { return ErrConflict }

// Package exercise owns the life of one exercise on the engine: its
// workspace folder, its sandbox and the objects it creates (all labelled), the
// run of its checks, and its reset. The command line and the self-test both
// go through it, so a learner and an instructor see the same behaviour.
package exercise

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/internal/regfile"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
)

// SandboxName is the container name of an exercise's sandbox.
func SandboxName(ex *lessons.Exercise) string { return ex.SandboxName() }

// Workspace is the exercise's folder under root: root/lesson/exercise. An
// exercise that continues another works in the folder of the first
// exercise of its chain, where the learner's files are.
func Workspace(root string, ex *lessons.Exercise) string {
	first := ex.First()
	return filepath.Join(root, first.Lesson.ID, first.ID)
}

// Labels are the labels of everything made for the exercise, in any run.
func Labels(ex *lessons.Exercise) map[string]string {
	return map[string]string{sandbox.LabelExercise: ex.Key()}
}

// sweep is what a start or reset of the exercise looks for under its
// labels: images only when a check of it builds one (image_run's build),
// since listing images is the engine's costliest list. An image a check
// built before the lesson dropped that check stays until `dockdojo clean`.
func sweep(ex *lessons.Exercise) []sandbox.SweepOption {
	for _, ch := range ex.Checks {
		if r, ok := ch.Spec.(*checker.ImageRun); ok && r.Build != "" {
			return nil
		}
	}
	return []sandbox.SweepOption{sandbox.WithoutImages()}
}

// Output is where long steps (image pulls) report progress.
type Output struct {
	W      io.Writer
	Fd     uintptr
	IsTerm bool
}

// Started is what Start did.
type Started struct {
	Run       string   // run id put on every object of this start
	Workspace string   // the workspace folder
	Sandbox   string   // sandbox container name, "" when the exercise has none
	Seeded    []string // starter files copied (files already there are kept)
	Warnings  []string // e.g. an object under a name the exercise asks for already exists
}

// Start prepares the exercise: it removes what an earlier start left, seeds
// the workspace (never overwriting the learner's files), and starts the
// hardened sandbox with its volumes and network.
func Start(ctx context.Context, eng *sandbox.Engine, ex *lessons.Exercise, wsRoot string, out Output) (Started, error) {
	st := Started{Run: newRunID(), Workspace: Workspace(wsRoot, ex)}
	// Before anything on the engine: a file where the folder goes is the
	// learner's, and the start would fail on it halfway.
	if err := regfile.InTheWay("workspace folder", st.Workspace); err != nil {
		return st, err
	}
	st.Warnings = append(st.Warnings, UnfinishedBackups(st.Workspace)...)
	warnings, err := ownedExisting(ctx, eng, ex)
	if err != nil {
		return st, err
	}
	for _, w := range warnings {
		st.Warnings = append(st.Warnings, w+"; it may be left from an earlier try (`dockdojo reset "+ex.Key()+"` removes it after asking)")
	}
	if _, err := eng.RemoveLabelled(ctx, Labels(ex), sweep(ex)...); err != nil {
		return st, fmt.Errorf("remove the earlier sandbox of %s: %w", ex.Key(), err)
	}
	if testHookSwept != nil {
		testHookSwept()
	}
	taken, err := takenPorts(ctx, eng, ex)
	if err != nil {
		return st, err
	}
	st.Warnings = append(st.Warnings, taken...)
	if st.Seeded, err = Seed(ex, st.Workspace); err != nil {
		return st, err
	}
	if ex.Sandbox == nil {
		return st, nil
	}
	sb := ex.Sandbox
	labels := Labels(ex)
	labels[sandbox.LabelRun] = st.Run
	if _, err := eng.EnsureImage(ctx, sb.Image, out.W, out.Fd, out.IsTerm); err != nil {
		return st, fmt.Errorf("get image %s: %w", sb.Image, err)
	}
	spec := sandbox.ContainerSpec{
		Name:     SandboxName(ex),
		Image:    sb.Image,
		Cmd:      sb.Command,
		Env:      sb.Env,
		Workdir:  sb.Workdir,
		Hostname: sb.Hostname,
		Network:  sb.Network,
		Labels:   labels,
		Ports:    map[string]string{},
	}
	for _, p := range sb.Ports {
		host, ctr, _ := strings.Cut(p, ":")
		if !strings.Contains(ctr, "/") {
			ctr += "/tcp"
		}
		spec.Ports[ctr] = host
	}
	for _, c := range sb.CapAdd {
		spec.CapAdd = append(spec.CapAdd, strings.TrimPrefix(strings.ToUpper(c.Name), "CAP_"))
	}
	// Everything is looked at before anything is made: a start refused for
	// a name that is not dockdojo's leaves nothing of its own behind.
	var makeNetwork string
	if n := sb.Network; n == "" || n == "bridge" || n == "default" {
		id, err := eng.EnsureSandboxNetwork(ctx)
		if err != nil {
			return st, err
		}
		spec.Network = id
	} else if n != "none" {
		found, err := eng.InspectNetwork(ctx, n)
		again, err := madeBefore(ex, "network", n, found.Labels, err, "the sandbox joins only a network of its own: ")
		if err != nil {
			return st, err
		}
		if !again {
			makeNetwork = n
		}
	}
	// A sandbox of the chain that runs now, and can write into the
	// workspace, is paused while a folder in it is looked at and mounted
	// (see sandbox.PauseWriters), then goes on as it was.
	if slices.ContainsFunc(sb.Mounts, func(m lessons.Mount) bool { return m.Type == "workspace" && m.Source != "" }) {
		real, err := filepath.EvalSymlinks(st.Workspace)
		if err != nil {
			return st, fmt.Errorf("prepare workspace mount: %w", err)
		}
		resume, err := eng.PauseWriters(ctx, real)
		defer resume()
		if err != nil {
			return st, fmt.Errorf("prepare workspace mount: %w", err)
		}
	}
	var makeVolumes []string
	for _, m := range sb.Mounts {
		ms := sandbox.MountSpec{Type: m.Type, Source: m.Source, Target: m.Target, ReadOnly: m.ReadOnly}
		switch m.Type {
		case "workspace":
			ms.Type = "bind"
			if ms.Source, err = workspaceDir(st.Workspace, m.Source); err != nil {
				return st, fmt.Errorf("prepare workspace mount: %w", err)
			}
		case "volume":
			found, err := eng.InspectVolume(ctx, m.Source)
			again, err := madeBefore(ex, "volume", m.Source, found.Labels, err, "")
			if err != nil {
				return st, err
			}
			if !again && !slices.Contains(makeVolumes, m.Source) {
				makeVolumes = append(makeVolumes, m.Source)
			}
		}
		spec.Mounts = append(spec.Mounts, ms)
	}
	shared := maps.Clone(labels)
	shared[sandbox.LabelChain] = ex.First().Key()
	if makeNetwork != "" {
		if err := eng.CreateNetwork(ctx, makeNetwork, "bridge", shared); err != nil {
			return st, err
		}
	}
	for _, v := range makeVolumes {
		if err := eng.CreateVolume(ctx, v, shared); err != nil {
			return st, err
		}
	}
	// The sandbox alone says whose workspace it was made for (see
	// FindSandbox): the chain's networks and volumes are shared.
	spec.Labels = maps.Clone(labels)
	spec.Labels[sandbox.LabelWorkspace] = st.Workspace
	if testHookMounting != nil {
		testHookMounting()
	}
	_, err = eng.RunContainer(ctx, spec)
	if errors.Is(err, sandbox.ErrConflict) {
		var held string
		if held, err = takeName(ctx, eng, ex, spec, err); held != "" {
			return st, errors.New(held)
		}
	}
	if err != nil {
		if port, ok := sandbox.PortInUse(err.Error()); ok {
			return st, fmt.Errorf("start the sandbox of %s: host port %s, which it publishes, is already in use: stop what uses it and start again", ex.Key(), port)
		}
		return st, fmt.Errorf("start the sandbox of %s: %w", ex.Key(), err)
	}
	st.Sandbox = spec.Name
	return st, nil
}

// testHookSwept, when set, runs once Start has removed the earlier sandbox.
var testHookSwept func()

// testHookMounting, when set, runs once Start has looked at the paths of
// the sandbox's mounts, just before the engine makes them.
var testHookMounting func()

// nameSettles is how long Start waits for a name the engine holds for a
// container it is still creating or removing.
const nameSettles = 10 * time.Second

// takeName handles the sandbox's name found taken (conflict) after Start
// removed the earlier sandbox. An earlier start stopped (Ctrl-C) while the
// engine was creating its sandbox, and the engine goes on creating it: the
// name is held before the container can be inspected, and the container
// appears after the sweep. So takeName waits for the holder to show (at
// most nameSettles); when it is dockdojo's own container of this exercise,
// it goes as the sweep would have removed it, and the sandbox is started
// again (err is that start's). Any other holder is left as it is, and held
// says whose the name is and how to free it.
func takeName(ctx context.Context, eng *sandbox.Engine, ex *lessons.Exercise, spec sandbox.ContainerSpec, conflict error) (held string, err error) {
	delay := 20 * time.Millisecond
	for deadline := time.Now().Add(nameSettles); ; {
		ct, err := eng.InspectContainer(ctx, spec.Name)
		switch {
		case errors.Is(err, sandbox.ErrNotFound): // held, not shown yet: wait
		case err != nil:
			return "", conflict
		case ct.Labels[sandbox.LabelManaged] != "true":
			return fmt.Sprintf("a container named %s already exists and dockdojo did not make it: remove or rename it (`docker rm -f %s`, if it is yours to remove) to start %s", spec.Name, spec.Name, ex.Key()), nil
		case ct.Labels[sandbox.LabelExercise] == "":
			return fmt.Sprintf("a container of dockdojo's is named %s already: `dockdojo clean` removes it, then start %s again", spec.Name, ex.Key()), nil
		case ct.Labels[sandbox.LabelExercise] != ex.Key():
			other := ct.Labels[sandbox.LabelExercise]
			return fmt.Sprintf("the sandbox of %s is named %s too: `dockdojo reset %s` removes it, then start %s again", other, spec.Name, other, ex.Key()), nil
		default:
			// Already being removed is a conflict too: wait for it.
			if err := eng.RemoveContainer(ctx, spec.Name); err != nil && !errors.Is(err, sandbox.ErrNotFound) && !errors.Is(err, sandbox.ErrConflict) {
				return "", err
			}
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("%w; the engine still holds the name %s for a container it is creating or removing: start %s again in a moment", conflict, spec.Name, ex.Key())
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(delay):
		}
		delay = min(2*delay, 500*time.Millisecond)
		if _, err := eng.RunContainer(ctx, spec); !errors.Is(err, sandbox.ErrConflict) {
			return "", err
		}
	}
}

// madeBefore judges what inspecting the kind of object named name found
// (its labels, or err): true when an earlier start of ex's chain made it,
// to be used again; false, to make it, when there is none; an error for
// one that dockdojo did not make, or made for an exercise ex neither goes
// on from nor leads to (why says before the remedy why it is refused), or
// for an engine that did not answer. Another lesson's sandbox volume is
// that lesson's data, and its network reaches that lesson's sandbox: a
// lesson that names them gets neither.
func madeBefore(ex *lessons.Exercise, kind, name string, labels map[string]string, err error, why string) (bool, error) {
	switch {
	case errors.Is(err, sandbox.ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	case labels[sandbox.LabelManaged] != "true":
		return false, fmt.Errorf("a %s named %s already exists and dockdojo did not make it; %sremove or rename it to start this exercise", kind, name, why)
	case !ofChain(ex, labels):
		other := cmp.Or(labels[sandbox.LabelExercise], "another exercise")
		return false, fmt.Errorf("a %s named %s already exists, made by dockdojo for %s, which %s does not go on from; %s`dockdojo reset %s` removes it, then start %s again", kind, name, other, ex.Key(), why, other, ex.Key())
	}
	return true, nil
}

// ofChain says whether labels are those of an object made for ex, for an
// exercise ex continues, or for one of the chain ex starts (LabelChain).
func ofChain(ex *lessons.Exercise, labels map[string]string) bool {
	if labels[sandbox.LabelChain] == ex.First().Key() {
		return true
	}
	for _, e := range append(ex.Chain(), ex) {
		if labels[sandbox.LabelExercise] == e.Key() {
			return true
		}
	}
	return false
}

// takenPorts warns about each host port the exercise needs (its sandbox
// publishes it, or a check asks the learner to) that is taken: a `docker
// run -p` of it would fail with "address already in use". The holder is
// named when the engine knows it (a container that publishes it); a port
// of this machine that a program holds is found by trying to listen on it,
// when the engine runs here.
func takenPorts(ctx context.Context, eng *sandbox.Engine, ex *lessons.Exercise) ([]string, error) {
	var ports []string
	if ex.Sandbox != nil {
		for _, p := range ex.Sandbox.Ports {
			host, ctr, _ := strings.Cut(p, ":")
			_, proto, _ := strings.Cut(ctr, "/")
			ports = append(ports, host+"/"+cmp.Or(proto, "tcp"))
		}
	}
	for _, c := range ex.Checks {
		ports = append(ports, c.HostPorts()...)
	}
	slices.Sort(ports)
	var warnings []string
	for _, p := range slices.Compact(ports) {
		holders, err := eng.PortHolders(ctx, p)
		if err != nil {
			return nil, err
		}
		switch {
		case slices.ContainsFunc(holders, func(n string) bool { return slices.Contains(ex.Owns.Containers, n) }):
			// One of the exercise's own containers, from an earlier try:
			// Start warns that it exists.
		case len(holders) > 0:
			warnings = append(warnings, fmt.Sprintf("host port %s, which this exercise uses, is taken by container %s; stop it (`docker stop %s`) before you publish the port", p, holders[0], holders[0]))
		case eng.HostAddress() == "127.0.0.1" && !free(p):
			warnings = append(warnings, fmt.Sprintf("host port %s, which this exercise uses, is in use by another program on this machine; stop it or free the port, or publishing it fails with \"address already in use\"", p))
		}
	}
	return warnings, nil
}

// free reports whether this machine's port ("8080/tcp") can be listened on.
func free(port string) bool {
	num, proto, _ := strings.Cut(port, "/")
	if proto == "udp" {
		c, err := net.ListenPacket("udp", ":"+num)
		if err == nil {
			c.Close()
		}
		return err == nil
	}
	l, err := net.Listen("tcp", ":"+num)
	if err == nil {
		l.Close()
	}
	return err == nil
}

// ownedExisting lists the names the exercise asks the learner to use that
// already exist, but for those the exercises it continues make: they are
// where it starts from.
func ownedExisting(ctx context.Context, eng *sandbox.Engine, ex *lessons.Exercise) ([]string, error) {
	objs, err := Owned(ctx, eng, ex)
	var warnings []string
	for _, o := range objs {
		if ownedEarlier(ex, o) {
			continue
		}
		warnings = append(warnings, fmt.Sprintf("%s %s named %s already exists", article(o.Kind), o.Kind, o.Name))
	}
	return warnings, err
}

// Object is one object of the learner's, by kind and exact name.
type Object struct {
	Kind string // container, network, volume, image
	Name string
}

// Owned lists the objects the exercise declares as the learner's that exist
// now.
func Owned(ctx context.Context, eng *sandbox.Engine, ex *lessons.Exercise) ([]Object, error) {
	return Existing(ctx, eng, ex.Owns)
}

// Existing lists the objects of these names that exist now, by kind.
func Existing(ctx context.Context, eng *sandbox.Engine, names lessons.Owns) ([]Object, error) {
	inspect := map[string]func(string) error{
		"container": func(n string) error { _, err := eng.InspectContainer(ctx, n); return err },
		"network":   func(n string) error { _, err := eng.InspectNetwork(ctx, n); return err },
		"volume":    func(n string) error { _, err := eng.InspectVolume(ctx, n); return err },
		"image":     func(n string) error { _, err := eng.InspectImage(ctx, n); return err },
	}
	var found []Object
	for _, kind := range []string{"container", "network", "volume", "image"} {
		for _, n := range names.Names(kind) {
			err := inspect[kind](n)
			switch {
			case err == nil:
				found = append(found, Object{kind, n})
			case !errors.Is(err, sandbox.ErrNotFound):
				return nil, err
			}
		}
	}
	return found, nil
}

// Seed copies the exercise's starter files into its workspace. A file that
// is already there is the learner's and is kept as it is.
//
// The sandbox may write into the workspace, links too: everything goes
// through an os.Root, so a link that leads out of the workspace (planted to
// make the next start write into the learner's home) is refused, not
// followed.
func Seed(ex *lessons.Exercise, dir string) ([]string, error) {
	if err := regfile.InTheWay("workspace folder", dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create workspace %s: %w", dir, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open workspace %s: %w", dir, err)
	}
	defer root.Close()
	var seeded []string
	budget := int64(lessons.MaxStarterExerciseBytes)
	for _, w := range ex.Workspace {
		name := filepath.FromSlash(w)
		_, err := root.Lstat(name)
		switch {
		case err == nil:
			continue
		case !errors.Is(err, fs.ErrNotExist):
			return seeded, fmt.Errorf("seed workspace file %s: %w (a link in the workspace %s leads out of the workspace; remove it)", w, err, dir)
		}
		if err := root.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return seeded, fmt.Errorf("seed workspace file %s: %w (a link in the workspace %s leads out of the workspace; remove it)", w, err, dir)
		}
		n, err := copyStarter(ex, w, root, name, budget)
		budget -= n
		if err != nil {
			return seeded, err
		}
		seeded = append(seeded, w)
	}
	return seeded, nil
}

// copyStarter streams the starter file w of ex into name under root,
// within the limits of a starter file and what is left of the exercise's
// budget; a file over them (lint refuses it, but the folder may have
// changed since) is removed again and is an error.
func copyStarter(ex *lessons.Exercise, w string, root *os.Root, name string, budget int64) (int64, error) {
	src, err := ex.Lesson.FS.Open(path.Join(ex.Lesson.Dir, w))
	if err != nil {
		return 0, fmt.Errorf("%s: starter file %s: %w", ex.Pos, w, err)
	}
	defer src.Close()
	dst, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return 0, fmt.Errorf("seed workspace file %s: %w", w, err)
	}
	limit := min(int64(lessons.MaxStarterFileBytes), budget)
	n, err := io.Copy(dst, io.LimitReader(src, limit+1))
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > limit {
		err = fmt.Errorf("%s: starter file %s is larger than the %d MiB a starter file (or all of an exercise's) may be", ex.Pos, w, limit>>20)
	}
	if err != nil {
		_ = root.Remove(name)
		return n, fmt.Errorf("seed workspace file %s: %w", w, err)
	}
	return n, nil
}

// workspaceDir makes the folder sub of the workspace ws (ws itself when sub
// is empty) and returns its real path, for a bind mount. A bind mount
// follows links on the host, so a folder that a link (which the sandbox
// may have written) makes lead out of the workspace is refused.
func workspaceDir(ws, sub string) (string, error) {
	root, err := os.OpenRoot(ws)
	if err != nil {
		return "", err
	}
	defer root.Close()
	if sub != "" {
		if err := root.MkdirAll(filepath.FromSlash(sub), 0o755); err != nil {
			return "", fmt.Errorf("%s: %w (a link in the workspace %s leads out of the workspace; remove it)", sub, err, ws)
		}
	}
	realWS, err := filepath.EvalSymlinks(ws)
	if err != nil {
		return "", err
	}
	real, err := filepath.EvalSymlinks(filepath.Join(ws, filepath.FromSlash(sub)))
	if err != nil {
		return "", err
	}
	if real != realWS && !strings.HasPrefix(real, realWS+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is a link that leads out of the workspace %s, to %s; remove it", sub, ws, real)
	}
	return real, nil
}

// Check runs the exercise's checks.
func Check(ctx context.Context, eng *sandbox.Engine, ex *lessons.Exercise, wsRoot string) (checker.Result, error) {
	env := checker.Env{
		Target:    eng,
		Exercise:  ex.Key(),
		Workspace: Workspace(wsRoot, ex),
		Labels:    Labels(ex),
		Skew:      eng.Skew,
	}
	if ex.Sandbox != nil {
		env.Sandbox = SandboxName(ex)
	}
	env.Scope = ex.Scope()
	return checker.Run(ctx, env, ex.Checks)
}

// Reset removes everything dockdojo made for the exercise and then, for each
// object the exercise declares as the learner's that exists, asks confirm and
// removes it by exact name when it says yes. Workspace files are left alone.
func Reset(ctx context.Context, eng *sandbox.Engine, ex *lessons.Exercise, confirm func([]Object) (bool, error)) (removed []string, err error) {
	return reset(ctx, eng, ex, confirm, nil)
}

// reset is Reset, for the learner's objects that only keeps (nil: all).
func reset(ctx context.Context, eng *sandbox.Engine, ex *lessons.Exercise, confirm func([]Object) (bool, error), only func(Object) bool) (removed []string, err error) {
	r, err := eng.RemoveLabelled(ctx, Labels(ex), sweep(ex)...)
	removed = append(append(append(append(removed, r.Containers...), r.Networks...), r.Volumes...), r.Images...)
	if err != nil {
		return removed, fmt.Errorf("remove the sandbox of %s: %w", ex.Key(), err)
	}
	owned, err := Owned(ctx, eng, ex)
	if only != nil {
		owned = slices.DeleteFunc(owned, func(o Object) bool { return !only(o) })
	}
	if err != nil || len(owned) == 0 {
		return removed, err
	}
	ok, err := confirm(owned)
	if err != nil || !ok {
		return removed, err
	}
	gone, err := Remove(ctx, eng, owned)
	return append(removed, gone...), err
}

// RemoveGone removes every object dockdojo made for the exercise key, by
// its label: for an exercise the course no longer has, whose sandbox a
// reset by the exercise cannot find. It reports the names removed.
func RemoveGone(ctx context.Context, eng *sandbox.Engine, key string) ([]string, error) {
	r, err := eng.RemoveLabelled(ctx, map[string]string{sandbox.LabelExercise: key})
	return append(append(append(r.Containers, r.Networks...), r.Volumes...), r.Images...), err
}

// Remove removes these objects by exact name, and reports the names of
// those that are gone (an object already absent counts as gone). Containers
// go first: networks and volumes in use cannot be removed. One that cannot
// be removed is named in the error, and the others are still removed; an
// engine that cannot be reached stops it.
func Remove(ctx context.Context, eng *sandbox.Engine, objs []Object) (removed []string, err error) {
	var errs []error
	for _, kind := range []string{"container", "network", "volume", "image"} {
		for _, o := range objs {
			if o.Kind != kind {
				continue
			}
			var err error
			switch kind {
			case "container":
				err = eng.RemoveContainer(ctx, o.Name)
			case "network":
				err = eng.RemoveNetwork(ctx, o.Name)
			case "volume":
				err = eng.RemoveVolume(ctx, o.Name)
			case "image":
				err = eng.RemoveImage(ctx, o.Name)
			}
			if err != nil && !errors.Is(err, sandbox.ErrNotFound) {
				if errors.Is(err, sandbox.ErrUnreachable) {
					return removed, err
				}
				errs = append(errs, err) // each names what it could not remove
				continue
			}
			removed = append(removed, o.Name)
		}
	}
	return removed, errors.Join(errs...)
}

// Clean removes every container, network, volume and image dockdojo made,
// for any exercise and any run, and nothing else.
func Clean(ctx context.Context, eng *sandbox.Engine) (sandbox.Removed, error) {
	return eng.RemoveLabelled(ctx, nil)
}

func newRunID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// article is "an" before a vowel, "a" otherwise: "an image", "a volume".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

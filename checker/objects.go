package checker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/dockdojo/dockdojo/internal/nearmiss"
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
// a missing one is a message, which names a near miss of the name, and
// which Run knows for what it is (see asksWhetherThere).
func container(ctx context.Context, env Env, name string) (sandbox.Container, string, error) {
	ct, msg, err := lookupNamed(ctx, env, name)
	if msg != "" && env.missing != nil {
		env.missing.Store(&msg)
	}
	return ct, msg, err
}

func lookupNamed(ctx context.Context, env Env, name string) (sandbox.Container, string, error) {
	ct, err := lookup(ctx, env, name)
	if err == nil && going(ct) {
		// As good as gone: a check that found it now would pass what
		// is not there a moment later.
		if ct.AutoRemove {
			return ct, fmt.Sprintf("container %s is being removed: it was run with --rm, so Docker removes it as soon as it stops (run it without --rm to keep it)", name), nil
		}
		return ct, fmt.Sprintf("container %s is being removed", name), nil
	}
	if !errors.Is(err, sandbox.ErrNotFound) {
		return ct, "", err
	}
	near, err := nearMiss(ctx, env, "container", name)
	if near == "" || err != nil {
		return ct, fmt.Sprintf("there is no container named %s (`docker ps -a` lists yours)", name), err
	}
	// Compose names its containers from compose.yaml and makes them anew
	// from it: a rename would be undone by the next `docker compose up`.
	if service, project := composeServiceOf(ctx, env, near); service != "" {
		return ct, fmt.Sprintf("there is no container named %s (found %s, which Docker Compose made for service %s of project %s; did you mean %s? set `container_name: %s` for that service in its compose.yaml and run `docker compose up -d` again)", name, near, service, project, name, name), nil
	}
	return ct, fmt.Sprintf("there is no container named %s (found %s; did you mean %s? `docker rename %s %s` renames it)", name, near, name, near, name), nil
}

// composeServiceOf is the Compose service and project that made the container
// name, or "" when Compose did not make it. It serves dockdojo's own
// advice on a near miss whose name the learner is shown anyway, not the
// lesson's question: so it looks past the exercise's scope, and reads
// those two labels only.
func composeServiceOf(ctx context.Context, env Env, name string) (service, project string) {
	target := env.Target
	if s, ok := target.(*scoped); ok {
		target = s.Target
	}
	ct, err := target.InspectContainer(ctx, name)
	if err != nil {
		return "", ""
	}
	return ct.Labels[composeService], ct.Labels[composeProject]
}

// going reports a container the engine is removing, or will remove at
// once: one run with --rm that has stopped.
func going(ct sandbox.Container) bool {
	return ct.State == "removing" || ct.AutoRemove && (ct.State == "exited" || ct.State == "dead")
}

// running is the container named name, which the check needs running
// because otherwise, as so says, it cannot do its part ("it cannot
// answer"). When it is not there, the message says so; when it is not
// running, the error of unmet says so and why.
func running(ctx context.Context, env Env, name, so string) (sandbox.Container, string, error) {
	ct, msg, err := container(ctx, env, name)
	if msg != "" || err != nil || ct.Running {
		return ct, msg, err
	}
	why, err := notRunning(ctx, env, ct)
	if err != nil {
		return ct, "", err
	}
	return ct, "", unmet(fmt.Sprintf("container %s is not running, so %s: %s", name, so, why))
}

// nearMiss is the name of an object of this kind on the engine that is
// nearly want (see nearmiss.Closest), or "". dockdojo's own objects
// (sandboxes, probes) are none, nor are the other names the exercise asks
// for.
func nearMiss(ctx context.Context, env Env, kind, want string) (string, error) {
	names, err := env.Target.Names(ctx, kind)
	if err != nil {
		return "", err
	}
	// A name the exercise asks for itself (dojo-net-pong beside
	// dojo-net-ping) is no slip of the other: renaming one into the
	// other would only move the failure.
	var asked []string
	switch kind {
	case "container":
		asked = env.Scope.Containers
	case "network":
		asked = env.Scope.Networks
	case "volume":
		asked = env.Scope.Volumes
	}
	names = slices.DeleteFunc(names, func(n string) bool { return strings.HasPrefix(n, "dockdojo-") || slices.Contains(asked, n) })
	if near := nearmiss.Closest(want, names); near != "" || kind != "container" {
		return near, nil
	}
	return composeNamed(want, names), nil
}

// composeNamed is the name Compose gave a container itself, without
// container_name, that the learner may have meant for want, or "": the
// service's container when want is PROJECT-SERVICE (dojo-web for
// dojo_web_1, dojo-web-1), or else the one container of a project named
// want (dojo for dojo_web_1). Its index and a v1 name's underscores put it
// beyond a slip of the hand.
func composeNamed(want string, names []string) string {
	var of []string // containers of a project named want
	for _, n := range names {
		if !composeIndexed.MatchString(n) {
			continue
		}
		base := composeKey(composeIndexed.ReplaceAllString(n, ""))
		switch {
		case base == composeKey(want):
			return n
		case strings.HasPrefix(base, composeKey(want)+"-"):
			of = append(of, n)
		}
	}
	if len(of) == 1 {
		return of[0]
	}
	return ""
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
		// It may be the learner's to build, not to pull: say what there is.
		msg, err := noImage(ctx, env, ref)
		return fmt.Sprintf("container %s was made from %s, and %s", ct.Name, ct.Image, msg), err
	}
	if err != nil {
		return "", err
	}
	if im.ID == ct.ImageID {
		return "", nil
	}
	if !sameReference(ct.Image, ref) {
		return fmt.Sprintf("container %s was made from %s, expected %s", ct.Name, ct.Image, ref), nil
	}
	// The name is right and the image is not: ref was built (or tagged)
	// again after the container was made, and a container keeps its image.
	when := ""
	old, err := env.Target.InspectImage(ctx, ct.ImageID)
	switch {
	case err == nil && !old.Built.IsZero():
		when = " (built " + clock(old.Built) + ")"
	case err != nil && !errors.Is(err, sandbox.ErrNotFound):
		return "", err
	}
	return fmt.Sprintf("container %s was made from an older build of %s%s, and a container keeps the image it was made from: remove it (`docker rm -f %s`) and run it again from the new %s", ct.Name, ref, when, ct.Name, ref), nil
}

// sameReference reports whether two image references name the same tag,
// however they are written ("busybox" and "busybox:latest").
func sameReference(a, b string) bool {
	na, errA := sandbox.NormalizeImage(a)
	nb, errB := sandbox.NormalizeImage(b)
	return errA == nil && errB == nil && na == nb
}

// clock says when t was, for a message: at its time of day when that was
// today, else on its day too.
func clock(t time.Time) string {
	t = t.Local()
	if t.Format(time.DateOnly) == time.Now().Format(time.DateOnly) {
		return "at " + t.Format("15:04:05")
	}
	return "on " + t.Format("Jan 2 at 15:04")
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

// notRunning says, after "container NAME ...: ", what state a container
// that does not run is in, why, and what to do next, for the state found:
// a container that exists is started again, or removed before a new one
// of that name is run, never run again as it is (the name is taken). In
// one run of checks it is said in full once, with the first check that
// finds the container down: at 24 rows, three checks of one container
// repeating the same paragraph push the first off the screen.
func notRunning(ctx context.Context, env Env, ct sandbox.Container) (string, error) {
	why, err := whyNotRunning(ctx, env, ct)
	if err == nil && env.looks != nil && len(why) > 80 {
		env.looks.sayOnce(why, "see above")
	}
	return why, err
}

// whyNotRunning is notRunning said in full.
func whyNotRunning(ctx context.Context, env Env, ct sandbox.Container) (string, error) {
	name := ct.Name
	if composeMade(ct) {
		return notRunningComposed(ctx, env, ct)
	}
	switch ct.State {
	case "created":
		if ct.StateError == "" {
			return fmt.Sprintf("it was created but never started; `docker start %s` starts it", name), nil
		}
		if port, ok := sandbox.PortInUse(ct.StateError); ok {
			why, err := portTaken(ctx, env, port, name)
			return fmt.Sprintf("it could not start: %s; then `docker start %s` starts it", why, name), err
		}
		// What it was made with (a device, a capability, a mount) is
		// what fails, and starting it again only fails again.
		return fmt.Sprintf("it could not start: %s. What a container was made with cannot change: remove it (`docker rm %s`) and run it again with that fixed", ct.StateError, name), nil
	case "exited":
		if sh := idleShell(ct); sh != "" && ct.ExitCode == 0 {
			// Starting it again only ends it again; what it needs is
			// said both ways, as lessons teach both: the shell kept
			// waiting (-dit), or another command (sleep infinity).
			return fmt.Sprintf("it is exited with exit code 0, because its command, the shell %s, ends when its input does, and without -i or -t it has none: it ends at once each time it starts. Remove it (`docker rm %s`) and run a new one with -dit, which gives the shell an open input and a terminal to wait on, or with another command that keeps running", sh, name), nil
		}
		if ct.ExitCode == 0 {
			// Stopped (a server ends well on docker stop), or its command
			// ran to its end, which starting it again only repeats.
			return fmt.Sprintf("it is exited with exit code 0 (`docker logs %s` shows what it printed); `docker start %s` starts it again, or remove it with `docker rm %s` before you run a new one. A container runs only as long as its command: if it ended by itself, give the new one a command that keeps running", name, name, name), nil
		}
		return fmt.Sprintf("it is exited with exit code %d (`docker logs %s` says why); `docker start %s` starts it again, or remove it with `docker rm %s` before you run a new one", ct.ExitCode, name, name, name), nil
	case "paused":
		return fmt.Sprintf("it is paused; `docker unpause %s` resumes it", name), nil
	case "restarting":
		return "it is restarting" + exitNote(ct), nil
	}
	return fmt.Sprintf("it is %s; remove it with `docker rm -f %s` and run it again", ct.State, name), nil
}

// idleShell names the shell a container ran as its whole command with
// nothing to keep it waiting, or is "" for any other container: a shell
// given no script reads commands from its input and ends when its input
// does, and without -i (an open input) or -t (a terminal) its input is
// empty from the start.
func idleShell(ct sandbox.Container) string {
	if len(ct.Command) != 1 || ct.OpenStdin || ct.Tty {
		return ""
	}
	switch sh := path.Base(ct.Command[0]); sh {
	case "sh", "bash", "ash", "dash", "zsh", "ksh", "mksh":
		return sh
	}
	return ""
}

// notRunningComposed is notRunning for a container Docker Compose made:
// `docker start` would start it as it was made, from the compose.yaml of
// then; `up -d` makes it again from the file as it is now.
func notRunningComposed(ctx context.Context, env Env, ct sandbox.Container) (string, error) {
	again := "change compose.yaml if it needs it, then run `docker compose up -d` again in its folder, which makes the container anew from the file as it is now"
	if port, ok := sandbox.PortInUse(ct.StateError); ok {
		why, err := portTaken(ctx, env, port, ct.Name)
		return fmt.Sprintf("it could not start: %s; then run `docker compose up -d` again in the folder of its compose.yaml", why), err
	}
	switch {
	case ct.StateError != "":
		return fmt.Sprintf("it could not start: %s; %s", ct.StateError, again), nil
	case ct.State == "exited":
		return fmt.Sprintf("it is exited with exit code %d (`docker compose logs` shows what it printed); Docker Compose made it: %s", ct.ExitCode, again), nil
	}
	return fmt.Sprintf("it is %s%s; Docker Compose made it: %s", ct.State, exitNote(ct), again), nil
}

// portTaken says that host port port (of the container named self) is
// taken, and by whom when the engine knows: another container publishing
// it.
func portTaken(ctx context.Context, env Env, port, self string) (string, error) {
	if port == "" {
		return "a host port it publishes is already in use; stop what uses it or publish another port", nil
	}
	holders, err := env.Target.PortHolders(ctx, port)
	holders = slices.DeleteFunc(holders, func(n string) bool { return n == self })
	if len(holders) == 0 || err != nil {
		return fmt.Sprintf("host port %s is already in use by another program on this machine; stop it or free the port", port), err
	}
	return fmt.Sprintf("host port %s is already in use by container %s; stop it (`docker stop %s`) or free the port", port, holders[0], holders[0]), nil
}

// volume inspects a volume by exact name; a missing one is a message,
// which names a near miss of the name.
func volume(ctx context.Context, env Env, name string) (sandbox.Volume, string, error) {
	v, err := env.Target.InspectVolume(ctx, name)
	if !errors.Is(err, sandbox.ErrNotFound) {
		return v, "", err
	}
	near, err := nearMiss(ctx, env, "volume", name)
	if near == "" || err != nil {
		return v, fmt.Sprintf("there is no volume named %s (`docker volume ls` lists them)", name), err
	}
	return v, fmt.Sprintf("there is no volume named %s (found %s; did you mean %s?)", name, near, name), nil
}

// noNetwork is the message for a network that does not exist, which names
// a near miss of the name.
func noNetwork(ctx context.Context, env Env, name string) (string, error) {
	near, err := nearMiss(ctx, env, "network", name)
	if near == "" || err != nil {
		return fmt.Sprintf("there is no network named %s (`docker network ls` lists them)", name), err
	}
	return fmt.Sprintf("there is no network named %s (found %s; did you mean %s?)", name, near, name), nil
}

// noImage is the message for an image that is not on this machine, which
// names a near miss: the same image under another tag, or a name nearly
// the same.
func noImage(ctx context.Context, env Env, ref string) (string, error) {
	want, err := sandbox.NormalizeImage(ref)
	if err != nil {
		want = ref
	}
	tags, err := env.Target.Names(ctx, "image")
	if err != nil {
		return "", err
	}
	repo := func(tag string) string { return tag[:strings.LastIndex(tag, ":")+1] }
	near := nearmiss.Closest(want, tags)
	if i := slices.IndexFunc(tags, func(t string) bool { return t != want && repo(t) == repo(want) }); i >= 0 && near == "" {
		near = tags[i]
	}
	switch {
	case near == "":
		return fmt.Sprintf("there is no image %s (`docker image ls` lists them)", ref), nil
	case repo(near) == repo(want):
		// Another tag is another version, not a typo: a second name for
		// the old one would be the wrong image under the right name.
		name := strings.TrimSuffix(repo(want), ":")
		var have []string
		for _, t := range tags {
			if repo(t) == repo(want) {
				have = append(have, strings.TrimPrefix(t, repo(want)))
			}
		}
		slices.Sort(have)
		return fmt.Sprintf("there is no image %s (%s has the tag %s, not %s; `docker image ls %s` lists its tags)", ref, name, strings.Join(have, ", "), strings.TrimPrefix(want, repo(want)), name), nil
	}
	return fmt.Sprintf("there is no image %s (found %s; did you mean %s? `docker tag %s %s` gives it that name too)", ref, near, ref, near, ref), nil
}

// published are the bindings of a container port: those in effect while
// the container runs, else those it was created with.
func published(ct sandbox.Container, port string) []sandbox.Binding {
	if ct.Running {
		return ct.Ports[port]
	}
	return ct.PortBindings[port]
}

// normPort writes a container port as "80/tcp".
func normPort(p string) string {
	if strings.Contains(p, "/") {
		return p
	}
	return p + "/tcp"
}

// publishedList describes every published port of a container, as it
// runs or, when it does not, as it was created.
func publishedList(ct sandbox.Container) string {
	ports := ct.Ports
	if !ct.Running {
		ports = ct.PortBindings
	}
	// Said with the -p that makes it: "8080/tcp -> 80" read as the
	// -p 8080:80 that was asked for, when it was -p 80:8080.
	var found []string
	for port, bs := range ports {
		short := strings.TrimSuffix(port, "/tcp")
		for _, b := range bs {
			s := fmt.Sprintf("port %s on host port %s (`-p %s:%s`)", port, b.HostPort, b.HostPort, short)
			if b.HostPort == "" {
				s = fmt.Sprintf("port %s on a host port of the engine's choosing (`-p %s`)", port, short)
			}
			if !slices.Contains(found, s) {
				found = append(found, s)
			}
		}
	}
	if len(found) == 0 {
		return "it publishes no ports"
	}
	slices.Sort(found)
	return "it publishes " + strings.Join(found, ", ")
}

// unsafeToEnter says why a lesson's command must not run inside a container:
// lesson files may come from anyone, and a command run inside a privileged
// container, or one holding the Docker socket, runs with the power of the
// learner's machine. Nor may it run where it could change what is the
// learner's and not the exercise's (see reachesOut).
func unsafeToEnter(env Env, ct sandbox.Container) string {
	if why := unsafeAlways(ct); why != "" {
		return why
	}
	return env.reachesOut(ct)
}

// reachesOut says why a command inside ct could change what is the
// learner's and not the exercise's: a host folder outside the exercise's
// workspace that it binds and can write, or a named volume that the
// exercise does not own (an anonymous one, made with the container, is its
// own). A lesson may claim any container name under owns, the name of a
// container of the learner's own (a project's dev container) among them:
// a command runs only where it could touch nothing else. With no
// workspace (a check run outside an exercise), binds are not judged.
func (env Env) reachesOut(ct sandbox.Container) string {
	for _, m := range ct.Mounts {
		switch {
		case m.ReadOnly:
		case m.Type == "bind" && env.outsideWorkspace(m.Source):
			return fmt.Sprintf("it binds %s, a folder of yours outside this exercise's workspace %s, and can write there, so a command inside it could change your files; if this container is the exercise's, run it again binding only folders of the workspace, or with :ro", m.Source, env.Workspace)
		case env.notOwnVolume(m):
			if env.Workspace != "" && isDir(filepath.Join(env.Workspace, m.Name)) {
				// The workspace's folder of that name, given as a bare
				// name: the beginner's slip, mended with a path.
				return fmt.Sprintf("it has a volume named %s at %s, not your folder %s: `-v %s:%s` names a volume, and only a path binds a folder. Remove it (`docker rm -f %s`) and run it again in your workspace folder with -v \"$PWD/%s\":%s", m.Name, m.Destination, m.Name, m.Name, m.Destination, ct.Name, m.Name, m.Destination)
			}
			return fmt.Sprintf("it holds the volume %s, which is not this exercise's, and can write there, so a command inside it could change what the volume keeps; if this container is the exercise's, remove it (`docker rm -f %s`) and run it again without that volume", m.Name, ct.Name)
		}
	}
	return ""
}

// outsideWorkspace reports whether src, the source of a bind mount, is a
// folder of this machine outside the exercise's workspace. A source that
// is no path of this machine (Docker Desktop names some in its own VM) is
// not judged: it is not a folder of the learner's that this machine
// knows. With no workspace (a check run outside an exercise), nothing is.
func (env Env) outsideWorkspace(src string) bool {
	if env.Workspace == "" {
		return false
	}
	workspaces := []string{filepath.Clean(env.Workspace)}
	if real, err := filepath.EvalSymlinks(env.Workspace); err == nil {
		workspaces = append(workspaces, real)
	}
	if slices.ContainsFunc(workspaces, func(ws string) bool { return src == ws || inside(src, ws) }) {
		return false
	}
	_, err := os.Stat(src)
	return err == nil
}

// notOwnVolume reports whether m is a named volume that the exercise does
// not own (an anonymous one, made with its container, is its own).
func (env Env) notOwnVolume(m sandbox.Mount) bool {
	return m.Type == "volume" && m.Name != "" && !sandbox.AnonymousVolume(m.Name) && env.Scope.Allows(Object{Type: "volume", Name: m.Name}) != ""
}

// readsOut says why a copy of the file p out of ct would read what is the
// learner's and not the exercise's: p lies in a bind mount of a folder
// outside the exercise's workspace, or in a named volume the exercise does
// not own. A lesson may claim under owns a container of the learner's own,
// one that binds their home folder among them.
func (env Env) readsOut(ct sandbox.Container, p string) string {
	var in *sandbox.Mount
	for i, m := range ct.Mounts {
		d := strings.TrimSuffix(m.Destination, "/")
		if (p == m.Destination || strings.HasPrefix(p, d+"/")) && (in == nil || len(m.Destination) > len(in.Destination)) {
			in = &ct.Mounts[i]
		}
	}
	switch {
	case in == nil:
	case in.Type == "bind" && env.outsideWorkspace(in.Source):
		return fmt.Sprintf("it lies in %s, a folder of yours outside this exercise's workspace %s, which the container binds at %s; if this container is the exercise's, remove it (`docker rm -f %s`) and run it again binding only folders of the workspace", in.Source, env.Workspace, in.Destination, ct.Name)
	case env.notOwnVolume(*in):
		return fmt.Sprintf("it lies in the volume %s, which is not this exercise's; if this container is the exercise's, remove it (`docker rm -f %s`) and run it again without that volume", in.Name, ct.Name)
	}
	return ""
}

// unsafeAlways is why no command may run inside ct, whatever the exercise.
func unsafeAlways(ct sandbox.Container) string {
	// What the exercise does not need, and how to run the container
	// again without it.
	again := func(without string) string {
		return fmt.Sprintf("; no exercise needs that: remove it (`docker rm -f %s`) and run it again without %s", ct.Name, without)
	}
	if ct.Privileged {
		return "it is privileged, so a command inside it could reach your whole machine" + again("--privileged")
	}
	home, _ := os.UserHomeDir()
	for _, m := range ct.Mounts {
		if strings.Contains(m.Source, "docker.sock") || strings.Contains(m.Destination, "docker.sock") || (m.Type == "bind" && sandbox.ExposesEngine(m.Source)) {
			return "it holds the Docker socket (it binds " + m.Source + "), so a command inside it could control your Docker engine" + again("that -v")
		}
		if m.Type == "bind" && home != "" && (m.Source == home || inside(home, m.Source)) {
			return fmt.Sprintf("it binds %s, which holds your whole home folder, so a command inside it could read all your files; remove it (`docker rm -f %s`) and run it again binding only the folder the exercise names", m.Source, ct.Name)
		}
	}
	switch {
	case ct.NetworkMode == "host":
		return "it uses your machine's own network (--network host), so a command inside it could reach every service of your machine" + again("--network host")
	case ct.PidMode == "host":
		return "it sees your machine's processes (--pid host), so a command inside it could read and signal them" + again("--pid host")
	case ct.IpcMode == "host":
		return "it shares your machine's shared memory (--ipc host)" + again("--ipc host")
	}
	for _, cp := range ct.CapAdd {
		if slices.Contains(EscapeCaps, capName(cp)) {
			return "it was given " + capName(cp) + ", so a command inside it could reach beyond the container" + again("--cap-add "+capName(cp))
		}
	}
	for _, d := range ct.Devices {
		if !slices.Contains(harmlessDevices, d.PathOnHost) {
			return "it has your machine's device " + d.PathOnHost + ", so a command inside it could read or change it" + again("--device "+d.PathOnHost)
		}
	}
	return ""
}

// EscapeCaps are the capabilities that reach beyond the container (mount
// file systems, load kernel code, open the host's files by handle, change
// its clock or security policy, trace processes): dockdojo runs no
// lesson's command in a container that has one. A sandbox is never given
// one either (lessons' refusedCaps, which a test keeps within this list).
var EscapeCaps = []string{
	"ALL", "SYS_ADMIN", "SYS_MODULE", "SYS_RAWIO", "SYS_BOOT", "SYS_TIME", "SYS_PACCT", "SYS_PTRACE",
	"DAC_READ_SEARCH", "MAC_ADMIN", "MAC_OVERRIDE", "BPF", "PERFMON", "SYSLOG", "AUDIT_CONTROL", "AUDIT_READ",
}

// harmlessDevices hold no data of the machine's.
var harmlessDevices = []string{"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"}

// inside says whether path lies strictly inside dir.
func inside(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
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
		msg, err := noImage(ctx, env, ref)
		return im, msg, err
	}
	return im, "", err
}

// parseDockerfile parses the workspace's Dockerfile name (a slash path) as
// Docker does; a file that is missing or cannot be parsed is a message.
func parseDockerfile(env Env, name string) (*parser.Result, string) {
	data, msg := readWorkspace(env.Workspace, name)
	if msg != "" {
		return nil, msg
	}
	res, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Sprintf("%s cannot be read as a Dockerfile: %v", name, err)
	}
	return res, ""
}

// isDir reports a folder at p.
func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// Package doctor checks a machine for the course, the way a helpful
// colleague would: it gathers what can be known (the engine and how it was
// found, its API, the socket's permissions, disk, architecture, cgroups, the
// course's images, the clock, WSL) and judges it, one line each with the fix.
// Gathering never fails; judging is a pure function of what was gathered,
// so tests feed it machines they do not have.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/dockdojo/dockdojo/buildinfo"
	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/prepare"
	"github.com/dockdojo/dockdojo/sandbox"
)

// Statuses of a doctor check.
const (
	StatusOK   = "ok"
	StatusWarn = "warn" // works, but something deserves attention
	StatusFail = "fail" // the course will not work until it is fixed
	StatusSkip = "skip" // could not be checked, because of a failure above
)

// Check is one line of doctor's report (and its --json).
type Check struct {
	Check  string `json:"check"`
	Status string `json:"status"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

// Report is doctor's whole verdict (and its --json). Host, Version and
// Time say which laptop, which dockdojo and when, so that an instructor
// collecting one report per laptop can tell them apart.
type Report struct {
	Host    string    `json:"host"`
	Version string    `json:"dockdojo_version"`
	Time    time.Time `json:"time"`
	// EngineVersion is the engine's version, "" when it did not answer.
	EngineVersion string `json:"engine_version,omitempty"`
	// MissingImages are the course's images not on this machine.
	MissingImages []string `json:"missing_images,omitempty"`

	Checks []Check `json:"checks"`
	OK     int     `json:"ok"`
	Warn   int     `json:"warn"`
	Fail   int     `json:"fail"`
	Skip   int     `json:"skip"`
}

// Input is everything the checks judge, gathered first so that
// judging it is a pure function (Judge) that tests can feed.
type Input struct {
	GOOS        string
	ProcVersion string // contents of /proc/version; "" where there is none
	Home        string // the HOME the learner's folders default to under
	Workspace   string // root of the exercises' workspaces
	Progress    string // the learner's progress file

	Endpoint   sandbox.Endpoint
	ResolveErr error                 // the docker configuration could not be read
	ConnectErr error                 // the engine did not answer
	Socket     *sandbox.SocketAccess // nil when the endpoint is no unix socket
	Facts      *sandbox.EngineFacts  // nil when the engine did not answer
	FactsErr   error

	// Free space where the engine keeps images, when it can be measured
	// from here; DiskUnknown says why not otherwise.
	FreeBytes   uint64
	DiskUnknown string

	CourseErr error // the course (with --lessons folders) could not be read
	Images    []Image

	// Container is how starting one throwaway container went: nil when it
	// was not tried (no engine, or no image to start it from).
	Container *ContainerTry

	// Compose is which Compose the machine has.
	Compose Compose
}

// ContainerTry is one throwaway container, started and removed, on the
// default network: an engine can answer every question and still be unable
// to start a container (a missing default bridge, a broken runtime).
type ContainerTry struct {
	Image    string
	Err      error // it could not be created, started or removed
	ExitCode int   // what `true` exited with inside it
	Took     time.Duration
}

// Image is one image the course needs, as found on the engine.
type Image struct {
	Ref      string
	Present  bool
	Platform sandbox.ImagePlatform
}

// tryContainer starts and removes one throwaway container of the checker's
// probe image on the default network, when the image is here (doctor never
// pulls: the network may be the problem).
func tryContainer(ctx context.Context, eng *sandbox.Engine) *ContainerTry {
	if _, err := eng.InspectImage(ctx, checker.ProbeImage); err != nil {
		return nil
	}
	start := time.Now()
	res, err := eng.Probe(ctx, sandbox.ProbeSpec{
		Image:   checker.ProbeImage,
		Cmd:     []string{"true"},
		Labels:  map[string]string{sandbox.LabelExercise: "doctor"},
		Timeout: 20 * time.Second,
	})
	return &ContainerTry{Image: checker.ProbeImage, Err: err, ExitCode: res.ExitCode, Took: time.Since(start)}
}

// Diagnose gathers what can be known of the machine and judges it.
func Diagnose(ctx context.Context, m Machine) Report {
	in := Gather(ctx, m)
	rep := Summarize(Judge(in))
	rep.Host, _ = os.Hostname()
	rep.Version = buildinfo.Get().String()
	rep.Time = time.Now().UTC().Truncate(time.Second)
	if in.Facts != nil {
		rep.EngineVersion = in.Facts.ServerVersion
	}
	for _, im := range in.Images {
		if !im.Present {
			rep.MissingImages = append(rep.MissingImages, im.Ref)
		}
	}
	return rep
}

// Summarize counts the checks by status.
func Summarize(checks []Check) Report {
	rep := Report{Checks: checks}
	for _, c := range checks {
		switch c.Status {
		case StatusOK:
			rep.OK++
		case StatusWarn:
			rep.Warn++
		case StatusFail:
			rep.Fail++
		case StatusSkip:
			rep.Skip++
		}
	}
	return rep
}

// Failed names the checks that failed.
func (r Report) Failed() []string {
	var failed []string
	for _, c := range r.Checks {
		if c.Status == StatusFail {
			failed = append(failed, c.Check)
		}
	}
	return failed
}

// Machine is what Gather needs to know of the learner's setup.
type Machine struct {
	Getenv    func(string) string
	Home      string
	Workspace string // root of the exercises' workspaces
	Progress  string // the learner's progress file
	// Course is the course (with the instructor's folders) whose images are
	// looked for; CourseErr is why it could not be read.
	Course    *lessons.Course
	CourseErr error
}

// Gather collects what the checks judge. It never fails: what it cannot
// learn is recorded as such, and an unreachable engine costs the two
// seconds Connect waits.
func Gather(ctx context.Context, m Machine) Input {
	in := Input{GOOS: runtime.GOOS, Home: m.Home, Workspace: m.Workspace, Progress: m.Progress, Compose: FindCompose(m.Getenv, m.Home)}
	if data, err := os.ReadFile("/proc/version"); err == nil {
		in.ProcVersion = string(data)
	}
	in.Endpoint, in.ResolveErr = sandbox.Resolve(m.Getenv, m.Home)
	if in.ResolveErr == nil {
		if path := sandbox.SocketPath(in.Endpoint); path != "" {
			a := sandbox.CheckSocket(path)
			in.Socket = &a
		}
	}

	var images []prepare.Image
	in.CourseErr = m.CourseErr
	if m.Course != nil {
		images, _ = prepare.Plan(m.Course, nil, nil)
	}

	if in.ResolveErr != nil {
		return in
	}
	eng, err := sandbox.Connect(ctx, m.Getenv, m.Home)
	if err != nil {
		in.ConnectErr = err
		return in
	}
	defer eng.Close()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	facts, err := eng.Facts(ctx)
	if err != nil {
		in.FactsErr = err
		return in
	}
	in.Facts = &facts

	for _, im := range images {
		di := Image{Ref: im.Ref}
		if im.Err == nil {
			if p, err := eng.ImagePlatformOf(ctx, im.Ref); err == nil {
				di.Present, di.Platform = true, p
			}
		}
		in.Images = append(in.Images, di)
	}
	in.Container = tryContainer(ctx, eng)

	hostname, _ := os.Hostname()
	switch {
	case facts.Kind == sandbox.KindDockerDesktop:
		in.DiskUnknown = "Docker Desktop keeps images in the disk of its virtual machine (Settings > Resources shows its size)"
	case in.Socket == nil || facts.Name != hostname:
		in.DiskUnknown = fmt.Sprintf("the engine runs on another machine (%s)", facts.Name)
	case facts.DockerRootDir == "":
		in.DiskUnknown = "the engine does not say where it keeps images"
	default:
		free, err := sandbox.FreeSpace(facts.DockerRootDir)
		if err != nil {
			in.DiskUnknown = fmt.Sprintf("cannot measure %s: %v", facts.DockerRootDir, err)
		} else {
			in.FreeBytes = free
		}
	}
	return in
}

// Thresholds of the disk and clock checks.
const (
	diskWarnBytes = 2 << 30   // below this, builds and pulls may run out of room
	diskFailBytes = 500 << 20 // below this, the course's images do not fit
	maxClockSkew  = 30 * time.Second
)

// Judge turns what was gathered into one check per line, in a fixed
// order: every check is always there, so scripts can rely on the lines.
func Judge(in Input) []Check {
	unreachable := in.Facts == nil
	skip := func(name string) Check {
		return Check{Check: name, Status: StatusSkip, Detail: "not checked: the engine did not answer (see engine)"}
	}
	var out []Check
	out = append(out, judgeEngine(in))
	if unreachable {
		out = append(out, skip("api"))
	} else {
		out = append(out, judgeAPI(*in.Facts))
	}
	if unreachable {
		out = append(out, skip("container"))
	} else {
		out = append(out, judgeContainer(in))
	}
	out = append(out, judgeSocket(in))
	if unreachable {
		out = append(out, skip("disk"), skip("architecture"), skip("cgroup"))
	} else {
		out = append(out, judgeDisk(in), judgeArch(in), judgeCgroup(*in.Facts))
	}
	out = append(out, judgeImages(in), judgeCompose(in))
	if unreachable {
		out = append(out, skip("clock"))
	} else {
		out = append(out, judgeClock(in))
	}
	out = append(out, judgeWSL(in), judgeFolders(in))
	return out
}

// judgeFolders says where the learner's progress and files are kept. They
// default to folders under HOME, and without an absolute HOME (env -u HOME,
// a service, some CI runners) they have no place: every command that keeps
// them refuses to run, and doctor says why, never naming the relative path
// they would have had.
func judgeFolders(in Input) Check {
	c := Check{Check: "folders", Status: StatusOK}
	if filepath.IsAbs(in.Progress) && filepath.IsAbs(in.Workspace) {
		c.Detail = fmt.Sprintf("your progress is kept in %s and your exercises' files under %s", in.Progress, in.Workspace)
		return c
	}
	what := "HOME is not set"
	if in.Home != "" {
		what = fmt.Sprintf("HOME (%s) is not an absolute path", in.Home)
	}
	c.Status = StatusFail
	c.Detail = what + ": dockdojo has no folder to keep your progress ($XDG_STATE_HOME/dockdojo or ~/.local/state/dockdojo) and your exercises' files (~/dockdojo) in, so start, check, progress, join and the guided course refuse to run"
	c.Fix = "set HOME to your home folder (export HOME=/home/YOU in the shell, or in the service or CI job that runs dockdojo), or set XDG_STATE_HOME and DOCKDOJO_WORKSPACE to folders of your own."
	return c
}

// judgeContainer says whether a container could be started at all.
func judgeContainer(in Input) Check {
	c := Check{Check: "container"}
	t := in.Container
	switch {
	case t == nil:
		c.Status = StatusWarn
		c.Detail = fmt.Sprintf("no container was started: the image %s it would start is not here yet", checker.ProbeImage)
		c.Fix = `run "dockdojo prepare" (or load your instructor's bundle with --load), then "dockdojo doctor" again.`
	case t.Err != nil:
		c.Status = StatusFail
		c.Detail = "the engine answers but cannot start a container: " + t.Err.Error()
		c.Fix = `restart the engine (Docker Desktop's "Restart", or "sudo systemctl restart docker"); if it persists, "docker run --rm ` + t.Image + ` true" shows the engine's own error, and "docker network inspect bridge" whether the default network exists.`
	case t.ExitCode != 0:
		c.Status = StatusFail
		c.Detail = fmt.Sprintf("a container of %s started but `true` exited with %d inside it", t.Image, t.ExitCode)
		c.Fix = `the engine's container runtime is not working: restart the engine, and see its log ("journalctl -u docker").`
	default:
		c.Status = StatusOK
		c.Detail = fmt.Sprintf("started and removed a throwaway container of %s on the default network in %s", t.Image, t.Took.Round(10*time.Millisecond))
	}
	return c
}

// notAnEngineFix is the fix for an endpoint where something answered
// that is not a Docker engine.
func notAnEngineFix(ep sandbox.Endpoint) string {
	named := "the docker " + ep.Source + " names " + ep.Host
	if ep.Source == "DOCKER_HOST" {
		named = "DOCKER_HOST=" + ep.Host
	}
	return named + " answered, but is not a Docker engine (a web server or another program listens there): correct the address and port to the engine's (\"docker -H " + ep.Host + " info\" should answer), or use the default engine."
}

const startDockerFix = `start Docker: open Docker Desktop, or run "sudo systemctl start docker" on Linux; then "docker info" should answer.`

const dockerGroupFix = `add yourself to the docker group ("sudo usermod -aG docker $USER"), then log out and in again (or run "newgrp docker"). Members of the docker group control the engine, which is as good as root on this machine: if that is not acceptable, use rootless Docker (DOCKER_HOST=unix://$XDG_RUNTIME_DIR/docker.sock).`

func judgeEngine(in Input) Check {
	c := Check{Check: "engine"}
	switch {
	case in.ResolveErr != nil:
		c.Status, c.Detail = StatusFail, in.ResolveErr.Error()
		c.Fix = "correct the docker configuration named above, or set DOCKER_HOST (e.g. DOCKER_HOST=unix:///var/run/docker.sock)."
		return c
	case in.ConnectErr != nil || in.FactsErr != nil:
		err := in.ConnectErr
		if err == nil {
			err = in.FactsErr
		}
		c.Status, c.Detail = StatusFail, err.Error()
		switch {
		case in.Socket != nil && in.Socket.Denied:
			c.Fix = dockerGroupFix
		case errors.Is(err, sandbox.ErrNotAnEngine):
			c.Fix = notAnEngineFix(in.Endpoint)
		case in.Endpoint.Source == "DOCKER_HOST":
			c.Fix = "DOCKER_HOST=" + in.Endpoint.Host + " names an engine that does not answer: correct it, or unset DOCKER_HOST to use the default engine; or " + startDockerFix
		case strings.HasPrefix(in.Endpoint.Source, "context "):
			c.Fix = "the docker " + in.Endpoint.Source + " names an engine that does not answer: start it, or switch with \"docker context use default\"."
		default:
			c.Fix = startDockerFix
		}
		return c
	}
	f := in.Facts
	kind := f.Kind
	if f.Rootless {
		kind += " (rootless)"
	}
	c.Status = StatusOK
	c.Detail = fmt.Sprintf("%s %s, %s/%s (%s), at %s, found via %s", kind, f.ServerVersion, f.OSType, f.Architecture, f.OperatingSystem, in.Endpoint.Host, in.Endpoint.Source)
	if f.OSType != "" && f.OSType != "linux" {
		c.Status = StatusFail
		c.Detail = fmt.Sprintf("%s %s runs %s containers; the course needs Linux containers", kind, f.ServerVersion, f.OSType)
		c.Fix = `switch Docker Desktop to Linux containers (its tray icon > "Switch to Linux containers...").`
	}
	return c
}

func judgeAPI(f sandbox.EngineFacts) Check {
	c := Check{Check: "api", Status: StatusOK}
	span := f.ServerAPI
	if f.ServerMinAPI != "" {
		span = f.ServerMinAPI + " to " + f.ServerAPI
	}
	if f.APITooOld() {
		c.Status = StatusFail
		c.Detail = fmt.Sprintf("the engine speaks API %s; dockdojo needs %s (Docker 20.10) or newer", span, sandbox.MinAPIVersion)
		c.Fix = "upgrade Docker: Docker Desktop's \"Check for updates\", or your Linux distribution's docker package (docs.docker.com/engine/install)."
		return c
	}
	c.Detail = fmt.Sprintf("API %s in use (the engine speaks %s; dockdojo needs %s or newer)", f.APIVersion, span, sandbox.MinAPIVersion)
	return c
}

func judgeSocket(in Input) Check {
	c := Check{Check: "socket"}
	host := in.Endpoint.Host
	switch {
	case in.ResolveErr != nil:
		c.Status, c.Detail = StatusSkip, "not checked: no endpoint (see engine)"
		return c
	case in.Socket == nil && strings.HasPrefix(host, "tcp://"):
		c.Status, c.Detail = StatusOK, host+" is a TCP endpoint: access is controlled by the network and TLS certificates, not by file permissions"
		return c
	case in.Socket == nil && strings.HasPrefix(host, "npipe://"):
		c.Status, c.Detail = StatusOK, host+" is a named pipe: Docker Desktop lets the members of the docker-users group use it"
		return c
	case in.Socket == nil:
		c.Status, c.Detail = StatusSkip, host+" is not a unix socket; nothing to check"
		return c
	}
	s := in.Socket
	desc := fmt.Sprintf("owner %s, group %s, mode s%s", s.Owner, s.Group, s.Mode.Perm().String()[1:])
	switch {
	case !s.Exists && s.Denied:
		c.Status, c.Detail = StatusFail, fmt.Sprintf("cannot look at %s: permission denied on a folder above it", s.Path)
		c.Fix = dockerGroupFix
	case !s.Exists:
		c.Status, c.Detail = StatusFail, fmt.Sprintf("there is no socket at %s: the engine is not running there", s.Path)
		c.Fix = startDockerFix
	case s.Denied:
		c.Status = StatusFail
		c.Detail = fmt.Sprintf("permission denied on %s (%s); you are not in the group %s", s.Path, desc, s.Group)
		c.Fix = dockerGroupFix
	case !s.Connected:
		c.Status, c.Detail = StatusFail, fmt.Sprintf("%s exists (%s) but nothing answers on it: %s", s.Path, desc, s.DialError)
		c.Fix = startDockerFix
	case s.Root:
		c.Status, c.Detail = StatusOK, fmt.Sprintf("you may use %s (%s): you are root", s.Path, desc)
	case s.InGroup && s.Group != "root":
		c.Status = StatusOK
		c.Detail = fmt.Sprintf("you may use %s (%s) as a member of the group %s; its members control the engine, which is as good as root on this machine", s.Path, desc, s.Group)
	default:
		c.Status, c.Detail = StatusOK, fmt.Sprintf("you may use %s (%s)", s.Path, desc)
	}
	return c
}

// courseImageBytes sums the sizes of the course images present; shared
// layers are counted once per image, so it is an upper bound.
func courseImageBytes(images []Image) (bytes int64, present, missing int) {
	for _, im := range images {
		if im.Present {
			bytes += im.Platform.Size
			present++
		} else {
			missing++
		}
	}
	return bytes, present, missing
}

func judgeDisk(in Input) Check {
	c := Check{Check: "disk", Status: StatusOK}
	bytes, present, missing := courseImageBytes(in.Images)
	use := fmt.Sprintf("the %d course images here take up to %s", present, prepare.HumanBytes(bytes))
	if missing > 0 {
		use += fmt.Sprintf("; %d more to fetch (their size is known once pulled)", missing)
	}
	if in.DiskUnknown != "" {
		c.Detail = "free space cannot be measured from here: " + in.DiskUnknown + "; " + use
		return c
	}
	c.Detail = fmt.Sprintf("%s free where the engine keeps images (%s); %s", prepare.HumanBytes(int64(in.FreeBytes)), in.Facts.DockerRootDir, use)
	fix := `make room: "docker system df" shows what Docker uses; "docker image prune" removes dangling images, and "docker system prune" more (it asks first; it removes things of all your projects, not only dockdojo's).`
	switch {
	case in.FreeBytes < diskFailBytes:
		c.Status, c.Fix = StatusFail, fix
	case in.FreeBytes < diskWarnBytes:
		c.Status, c.Fix = StatusWarn, fix
	}
	return c
}

func judgeArch(in Input) Check {
	c := Check{Check: "architecture", Status: StatusOK}
	f := in.Facts
	engineArch := sandbox.NormalizeArch(f.Architecture)
	var odd []string
	n := 0
	for _, im := range in.Images {
		if !im.Present {
			continue
		}
		n++
		if a := sandbox.NormalizeArch(im.Platform.Architecture); a != "" && a != engineArch {
			odd = append(odd, fmt.Sprintf("%s is %s/%s", im.Ref, im.Platform.OS, a))
		}
	}
	switch {
	case len(odd) > 0:
		c.Status = StatusWarn
		c.Detail = fmt.Sprintf("the engine runs on %s but %s: such images run under emulation, slowly, and some programs in them crash", engineArch, strings.Join(odd, ", "))
		c.Fix = `remove them ("docker rmi IMAGE") and run "dockdojo prepare" to fetch the variant for this engine, where the image has one.`
		if engineArch == "arm64" && f.Kind == sandbox.KindDockerDesktop {
			c.Fix += ` For the rest, on Apple Silicon turn on Docker Desktop's Settings > General > "Use Rosetta for x86_64/amd64 emulation".`
		}
	case n == 0:
		c.Detail = fmt.Sprintf("the engine runs on %s; no course image is here yet to compare", engineArch)
	default:
		c.Detail = fmt.Sprintf("the engine runs on %s, and so do the %d course images here", engineArch, n)
	}
	return c
}

func judgeCgroup(f sandbox.EngineFacts) Check {
	c := Check{Check: "cgroup", Status: StatusOK}
	switch f.CgroupVersion {
	case "":
		c.Detail = "the engine does not say its cgroup version"
	case "1":
		c.Detail = fmt.Sprintf("cgroup v1 (driver %s): works for the course; newer systems use v2", f.CgroupDriver)
	default:
		c.Detail = fmt.Sprintf("cgroup v%s (driver %s)", f.CgroupVersion, f.CgroupDriver)
	}
	var missing []string
	if !f.MemoryLimit {
		missing = append(missing, "memory")
	}
	if !f.PidsLimit {
		missing = append(missing, "process-count")
	}
	if !f.CPUQuota {
		missing = append(missing, "CPU")
	}
	if len(missing) > 0 && f.OSType == "linux" {
		c.Status = StatusWarn
		c.Detail += fmt.Sprintf("; the engine cannot enforce %s limits, so exercise sandboxes run without them", strings.Join(missing, ", "))
		if f.Rootless {
			c.Fix = "rootless Docker enforces limits only on cgroup v2 with systemd delegation: see docs.docker.com/engine/security/rootless/#limiting-resources."
		} else {
			c.Fix = "move to cgroup v2 (kernel parameter systemd.unified_cgroup_hierarchy=1), or enable the missing controllers (e.g. cgroup_enable=memory)."
		}
	}
	return c
}

func judgeImages(in Input) Check {
	c := Check{Check: "images"}
	switch {
	case in.CourseErr != nil:
		c.Status = StatusFail
		c.Detail = "the course cannot be read: " + strings.ReplaceAll(in.CourseErr.Error(), "\n", "; ")
		c.Fix = "correct the lesson files named above, or leave out the --lessons folder (or DOCKDOJO_LESSONS)."
		return c
	case in.Facts == nil:
		c.Status, c.Detail = StatusSkip, "not checked: the engine did not answer (see engine)"
		return c
	}
	var have, lack []string
	for _, im := range in.Images {
		if im.Present {
			have = append(have, im.Ref)
		} else {
			lack = append(lack, im.Ref)
		}
	}
	if len(lack) > 0 {
		c.Status = StatusWarn
		c.Detail = fmt.Sprintf("%d of the course's %d images are missing: %s", len(lack), len(in.Images), strings.Join(lack, ", "))
		c.Fix = `run "dockdojo prepare" while online (or with --mirror HOST:PORT, or --load FILE from your instructor); otherwise each is pulled when an exercise first needs it.`
		return c
	}
	c.Status = StatusOK
	c.Detail = fmt.Sprintf("all %d images the course needs are here: %s", len(have), strings.Join(have, ", "))
	return c
}

func judgeClock(in Input) Check {
	c := Check{Check: "clock", Status: StatusOK}
	f := in.Facts
	if f.EngineTime.IsZero() {
		c.Status, c.Detail = StatusSkip, "the engine did not say its time"
		return c
	}
	skew := f.EngineTime.Sub(f.LocalTime)
	abs := skew.Abs().Round(time.Second)
	if abs <= maxClockSkew {
		c.Detail = fmt.Sprintf("the engine's clock and this computer's agree within %s", max(abs, time.Second))
		return c
	}
	way := "ahead of"
	if skew < 0 {
		way = "behind"
	}
	c.Status = StatusWarn
	c.Detail = fmt.Sprintf("the engine's clock is %s %s this computer's: logs look out of order, and TLS and registries may refuse certificates", abs, way)
	switch {
	case f.Kind == sandbox.KindDockerDesktop:
		c.Fix = "restart Docker Desktop: its virtual machine's clock drifts when the laptop sleeps."
	case isWSL(in.ProcVersion):
		c.Fix = `run "wsl --shutdown" in Windows and open WSL again: its clock drifts when the laptop sleeps.`
	default:
		c.Fix = `turn on time synchronisation ("sudo timedatectl set-ntp true") on this computer and on the engine's machine.`
	}
	return c
}

// isWSL reports whether /proc/version says the kernel is Microsoft's, as
// under the Windows Subsystem for Linux.
func isWSL(procVersion string) bool {
	return strings.Contains(strings.ToLower(procVersion), "microsoft")
}

func judgeWSL(in Input) Check {
	c := Check{Check: "wsl", Status: StatusOK}
	switch {
	case in.GOOS == "windows":
		c.Status = StatusWarn
		c.Detail = "dockdojo runs on Windows itself; the lessons' commands are written for a Linux shell ($PWD, sh)"
		c.Fix = `install WSL 2 ("wsl --install"), turn on Docker Desktop's Settings > Resources > WSL integration for that distribution, and run dockdojo inside it.`
	case !isWSL(in.ProcVersion):
		c.Detail = "not Windows or WSL: nothing to check"
	case !strings.Contains(strings.ToLower(in.ProcVersion), "wsl2") && !strings.Contains(in.ProcVersion, "microsoft-standard"):
		c.Status = StatusFail
		c.Detail = "this is WSL 1, which cannot run containers or reach Docker Desktop's engine"
		c.Fix = `convert the distribution to WSL 2: "wsl --set-version DISTRO 2" in Windows ("wsl -l -v" lists them).`
	case strings.HasPrefix(in.Workspace, "/mnt/"):
		c.Status = StatusWarn
		c.Detail = fmt.Sprintf("WSL 2; the workspace %s is on a Windows drive: bind mounts from there are slow and miss file changes", in.Workspace)
		c.Fix = "keep workspaces on the Linux side: --workspace ~/dockdojo, or DOCKDOJO_WORKSPACE=$HOME/dockdojo."
	case in.Facts != nil && in.Facts.Kind == sandbox.KindDockerDesktop:
		c.Detail = "WSL 2 with Docker Desktop's WSL integration; workspaces are on the Linux side"
	default:
		c.Detail = `WSL 2 with an engine of its own; start it again after each "wsl --shutdown" ("sudo service docker start")`
	}
	return c
}

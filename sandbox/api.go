// Package sandbox owns every conversation with the Docker engine: finding it,
// pulling images, creating hardened and labelled containers, networks and
// volumes, exec, interactive shells, inspection and label-scoped removal.
// It is the only package that imports the Docker SDK, and it imports none of
// dockdojo's other packages.
package sandbox

// NOTE: this file declares the API the rest of dockdojo codes against.
// Implementation lives in the other files of this package.

import (
	"errors"
	"io"
	"time"
)

// Label keys that mark every object dockdojo creates, all under
// labelPrefix.
const (
	labelPrefix   = "io.dockdojo."
	LabelManaged  = "io.dockdojo.managed"  // always "true"
	LabelExercise = "io.dockdojo.exercise" // "lesson/exercise"
	LabelRun      = "io.dockdojo.run"      // random run id of one start
	LabelRole     = "io.dockdojo.role"     // "sandbox", "probe", "volume", "network"
	// LabelWorkspace is on a sandbox container: the workspace folder of
	// the learner whose start made it, which tells their sandbox from
	// another learner's of the same engine when their progress file has
	// lost its run id.
	LabelWorkspace = "io.dockdojo.workspace"
	// LabelChain is on the networks and volumes a sandbox gets: the
	// exercise its chain of continues starts with, whose exercises share
	// them ("lesson/exercise").
	LabelChain = "io.dockdojo.chain"
)

// ErrUnreachable is wrapped by every error that means the engine could not be
// reached or answered nothing useful.
var ErrUnreachable = errors.New("docker engine unreachable")

// ErrNotAnEngine is wrapped, with ErrUnreachable, when the endpoint
// answers, but not as a Docker engine does: another program (a web
// server) listens where DOCKER_HOST or the context points.
var ErrNotAnEngine = errors.New("not a Docker engine")

// ErrNotFound is wrapped when a named container, network, volume or image does
// not exist.
var ErrNotFound = errors.New("not found")

// ErrHostNetwork is wrapped when a probe would get the host's network, itself
// or through a container that has it; dockdojo refuses that.
var ErrHostNetwork = errors.New("the host network is refused")

// ErrConflict is wrapped by errors that mean a name is taken already.
var ErrConflict = errors.New("name already in use")

// Endpoint says where the engine was found and how.
type Endpoint struct {
	Host   string // e.g. unix:///var/run/docker.sock, tcp://1.2.3.4:2376
	Source string // "DOCKER_HOST", "context NAME", "default socket", "Docker Desktop socket"

	// TLSDir holds a context's TLS material (ca.pem, cert.pem, key.pem), used
	// for tcp hosts when the directory exists; empty unless Source is a context.
	TLSDir string
	// SkipTLSVerify is the context's choice not to verify the engine's certificate.
	SkipTLSVerify bool
}

// Binding is one host side of a published port.
type Binding struct {
	HostIP   string
	HostPort string
}

// NetAttachment is where a container sits on one network.
type NetAttachment struct {
	IP      string
	Aliases []string
}

// Mount is one mount of a container.
type Mount struct {
	Type        string // volume, bind, tmpfs
	Name        string // volume name, for volumes
	Source      string
	Destination string
	ReadOnly    bool
}

// Container is what dockdojo looks at when it inspects a container.
type Container struct {
	ID            string
	Name          string // without leading slash
	Image         string // as configured (Config.Image)
	ImageID       string
	State         string    // created, running, exited, restarting, ...
	Running       bool      // its process runs now; false while it waits to be restarted
	StartedAt     time.Time // when it last started; zero when it never did
	Created       time.Time // when it was made, on the engine's clock
	ExitCode      int
	Ports         map[string][]Binding // "80/tcp" -> bindings
	Networks      map[string]NetAttachment
	Mounts        []Mount
	Env           []string
	User          string
	CapAdd        []string
	CapDrop       []string
	Privileged    bool
	SecurityOpt   []string
	PidsLimit     int64
	Memory        int64
	NanoCPUs      int64
	RestartPolicy string
	// AutoRemove is --rm: the engine removes the container once it stops.
	AutoRemove  bool
	Devices     []Device
	Labels      map[string]string
	NetworkMode string
	PidMode     string // "host": it sees this machine's processes
	IpcMode     string // "host": it shares this machine's shared memory

	// StateError is why the engine could not start it, e.g. "... Bind for
	// 0.0.0.0:8080 failed: port is already allocated"; "" when it could.
	StateError string
	// PortBindings are the bindings it was created with (-p), whatever its
	// state; a HostPort of "" means a port of the engine's choosing. Ports
	// are those in effect while it runs.
	PortBindings map[string][]Binding
	// Attached says it was created to run attached to the terminal that
	// made it (docker run without -d, or docker create): its output goes
	// to that terminal, and Ctrl-C there stops it.
	Attached  bool
	Tty       bool // -t: it has a terminal of its own
	OpenStdin bool // -i: its input is kept open
	// Command is what its process 1 runs: the program, then its
	// arguments, e.g. [bash] for debian with no command given.
	Command []string
}

// Device is a host device mapped into a container.
type Device struct {
	PathOnHost, PathInContainer, Permissions string
}

// Network is what dockdojo looks at when it inspects a network.
type Network struct {
	ID, Name, Driver string
	Labels           map[string]string
	Containers       map[string]string // container ID -> container name
	Subnets          []string          // its IPAM subnets, e.g. 10.234.53.0/24
}

// Volume is what dockdojo looks at when it inspects a volume.
type Volume struct {
	Name, Driver string
	Labels       map[string]string
}

// Image is what dockdojo looks at when it inspects an image.
type Image struct {
	ID           string
	Tags         []string
	Cmd          []string
	Entrypoint   []string
	Labels       map[string]string
	Env          []string // KEY=value
	ExposedPorts []string // "80/tcp", sorted
	User         string
	WorkingDir   string
	Layers       []string // the digests of its layers, the base image's first
	Size         int64    // bytes, as `docker image ls` counts them
	// Built is when the image was made or last tagged, whichever is later:
	// a build that changed nothing tags the image it made before again.
	// Zero when the engine does not say.
	Built time.Time
}

// ExecResult is the outcome of a command run to completion.
type ExecResult struct {
	ExitCode int
	Stdout   string
	Stderr   string
}

// MountSpec is a mount that dockdojo asks for when it creates a container.
type MountSpec struct {
	Type     string // "bind" (Source must be an absolute host path chosen by dockdojo, e.g. a workspace), "volume" (Source is the volume name), "tmpfs"
	Source   string
	Target   string
	ReadOnly bool
}

// ContainerSpec is a request for a hardened, labelled container.
type ContainerSpec struct {
	Name     string // exact container name
	Image    string
	Cmd      []string // nil: a keep-alive command that exits promptly on SIGTERM
	Env      []string
	Workdir  string
	Ports    map[string]string // container port "80/tcp" -> host port "8080" (bound to 127.0.0.1)
	Network  string            // "" for the default bridge, or a network name, or "none"
	Mounts   []MountSpec
	CapAdd   []string // everything else is dropped
	Hostname string
	Labels   map[string]string // merged with dockdojo's labels; LabelManaged is always set
}

// Limits applied to every container dockdojo creates. A build's steps get
// the memory and CPU ones (see Build): the classic builder takes no pids
// limit.
const (
	PidsLimit = 256
	MemoryMax = 512 << 20
	// MemorySwapMax is memory and swap together: what Docker gives a
	// container limited to MemoryMax when it is not told, said outright so
	// that sandboxes and builds get the same on every engine.
	MemorySwapMax = 2 * MemoryMax
	NanoCPUs      = 1_000_000_000
)

// The bound of every dockdojo container's log: the engine's json-file
// driver, which `docker logs` reads, rotated at LogMaxSize with LogMaxFiles
// files kept, so that a container printing without end fills no disk: at
// most 20 MiB each. The older file, kept whole, holds ten times what a check
// reads (maxLogs), so a check never finds a log emptied by its rotation.
const (
	LogDriver   = "json-file"
	LogMaxSize  = "10m"
	LogMaxFiles = "2"
)

// ProbeSpec is a throwaway container run to completion, hardened and labelled
// with role "probe", and removed afterwards whatever happened.
type ProbeSpec struct {
	Image       string
	Cmd         []string
	NetworkMode string // "", "none", a network name, or "container:NAME"
	Mounts      []MountSpec
	Labels      map[string]string
	Timeout     time.Duration // default 30s
}

// ShellIO carries an interactive terminal session.
type ShellIO struct {
	In     io.Reader
	Out    io.Writer
	Resize <-chan TermSize // each value resizes the remote TTY; may be nil
	Size   TermSize        // initial size
}

// TermSize is a terminal's size in cells.
type TermSize struct{ Rows, Cols uint }

// Removed lists what a removal took away, by name.
type Removed struct {
	Containers, Networks, Volumes, Images []string
}

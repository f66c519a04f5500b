package lessons

import (
	"fmt"
	"strings"
)

// Check is one declarative check of an exercise. Kind chooses what it looks
// at; the other fields are its parameters, and which ones a kind takes is
// listed in CheckKinds.
type Check struct {
	Kind string `yaml:"kind"`

	Container string `yaml:"container"` // exact container name; for exec, empty means the sandbox
	Port      string `yaml:"port"`      // container port, "80" or "80/tcp"
	HostPort  string `yaml:"host_port"` // the host port it must be published on
	Path      string `yaml:"path"`      // http_get: URL path (default "/"); volume_file: file path in the volume

	Status         int    `yaml:"status"`           // http_get: expected status (default 200)
	BodyContains   string `yaml:"body_contains"`    // http_get: the body contains this text
	BodyEqualsFile string `yaml:"body_equals_file"` // http_get: the body equals this workspace file

	Command        []string `yaml:"command"`         // exec: argv run in the container
	ExitCode       *int     `yaml:"exit_code"`       // exec: expected exit code (default 0)
	OutputContains string   `yaml:"output_contains"` // exec: stdout contains this text
	OutputMatches  string   `yaml:"output_matches"`  // exec: stdout matches this regular expression

	Network string `yaml:"network"` // exact network name
	Driver  string `yaml:"driver"`  // network_exists: expected driver
	Volume  string `yaml:"volume"`  // exact volume name
	Image   string `yaml:"image"`   // exact image reference

	From     string `yaml:"from"`     // name_resolves: the container that asks
	Name     string `yaml:"name"`     // name_resolves: the name it asks for
	To       string `yaml:"to"`       // name_resolves: the container the name must lead to (default: Name)
	Type     string `yaml:"type"`     // mount: volume, bind or tmpfs
	Target   string `yaml:"target"`   // mount: path in the container
	Source   string `yaml:"source"`   // mount: volume name (for type volume)
	Contains string `yaml:"contains"` // volume_file: the file contains this text; container_logs: the logs do

	State       string   `yaml:"state"`       // container_state: running, exited, created, paused or absent
	Value       string   `yaml:"value"`       // env_set: the variable's value
	Capability  string   `yaml:"capability"`  // cap_added: a Linux capability, e.g. NET_ADMIN
	Policy      string   `yaml:"policy"`      // restart_policy: no, always, unless-stopped or on-failure
	User        string   `yaml:"user"`        // user: the user the container runs as, as configured
	Host        string   `yaml:"host"`        // device_mapped: the device's path on the host
	Build       string   `yaml:"build"`       // image_run: a workspace folder to build and run instead of image
	File        string   `yaml:"file"`        // dockerfile: the Dockerfile, relative to the workspace
	Instruction string   `yaml:"instruction"` // dockerfile: FROM, RUN, CMD, ...
	Matches     string   `yaml:"matches"`     // dockerfile: a regular expression on the instruction's arguments
	Absent      bool     `yaml:"absent"`      // dockerfile: no instruction may match
	Project     string   `yaml:"project"`     // compose_services: the Compose project name
	Services    []string `yaml:"services"`    // compose_services: services that must be running
	Script      string   `yaml:"script"`      // script: shell script run by sh in a throwaway container
	Address     string   `yaml:"address"`     // name_resolves: the address the name must resolve to

	// Explain, when set, is added to the failure message: what to try.
	Explain string `yaml:"explain"`

	Pos Pos `yaml:"-"`
}

// CheckKind describes one kind of check: the fields it requires and the ones
// it accepts besides.
type CheckKind struct {
	Name     string
	Doc      string
	Required []string
	Optional []string
}

// CheckKinds lists every kind of check the format accepts.
var CheckKinds = []CheckKind{
	{"container_exists", "a container with exactly this name exists (made from this image)", []string{"container"}, []string{"image"}},
	{"container_running", "the named container is running (made from this image)", []string{"container"}, []string{"image"}},
	{"port_published", "the named container publishes its port on the host", []string{"container", "port"}, []string{"host_port"}},
	{"http_get", "an HTTP GET through the container's own published port answers as expected", []string{"container", "port"}, []string{"path", "status", "body_contains", "body_equals_file"}},
	{"exec", "a command run inside the container exits and prints as expected", []string{"command"}, []string{"container", "exit_code", "output_contains", "output_matches"}},
	{"network_exists", "a network with exactly this name exists", []string{"network"}, []string{"driver"}},
	{"container_on_network", "the named container is attached to the named network", []string{"container", "network"}, nil},
	{"name_resolves", "inside one container, a name resolves to another container's address (or a given address)", []string{"from", "name"}, []string{"to", "address"}},
	{"volume_exists", "a volume with exactly this name exists", []string{"volume"}, nil},
	{"volume_file", "a file exists in the named volume", []string{"volume", "path"}, []string{"contains"}},
	{"mount", "the named container has a mount of this type at this path", []string{"container", "type", "target"}, []string{"source"}},
	{"image_exists", "an image with exactly this reference exists", []string{"image"}, nil},
	{"container_state", "the named container is in this state (and exited with this code)", []string{"container", "state"}, []string{"exit_code"}},
	{"container_logs", "what the named container printed contains this text", []string{"container", "contains"}, nil},
	{"env_set", "the named container has this environment variable (with this value)", []string{"container", "name"}, []string{"value"}},
	{"cap_added", "the named container was given this capability", []string{"container", "capability"}, nil},
	{"restart_policy", "the named container has this restart policy", []string{"container", "policy"}, nil},
	{"user", "the named container runs as this user", []string{"container", "user"}, nil},
	{"device_mapped", "a host device is mapped into the named container at this path", []string{"container", "path"}, []string{"host"}},
	{"image_run", "an image (or the workspace, built) runs and exits and prints as expected", nil, []string{"image", "build", "command", "exit_code", "output_contains", "output_matches"}},
	{"dockerfile", "the workspace's Dockerfile has (or lacks) an instruction", []string{"instruction"}, []string{"file", "matches", "absent"}},
	{"compose_services", "every named service of a Compose project has a running container", []string{"project", "services"}, nil},
	{"script", "a shell script run in a throwaway container exits and prints as expected", []string{"script"}, []string{"image", "network", "volume", "exit_code", "output_contains"}},
}

func checkKind(name string) (CheckKind, bool) {
	for _, k := range CheckKinds {
		if k.Name == name {
			return k, true
		}
	}
	return CheckKind{}, false
}

func checkKindNames() []string {
	names := make([]string, len(CheckKinds))
	for i, k := range CheckKinds {
		names[i] = k.Name
	}
	return names
}

// Describe says in a few words what the check looks for, for lists of checks.
func (c Check) Describe() string {
	switch c.Kind {
	case "container_exists":
		return fmt.Sprintf("container %s exists", c.Container)
	case "container_running":
		return fmt.Sprintf("container %s is running", c.Container)
	case "port_published":
		if c.HostPort != "" {
			return fmt.Sprintf("container %s publishes port %s on host port %s", c.Container, c.Port, c.HostPort)
		}
		return fmt.Sprintf("container %s publishes port %s", c.Container, c.Port)
	case "http_get":
		return fmt.Sprintf("HTTP GET %s through %s's port %s answers", orDefault(c.Path, "/"), c.Container, c.Port)
	case "exec":
		return fmt.Sprintf("`%s` in %s", strings.Join(c.Command, " "), orDefault(c.Container, "the sandbox"))
	case "network_exists":
		if c.Driver != "" {
			return fmt.Sprintf("network %s exists with driver %s", c.Network, c.Driver)
		}
		return fmt.Sprintf("network %s exists", c.Network)
	case "container_on_network":
		return fmt.Sprintf("container %s is on network %s", c.Container, c.Network)
	case "name_resolves":
		if c.Address != "" {
			return fmt.Sprintf("from %s, the name %s resolves to %s", c.From, c.Name, c.Address)
		}
		return fmt.Sprintf("from %s, the name %s resolves to %s", c.From, c.Name, orDefault(c.To, c.Name))
	case "volume_exists":
		return fmt.Sprintf("volume %s exists", c.Volume)
	case "volume_file":
		return fmt.Sprintf("volume %s holds %s", c.Volume, c.Path)
	case "mount":
		return fmt.Sprintf("container %s has a %s mount at %s", c.Container, c.Type, c.Target)
	case "image_exists":
		return fmt.Sprintf("image %s exists", c.Image)
	case "container_state":
		return fmt.Sprintf("container %s is %s", c.Container, c.State)
	case "container_logs":
		return fmt.Sprintf("container %s printed %q", c.Container, c.Contains)
	case "env_set":
		if c.Value != "" {
			return fmt.Sprintf("container %s has %s=%s", c.Container, c.Name, c.Value)
		}
		return fmt.Sprintf("container %s has %s set", c.Container, c.Name)
	case "cap_added":
		return fmt.Sprintf("container %s was given %s", c.Container, c.Capability)
	case "restart_policy":
		return fmt.Sprintf("container %s restarts %s", c.Container, c.Policy)
	case "user":
		return fmt.Sprintf("container %s runs as %s", c.Container, c.User)
	case "device_mapped":
		return fmt.Sprintf("container %s has a device at %s", c.Container, c.Path)
	case "image_run":
		what := c.Image
		if c.Build != "" {
			what = "your build of " + c.Build
		}
		return fmt.Sprintf("%s runs as expected", what)
	case "dockerfile":
		what := strings.TrimSpace(strings.ToUpper(c.Instruction) + " " + c.Matches)
		if c.Absent {
			return fmt.Sprintf("%s has no %s", orDefault(c.File, "Dockerfile"), what)
		}
		return fmt.Sprintf("%s has %s", orDefault(c.File, "Dockerfile"), what)
	case "compose_services":
		return fmt.Sprintf("Compose project %s runs %s", c.Project, strings.Join(c.Services, ", "))
	case "script":
		return "a probe script passes"
	}
	return c.Kind
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

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
	Contains string `yaml:"contains"` // volume_file: the file contains this text

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
	{"container_exists", "a container with exactly this name exists", []string{"container"}, nil},
	{"container_running", "the named container is running", []string{"container"}, nil},
	{"port_published", "the named container publishes its port on the host", []string{"container", "port"}, []string{"host_port"}},
	{"http_get", "an HTTP GET through the container's own published port answers as expected", []string{"container", "port"}, []string{"path", "status", "body_contains", "body_equals_file"}},
	{"exec", "a command run inside the container exits and prints as expected", []string{"command"}, []string{"container", "exit_code", "output_contains", "output_matches"}},
	{"network_exists", "a network with exactly this name exists", []string{"network"}, []string{"driver"}},
	{"container_on_network", "the named container is attached to the named network", []string{"container", "network"}, nil},
	{"name_resolves", "inside one container, a name resolves to another container's address", []string{"from", "name"}, []string{"to"}},
	{"volume_exists", "a volume with exactly this name exists", []string{"volume"}, nil},
	{"volume_file", "a file exists in the named volume", []string{"volume", "path"}, []string{"contains"}},
	{"mount", "the named container has a mount of this type at this path", []string{"container", "type", "target"}, []string{"source"}},
	{"image_exists", "an image with exactly this reference exists", []string{"image"}, nil},
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
		return fmt.Sprintf("from %s, the name %s resolves to %s", c.From, c.Name, orDefault(c.To, c.Name))
	case "volume_exists":
		return fmt.Sprintf("volume %s exists", c.Volume)
	case "volume_file":
		return fmt.Sprintf("volume %s holds %s", c.Volume, c.Path)
	case "mount":
		return fmt.Sprintf("container %s has a %s mount at %s", c.Container, c.Type, c.Target)
	case "image_exists":
		return fmt.Sprintf("image %s exists", c.Image)
	}
	return c.Kind
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

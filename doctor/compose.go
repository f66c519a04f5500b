package doctor

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
)

// Compose is which Compose this machine has, found the way the docker CLI
// finds its plugins (never by running anything): the v2 plugin
// (`docker compose`) and the standalone v1 program (`docker-compose`).
type Compose struct {
	Plugin     string // path of the docker-compose CLI plugin; "" when there is none
	Standalone string // path of docker-compose on PATH; "" when there is none
}

// FindCompose looks for Compose where the docker CLI looks for plugins:
// $DOCKER_CONFIG/cli-plugins (else ~/.docker/cli-plugins), then the
// system's plugin folders; and for docker-compose on PATH.
func FindCompose(getenv func(string) string, home string) Compose {
	var c Compose
	name := "docker-compose"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	config := getenv("DOCKER_CONFIG")
	if config == "" {
		config = filepath.Join(home, ".docker")
	}
	dirs := []string{filepath.Join(config, "cli-plugins")}
	if runtime.GOOS == "windows" {
		dirs = append(dirs, filepath.Join(getenv("ProgramData"), "Docker", "cli-plugins"), filepath.Join(getenv("ProgramFiles"), "Docker", "cli-plugins"))
	} else {
		dirs = append(dirs, "/usr/local/lib/docker/cli-plugins", "/usr/local/libexec/docker/cli-plugins", "/usr/lib/docker/cli-plugins", "/usr/libexec/docker/cli-plugins")
	}
	for _, d := range dirs {
		if st, err := os.Stat(filepath.Join(d, name)); err == nil && !st.IsDir() {
			c.Plugin = filepath.Join(d, name)
			break
		}
	}
	if p, err := exec.LookPath("docker-compose"); err == nil {
		c.Standalone = p
	}
	return c
}

// Command is how the learner types Compose here: "docker compose", or
// "docker-compose" where only the standalone program is installed.
func (c Compose) Command() string {
	if c.Plugin == "" && c.Standalone != "" {
		return "docker-compose"
	}
	return "docker compose"
}

// composeWords is `docker compose` followed by more words: a space or a
// line's end between them, and after them (kept).
var composeWords = regexp.MustCompile(`docker(?:[ \t]+|[ \t]*\n[ \t]*)compose([ \t]+|[ \t]*\n)`)

// Say puts text (a hint, a message, a lesson) in this machine's words:
// where only docker-compose is installed, `docker compose up -d` (which
// would fail with "unknown shorthand flag: 'd'") reads `docker-compose up
// -d`, also where the words are wrapped onto two lines of a paragraph
// (`docker\ncompose up`). A paragraph (text between blank lines) that already names
// docker-compose speaks of both on purpose, as a script's fallback
// (`if docker compose version …; then dc="docker compose" else
// dc=docker-compose; fi`) or a lesson's note on the two versions, and is
// left as it is: rewriting it would break the fallback.
func (c Compose) Say(text string) string {
	if c.Command() == "docker compose" || !strings.Contains(text, "compose") {
		return text
	}
	var b, para strings.Builder
	say := func() {
		p := para.String()
		if !strings.Contains(p, "docker-compose") {
			p = composeWords.ReplaceAllString(p, "docker-compose$1")
		}
		b.WriteString(p)
		para.Reset()
	}
	for _, line := range strings.SplitAfter(text, "\n") {
		para.WriteString(line)
		if strings.TrimSpace(line) == "" {
			say()
		}
	}
	say()
	return b.String()
}

// judgeCompose says which Compose there is, and how to get the plugin.
func judgeCompose(in Input) Check {
	c := Check{Check: "compose", Status: StatusOK}
	const install = `install the Compose plugin: Docker Desktop has it; on Linux, your distribution's docker-compose-plugin package (Docker's own apt or dnf repository), or the docker-compose binary of github.com/docker/compose/releases copied to ~/.docker/cli-plugins/docker-compose.`
	switch cp := in.Compose; {
	case cp.Plugin != "":
		c.Detail = "`docker compose` (the v2 plugin at " + cp.Plugin + ")"
	case cp.Standalone != "":
		c.Status = StatusWarn
		c.Detail = "only the old standalone docker-compose (v1, end of life) at " + cp.Standalone + ": the lessons say `docker compose`, and dockdojo shows their commands as `docker-compose` here"
		c.Fix = install
	default:
		c.Status = StatusWarn
		c.Detail = "no Compose: the compose lesson needs `docker compose`"
		c.Fix = install
	}
	return c
}

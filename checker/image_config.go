package checker

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
)

// ImageConfig checks how an image is configured, as `docker image inspect`
// shows it: what the CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER and WORKDIR
// of its Dockerfile (and of the images it was built FROM) left in the image
// that was built. It judges the image, not the Dockerfile: an image built
// before the learner fixed the file fails.
//
// cmd, entrypoint, user and workdir are compared exactly, an empty value
// meaning none; env, exposed_ports and labels name what must be there among
// the rest.
type ImageConfig struct {
	Image        string    `yaml:"image" check:"required"` // the image reference, with its tag
	Cmd          *[]string `yaml:"cmd"`                    // exactly this CMD, in exec form; [] for none
	Entrypoint   *[]string `yaml:"entrypoint"`             // exactly this ENTRYPOINT, in exec form; [] for none
	Env          []string  `yaml:"env"`                    // NAME=value each; NAME alone for any value
	ExposedPorts []string  `yaml:"exposed_ports"`          // each is exposed: 80 or 80/tcp
	Labels       []string  `yaml:"labels"`                 // KEY=value each; KEY alone for any value
	User         *string   `yaml:"user"`                   // exactly this USER; "" for none
	Workdir      *string   `yaml:"workdir"`                // exactly this WORKDIR; "" for none
}

var _ Spec = (*ImageConfig)(nil)

// Title names what of the image is looked at, not what it must be: the
// instructions and values are the answer, and the learner sees the title
// before a first try.
func (s *ImageConfig) Title() string {
	var parts []string
	plural := false // of the last part, when it stands alone
	add := func(given bool, what string, many bool) {
		if given {
			parts, plural = append(parts, what), many
		}
	}
	add(s.Entrypoint != nil, "the program it runs", false)
	add(s.Cmd != nil, "its default command", false)
	add(len(s.Env) > 0, "its environment", false)
	add(len(s.ExposedPorts) > 0, "the ports it exposes", true)
	add(len(s.Labels) > 0, "its labels", true)
	add(s.User != nil, "the user it runs as", false)
	add(s.Workdir != nil, "the folder it starts in", false)
	switch {
	case len(parts) == 0:
		return fmt.Sprintf("image %s is configured as the goal asks", s.Image)
	case len(parts) == 1 && plural:
		return fmt.Sprintf("image %s: %s are as the goal asks", s.Image, parts[0])
	case len(parts) == 1:
		return fmt.Sprintf("image %s: %s is as the goal asks", s.Image, parts[0])
	}
	return fmt.Sprintf("image %s: %s and %s are as the goal asks", s.Image, strings.Join(parts[:len(parts)-1], ", "), parts[len(parts)-1])
}

func (s *ImageConfig) Validate(l *Lint) {
	l.pinnedImage("image", s.Image)
	if s.Cmd == nil && s.Entrypoint == nil && s.User == nil && s.Workdir == nil && len(s.Env)+len(s.ExposedPorts)+len(s.Labels) == 0 {
		l.Errorf("", "image_config needs at least one of cmd, entrypoint, env, exposed_ports, labels, user and workdir: what the image must have")
	}
	for _, e := range s.Env {
		if name, _, _ := strings.Cut(e, "="); name == "" {
			l.Errorf("env", "env entry %q: write NAME=value, or NAME for any value", e)
		}
	}
	for _, lb := range s.Labels {
		if key, _, _ := strings.Cut(lb, "="); key == "" {
			l.Errorf("labels", "labels entry %q: write KEY=value, or KEY for any value", lb)
		}
	}
	for _, p := range s.ExposedPorts {
		l.port("exposed_ports", p)
	}
	if s.Workdir != nil && *s.Workdir != "" && !path.IsAbs(*s.Workdir) {
		l.Errorf("workdir", "workdir %q: an image's WORKDIR is an absolute path, like /app", *s.Workdir)
	}
}

func (s *ImageConfig) Run(ctx context.Context, env Env) (string, error) {
	im, msg, err := image(ctx, env, s.Image)
	if msg != "" || err != nil {
		return msg, err
	}
	var wrong []string
	if s.Entrypoint != nil {
		wrong = append(wrong, compareList("ENTRYPOINT", im.Entrypoint, *s.Entrypoint)...)
	}
	if s.Cmd != nil {
		wrong = append(wrong, compareList("CMD", im.Cmd, *s.Cmd)...)
	}
	for _, e := range s.Env {
		wrong = append(wrong, comparePair("environment variable", "ENV", "=", im.Env, e)...)
	}
	for _, p := range s.ExposedPorts {
		if !slices.Contains(im.ExposedPorts, normPort(p)) {
			wrong = append(wrong, fmt.Sprintf("does not expose %s (EXPOSE %s); it exposes %s", normPort(p), p, orNone(slices.Clone(im.ExposedPorts), "no port")))
		}
	}
	for _, lb := range s.Labels {
		wrong = append(wrong, comparePair("label", "LABEL", "=", labelList(im.Labels), lb)...)
	}
	if s.User != nil && im.User != *s.User {
		wrong = append(wrong, compareText("USER", im.User, *s.User, "it runs as root"))
	}
	if s.Workdir != nil && path.Clean("/"+im.WorkingDir) != path.Clean("/"+*s.Workdir) {
		wrong = append(wrong, compareText("WORKDIR", im.WorkingDir, *s.Workdir, "it starts in /"))
	}
	if len(wrong) == 0 {
		return "", nil
	}
	return fmt.Sprintf("image %s %s", s.Image, strings.Join(wrong, "; it ")), nil
}

// compareList compares an exec-form instruction of an image with what is
// expected; it says what is wrong, or nothing.
func compareList(instr string, got, want []string) []string {
	switch {
	case slices.Equal(got, want):
		return nil
	case len(want) == 0:
		return []string{fmt.Sprintf("has %s, expected none", instrList(instr, got))}
	case len(got) == 0:
		return []string{fmt.Sprintf("has no %s, expected %s", instr, execForm(want))}
	}
	form := ""
	if len(got) >= 2 && got[0] == "/bin/sh" && got[1] == "-c" && (len(want) < 2 || want[0] != "/bin/sh") {
		form = " (shell form: the line without brackets runs in /bin/sh -c)"
	}
	return []string{fmt.Sprintf("has %s%s, expected %s", instrList(instr, got), form, execForm(want))}
}

// comparePair looks for want (NAME=value, or NAME for any value) among the
// pairs got; what names the kind of pair in messages.
func comparePair(what, instr, sep string, got []string, want string) []string {
	name, value, withValue := strings.Cut(want, sep)
	for _, kv := range got {
		k, v, _ := strings.Cut(kv, sep)
		if k != name {
			continue
		}
		if withValue && v != value {
			return []string{fmt.Sprintf("has %s %s=%s, expected %s=%s", what, k, v, name, value)}
		}
		return nil
	}
	return []string{fmt.Sprintf("has no %s %s (%s %s=...)", what, name, instr, name)}
}

// compareText says how a text instruction (USER, WORKDIR) differs;
// unset says what an image without it does.
func compareText(instr, got, want, unset string) string {
	switch {
	case got == "":
		return fmt.Sprintf("has no %s (%s), expected %s %s", instr, unset, instr, want)
	case want == "":
		return fmt.Sprintf("has %s %s, expected none (%s)", instr, got, unset)
	}
	return fmt.Sprintf("has %s %s, expected %s %s", instr, got, instr, want)
}

// labelList writes labels as KEY=value pairs.
func labelList(labels map[string]string) []string {
	out := make([]string, 0, len(labels))
	for k, v := range labels {
		out = append(out, k+"="+v)
	}
	return out
}

// instrList writes an exec-form instruction: CMD ["a", "b"], or "no CMD".
func instrList(instr string, args []string) string {
	if len(args) == 0 {
		return "no " + instr
	}
	return instr + " " + execForm(args)
}

// execForm writes arguments as a Dockerfile's exec form does: ["a", "b"].
func execForm(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = strconv.Quote(a)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

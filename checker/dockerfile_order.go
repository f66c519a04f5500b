package checker

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// DockerfileOrder checks that instructions of the workspace's Dockerfile,
// parsed as Docker does, come in this order (others may come between):
// the build cache's lesson, where what changes rarely is copied and
// installed before what changes often.
type DockerfileOrder struct {
	// Steps are the instructions in their order: each one an instruction,
	// then (optionally) a regular expression its arguments must match,
	// e.g. "COPY requirements" or "RUN pip install".
	Steps []string `yaml:"steps" check:"required"`
	File  string   `yaml:"file"` // relative to the workspace; default Dockerfile
}

var _ Spec = (*DockerfileOrder)(nil)

// instructions are the words a Dockerfile line can start with.
var instructions = []string{"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
	"LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"}

func (s *DockerfileOrder) file() string {
	if s.File == "" {
		return "Dockerfile"
	}
	return s.File
}

// Title does not list the steps: they are the answer, and the learner
// sees the title before a first try.
func (s *DockerfileOrder) Title() string {
	return fmt.Sprintf("%s does its steps in the order the goal asks", s.file())
}

func (s *DockerfileOrder) Validate(l *Lint) {
	if s.File != "" && !localPath(s.File) {
		l.Errorf("file", "file %q must be a relative path inside the workspace", s.File)
	}
	if len(s.Steps) == 1 {
		l.Errorf("steps", "steps has one step: an order needs two or more (a single instruction is a dockerfile check)")
	}
	for _, step := range s.Steps {
		instr, expr := splitStep(step)
		if !slices.Contains(instructions, instr) {
			l.Errorf("steps", "step %q: start it with a Dockerfile instruction (FROM, RUN, COPY, ...), then what its arguments must match", step)
			continue
		}
		if _, err := regexp.Compile(expr); err != nil {
			l.Errorf("steps", "step %q: what follows %s is not a valid regular expression: %v", step, instr, err)
		}
	}
}

// splitStep cuts a step into its instruction, in capitals, and the
// regular expression on its arguments ("" for any).
func splitStep(step string) (instr, expr string) {
	instr, expr, _ = strings.Cut(strings.TrimSpace(step), " ")
	return strings.ToUpper(instr), strings.TrimSpace(expr)
}

// instruction is one instruction of a parsed Dockerfile.
type instruction struct {
	name string // in capitals
	args string // as written, after the instruction's name
	line int
	text string // the whole instruction, continuation lines joined
}

func (s *DockerfileOrder) Run(_ context.Context, env Env) (string, error) {
	name := s.file()
	res, msg := parseDockerfile(env, name)
	if msg != "" {
		return msg, nil
	}
	var all []instruction
	for _, n := range res.AST.Children {
		all = append(all, instruction{
			name: strings.ToUpper(n.Value),
			args: strings.TrimSpace(n.Original[len(n.Value):]),
			line: n.StartLine,
			text: strings.TrimSpace(n.Original),
		})
	}
	prev := -1 // the index of the instruction the last step matched
	for i, step := range s.Steps {
		instr, expr := splitStep(step)
		re, err := compile("steps", expr)
		if err != nil {
			return "", err
		}
		matches := func(in instruction) bool { return in.name == instr && re.MatchString(in.args) }
		at := slices.IndexFunc(all[prev+1:], matches)
		if at >= 0 {
			prev += 1 + at
			continue
		}
		what := instr + " instruction"
		if expr != "" {
			what = instr + " matching " + expr
		}
		early := slices.IndexFunc(all[:prev+1], matches)
		switch {
		case early < 0:
			return fmt.Sprintf("%s has no %s", name, what), nil
		case early == prev:
			return fmt.Sprintf("%s has one %s, line %d `%s`, where the order %s needs one for each step", name, what, all[early].line, all[early].text, strings.Join(s.Steps, ", then ")), nil
		}
		return fmt.Sprintf("in %s, line %d `%s` comes before line %d `%s`, and %s must come after %s: the order is %s",
			name, all[early].line, all[early].text, all[prev].line, all[prev].text, step, s.Steps[i-1], strings.Join(s.Steps, ", then ")), nil
	}
	return "", nil
}

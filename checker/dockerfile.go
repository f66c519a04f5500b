package checker

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/dockdojo/dockdojo/internal/nearmiss"
)

// Dockerfile checks that the workspace's Dockerfile, parsed as Docker does, has an
// instruction (whose arguments match Matches), or with Absent has none.
type Dockerfile struct {
	Instruction string `yaml:"instruction" check:"required"` // FROM, RUN, CMD, ...
	File        string `yaml:"file"`                         // relative to the workspace; default Dockerfile
	Matches     string `yaml:"matches"`                      // a regular expression on the arguments
	Absent      bool   `yaml:"absent"`                       // no matching instruction may be there
}

var _ Spec = (*Dockerfile)(nil)

func (*Dockerfile) titleSaysOnlyWhere() {}

func (s *Dockerfile) file() string {
	if s.File == "" {
		return "Dockerfile"
	}
	return s.File
}

// Title does not name the instruction, nor what it must match: that is
// the answer, and the learner sees the title before a first try.
func (s *Dockerfile) Title() string {
	if s.Absent {
		return fmt.Sprintf("%s avoids a mistake the goal warns of", s.file())
	}
	return fmt.Sprintf("%s is written as the goal asks", s.file())
}

func (s *Dockerfile) Validate(l *Lint) {
	if s.File != "" && !localPath(s.File) {
		l.Errorf("file", "file %q must be a relative path inside the workspace", s.File)
	}
	if instr := strings.ToUpper(s.Instruction); s.Instruction != "" && !slices.Contains(instructions, instr) {
		l.Errorf("instruction", "instruction %q is not a Dockerfile instruction%s: write one such as FROM, RUN, COPY or CMD", s.Instruction, nearmiss.DidYouMean(instr, instructions))
	}
	l.regexp("matches", s.Matches)
}

func (s *Dockerfile) Run(_ context.Context, env Env) (string, error) {
	name := s.file()
	res, msg := parseDockerfile(env, name)
	if msg != "" {
		return msg, nil
	}
	instr := strings.ToUpper(s.Instruction)
	var re *regexp.Regexp
	if s.Matches != "" {
		var err error
		if re, err = compile("matches", s.Matches); err != nil {
			return "", err
		}
	}
	var seen []string
	for _, n := range res.AST.Children {
		if !strings.EqualFold(n.Value, instr) {
			continue
		}
		args := strings.TrimSpace(n.Original[len(n.Value):])
		if re == nil || re.MatchString(args) {
			if s.Absent {
				return fmt.Sprintf("%s line %d: `%s` should not be there", name, n.StartLine, strings.TrimSpace(n.Original)), nil
			}
			return "", nil
		}
		seen = append(seen, fmt.Sprintf("line %d: %s", n.StartLine, strings.TrimSpace(n.Original)))
	}
	if s.Absent {
		return "", nil
	}
	if len(seen) == 0 {
		return fmt.Sprintf("%s has no %s instruction", name, instr), nil
	}
	if env.title != "" {
		// The learner reads what the check looks for in the lesson's
		// words, not the regular expression that finds it.
		return fmt.Sprintf("expected that %s, and no %s instruction of %s does; found %s", env.title, instr, name, strings.Join(seen, "; ")), nil
	}
	return fmt.Sprintf("%s has no %s matching %s; found %s", name, instr, s.Matches, strings.Join(seen, "; ")), nil
}

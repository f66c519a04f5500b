package checker

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dockdojo/dockdojo/sandbox"
)

// Output is what a command that ran to its end must have done: the fields
// that the kinds which run a command (Exec, ImageRun) share.
type Output struct {
	ExitCode       *int   `yaml:"exit_code"`       // the expected exit code; default 0
	OutputContains string `yaml:"output_contains"` // its stdout contains this text
	OutputMatches  string `yaml:"output_matches"`  // its stdout matches this regular expression
}

func (o Output) validate(l *Lint) {
	l.regexp("output_matches", o.OutputMatches)
}

// judge compares a finished command's exit code and output with what is
// expected; what names the command in the message.
func (o Output) judge(what string, res sandbox.ExecResult) (string, error) {
	return judgeOutput(what, res, o.ExitCode, o.OutputContains, o.OutputMatches)
}

// judgeOutput compares a finished command's exit code and output with what
// is expected; what names the command in the message.
func judgeOutput(what string, res sandbox.ExecResult, exitCode *int, contains, matches string) (string, error) {
	want := 0
	if exitCode != nil {
		want = *exitCode
	}
	if res.ExitCode != want {
		return fmt.Sprintf("%s exited with %d, expected %d; %s", what, res.ExitCode, want, said(res)), nil
	}
	out := res.Stdout
	if contains != "" && !strings.Contains(out, contains) {
		if strings.TrimSpace(out) == "" {
			return fmt.Sprintf("%s printed nothing; expected output containing %s", what, quote(contains)), nil
		}
		return fmt.Sprintf("%s printed %s; expected it to contain %s", what, quoteShort(out), quote(contains)), nil
	}
	if matches != "" {
		re, err := compile("output_matches", matches)
		if err != nil {
			return "", err
		}
		if !re.MatchString(out) {
			if strings.TrimSpace(out) == "" {
				return fmt.Sprintf("%s printed nothing; expected %s", what, describePattern("output", matches)), nil
			}
			return fmt.Sprintf("%s printed %s; expected %s", what, quoteShort(out), describePattern("output", matches)), nil
		}
	}
	return "", nil
}

// said quotes what a command printed, its errors first.
func said(res sandbox.ExecResult) string {
	out := strings.TrimSpace(res.Stderr + "\n" + res.Stdout)
	if out == "" {
		return "it printed nothing"
	}
	return "it said: " + quoteShort(out)
}

// compile compiles the regular expression of field; validation refuses a
// bad one, so an error here means a check that was never validated.
func compile(field, expr string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", field, expr, err)
	}
	return re, nil
}

// Package cmdutil is what every command of dockdojo shares: the Factory of
// what commands need, the kinds of error and their exit codes (each
// explained once, at the top, with its remedy), the exercise argument, and
// JSON output.
package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/dockdojo/dockdojo/cmd/internal/prompter"
	"github.com/dockdojo/dockdojo/internal/termsafe"
	"github.com/dockdojo/dockdojo/sandbox"
)

// Exit codes.
const (
	ExitOK          = 0
	ExitError       = 1
	ExitUsage       = 2 // bad flags, arguments or lesson files
	ExitNotDone     = 3 // check: the exercise's checks do not all pass yet
	ExitUnreachable = 4 // the Docker engine cannot be reached
	ExitCancelled   = 130
)

// UsageError is a mistake in how dockdojo was called.
type UsageError struct{ Err error }

func (e *UsageError) Error() string {
	if e == nil || e.Err == nil {
		return "wrong use of the command line"
	}
	return e.Err.Error()
}

func (e *UsageError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Usage marks err as a mistake in how dockdojo was called; nil stays nil.
func Usage(err error) error {
	if err == nil {
		return nil
	}
	return &UsageError{Err: err}
}

// Usagef is a mistake in how dockdojo was called, said as fmt.Errorf says.
func Usagef(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// LessonError is a mistake in lesson files: every line names the file and
// line to fix.
type LessonError struct{ Err error }

func (e *LessonError) Error() string {
	if e == nil || e.Err == nil {
		return "mistake in the lesson files"
	}
	return e.Err.Error()
}

func (e *LessonError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Lessons marks err as a mistake in lesson files; nil stays nil.
func Lessons(err error) error {
	if err == nil {
		return nil
	}
	return &LessonError{Err: err}
}

// ErrNotDone is returned by check when the exercise is not done yet; it is
// a result already printed, carried out as an exit code.
var ErrNotDone = errors.New("not done yet")

// SilentError is an error already told to the learner: only its exit code
// is left to give.
type SilentError struct{ Code int }

func (e *SilentError) Error() string { return fmt.Sprintf("exit %d", e.Code) }

// ExitCode is the exit code for err, without saying anything.
func ExitCode(err error) int {
	var usage *UsageError
	var lesson *LessonError
	var silent *SilentError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &silent):
		return silent.Code
	case errors.Is(err, ErrNotDone):
		return ExitNotDone
	case errors.Is(err, prompter.ErrCancelled), errors.Is(err, context.Canceled):
		return ExitCancelled
	case errors.Is(err, sandbox.ErrUnreachable):
		return ExitUnreachable
	case errors.As(err, &lesson), errors.As(err, &usage), isCobraUsage(err):
		return ExitUsage
	}
	return ExitError
}

// isCobraUsage reports whether err is cobra's own word on the command line.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "accepts ", "requires ", "unknown flag", "unknown shorthand flag", "if any flags in the group", "invalid argument"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// flagGroupRE matches cobra's word on flags that do not go together.
var flagGroupRE = regexp.MustCompile(`^if any flags in the group \[([^\]]*)\] are set none of the others can be; \[([^\]]*)\] were all set$`)

// plainUsage says cobra's word on the command line in dockdojo's words.
func plainUsage(msg string) string {
	if m := flagGroupRE.FindStringSubmatch(msg); m != nil {
		flags := strings.Fields(m[2])
		for i, f := range flags {
			flags[i] = "--" + f
		}
		return strings.Join(flags, " and ") + " do not go together: give one of them"
	}
	return msg
}

// PrintError says what went wrong once, with the remedy for its kind, and
// returns the exit code for it.
func PrintError(w io.Writer, err error) int {
	code := ExitCode(err)
	// A message may quote a path or a word given to dockdojo (a lesson
	// folder's name) that holds an escape sequence: shown, never obeyed.
	w = printableWriter{w}
	var lesson *LessonError
	var silent *SilentError
	switch {
	case err == nil, errors.As(err, &silent), errors.Is(err, ErrNotDone):
	case code == ExitCancelled:
		fmt.Fprintln(w, "dockdojo: cancelled")
	case errors.Is(err, sandbox.ErrNotAnEngine):
		// Something answered: starting Docker is not the remedy, and the
		// error says what to check.
		fmt.Fprintf(w, "dockdojo: %v\n", err)
	case code == ExitUnreachable:
		fmt.Fprintf(w, "dockdojo: %v\n\n%s", err, UnreachableHelp)
	case errors.As(err, &lesson):
		fmt.Fprintf(w, "%v\n\nEach line names the file and line to fix, and what to change.\n", err)
	case code == ExitUsage && isCobraUsage(err):
		fmt.Fprintf(w, "dockdojo: %s\nRun `dockdojo --help` for the commands.\n", plainUsage(strings.TrimRight(err.Error(), "\n")))
	default:
		fmt.Fprintf(w, "dockdojo: %v\n", err)
	}
	return code
}

// UnreachableHelp says how to make the engine answer. Its lines fit 78
// columns: it is printed as it is, and a terminal of 80 would break a
// longer line anywhere.
const UnreachableHelp = `dockdojo needs a running Docker engine. To fix it:
  - Start Docker: open Docker Desktop, or on Linux run
    "sudo systemctl start docker". Then "docker info" should answer.
  - If Docker runs but did not answer in time, it may be busy (a build, a
    pull, many containers starting at once): try again in a moment. If
    "docker info" does not answer either, it is stuck: restart it (Docker
    Desktop: Troubleshoot > Restart; Linux: "sudo systemctl restart docker").
  - If "docker info" says "permission denied", your user may not use the
    engine's socket. Add yourself to the docker group
    ("sudo usermod -aG docker $USER", then log out and in). Members of that
    group control the engine, which is as good as root on this machine;
    only add users you would give root.
  - To use another engine (rootless Docker, a remote one, another context),
    set DOCKER_HOST (e.g. DOCKER_HOST=unix://$XDG_RUNTIME_DIR/docker.sock)
    or run "docker context use NAME".
`

// printableWriter escapes what a terminal would obey in what is written
// through it (see termsafe.Printable).
type printableWriter struct{ w io.Writer }

// Printable is w escaping what a terminal would obey in what is written
// through it (see termsafe.Printable), for output that quotes what others
// sent (a classroom's names and reasons) and has no escape sequence of
// dockdojo's own. Each write is escaped whole: write whole lines.
func Printable(w io.Writer) io.Writer { return printableWriter{w} }

func (p printableWriter) Write(b []byte) (int, error) {
	if _, err := io.WriteString(p.w, termsafe.Printable(string(b))); err != nil {
		return 0, err
	}
	return len(b), nil
}

// Package cli is dockdojo's command line: one cobra command per verb, each an
// options struct, a constructor that wires its flags, and a run function.
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/cmd/internal/prompter"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/progress"
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

// Factory builds what commands need, lazily, from the process environment.
type Factory struct {
	IO     *iostreams.Streams
	Getenv func(string) string
	Home   string

	lessonDirs []string
	replace    bool
	workspace  string
	course     *lessons.Course
	classroom  *classroomLink // the classroom the learner joined, loaded on first use
}

// NewFactory returns a factory for the real process.
func NewFactory(io *iostreams.Streams, getenv func(string) string, home string) *Factory {
	return &Factory{IO: io, Getenv: getenv, Home: home}
}

// Course loads the built-in course and the instructor folders given with
// --lessons or DOCKDOJO_LESSONS (colon-separated); with --replace (or
// DOCKDOJO_REPLACE=1), the folders alone.
func (f *Factory) Course() (*lessons.Course, error) {
	if f.course != nil {
		return f.course, nil
	}
	sources, _, err := f.Sources()
	if err != nil {
		return nil, err
	}
	c, err := lessons.Load(sources...)
	if err != nil {
		return nil, lessonError{err}
	}
	f.course = c
	return c, nil
}

// Exercise finds an exercise of the course by key.
func (f *Factory) Exercise(key string) (*lessons.Exercise, error) {
	c, err := f.Course()
	if err != nil {
		return nil, err
	}
	ex, err := c.Exercise(key)
	if err != nil {
		return nil, usageError{err}
	}
	return ex, nil
}

// Engine connects to Docker the way the docker CLI finds it.
func (f *Factory) Engine(ctx context.Context) (*sandbox.Engine, error) {
	return sandbox.Connect(ctx, f.Getenv, f.Home)
}

// Workspace is the root folder of exercise workspaces: --workspace, else
// DOCKDOJO_WORKSPACE, else ~/dockdojo.
func (f *Factory) Workspace() string {
	switch {
	case f.workspace != "":
		return absolute(f.workspace)
	case f.Getenv("DOCKDOJO_WORKSPACE") != "":
		return absolute(f.Getenv("DOCKDOJO_WORKSPACE"))
	}
	return filepath.Join(f.Home, "dockdojo")
}

func absolute(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// ProgressPath is the learner's progress file.
func (f *Factory) ProgressPath() string { return progress.Path(f.Getenv, f.Home) }

// Progress loads the progress file, telling the learner if it had to be set aside.
func (f *Factory) Progress() (*progress.State, error) {
	s, notice, err := progress.Load(f.ProgressPath())
	if notice != "" {
		fmt.Fprintln(f.IO.ErrOut, "dockdojo: "+notice)
	}
	return s, err
}

// UpdateProgress applies change to the progress file.
func (f *Factory) UpdateProgress(change func(*progress.State)) error {
	notice, err := progress.Update(f.ProgressPath(), change)
	if notice != "" {
		fmt.Fprintln(f.IO.ErrOut, "dockdojo: "+notice)
	}
	return err
}

// Prompter asks questions on the terminal, or nil when there is none.
func (f *Factory) Prompter() prompter.Prompter {
	if !f.IO.Interactive() {
		return nil
	}
	in, inOK := f.IO.In.(*os.File)
	out, outOK := f.IO.Out.(*os.File)
	if !inOK || !outOK {
		return nil
	}
	return prompter.Survey{In: in, Out: out, Err: f.IO.ErrOut}
}

// usageError is a mistake in how dockdojo was called.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// lessonError is a mistake in lesson files.
type lessonError struct{ error }

func (e lessonError) Unwrap() error { return e.error }

// errNotDone is returned by check when the exercise is not done yet; it is a
// result already printed, carried out as an exit code.
var errNotDone = errors.New("not done yet")

// NewRootCmd builds the whole command tree.
func NewRootCmd(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "dockdojo",
		Short: "Learn Docker by doing: lessons in your terminal, checked on a real engine",
		Long: `dockdojo teaches Docker with lessons you read in the terminal and exercises that
a checker verifies on your real Docker engine.

Start with "dockdojo list", read a lesson with "dockdojo read LESSON", then
"dockdojo start", "dockdojo check" and "dockdojo hint" each exercise.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		Version:       versionText(),
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.RunE = func(cmd *cobra.Command, args []string) error {
		if f.IO.Interactive() {
			return runGuided(cmd, f)
		}
		return runHome(cmd, f)
	}
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	root.SetIn(f.IO.In)
	root.PersistentFlags().StringArrayVar(&f.lessonDirs, "lessons", nil, "add a folder of lesson files to the course (repeatable; also DOCKDOJO_LESSONS)")
	root.PersistentFlags().BoolVar(&f.replace, "replace", false, "use only the --lessons folders, without the built-in course (also DOCKDOJO_REPLACE=1)")
	root.PersistentFlags().StringVar(&f.workspace, "workspace", "", "root folder of exercise workspaces (default ~/dockdojo; also DOCKDOJO_WORKSPACE)")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newListCmd(f), newReadCmd(f), newStartCmd(f), newShellCmd(f), newCheckCmd(f),
		newHintCmd(f), newSolutionCmd(f), newResetCmd(f), newCleanCmd(f),
		newProgressCmd(f), newSelftestCmd(f), newVersionCmd(f),
		newLintCmd(f), newNewCmd(f),
	)
	root.AddCommand(newWatchCmd(f))
	root.AddCommand(newPrepareCmd(f), newDoctorCmd(f))
	root.AddCommand(newClassroomCmd(f), newJoinCmd(f))
	return root
}

// Main runs dockdojo with args and returns the exit code.
func Main(args []string, f *Factory) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	root := NewRootCmd(f)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	f.finishEvents() // at most about a second, to send classroom events
	return printError(f.IO.ErrOut, err)
}

// printError says what went wrong once, with the remedy for its kind, and
// returns the exit code for it.
func printError(w interface{ Write([]byte) (int, error) }, err error) int {
	var usage usageError
	var lesson lessonError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errNotDone):
		return ExitNotDone
	case errors.Is(err, prompter.ErrCancelled), errors.Is(err, context.Canceled):
		fmt.Fprintln(w, "dockdojo: cancelled")
		return ExitCancelled
	case errors.Is(err, sandbox.ErrUnreachable):
		fmt.Fprintf(w, "dockdojo: %v\n\n%s", err, unreachableHelp)
		return ExitUnreachable
	case errors.As(err, &lesson):
		fmt.Fprintf(w, "%v\n\nEach line names the file and line to fix, and what to change.\n", err)
		return ExitUsage
	case errors.As(err, &usage):
		fmt.Fprintf(w, "dockdojo: %v\n", err)
		return ExitUsage
	case strings.HasPrefix(err.Error(), "unknown command"), strings.HasPrefix(err.Error(), "accepts "), strings.HasPrefix(err.Error(), "requires "):
		fmt.Fprintf(w, "dockdojo: %v\nRun `dockdojo --help` for the commands.\n", err)
		return ExitUsage
	}
	fmt.Fprintf(w, "dockdojo: %v\n", err)
	return ExitError
}

const unreachableHelp = `dockdojo needs a running Docker engine. To fix it:
  - Start Docker: open Docker Desktop, or run "sudo systemctl start docker" on Linux.
    Then "docker info" should answer.
  - If "docker info" says "permission denied", your user may not use the engine's
    socket. Add yourself to the docker group ("sudo usermod -aG docker $USER", then
    log out and in). Members of that group control the engine, which is as good as
    root on this machine; only add users you would give root.
  - To use another engine (rootless Docker, a remote one, another context), set
    DOCKER_HOST (e.g. DOCKER_HOST=unix://$XDG_RUNTIME_DIR/docker.sock) or run
    "docker context use NAME".
`

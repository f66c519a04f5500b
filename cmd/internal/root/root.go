// Package root is dockdojo's command tree: the global flags, every command
// by area, and Main, which runs one command line and returns its exit code.
package root

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/dockdojo/dockdojo/buildinfo"
	"github.com/dockdojo/dockdojo/cmd/internal/authorcmd"
	"github.com/dockdojo/dockdojo/cmd/internal/classroomcmd"
	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/coursecmd"
	"github.com/dockdojo/dockdojo/cmd/internal/doctorcmd"
	"github.com/dockdojo/dockdojo/cmd/internal/exercisecmd"
	"github.com/dockdojo/dockdojo/cmd/internal/guided"
	"github.com/dockdojo/dockdojo/cmd/internal/preparecmd"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/progress"
)

// NewCmdRoot builds the whole command tree.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	io := f.IOStreams
	root := &cobra.Command{
		Use:   "dockdojo",
		Short: "Learn Docker by doing: lessons in your terminal, checked on a real engine",
		Long: `dockdojo teaches Docker with lessons you read in the terminal and exercises that
a checker verifies on your real Docker engine.

Start with "dockdojo list", read a lesson with "dockdojo read LESSON", then
"dockdojo start", "dockdojo check" and "dockdojo hint" each exercise.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          unknownCommand,
		Version:       versionText(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if io.Interactive() {
				return guided.Run(cmd.Context(), f)
			}
			return coursecmd.RunHome(cmd.Context(), f)
		},
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.SuggestionsMinimumDistance = 2
	root.SetOut(io.Out)
	root.SetErr(io.ErrOut)
	root.SetIn(io.In)
	flags := root.PersistentFlags()
	flags.StringArrayVar(&f.Settings.LessonDirs, "lessons", nil, "add a folder of lesson files to the course (repeatable; also DOCKDOJO_LESSONS)")
	flags.BoolVar(&f.Settings.Replace, "replace", false, "use only the --lessons folders, without the built-in course (also DOCKDOJO_REPLACE=1)")
	flags.Var((*folderFlag)(&f.Settings.Workspace), "workspace", "root folder of exercise workspaces (default ~/dockdojo; also DOCKDOJO_WORKSPACE)")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return cmdutil.Usage(flagError(err)) })
	root.AddCommand(
		// The course.
		coursecmd.NewCmdList(f, nil),
		coursecmd.NewCmdRead(f, nil),
		coursecmd.NewCmdProgress(f, nil),
		// One exercise.
		exercisecmd.NewCmdStart(f, nil),
		exercisecmd.NewCmdShell(f, nil),
		exercisecmd.NewCmdCheck(f, nil),
		exercisecmd.NewCmdWatch(f, nil),
		exercisecmd.NewCmdHint(f, nil),
		exercisecmd.NewCmdSolution(f, nil),
		exercisecmd.NewCmdReset(f, nil),
		exercisecmd.NewCmdClean(f, nil),
		exercisecmd.NewCmdNext(f, nil),
		// Instructors.
		authorcmd.NewCmdLint(f),
		authorcmd.NewCmdSelftest(f),
		authorcmd.NewCmdNew(f),
		// Classrooms.
		preparecmd.NewCmdPrepare(f, nil),
		doctorcmd.NewCmdDoctor(f, nil),
		classroomcmd.NewCmdClassroom(f),
		classroomcmd.NewCmdJoin(f),
		newCmdVersion(f),
	)
	completionGroup(root)
	helpTopics(root)
	return root
}

// helpTopics makes `dockdojo help WORD` refuse a word that names no command
// as a mistyped command is refused (exit 2, the command meant), where
// cobra's help command would print the usage and exit 0, as if it had
// found the help asked for.
func helpTopics(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	for _, c := range root.Commands() {
		if c.Name() != "help" {
			continue
		}
		help := c.Run
		c.Run = nil
		c.RunE = func(c *cobra.Command, args []string) error {
			if cmd, rest, err := c.Root().Find(args); err == nil && cmd != nil && len(rest) > 0 {
				return cmdutil.UnknownCommand(fmt.Sprintf("`%s --help` lists its commands", cmd.CommandPath()))(cmd, rest)
			}
			help(c, args)
			return nil
		}
	}
}

// completionGroup makes cobra's completion command refuse a shell it has
// no script for (tcsh) as any other group refuses a word, where cobra
// would print its help and exit 0, as if a script had been written.
func completionGroup(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			cmdutil.Group(c, "it writes the completion script of bash, zsh, fish or powershell: `dockdojo completion bash`")
		}
	}
}

// unknownCommand refuses words that are no command, suggesting the
// command meant: "chek" gets "did you mean check?".
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return errors.New(msg)
}

func newCmdVersion(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print dockdojo's version and the lesson format it reads",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintln(f.IOStreams.Out, versionText())
			return nil
		},
	}
}

// versionText is what `dockdojo version` and `dockdojo --version` print: the
// build (see package buildinfo), the formats this binary reads and writes,
// and its platform, which says which release archive it came from.
func versionText() string {
	return fmt.Sprintf("dockdojo %s\nlesson format %d, progress format %d; %s/%s, %s",
		buildinfo.Get(), lessons.FormatVersion, progress.Version, runtime.GOOS, runtime.GOARCH, runtime.Version())
}

// flagError says a flag's bad value in dockdojo's words: a switch such as
// --json takes true or false, or nothing, where pflag would quote Go's
// strconv.ParseBool.
func flagError(err error) error {
	var bad *pflag.InvalidValueError
	switch {
	case !errors.As(err, &bad):
	case bad.GetFlag().Value.Type() == "bool":
		return fmt.Errorf("--%s is on or off: give it alone, or as --%s=true or --%s=false (it was given %q)", bad.GetFlag().Name, bad.GetFlag().Name, bad.GetFlag().Name, bad.GetValue())
	case bad.GetFlag().Name == "workspace":
		return fmt.Errorf("--workspace needs a folder: `--workspace DIR` keeps the exercises' files in DIR (the default is ~/dockdojo)")
	}
	return err
}

// folderFlag is a flag that names a folder: --workspace= (often a variable
// that was not set) names none, and is refused rather than taken for the
// default.
type folderFlag string

func (f *folderFlag) String() string { return string(*f) }
func (f *folderFlag) Type() string   { return "string" }

func (f *folderFlag) Set(v string) error {
	if v == "" {
		return errors.New("it needs a folder")
	}
	*f = folderFlag(v)
	return nil
}

// Main runs dockdojo with args and returns the exit code.
func Main(args []string, f *cmdutil.Factory) int {
	// SIGTERM (a kill, a closing terminal's shell) ends a command as Ctrl-C
	// does: what runs is cancelled, the terminal is put back, nothing is lost.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := NewCmdRoot(f)
	root.SetArgs(args)
	written := f.IOStreams.CountOut()
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil && written() == 0 && cmdutil.WantsJSON(cmd, args) {
		// An error stopped the command before it wrote its JSON (a
		// mistake on the command line, a lesson folder that is not
		// there): a script reading stdout learns of it there too.
		_ = cmdutil.WriteCommandLineError(f.IOStreams.Out, cmd, err)
	}
	code := cmdutil.PrintError(f.IOStreams.ErrOut, err)
	// At most about a second, to send the classroom its events.
	if notice := f.Finish(); notice != "" {
		// The classroom's words may be in it (why it refused an event).
		fmt.Fprintln(cmdutil.Printable(f.IOStreams.ErrOut), "dockdojo: "+notice)
	}
	return code
}

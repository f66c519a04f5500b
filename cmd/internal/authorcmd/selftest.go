package authorcmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/selftest"
)

type selftestOptions struct {
	F        *cmdutil.Factory
	Args     []string // exercise keys and lesson folders
	Keep     bool
	Repeat   int
	Parallel int
	Yes      bool // run a lesson folder's scripts without asking
}

func NewCmdSelftest(f *cmdutil.Factory) *cobra.Command {
	opts := &selftestOptions{F: f}
	cmd := &cobra.Command{
		Use:   "selftest [DIR | LESSON/EXERCISE ...]",
		Short: "Prove every exercise: fails before, rejects wrong attempts, passes after its solution",
		Long: `For each exercise (all of them by default): start it and check that the checks
fail; apply each wrong attempt on a fresh start and check that it is rejected;
apply the reference solution and check that it passes; reset and check that
nothing is left behind.

A folder argument self-tests the lessons in that folder (read as with
--lessons, added to the course); any other argument names an exercise.

Reference solutions and wrong attempts are shell scripts that run on THIS
machine with the docker CLI, as you, as a learner would type them. For lessons
of a folder (not the built-in course), the self-test first says what will run
and which of your objects under the exercises' declared names it will remove
(e.g. a container named dojo-web), and asks once; off a terminal it runs them
only with --yes. Run the self-test on lesson files you trust.`,
		Example: `  dockdojo selftest ./my-course
  dockdojo selftest --keep ./my-course
  dockdojo selftest --repeat 5 first-run/publish-page
  dockdojo selftest --parallel 1 ./my-course`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Args = args
			return runSelftest(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Keep, "keep", false, "leave the first failing exercise in place (sandbox, objects, workspace) to inspect, and stop there")
	cmd.Flags().IntVar(&opts.Repeat, "repeat", 1, "run each exercise `N` times, to catch checks that pass or fail by chance")
	cmd.Flags().IntVar(&opts.Parallel, "parallel", selftest.DefaultParallel, "self-test `N` exercises at once (those that share a name or a host port never run together)")
	// --keep runs one exercise at a time, to stop at the first failure.
	cmd.MarkFlagsMutuallyExclusive("keep", "parallel")
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "run the scripts of lesson folders without asking (after reading them)")
	return cmd
}

func runSelftest(ctx context.Context, opts *selftestOptions) error {
	if opts.Repeat < 1 {
		return cmdutil.Usage(fmt.Errorf("--repeat %d: give the number of runs, 1 or more", opts.Repeat))
	}
	if opts.Parallel < 1 {
		return cmdutil.Usage(fmt.Errorf("--parallel %d: give how many exercises run at once, 1 or more", opts.Parallel))
	}
	exercises, dirs, err := selftestExercises(opts)
	if err != nil {
		return err
	}
	if len(exercises) == 0 {
		return cmdutil.Usage(errors.New("no exercises to self-test: the course has none"))
	}
	eng, err := opts.F.Engine(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	// Before consent: another run's objects would be taken for the learner's.
	release, err := selftest.Lock(eng.Endpoint().Host, cmdutil.JoinArgs(slices.Concat([]string{"dockdojo"}, os.Args[1:])))
	if err != nil {
		return err
	}
	defer release()
	if err := consent(ctx, opts, eng, exercises, dirs); err != nil {
		return err
	}
	io := opts.F.IOStreams
	times := ""
	if opts.Repeat > 1 {
		times = fmt.Sprintf(", %d times each", opts.Repeat)
	}
	fmt.Fprintf(io.ErrOut, "Self-testing %s%s. Their solutions and wrong attempts run on this machine with the docker CLI.\n", cmdutil.Plural(len(exercises), "exercise"), times)
	// The advice about a kept exercise names the folders, so that the
	// commands it prints find the exercise.
	var global []string
	for _, d := range slices.Concat(opts.F.Settings.LessonDirs, dirs) {
		global = append(global, "--lessons", d)
	}
	if opts.F.Settings.Replace {
		global = append(global, "--replace")
	}
	// On a terminal, a spinner names the exercise under way; each finished
	// exercise's own line is the progress otherwise.
	out := io.StartLineSpinner(ctx, func(done int) string {
		if done < len(exercises) {
			return "self-testing " + exercises[done].Key()
		}
		return ""
	}, func(line string) bool {
		return strings.HasPrefix(line, "ok ") || strings.HasPrefix(line, "FAIL ") || strings.HasPrefix(line, "FLAKY ")
	})
	failed, err := selftest.Run(ctx, eng, exercises, selftest.Options{
		Output:   exercise.Output{W: out.Other(io.ErrOut), Fd: io.ErrFd, IsTerm: io.ErrTTY && !io.Dumb},
		Keep:     opts.Keep,
		Repeat:   opts.Repeat,
		Parallel: opts.Parallel,
		Dockdojo: func(args ...string) string {
			return cmdutil.JoinArgs(slices.Concat([]string{"dockdojo"}, global, args))
		},
	}, out)
	out.Stop()
	if err != nil {
		return err
	}
	if failed > 0 {
		return errors.New(cmdutil.Plural(failed, "exercise") + " failed the self-test")
	}
	return nil
}

// consent asks, once, before the scripts of lesson folders run on this
// machine: it says how many scripts of which folders will run, and which
// of the learner's own objects under the exercises' names exist now and
// will be removed. The built-in course's scripts need no consent; the
// learner's objects under its names do.
func consent(ctx context.Context, opts *selftestOptions, eng *sandbox.Engine, exercises []*lessons.Exercise, dirs []string) error {
	srcs, _, err := opts.F.Sources(dirs...)
	if err != nil {
		return err
	}
	scripts := 0
	var folders []string
	var theirs []string
	for _, ex := range exercises {
		// What is there under the names an exercise owns goes, built-in
		// course or not: it may be the learner's own work.
		owned, err := exercise.Owned(ctx, eng, ex)
		if err != nil {
			return err
		}
		for _, o := range owned {
			theirs = append(theirs, o.Kind+" "+o.Name)
		}
		// So does the sandbox of an exercise the learner started here,
		// with what they made inside it.
		if ex.Sandbox != nil {
			name := exercise.SandboxName(ex)
			if _, err := eng.InspectContainer(ctx, name); err == nil {
				theirs = append(theirs, "the sandbox "+name+" of "+ex.Key()+", with what was made inside it")
			} else if !errors.Is(err, sandbox.ErrNotFound) {
				return err
			}
		}
		// The built-in course is where the lesson was loaded from, not
		// its file's name: a folder may be named content/course too.
		if ex.Lesson.Builtin {
			continue
		}
		for _, src := range srcs {
			if inFolder(ex.Lesson.File, src.Name) && !slices.Contains(folders, src.Name) {
				folders = append(folders, src.Name)
			}
		}
		scripts++ // the solution
		for _, w := range ex.Wrong {
			scripts++
			if w.Cleanup != "" {
				scripts++
			}
		}
	}
	if scripts == 0 && len(theirs) == 0 {
		return nil
	}
	io := opts.F.IOStreams
	if scripts > 0 {
		fmt.Fprintf(io.ErrOut, "The self-test runs %s of lessons from %s on this machine, as you, with the docker CLI.\n", cmdutil.Plural(scripts, "shell script"), strings.Join(folders, ", "))
	}
	if len(theirs) > 0 && scripts == 0 {
		fmt.Fprintf(io.ErrOut, "The self-test removes what exists under the exercises' names, which is yours now: %s.\n", strings.Join(theirs, ", "))
	} else if len(theirs) > 0 {
		fmt.Fprintf(io.ErrOut, "It removes what exists under the exercises' names, which is yours now: %s.\n", strings.Join(theirs, ", "))
	}
	if opts.Yes {
		return nil
	}
	p := opts.F.Prompter()
	if p == nil {
		if scripts == 0 {
			return cmdutil.Usagef("not on a terminal, so not asking: pass --yes to let the self-test remove them")
		}
		return cmdutil.Usagef("not on a terminal, so not asking: read the lessons' solution, wrong and cleanup scripts, then pass --yes to run them")
	}
	question := "Run them?"
	if scripts == 0 {
		question = "Remove them, and self-test?"
	}
	ok, err := p.Confirm(question, false)
	switch {
	case err != nil:
		return err
	case !ok:
		return cmdutil.Usagef("nothing was run")
	}
	return nil
}

// selftestExercises resolves the arguments, in their order: each names an
// exercise of the course or, when it is a folder and no exercise, a lesson
// folder whose exercises are all tested. dirs are those folders.
func selftestExercises(opts *selftestOptions) (exercises []*lessons.Exercise, dirs []string, err error) {
	isDir := make([]bool, len(opts.Args))
	for i, a := range opts.Args {
		if st, err := os.Stat(a); err == nil && st.IsDir() && !namesExercise(opts.F, a) {
			isDir[i] = true
			dirs = append(dirs, a)
		}
	}
	all, added, err := opts.F.Sources(dirs...)
	if err != nil {
		return nil, nil, err
	}
	c, err := lessons.Load(all...)
	if err != nil {
		return nil, nil, cmdutil.Lessons(err)
	}
	if len(opts.Args) == 0 {
		return c.Exercises(), nil, nil
	}
	folders := folderFiles(added)
	d := 0
	for i, a := range opts.Args {
		if !isDir[i] {
			ex, err := c.Exercise(a)
			if err != nil {
				return nil, nil, cmdutil.Usage(notAnExercise(a, err))
			}
			if !slices.Contains(exercises, ex) {
				exercises = append(exercises, ex)
			}
			continue
		}
		n := 0
		for _, ex := range c.Exercises() {
			if folders[d](ex.Lesson.File) {
				n++
				if !slices.Contains(exercises, ex) {
					exercises = append(exercises, ex)
				}
			}
		}
		if n == 0 {
			return nil, nil, cmdutil.Usage(fmt.Errorf("no exercises in the lesson folder %s: lessons are the .md files in it and below it, and an exercise is a fenced block with the info string exercise", a))
		}
		d++
	}
	return exercises, dirs, nil
}

// notAnExercise is the error for an argument that names no exercise: said
// as a path when it is written as one (a folder that is not there, a
// lesson file), else err, the course's own words.
func notAnExercise(arg string, err error) error {
	if st, serr := os.Stat(arg); serr == nil && !st.IsDir() {
		return fmt.Errorf("%s is a file: give the folder of its lessons (`dockdojo selftest %s`), or an exercise as LESSON/EXERCISE", arg, filepath.Dir(arg))
	}
	looksLikePath := filepath.IsAbs(arg) || strings.HasPrefix(arg, "./") || strings.HasPrefix(arg, "../") || strings.HasSuffix(arg, ".md") || arg == "." || arg == ".."
	if looksLikePath || strings.Count(arg, "/") > 1 {
		return fmt.Errorf("there is no folder %s: give a folder of lessons, or an exercise as LESSON/EXERCISE (`dockdojo list` lists them)", arg)
	}
	return cmdutil.LessonHere(err)
}

// namesExercise reports whether arg is an exercise of the course as loaded
// without any folder argument: a folder of that name (a workspace, say) does
// not hide the exercise.
func namesExercise(f *cmdutil.Factory, arg string) bool {
	c, err := f.Course()
	if err != nil {
		return false
	}
	_, err = c.Exercise(arg)
	return err == nil
}

// inFolder reports whether the lesson file (named as messages name it)
// comes from the folder named name: the folder "." names its files
// without a prefix.
func inFolder(file, name string) bool {
	if path.Clean(name) == "." {
		return !path.IsAbs(file) && !strings.HasPrefix(file, "../")
	}
	return strings.HasPrefix(file, name+"/")
}

package authorcmd

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/internal/termsafe"
	"github.com/dockdojo/dockdojo/lessons"
)

type lintOptions struct {
	F      *cmdutil.Factory
	Dirs   []string
	Strict bool
	JSON   bool
}

func NewCmdLint(f *cmdutil.Factory) *cobra.Command {
	opts := &lintOptions{F: f}
	cmd := &cobra.Command{
		Use:   "lint [DIR...]",
		Short: "Report every mistake in lesson files, with its file, line and fix",
		Long: `Reads lesson folders and reports every problem of every file at once, one per
line, as FILE:LINE:COLUMN: message. Each message says what to change.

With folders, lints them as they would be used: added to the built-in course
(or, with --replace, alone). Without, lints the course dockdojo would load:
the built-in lessons and the --lessons folders.

Mistakes keep the course from loading. Warnings ("FILE:LINE:COL: warning:
...") are lessons that work but fall short: fewer than two hints, no wrong
attempts or one that does not say what the learner is told, two checks with
the same title, a negated check whose title is its kind's own, an exec,
script, image_run or dockerfile check without a title. A check on a name the
exercise does not own is a mistake.
Exit status: 0 when there is no mistake (and,
with --strict, no warning), 2 otherwise. Nothing is run and Docker is not
needed.`,
		Example: `  dockdojo lint ./my-course
  dockdojo lint --strict ./my-course ./shared-lessons
  dockdojo --lessons ./my-course lint`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dirs = args
			return runLint(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "fail on warnings too")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON for scripts and editors")
	return cmd
}

// lintProblem is one problem in `lint --json`.
type lintProblem struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column,omitempty"`
	Severity string `json:"severity"` // error or warning
	Message  string `json:"message"`
}

// lintReport is the whole of `lint --json`.
type lintReport struct {
	Lessons   int           `json:"lessons"`
	Exercises int           `json:"exercises"`
	Quizzes   int           `json:"quizzes"`
	Errors    int           `json:"errors"`
	Warnings  int           `json:"warnings"`
	Problems  []lintProblem `json:"problems"`
}

func runLint(opts *lintOptions) error {
	io := opts.F.IOStreams
	fail := func(err error) error {
		if opts.JSON {
			// A script or an editor reads stdout: it learns of it too.
			_ = cmdutil.WriteJSON(io.Out, cmdutil.NewJSONError(err))
		}
		return err
	}
	all, added, err := opts.F.Sources(opts.Dirs...)
	if err != nil {
		return fail(err)
	}
	c, problems := lessons.Lint(all...)
	// With folders named, only their files are reported: the built-in
	// course and the --lessons folders are there for what they share with
	// them (lesson ids, prerequisites).
	folders := folderFiles(added)
	mine := func(file string) bool {
		if len(opts.Dirs) == 0 {
			return true
		}
		for _, in := range folders {
			if in(file) {
				return true
			}
		}
		return false
	}
	var r lintReport
	r.Problems = []lintProblem{}
	files := map[string]bool{}
	for _, p := range problems {
		if !mine(p.Pos.File) {
			continue
		}
		lp := lintProblem{File: p.Pos.File, Line: p.Pos.Line, Column: p.Pos.Col, Severity: "error", Message: p.Msg}
		if p.Warning {
			lp.Severity = "warning"
			r.Warnings++
		} else {
			r.Errors++
		}
		files[p.Pos.File] = true
		r.Problems = append(r.Problems, lp)
	}
	for _, l := range c.Lessons {
		if !mine(l.File) {
			continue
		}
		r.Lessons++
		r.Exercises += len(l.Exercises)
		r.Quizzes += len(l.Quizzes)
	}
	// A folder without a single lesson file is most likely the wrong one.
	for i, in := range folders {
		found := false
		for _, l := range c.Lessons {
			found = found || in(l.File)
		}
		for _, p := range problems {
			found = found || in(p.Pos.File)
		}
		if !found {
			return fail(cmdutil.Usage(fmt.Errorf("no lesson files in %s: a lesson is a .md file other than README.md, outside folders whose names start with . or _", opts.Dirs[i])))
		}
	}
	if opts.JSON {
		if err := cmdutil.WriteJSON(io.Out, r); err != nil {
			return err
		}
	} else {
		for _, p := range problems {
			if mine(p.Pos.File) {
				// A file's or folder's name may hold an escape
				// sequence: shown, never obeyed.
				fmt.Fprintln(io.Out, termsafe.Printable(fmt.Sprint(p)))
			}
		}
	}
	failed := r.Errors > 0 || (opts.Strict && r.Warnings > 0)
	var counts []string
	if r.Errors > 0 {
		counts = append(counts, cmdutil.Plural(r.Errors, "mistake"))
	}
	if r.Warnings > 0 {
		counts = append(counts, cmdutil.Plural(r.Warnings, "warning"))
	}
	switch {
	case failed:
		return cmdutil.Usage(fmt.Errorf("lint found %s in %s", strings.Join(counts, " and "), cmdutil.Plural(len(files), "file")))
	case r.Warnings > 0:
		fmt.Fprintf(io.ErrOut, "dockdojo: %s, %s: %s, no mistakes\n", cmdutil.Plural(r.Lessons, "lesson"), cmdutil.Plural(r.Exercises, "exercise"), cmdutil.Plural(r.Warnings, "warning"))
	default:
		fmt.Fprintf(io.ErrOut, "dockdojo: %s, %s, %s: no problems\n", cmdutil.Plural(r.Lessons, "lesson"), cmdutil.Plural(r.Exercises, "exercise"), count(r.Quizzes, "quiz", "quizzes"))
	}
	return nil
}

// folderFiles returns, for each folder named on the command line (by the
// name its files carry in messages, as Sources returns it), whether a file
// named so in messages is one of its lesson files, or the folder itself
// (where a folder that cannot be read is reported). The folder is asked,
// because a name does not say where a file came from: in the folder ".",
// first-run/first-run.md is a relative name like the built-in course's
// content/course/first-run/first-run.md.
func folderFiles(prefixes []string) []func(file string) bool {
	in := make([]func(string) bool, len(prefixes))
	for i, prefix := range prefixes {
		files := map[string]bool{prefix: true}
		// A folder that cannot be read lists no files: loading it
		// reported why.
		if src, err := lessons.Folder(filepath.FromSlash(prefix)); err == nil {
			names, _ := src.LessonFiles()
			for _, name := range names {
				files[name] = true
			}
		}
		in[i] = func(file string) bool { return files[file] }
	}
	return in
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

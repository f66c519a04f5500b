// Package factory builds the Factory of the real process: the course from
// the built-in lessons and the instructor's folders, the learner's session
// with its progress file and classroom link, the engine, the prompter.
package factory

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/dockdojo/dockdojo/classroom"
	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/cmd/internal/prompter"
	"github.com/dockdojo/dockdojo/content"
	"github.com/dockdojo/dockdojo/doctor"
	"github.com/dockdojo/dockdojo/internal/regfile"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/progress"
	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/session"
)

// New returns the factory for a process with these streams and
// environment.
func New(io *iostreams.Streams, getenv func(string) string, home string) *cmdutil.Factory {
	f := &cmdutil.Factory{IOStreams: io, Getenv: getenv, Home: home, Settings: &cmdutil.Settings{}}
	f.WorkspaceRoot = func() string { return workspaceRoot(f) }
	f.ProgressPath = func() string { return progress.Path(getenv, home) }
	f.Sources = func(extra ...string) ([]lessons.Source, []string, error) { return sources(f, extra) }
	f.Course = courseFunc(f)
	f.Link, f.Finish = linkFuncs(f)
	f.Session = sessionFunc(f)
	f.Engine = func(ctx context.Context) (*sandbox.Engine, error) { return sandbox.Connect(ctx, getenv, home) }
	f.Prompter = func() prompter.Prompter { return prompterFor(io) }
	f.Compose = sync.OnceValue(func() doctor.Compose { return doctor.FindCompose(getenv, home) })
	return f
}

// workspaceRoot is --workspace, else DOCKDOJO_WORKSPACE, else ~/dockdojo.
func workspaceRoot(f *cmdutil.Factory) string {
	switch {
	case f.Settings.Workspace != "":
		return absolute(f.Settings.Workspace)
	case f.Getenv("DOCKDOJO_WORKSPACE") != "":
		return absolute(f.Getenv("DOCKDOJO_WORKSPACE"))
	}
	return filepath.Join(f.Home, "dockdojo")
}

// checkWorkspaceRoot refuses a workspace root that is there but is no
// folder: every start would fail on it with mkdir's words.
func checkWorkspaceRoot(f *cmdutil.Factory) error {
	root := f.WorkspaceRoot()
	var from string
	switch {
	case f.Settings.Workspace != "":
		from = "--workspace"
	case f.Getenv("DOCKDOJO_WORKSPACE") != "":
		from = "DOCKDOJO_WORKSPACE"
	default:
		// ~/dockdojo: a file the learner keeps there is moved away, not
		// given up for another folder.
		return cmdutil.Usage(regfile.InTheWay("workspace folder", root))
	}
	st, err := os.Stat(root)
	if err != nil || st.IsDir() {
		return nil // made when an exercise starts
	}
	return cmdutil.Usagef("the workspace root %s (%s) is a file, not a folder: give a folder for the exercises' workspaces", root, from)
}

func absolute(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

func courseFunc(f *cmdutil.Factory) func() (*lessons.Course, error) {
	var c *lessons.Course
	return func() (*lessons.Course, error) {
		if c != nil {
			return c, nil
		}
		srcs, _, err := f.Sources()
		if err != nil {
			return nil, err
		}
		loaded, err := lessons.LoadCached(lessons.CacheDir(f.Getenv, f.Home), srcs...)
		if err != nil {
			return nil, cmdutil.Lessons(err)
		}
		if err := noEmptyFolder(f, loaded, srcs); err != nil {
			return nil, err
		}
		if len(loaded.Lessons) == 0 {
			names := make([]string, len(srcs))
			for i, s := range srcs {
				names[i] = s.Name
			}
			return nil, cmdutil.Usagef("no lessons in %s: a lesson is a Markdown file with front matter; `dockdojo new lesson NAME --dir DIR` writes one to start from", strings.Join(names, ", "))
		}
		c = loaded
		return c, nil
	}
}

// noEmptyFolder refuses a course with a folder of the instructor's
// (--lessons, DOCKDOJO_LESSONS) that gave it no lesson, saying what the
// folder holds: added to the built-in course, a mistyped or empty folder
// would else leave the course as it was without a word, and a classroom
// served with it would offer none of the lessons meant. The classroom's
// own copy, which comes with every command of a learner who joined, is
// not the instructor's folder.
func noEmptyFolder(f *cmdutil.Factory, c *lessons.Course, srcs []lessons.Source) error {
	joined, _, _ := classroomLessons(f)
	var empty []string
	for _, src := range srcs {
		switch {
		case src.Builtin:
			continue
		case joined != nil:
			joined = nil // the first source after the built-in course
			continue
		}
		if c.From(src) == 0 {
			empty = append(empty, src.Name+": "+folderHolds(src.FS))
		}
	}
	switch len(empty) {
	case 0:
		return nil
	case 1:
		dir, _, _ := strings.Cut(empty[0], ": ")
		return cmdutil.Usagef("no lessons in %s; a lesson is a Markdown file with front matter (`dockdojo new lesson NAME --dir %s` writes one to start from)", empty[0], dir)
	}
	return cmdutil.Usagef("no lessons in %s; a lesson is a Markdown file with front matter (`dockdojo new lesson NAME --dir DIR` writes one to start from)", strings.Join(empty, "; "))
}

// folderHolds says what a folder without lessons holds: "it is empty",
// "its 1 file is no Markdown file", "none of its 2 Markdown files starts
// with a lesson's front matter".
func folderHolds(fsys fs.FS) string {
	files, markdown := 0, 0
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			files++
			if strings.EqualFold(path.Ext(p), ".md") {
				markdown++
			}
		}
		return nil
	})
	switch {
	case files == 0:
		return "it is empty"
	case markdown == 0 && files == 1:
		return "its 1 file is no Markdown file"
	case markdown == 0:
		return fmt.Sprintf("none of its %d files is a Markdown file", files)
	case markdown == 1:
		return "its 1 Markdown file does not start with a lesson's front matter"
	}
	return fmt.Sprintf("none of its %d Markdown files starts with a lesson's front matter", markdown)
}

// linkFuncs open the classroom link on first use, and finish it if it was
// opened: a run that reported nothing neither reads the classroom's
// config nor waits.
func linkFuncs(f *cmdutil.Factory) (link func() *classroom.Link, finish func() string) {
	var l *classroom.Link
	link = func() *classroom.Link {
		if l == nil {
			l = classroom.OpenLink(f.Getenv, f.Home)
		}
		return l
	}
	finish = func() string {
		if l == nil {
			return ""
		}
		return l.Finish()
	}
	return link, finish
}

func sessionFunc(f *cmdutil.Factory) func() (*session.Session, error) {
	var s *session.Session
	return func() (*session.Session, error) {
		if s != nil {
			return s, nil
		}
		if err := cmdutil.NeedHome(f, f.ProgressPath(), f.WorkspaceRoot()); err != nil {
			return nil, err
		}
		c, err := f.Course()
		if err != nil {
			return nil, err
		}
		if err := checkWorkspaceRoot(f); err != nil {
			return nil, err
		}
		s = session.New(session.Options{
			Course:       c,
			ProgressPath: f.ProgressPath(),
			Workspace:    f.WorkspaceRoot(),
			Room:         lazyRoom(f.Link),
			Connect:      f.Engine,
			Notify:       func(msg string) { fmt.Fprintln(f.IOStreams.ErrOut, "dockdojo: "+msg) },
			Say:          func(text string) string { return cmdutil.Say(f, text) },
		})
		return s, nil
	}
}

// lazyRoom opens the classroom link only when the session reports an event.
type lazyRoom func() *classroom.Link

func (r lazyRoom) Report(ev classroom.Event) { r().Report(ev) }

// prompterFor asks on the terminal, or is nil when there is none. A dumb
// terminal (TERM=dumb) gets numbered options and no escape sequences.
func prompterFor(io *iostreams.Streams) prompter.Prompter {
	if !io.Interactive() {
		return nil
	}
	if io.TermIn == nil || io.TermOut == nil {
		return nil
	}
	if io.Dumb {
		return prompter.NewPlain(io.TermIn, io.Out)
	}
	return prompter.Survey{In: io.TermIn, Out: io.TermOut, Err: io.ErrOut}
}

// sources lists what the course is loaded from: the built-in course unless
// it is replaced, then the folders of DOCKDOJO_LESSONS and --lessons, then
// extra (folders given on the command line, as in `lint DIR`).
func sources(f *cmdutil.Factory, extra []string) ([]lessons.Source, []string, error) {
	replace, err := replaceCourse(f)
	if err != nil {
		return nil, nil, err
	}
	var envDirs []string
	if env := f.Getenv("DOCKDOJO_LESSONS"); env != "" {
		// An empty entry (a list that ends with its separator) names no
		// folder.
		envDirs = slices.DeleteFunc(filepath.SplitList(env), func(d string) bool { return d == "" })
	}
	// --lessons= (an empty value, a variable that was not set) names no
	// folder: said so, rather than "folder  does not exist".
	if slices.Contains(f.Settings.LessonDirs, "") {
		return nil, nil, cmdutil.Usagef("--lessons needs a folder: `--lessons DIR` adds the lesson files in DIR to the course")
	}
	var args []lessons.FolderArg
	for _, d := range slices.Concat(envDirs, f.Settings.LessonDirs) {
		args = append(args, lessons.FolderArg{Dir: d, From: "from --lessons or DOCKDOJO_LESSONS"})
	}
	for _, d := range extra {
		args = append(args, lessons.FolderArg{Dir: d, From: "given on the command line"})
	}
	folders, prefixes, err := lessons.Folders(args)
	if err != nil {
		return nil, nil, cmdutil.Usage(err)
	}
	// The lessons the classroom the learner joined handed out come with
	// every command, so the commands dockdojo prints work as printed; in
	// place of the built-in course, when the instructor's replace it.
	joined, whole, err := classroomLessons(f)
	if err != nil {
		return nil, nil, err
	}
	var all []lessons.Source
	if !replace && !whole {
		all = append(all, lessons.Source{FS: content.FS(), Name: content.Name, Builtin: true})
	}
	if joined != nil {
		all = append(all, *joined)
	}
	all = append(all, folders...)
	if len(all) == 0 {
		return nil, nil, cmdutil.Usage(errors.New("--replace (or DOCKDOJO_REPLACE) leaves no lessons at all: give your folders with --lessons DIR or DOCKDOJO_LESSONS"))
	}
	return all, prefixes[len(prefixes)-len(extra):], nil
}

// classroomLessons is the copy of the lessons a classroom handed out, nil
// when there is none, and whether they are the whole course.
func classroomLessons(f *cmdutil.Factory) (*lessons.Source, bool, error) {
	in, err := classroom.LoadInstalledLessons(classroom.LessonsDir(f.Getenv, f.Home))
	if err != nil || in == nil {
		return nil, false, cmdutil.Usage(err)
	}
	src, err := lessons.Folder(in.Path)
	if err != nil {
		return nil, false, cmdutil.Usagef("the classroom's lessons in %s: %v; fetch them again with `dockdojo join`, or remove them with `dockdojo join --leave`", in.Path, err)
	}
	src.Name = "classroom"
	return &src, in.Replace, nil
}

// replaceCourse reports whether instructor folders replace the built-in
// course: --replace, or DOCKDOJO_REPLACE set to 1, true or yes.
func replaceCourse(f *cmdutil.Factory) (bool, error) {
	if f.Settings.Replace {
		return true, nil
	}
	switch v := strings.ToLower(strings.TrimSpace(f.Getenv("DOCKDOJO_REPLACE"))); v {
	case "", "0", "false", "no":
		return false, nil
	case "1", "true", "yes":
		return true, nil
	default:
		return false, cmdutil.Usagef("DOCKDOJO_REPLACE=%s: set it to 1 to replace the built-in course with your folders, or 0 to add them to it", v)
	}
}

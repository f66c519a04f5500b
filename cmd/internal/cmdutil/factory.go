package cmdutil

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/dockdojo/dockdojo/classroom"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/cmd/internal/prompter"
	"github.com/dockdojo/dockdojo/doctor"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/session"
)

// Settings are the global flags, which every command shares. The root
// command fills them from the command line before any command runs.
type Settings struct {
	LessonDirs []string // --lessons
	Replace    bool     // --replace
	Workspace  string   // --workspace
}

// Args are the global flags as a command line would give them again, so
// that a command dockdojo prints for the learner works as printed.
func (s *Settings) Args() []string {
	var args []string
	for _, d := range s.LessonDirs {
		if abs, err := filepath.Abs(d); err == nil {
			d = abs // the learner may type it in another folder
		}
		args = append(args, "--lessons", d)
	}
	if s.Replace {
		args = append(args, "--replace")
	}
	return args
}

// Factory holds what commands need, each built on first use. It holds no
// flag values of its own (those live in each command's options, and the
// global ones in Settings) and runs nothing in the background.
type Factory struct {
	IOStreams *iostreams.Streams
	Getenv    func(string) string
	Home      string
	Settings  *Settings

	// Course is the course to work on: the built-in lessons and the
	// instructor's folders (--lessons, DOCKDOJO_LESSONS), or those alone
	// (--replace, DOCKDOJO_REPLACE=1).
	Course func() (*lessons.Course, error)
	// Sources are where the course is read from, with extra folders named
	// on the command line last; prefixes names, for each of extra, the
	// prefix of its lessons' file names.
	Sources func(extra ...string) (sources []lessons.Source, prefixes []string, err error)
	// Session is the learner at work on the course.
	Session func() (*session.Session, error)
	// Link is the classroom the learner joined, for this run.
	Link func() *classroom.Link
	// Finish ends the run: it waits, at most about a second, for the
	// classroom events of the run to be sent, and returns what the learner
	// should be told about the classroom link ("" for nothing).
	Finish func() string
	// Engine connects to the Docker engine the way the docker CLI finds it,
	// for the domain packages that take one (prepare).
	Engine func(context.Context) (*sandbox.Engine, error)
	// Prompter asks questions on the terminal; nil when there is none.
	Prompter func() prompter.Prompter
	// WorkspaceRoot is the root folder of the exercises' workspaces.
	WorkspaceRoot func() string
	// ProgressPath is the learner's progress file.
	ProgressPath func() string
	// Compose is which Compose this machine has (see Say).
	Compose func() doctor.Compose
}

// Overview is the learner's session and where they stand in the course:
// the one account that list, progress and next print, so that they agree.
func Overview(f *Factory) (*session.Session, session.Overview, error) {
	s, err := f.Session()
	if err != nil {
		return nil, session.Overview{}, err
	}
	o, err := s.Overview()
	return s, o, err
}

// Say puts text dockdojo shows (a hint, a check's message, a lesson) in
// this machine's words: `docker-compose` where only that is installed, and
// a `dockdojo ...` command with the --lessons folders this one was given,
// without which it would not find the exercise it names.
func Say(f *Factory, text string) string {
	if f.Compose != nil {
		text = f.Compose().Say(text)
	}
	if f.Settings != nil && len(f.Settings.Args()) > 0 {
		parts := strings.Split(text, "`dockdojo ")
		for i := 1; i < len(parts); i++ {
			// Commands dockdojo spelt itself have the folders already.
			if !strings.HasPrefix(parts[i], "--lessons ") && !strings.HasPrefix(parts[i], "--replace") {
				parts[i] = strings.TrimPrefix(Global(f)(), "dockdojo ") + " " + parts[i]
			}
		}
		text = strings.Join(parts, "`dockdojo ")
	}
	return text
}

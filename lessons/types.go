// Package lessons owns dockdojo's lesson format: a Markdown file with YAML front
// matter, in which exercises and quizzes are fenced blocks with the info strings
// "exercise" and "quiz". It parses lessons from an fs.FS with goldmark, keeps the
// source position of everything it reads, and validates the result, reporting
// every mistake at once as "file:line:col: message".
package lessons

import (
	"fmt"
	"io/fs"

	"github.com/dockdojo/dockdojo/checker"
)

// FormatVersion is the newest lesson format this build understands. A lesson
// that declares a newer one asks the learner to upgrade dockdojo.
const FormatVersion = 1

// Pos is a place in a lesson file, for error messages.
type Pos struct {
	File string // display name of the file, e.g. "content/first-run/lesson.md"
	Line int    // 1-based
	Col  int    // 1-based; 0 when unknown
}

// Lines says where the lines of a script are written in the lesson file,
// for a message that points at one of them.
type Lines struct {
	Key Pos // where the script's field is named
	// First is the file's line of the script's first line when the
	// script keeps its lines as written (a literal block, "|", or a
	// value on one line); 0 otherwise.
	First int
}

// At is where line i (from 0) of the script is written, or Key where that
// is not known.
func (l Lines) At(i int) Pos {
	if l.First == 0 || i < 0 {
		return l.Key
	}
	return Pos{File: l.Key.File, Line: l.First + i}
}

func (p Pos) String() string {
	if p.Col > 0 {
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Lesson is one Markdown file of the course.
type Lesson struct {
	// Front matter.
	FormatVersion int      // format_version: required; at most FormatVersion
	ID            string   // id: lowercase letters, digits and dashes; unique in the course
	Title         string   // title: shown in menus and as the heading
	Summary       string   // summary: one sentence for the lesson menu
	Order         int      // order: position in the course (ascending)
	Minutes       int      // minutes: estimated time to finish
	Prerequisites []string // prerequisites: ids of lessons to do first

	File string // display name of the file
	Dir  string // folder of the file inside FS
	FS   fs.FS  // the folder tree the lesson was read from; starter files resolve against Dir in it
	// Builtin says the lesson was read from the course embedded in
	// dockdojo (Source.Builtin), not from a folder, whatever File says.
	Builtin bool
	// source is which of the sources the course was loaded from holds the
	// lesson: an exercise continues only one of its own folder.
	source int

	// Parts is the lesson's body in reading order: prose, exercises and quizzes.
	Parts     []Part
	Exercises []*Exercise
	Quizzes   []*Quiz

	idPos     Pos   // where the front matter sets id, for errors found across lessons
	prereqPos []Pos // where each prerequisite is named
	// name is the lesson file's path in FS; proseLater says its prose parts
	// are empty until LoadProse reads them (a lesson from the course cache).
	name       string
	proseLater bool
	// notLesson marks a Markdown file that is no lesson at all (see
	// notALesson): the course leaves it out, and lint says so.
	notLesson bool
}

// Part is one piece of a lesson's body: exactly one field is set.
type Part struct {
	Prose    string // Markdown, rendered as is
	Exercise *Exercise
	Quiz     *Quiz
}

// Flavours of exercise.
const (
	FlavourShell = "shell" // the learner works inside the sandbox through `dockdojo shell`
	FlavourHost  = "host"  // the learner runs docker commands in their own terminal
	FlavourBuild = "build" // the learner edits files in a seeded workspace
)

// Exercise is a task the checker verifies on a real engine. It is declared as a
// fenced block with the info string "exercise" whose body is YAML.
type Exercise struct {
	ID      string `yaml:"id"`      // unique within the lesson; addressed as lesson/exercise
	Title   string `yaml:"title"`   // a few words
	Goal    string `yaml:"goal"`    // one line: what done looks like
	Flavour string `yaml:"flavour"` // shell, host or build

	// Sandbox is the container dockdojo starts for the exercise; optional for
	// host and build exercises.
	Sandbox *Sandbox `yaml:"sandbox"`
	// Workspace lists starter files, relative to the lesson's folder, copied to
	// the same relative path in the exercise's workspace folder.
	Workspace []string `yaml:"workspace"`
	// Checks are all run, in order; the exercise is done when all pass.
	// Each kind of check is a type of the checker package.
	Checks []checker.Check `yaml:"checks"`
	// Hints are shown one at a time, from a nudge to a near-answer.
	Hints []string `yaml:"hints"`
	// Solution is a shell script using the docker CLI, as a learner would type
	// it. It runs in the workspace folder with DOJO_WORKSPACE, DOJO_SANDBOX
	// (the sandbox container's name) and DOJO_EXERCISE set.
	Solution string `yaml:"solution"`
	// SolutionPos is where the solution is written, for the self-test's
	// messages.
	SolutionPos Pos `yaml:"-"`
	// SolutionLines is where each line of the solution is written.
	SolutionLines Lines `yaml:"-"`
	// Wrong are plausible mistakes; the self-test proves each one is
	// rejected. A lesson from the course cache (LoadCached) has none: only
	// lint and selftest read them, and they load with Load.
	Wrong []Wrong `yaml:"wrong"`
	// Owns names the objects the learner creates for this exercise; reset
	// removes them by exact name, after asking.
	Owns Owns `yaml:"owns"`
	// Continues names the exercise this one goes on from, which comes
	// before it in the course: "LESSON/EXERCISE", or "EXERCISE" of the same
	// lesson. It starts from the state that one leaves, in its workspace
	// folder (see Earlier and Chain).
	Continues string `yaml:"continues"`

	Lesson *Lesson `yaml:"-"`
	Pos    Pos     `yaml:"-"`

	workspacePos []Pos     // where each workspace file is named
	checkPos     []Pos     // where each check is declared
	continuesPos Pos       // where continues is given
	earlier      *Exercise // what Continues names, once the course is loaded
	// named lists the objects the checks name, where they are named.
	named []namedObject
	// ownsPos is where each name under owns is written, by key
	// ("containers", ...), networkPos where the sandbox names its network,
	// and mountPos where each of its mounts names its source (the mount,
	// when it names none).
	ownsPos    map[string][]Pos
	networkPos Pos
	mountPos   []Pos
	// scripts is what scriptImages finds, once the lesson is parsed.
	scripts *imageScan
}

// Key is the exercise's address in the course: "lesson/exercise".
func (e *Exercise) Key() string { return e.Lesson.ID + "/" + e.ID }

// Sandbox describes the hardened container of an exercise.
type Sandbox struct {
	Image    string   `yaml:"image"`    // image reference, pinned to a tag
	Command  []string `yaml:"command"`  // default: a keep-alive command
	Shell    []string `yaml:"shell"`    // what `dockdojo shell` runs; default ["sh"]
	Env      []string `yaml:"env"`      // KEY=value
	Ports    []string `yaml:"ports"`    // HOST:CONTAINER[/proto], bound to 127.0.0.1
	Network  string   `yaml:"network"`  // "", "none", or a network the exercise owns
	Hostname string   `yaml:"hostname"` // container hostname
	Workdir  string   `yaml:"workdir"`  // working directory inside the container
	Mounts   []Mount  `yaml:"mounts"`
	// CapAdd adds Linux capabilities to an otherwise empty set; each says why,
	// and the learner is shown it before the sandbox starts.
	CapAdd []Capability `yaml:"cap_add"`
	// ImagePos is where Image is written, for the self-test's messages.
	ImagePos Pos `yaml:"-"`
}

// Mount is a mount in the sandbox.
type Mount struct {
	Type     string `yaml:"type"`   // workspace (the exercise's workspace folder, or Source below it), volume, or tmpfs
	Source   string `yaml:"source"` // workspace: a relative path inside it; volume: the volume's name
	Target   string `yaml:"target"` // absolute path in the container
	ReadOnly bool   `yaml:"read_only"`
}

// Capability is one added Linux capability and the reason for it.
type Capability struct {
	Name string `yaml:"name"` // e.g. NET_ADMIN
	Why  string `yaml:"why"`  // shown to the learner before starting
}

// Owns lists objects by exact name.
type Owns struct {
	Containers []string `yaml:"containers"`
	Networks   []string `yaml:"networks"`
	Volumes    []string `yaml:"volumes"`
	Images     []string `yaml:"images"`
}

// Empty reports whether nothing is owned.
func (o Owns) Empty() bool {
	return len(o.Containers)+len(o.Networks)+len(o.Volumes)+len(o.Images) == 0
}

// Names lists the names of one type ("container", "network", "volume" or
// "image") that the exercise owns.
func (o Owns) Names(typ string) []string {
	switch typ {
	case "container":
		return o.Containers
	case "network":
		return o.Networks
	case "volume":
		return o.Volumes
	case "image":
		return o.Images
	}
	return nil
}

// Wrong is a plausible mistake. Script runs like the solution, on a freshly
// started exercise, and the checks must then fail.
type Wrong struct {
	Name   string `yaml:"name"`   // what the learner got wrong, in a few words
	Script string `yaml:"script"` // shell script using the docker CLI
	// Says, when set, must appear in the message of the first failing check,
	// capitals included: it proves the learner is told something useful.
	Says string `yaml:"says"`
	// Cleanup runs after the attempt was checked, to remove what it made
	// under names the exercise does not own.
	Cleanup string `yaml:"cleanup"`
	Pos     Pos    `yaml:"-"` // where the attempt is written, for the self-test's messages
	// ScriptLines and CleanupLines are where each line of Script and
	// Cleanup is written.
	ScriptLines, CleanupLines Lines `yaml:"-"`
}

// Quiz is a question with choices, declared as a fenced block with the info
// string "quiz" whose body is YAML.
type Quiz struct {
	ID       string   `yaml:"id"`
	Question string   `yaml:"question"`
	Choices  []Choice `yaml:"choices"`
	Explain  string   `yaml:"explain"` // shown after the answer

	Lesson *Lesson `yaml:"-"`
	Pos    Pos     `yaml:"-"`
}

// Choice is one answer of a quiz.
type Choice struct {
	Text    string `yaml:"text"`
	Correct bool   `yaml:"correct"`
}

// Multiple reports whether more than one choice is right.
func (q *Quiz) Multiple() bool {
	n := 0
	for _, c := range q.Choices {
		if c.Correct {
			n++
		}
	}
	return n > 1
}

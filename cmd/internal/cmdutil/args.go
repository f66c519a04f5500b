package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/internal/shellquote"
	"github.com/dockdojo/dockdojo/internal/termsafe"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/session"
)

// ExerciseArgs is the optional LESSON/EXERCISE argument of the exercise
// verbs: one exercise at most, said in dockdojo's words, not cobra's
// ("accepts at most 1 arg(s)").
func ExerciseArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 1 {
		return Usagef("`%s` takes one LESSON/EXERCISE at most (it was given %q): `%s --help` says how to use it", cmd.CommandPath(), strings.Join(args, " "), cmd.CommandPath())
	}
	return nil
}

// NoArgs is cobra.NoArgs for a command of its own (not a group of
// commands): a word given to it is one too many, where cobra would call it
// an unknown command.
func NoArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return Usagef("`%s` takes no arguments (it was given %q): `%s --help` says how to use it", cmd.CommandPath(), strings.Join(args, " "), cmd.CommandPath())
	}
	return nil
}

// Exercise resolves the LESSON/EXERCISE argument of an exercise verb: the
// exercise named or, with no argument, the exercise started last. A lesson
// named instead of an exercise gets the list of its exercises, with a
// slash after it too ("first-run/", as a shell completes a folder).
func Exercise(s *session.Session, args []string, verb string) (*lessons.Exercise, error) {
	if len(args) == 0 {
		o, err := s.Overview()
		if err != nil {
			return nil, err
		}
		if o.Current == nil && o.Elsewhere != "" {
			return nil, Usagef("no exercise of these lessons started yet: you last started %s, whose lesson is not among them (give its folder with --lessons), or name one: `dockdojo %s LESSON/EXERCISE` (`dockdojo list` shows them)", o.Elsewhere, verb)
		}
		if o.Current == nil {
			return nil, Usagef("no exercise started yet: name one, `dockdojo %s LESSON/EXERCISE` (`dockdojo list` shows them)", verb)
		}
		return o.Current, nil
	}
	ex, err := s.Exercise(args[0])
	if err == nil {
		return ex, nil
	}
	if l := s.Course().Lesson(strings.TrimRight(args[0], "/")); l != nil {
		if len(l.Exercises) == 0 {
			return nil, Usagef("%s is a lesson without exercises (it has quizzes: `dockdojo` asks them); `dockdojo list` shows the exercises of the course", l.ID)
		}
		keys := make([]string, len(l.Exercises))
		for i, e := range l.Exercises {
			keys[i] = e.Key()
		}
		return nil, Usagef("%s is a lesson, not an exercise; name one of its exercises: %s", l.ID, strings.Join(keys, ", "))
	}
	return nil, Usage(LessonHere(err))
}

// LessonHere is err or, when err says that the course has no such lesson
// and the lesson lies where the learner stands (in a folder of that name,
// or in the current folder), the error that says which --lessons adds it.
// The lesson is not loaded all the same: a folder becomes part of the
// course only when the learner names it, knowing what it holds.
func LessonHere(err error) error {
	var nl *lessons.NoLessonError
	if !errors.As(err, &nl) {
		return err
	}
	file := lessons.HeldHere(".", nl.ID)
	switch {
	case file == "":
		return err
	case strings.HasPrefix(file, nl.ID+"/"):
		return fmt.Errorf("no lesson %q in the course, but %s is a folder here that holds it: add --lessons . (or --lessons %s)", nl.ID, nl.ID, nl.ID)
	}
	return fmt.Errorf("no lesson %q in the course, but this folder holds it (%s): add --lessons .", nl.ID, termsafe.Printable(file))
}

// CompleteExercises completes the LESSON/EXERCISE argument from the course,
// for the shells' completion.
func CompleteExercises(f *Factory) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		c, err := f.Course()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		var out []cobra.Completion
		for _, ex := range c.Exercises() {
			if strings.HasPrefix(ex.Key(), toComplete) {
				out = append(out, cobra.CompletionWithDesc(ex.Key(), ex.Title))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// CompleteLessons completes LESSON arguments from the course.
func CompleteLessons(f *Factory) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		c, err := f.Course()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		var out []cobra.Completion
		for _, l := range c.Lessons {
			if strings.HasPrefix(l.ID, toComplete) {
				out = append(out, cobra.CompletionWithDesc(l.ID, l.Title))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// NotRecorded says that what the learner just did was not written to the
// progress file, after the result was shown. The error says why and what
// to do, for its own cause (see progress.DiskError): a folder or a link
// where the file goes, a newer format, a full or read-only disk.
func NotRecorded(f *Factory, err error) {
	fmt.Fprintf(f.IOStreams.ErrOut, "warning: %v\nYour work on the engine is not affected.\n", err)
}

// Global returns a function that spells a dockdojo command line the
// learner can type as it is: with the global flags this run was given
// (--lessons, --replace), so that it finds the same course.
func Global(f *Factory) func(args ...string) string {
	return func(args ...string) string {
		return JoinArgs(append(append([]string{"dockdojo"}, f.Settings.Args()...), args...))
	}
}

// JoinArgs spells a command line that a POSIX shell reads back as args.
func JoinArgs(args []string) string { return shellquote.Join(args) }

// ShellQuote quotes s for a POSIX shell when it needs it.
func ShellQuote(s string) string { return shellquote.Quote(s) }

// Cmd finishes the cobra command of one verb: it binds the arguments into
// opts (bind may be nil), then runs opts with run, or with runF when a test
// gave one, so that a test can check the flags without running anything.
func Cmd[O any](c *cobra.Command, opts O, bind func(args []string), runF, run func(context.Context, O) error) *cobra.Command {
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if bind != nil {
			bind(args)
		}
		if runF != nil {
			return runF(cmd.Context(), opts)
		}
		return run(cmd.Context(), opts)
	}
	return c
}

// Group finishes c as a command that only groups subs: with no argument it
// shows its help, and a word that names none of subs is a usage error that
// says fix (UnknownCommand), where cobra would print the help and exit 0.
func Group(c *cobra.Command, fix string, subs ...*cobra.Command) *cobra.Command {
	c.Args = UnknownCommand(fix)
	c.RunE = func(cmd *cobra.Command, args []string) error { return cmd.Help() }
	c.SuggestionsMinimumDistance = 2
	c.AddCommand(subs...)
	return c
}

// UnknownCommand is the Args of a command that only groups others: an
// argument that names none of them is a usage error, with the nearest name
// and fix, what the group does. With no argument, the command shows its
// help.
func UnknownCommand(fix string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		meant := ""
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			meant = " (did you mean " + strings.Join(s, " or ") + "?)"
		}
		return Usagef("%s has no command %q%s: %s", cmd.CommandPath(), args[0], meant, fix)
	}
}

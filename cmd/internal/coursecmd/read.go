package coursecmd

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/cmd/internal/render"
	"github.com/dockdojo/dockdojo/lessons"
)

// ReadOptions are the options of `dockdojo read`.
type ReadOptions struct {
	F      *cmdutil.Factory
	Lesson string
	Plain  bool
}

// NewCmdRead returns `dockdojo read`.
func NewCmdRead(f *cmdutil.Factory, runF func(context.Context, *ReadOptions) error) *cobra.Command {
	opts := &ReadOptions{F: f}
	cmd := cmdutil.Cmd(&cobra.Command{
		Use:               "read LESSON",
		Short:             "Show a lesson (rendered on a terminal, plain Markdown otherwise)",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: cmdutil.CompleteLessons(f),
	}, opts, func(args []string) { opts.Lesson = args[0] }, runF, RunRead)
	cmd.Flags().BoolVar(&opts.Plain, "plain", false, "print the lesson as plain Markdown even on a terminal")
	return cmd
}

// RunRead shows the lesson.
func RunRead(_ context.Context, opts *ReadOptions) error {
	c, err := opts.F.Course()
	if err != nil {
		return err
	}
	l := c.Lesson(opts.Lesson)
	if l == nil {
		return cmdutil.Usage(cmdutil.LessonHere(c.UnknownLesson(opts.Lesson)))
	}
	if err := l.LoadProse(); err != nil {
		return err
	}
	doc := cmdutil.Say(opts.F, LessonMarkdown(l, cmdutil.Global(opts.F)))
	io := opts.F.IOStreams
	if opts.Plain || !io.OutTTY {
		_, err := fmt.Fprint(iostreams.Unwrapped(io.Out), doc)
		return err
	}
	out, err := render.Markdown(doc, render.Options{Width: io.Width(), Color: io.Color})
	if err != nil {
		return err
	}
	// Paged like the guided flow; Ctrl-C in the pager ends the reading.
	if err := io.Page(out, iostreams.PagerOptions{Getenv: opts.F.Getenv}); !errors.Is(err, iostreams.ErrPagerCancelled) {
		return err
	}
	return nil
}

// LessonMarkdown is the lesson as a learner reads it: its prose, with each
// exercise and quiz block replaced by what the learner needs to know of it,
// with the commands to type spelled by g (cmdutil.Global: with the
// --lessons the learner gave). The lesson's prose must be loaded
// (Lesson.LoadProse).
func LessonMarkdown(l *lessons.Lesson, g func(args ...string) string) string {
	var b strings.Builder
	for _, p := range l.Parts {
		switch {
		case p.Exercise != nil:
			writeExercise(&b, p.Exercise, g)
		case p.Quiz != nil:
			writeQuiz(&b, p.Quiz)
		default:
			b.WriteString(p.Prose)
		}
	}
	return withPrerequisites(strings.TrimRight(b.String(), "\n")+"\n", l.Prerequisites)
}

// withPrerequisites says, under the lesson's title (its first line that is
// a level-one heading), which lessons come before it.
func withPrerequisites(doc string, pre []string) string {
	if len(pre) == 0 {
		return doc
	}
	ids := make([]string, len(pre))
	for i, id := range pre {
		ids[i] = "`" + id + "`"
	}
	what := "the lesson " + ids[0]
	if n := len(ids); n > 1 {
		what = "the lessons " + strings.Join(ids[:n-1], ", ") + " and " + ids[n-1]
	}
	note := "_It builds on " + what + "._\n\n"
	for i := 0; i < len(doc); {
		end := strings.IndexByte(doc[i:], '\n')
		if end < 0 {
			break
		}
		if strings.HasPrefix(doc[i:], "# ") {
			at := i + end + 1
			if strings.HasPrefix(doc[at:], "\n") {
				at++
			}
			return doc[:at] + note + doc[at:]
		}
		i += end + 1
	}
	return note + doc
}

// FlavourNote says where the learner works, per flavour of exercise.
var FlavourNote = map[string]string{
	lessons.FlavourHost:  "Work in your own terminal with the docker CLI.",
	lessons.FlavourShell: "Work inside the exercise's container.",
	lessons.FlavourBuild: "Edit the files in the exercise's workspace folder.",
}

func writeExercise(b *strings.Builder, ex *lessons.Exercise, g func(args ...string) string) {
	key := ex.Key()
	fmt.Fprintf(b, "### Exercise: %s\n\n", ex.Title)
	fmt.Fprintf(b, "**Goal:** %s\n\n", ex.Goal)
	fmt.Fprintf(b, "%s\n\n", FlavourNote[ex.Flavour])
	if ex.Sandbox != nil && len(ex.Sandbox.CapAdd) > 0 {
		b.WriteString("A sandbox gets no Linux capability, except those its exercise needs; this one is granted:\n\n")
		for _, c := range ex.Sandbox.CapAdd {
			fmt.Fprintf(b, "- `%s`: %s\n", c.Name, c.Why)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(b, "- Start: `%s`\n", g("start", key))
	if ex.Flavour == lessons.FlavourShell {
		fmt.Fprintf(b, "- Open its shell: `%s`\n", g("shell", key))
	}
	fmt.Fprintf(b, "- Check: `%s`\n", g("check", key))
	fmt.Fprintf(b, "- Stuck? `%s`\n\n", g("hint", key))
}

func writeQuiz(b *strings.Builder, q *lessons.Quiz) {
	fmt.Fprintf(b, "### Quiz\n\n%s\n\n", strings.TrimSpace(q.Question))
	for i, c := range q.Choices {
		fmt.Fprintf(b, "%d. %s\n", i+1, c.Text)
	}
	b.WriteString("\n")
}

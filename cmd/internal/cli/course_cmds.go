package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/render"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/progress"
)

type listOptions struct {
	f    *Factory
	JSON bool
}

func newListCmd(f *Factory) *cobra.Command {
	opts := &listOptions{f: f}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the lessons and exercises, with your progress",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return runList(opts) },
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON for scripts")
	return cmd
}

// listedExercise is one exercise in `list --json`.
type listedExercise struct {
	Key     string `json:"key"`
	Title   string `json:"title"`
	Goal    string `json:"goal"`
	Flavour string `json:"flavour"`
	Done    bool   `json:"done"`
}

// listedLesson is one lesson in `list --json`.
type listedLesson struct {
	ID        string           `json:"id"`
	Title     string           `json:"title"`
	Summary   string           `json:"summary"`
	Minutes   int              `json:"minutes"`
	File      string           `json:"file"`
	Exercises []listedExercise `json:"exercises"`
	Quizzes   int              `json:"quizzes"`
}

func runList(opts *listOptions) error {
	c, err := opts.f.Course()
	if err != nil {
		return err
	}
	st, err := opts.f.Progress()
	if err != nil {
		return err
	}
	var out []listedLesson
	for _, l := range c.Lessons {
		ll := listedLesson{ID: l.ID, Title: l.Title, Summary: l.Summary, Minutes: l.Minutes, File: l.File, Quizzes: len(l.Quizzes), Exercises: []listedExercise{}}
		for _, ex := range l.Exercises {
			ll.Exercises = append(ll.Exercises, listedExercise{
				Key: ex.Key(), Title: ex.Title, Goal: ex.Goal, Flavour: ex.Flavour,
				Done: st.Exercises[ex.Key()].Done(),
			})
		}
		out = append(out, ll)
	}
	w := opts.f.IO.Out
	if opts.JSON {
		return writeJSON(w, out)
	}
	for _, l := range out {
		fmt.Fprintf(w, "%s  %s (%d min)\n    %s\n", l.ID, l.Title, l.Minutes, l.Summary)
		for _, ex := range l.Exercises {
			mark := "[ ]"
			if ex.Done {
				mark = "[x]"
			}
			fmt.Fprintf(w, "    %s %-34s %s (%s)\n", mark, ex.Key, ex.Title, ex.Flavour)
		}
	}
	fmt.Fprintln(w, "\nRead a lesson with `dockdojo read LESSON`; start an exercise with `dockdojo start LESSON/EXERCISE`.")
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

type readOptions struct {
	f      *Factory
	Lesson string
	Plain  bool
}

func newReadCmd(f *Factory) *cobra.Command {
	opts := &readOptions{f: f}
	cmd := &cobra.Command{
		Use:   "read LESSON",
		Short: "Show a lesson (rendered on a terminal, plain Markdown otherwise)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Lesson = args[0]
			return runRead(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Plain, "plain", false, "print the lesson as plain Markdown even on a terminal")
	return cmd
}

func runRead(opts *readOptions) error {
	c, err := opts.f.Course()
	if err != nil {
		return err
	}
	l := c.Lesson(opts.Lesson)
	if l == nil {
		return usageError{fmt.Errorf("no lesson %q; `dockdojo list` shows the course", opts.Lesson)}
	}
	doc := LessonMarkdown(l)
	io := opts.f.IO
	if opts.Plain || !io.OutTTY {
		_, err := fmt.Fprint(io.Out, doc)
		return err
	}
	out, err := render.Markdown(doc, render.Options{Width: io.Width(), Color: io.Color})
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(io.Out, out)
	return err
}

// LessonMarkdown is the lesson as a learner reads it: its prose, with each
// exercise and quiz block replaced by what the learner needs to know of it.
func LessonMarkdown(l *lessons.Lesson) string {
	var b strings.Builder
	for _, p := range l.Parts {
		switch {
		case p.Exercise != nil:
			writeExercise(&b, p.Exercise)
		case p.Quiz != nil:
			writeQuiz(&b, p.Quiz)
		default:
			b.WriteString(p.Prose)
		}
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

var flavourNote = map[string]string{
	lessons.FlavourHost:  "Work in your own terminal with the docker CLI.",
	lessons.FlavourShell: "Work inside the exercise's container.",
	lessons.FlavourBuild: "Edit the files in the exercise's workspace folder.",
}

func writeExercise(b *strings.Builder, ex *lessons.Exercise) {
	key := ex.Key()
	fmt.Fprintf(b, "### Exercise: %s\n\n", ex.Title)
	fmt.Fprintf(b, "**Goal:** %s\n\n", ex.Goal)
	fmt.Fprintf(b, "%s\n\n", flavourNote[ex.Flavour])
	if ex.Sandbox != nil && len(ex.Sandbox.CapAdd) > 0 {
		b.WriteString("Its container is granted, besides the usual nothing:\n\n")
		for _, c := range ex.Sandbox.CapAdd {
			fmt.Fprintf(b, "- `%s`: %s\n", c.Name, c.Why)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(b, "- Start: `dockdojo start %s`\n", key)
	if ex.Flavour == lessons.FlavourShell {
		fmt.Fprintf(b, "- Open its shell: `dockdojo shell %s`\n", key)
	}
	fmt.Fprintf(b, "- Check: `dockdojo check %s`\n", key)
	fmt.Fprintf(b, "- Stuck? `dockdojo hint %s`\n\n", key)
}

func writeQuiz(b *strings.Builder, q *lessons.Quiz) {
	fmt.Fprintf(b, "### Quiz\n\n%s\n\n", strings.TrimSpace(q.Question))
	for i, c := range q.Choices {
		fmt.Fprintf(b, "%d. %s\n", i+1, c.Text)
	}
	b.WriteString("\n")
}

type progressOptions struct {
	f       *Factory
	JSON    bool
	Summary bool
}

func newProgressCmd(f *Factory) *cobra.Command {
	opts := &progressOptions{f: f}
	cmd := &cobra.Command{
		Use:   "progress",
		Short: "Show what you have done, lesson by lesson",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return runProgress(opts) },
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON for scripts")
	cmd.Flags().BoolVar(&opts.Summary, "summary", false, "print a short Markdown report to paste into a chat or an email")
	return cmd
}

// lessonProgress is one lesson in `progress --json`.
type lessonProgress struct {
	Lesson    string                        `json:"lesson"`
	Title     string                        `json:"title"`
	Done      int                           `json:"done"`
	Total     int                           `json:"total"`
	Exercises map[string]*progress.Exercise `json:"exercises"`
}

func runProgress(opts *progressOptions) error {
	c, err := opts.f.Course()
	if err != nil {
		return err
	}
	st, err := opts.f.Progress()
	if err != nil {
		return err
	}
	if opts.Summary && opts.JSON {
		return usageError{errors.New("progress takes --json or --summary, not both")}
	}
	if opts.Summary {
		writeProgressSummary(opts.f.IO.Out, c, st, time.Now())
		return nil
	}
	var out []lessonProgress
	for _, l := range c.Lessons {
		lp := lessonProgress{Lesson: l.ID, Title: l.Title, Total: len(l.Exercises), Exercises: map[string]*progress.Exercise{}}
		for _, ex := range l.Exercises {
			e := st.Exercises[ex.Key()]
			if e == nil {
				e = &progress.Exercise{}
			}
			lp.Exercises[ex.Key()] = e
			if e.Done() {
				lp.Done++
			}
		}
		out = append(out, lp)
	}
	w := opts.f.IO.Out
	if opts.JSON {
		return writeJSON(w, out)
	}
	done, total := 0, 0
	for _, lp := range out {
		done, total = done+lp.Done, total+lp.Total
		fmt.Fprintf(w, "%-28s %d/%d exercises done\n", lp.Lesson, lp.Done, lp.Total)
	}
	fmt.Fprintf(w, "\n%d of %d exercises done. Progress is kept in %s\n", done, total, opts.f.ProgressPath())
	return nil
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/prompter"
	"github.com/dockdojo/dockdojo/cmd/internal/render"
	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/progress"
	"github.com/dockdojo/dockdojo/sandbox"
)

// The guided flow is `dockdojo` with no verb on a terminal: menus to pick a
// lesson, the lesson read part by part, a menu of actions at each exercise
// and the quizzes asked in place. Every step saves progress as it happens,
// so leaving at any point loses nothing.
//
// Ctrl-C goes one level up: from a running action (a check, a start) or a
// question back to the menu it came from, from the lesson's menu to the
// list of lessons, and from there out of dockdojo (exit 130). Nothing the
// learner made is stopped or removed unless they pick reset.

// guide is one guided session.
type guide struct {
	f *Factory
	p prompter.Prompter
	// base is the session's context. It is not cancelled by Ctrl-C: each
	// action gets a context of its own that Ctrl-C cancels.
	base  context.Context
	modes *termModes
}

// runGuided opens the guided flow, or the plain overview when there is no
// terminal to ask on.
func runGuided(cmd *cobra.Command, f *Factory) error {
	p := f.Prompter()
	if p == nil {
		return runHome(cmd, f)
	}
	g := &guide{f: f, p: p, base: context.WithoutCancel(cmd.Context()), modes: newTermModes(f.IO.InFd)}
	defer g.modes.normal()
	g.modes.menu()
	return g.run()
}

// action runs fn with a context that Ctrl-C cancels, and reports what went
// wrong without leaving the flow. An unreachable engine is explained once
// per action, with the remedy.
func (g *guide) action(fn func(ctx context.Context) error) {
	g.modes.normal()
	defer g.modes.menu()
	ctx, stop := signal.NotifyContext(g.base, os.Interrupt)
	defer stop()
	err := fn(ctx)
	w := g.f.IO.ErrOut
	var usage usageError
	switch {
	case err == nil, errors.Is(err, errNotDone):
	case errors.Is(err, prompter.ErrCancelled), errors.Is(err, context.Canceled):
		fmt.Fprintln(w, "Stopped. Back to the menu.")
	case errors.Is(err, sandbox.ErrUnreachable):
		fmt.Fprintf(w, "%v\n\n%s", err, unreachableHelp)
	case errors.As(err, &usage):
		fmt.Fprintln(w, usage.error)
	default:
		fmt.Fprintf(w, "dockdojo: %v\n", err)
	}
	fmt.Fprintln(g.f.IO.Out)
}

// markdown shows Markdown rendered for the terminal, paged when long.
func (g *guide) markdown(doc string) error {
	io := g.f.IO
	out, err := render.Markdown(doc, render.Options{Width: io.Width(), Color: io.Color})
	if err != nil {
		return err
	}
	return page(g.f, out, g.modes)
}

func (g *guide) run() error {
	c, err := g.f.Course()
	if err != nil {
		return err
	}
	w := g.f.IO.Out
	fmt.Fprintln(w, "Welcome to dockdojo: learn Docker by doing. Arrow keys move, Enter picks, Ctrl-C goes back.")
	if eng, err := g.f.Engine(g.base); err != nil {
		if !errors.Is(err, sandbox.ErrUnreachable) {
			return err
		}
		fmt.Fprintf(g.f.IO.ErrOut, "warning: %v\nYou can read the lessons; exercises need Docker.\n\n%s\n", err, unreachableHelp)
	} else {
		eng.Close()
	}
	for {
		st, err := g.f.Progress()
		if err != nil {
			return err
		}
		options, def := lessonMenu(c, st)
		i, err := g.p.Select("Which lesson?", options, def)
		if errors.Is(err, prompter.ErrCancelled) {
			g.bye()
			return err
		}
		if err != nil {
			return err
		}
		if i == len(c.Lessons) {
			g.bye()
			return nil
		}
		if err := g.lesson(c.Lessons[i]); err != nil {
			return err
		}
	}
}

func (g *guide) bye() {
	fmt.Fprintf(g.f.IO.Out, "Your progress is saved (%s). Type `dockdojo` to go on where you left off.\n", g.f.ProgressPath())
}

// item is an exercise or a quiz of a lesson, and where it is among the
// lesson's parts.
type item struct {
	part int
	ex   *lessons.Exercise
	quiz *lessons.Quiz
}

func (it item) key() string {
	if it.ex != nil {
		return it.ex.Key()
	}
	return it.quiz.Lesson.ID + "/" + it.quiz.ID
}

func (it item) done(st *progress.State) bool {
	if it.ex != nil {
		return st.Exercises[it.ex.Key()].Done()
	}
	q := st.Quizzes[it.key()]
	return q != nil && q.Correct
}

func (it item) label() string {
	if it.ex != nil {
		return "Exercise: " + it.ex.Title
	}
	q := strings.Join(strings.Fields(it.quiz.Question), " ")
	if len(q) > 60 {
		q = q[:57] + "..."
	}
	return "Quiz: " + q
}

func items(l *lessons.Lesson) []item {
	var its []item
	for i, p := range l.Parts {
		switch {
		case p.Exercise != nil:
			its = append(its, item{part: i, ex: p.Exercise})
		case p.Quiz != nil:
			its = append(its, item{part: i, quiz: p.Quiz})
		}
	}
	return its
}

func mark(done, total int) string {
	switch {
	case total > 0 && done == total:
		return "[x]"
	case done > 0:
		return "[~]"
	}
	return "[ ]"
}

// continueLesson is where the learner left off: the lesson of the exercise
// started last when it is not done, else the first lesson with something
// left to do; -1 when all is done.
func continueLesson(c *lessons.Course, st *progress.State) int {
	if key := st.LastStarted(); key != "" && !st.Exercises[key].Done() {
		for i, l := range c.Lessons {
			if strings.HasPrefix(key, l.ID+"/") {
				return i
			}
		}
	}
	for i, l := range c.Lessons {
		for _, it := range items(l) {
			if !it.done(st) {
				return i
			}
		}
	}
	return -1
}

// lessonMenu lists the lessons with their marks, and "Quit" last; def is
// where to continue.
func lessonMenu(c *lessons.Course, st *progress.State) (options []string, def int) {
	def = continueLesson(c, st)
	for i, l := range c.Lessons {
		its := items(l)
		done := 0
		for _, it := range its {
			if it.done(st) {
				done++
			}
		}
		o := fmt.Sprintf("%s %s (%d min, %d/%d done)", mark(done, len(its)), l.Title, l.Minutes, done, len(its))
		if i == def {
			o += "  <- continue here"
		}
		options = append(options, o)
	}
	return append(options, "Quit"), max(def, 0)
}

// lesson is the menu of one lesson: read it from the start or from one of
// its exercises and quizzes.
func (g *guide) lesson(l *lessons.Lesson) error {
	for {
		st, err := g.f.Progress()
		if err != nil {
			return err
		}
		its := items(l)
		options := []string{"Read the lesson from the start"}
		def, started := 0, false
		for i, it := range its {
			done := it.done(st)
			options = append(options, fmt.Sprintf("%s %s", mark(btoi(done), 1), it.label()))
			if done || (it.ex != nil && st.Exercises[it.key()] != nil) {
				started = true
			}
			if !done && def == 0 {
				def = i + 1
			}
		}
		if !started {
			def = 0
		}
		options = append(options, "Back to the lessons")
		i, err := g.p.Select(l.Title, options, def)
		switch {
		case errors.Is(err, prompter.ErrCancelled), err == nil && i == len(options)-1:
			return nil
		case err != nil:
			return err
		}
		from := 0
		if i > 0 {
			from = its[i-1].part
		}
		finished, err := g.read(l, from)
		switch {
		case errors.Is(err, prompter.ErrCancelled):
			fmt.Fprintln(g.f.IO.Out)
			continue
		case err != nil:
			return err
		}
		if finished {
			fmt.Fprintf(g.f.IO.Out, "\nEnd of the lesson %q.\n\n", l.Title)
			return nil
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// read goes through the lesson from part from: prose is shown (paged), each
// exercise gets its menu, each quiz is asked. It reports whether the
// learner reached the end.
func (g *guide) read(l *lessons.Lesson, from int) (finished bool, err error) {
	var prose strings.Builder
	flush := func() error {
		if strings.TrimSpace(prose.String()) == "" {
			return nil
		}
		defer prose.Reset()
		return g.markdown(prose.String())
	}
	for _, p := range l.Parts[from:] {
		switch {
		case p.Exercise != nil:
			if err := flush(); err != nil {
				return false, err
			}
			goOn, err := g.exercise(p.Exercise)
			if err != nil || !goOn {
				return false, err
			}
		case p.Quiz != nil:
			if err := flush(); err != nil {
				return false, err
			}
			if err := g.quiz(p.Quiz); err != nil {
				return false, err
			}
		default:
			prose.WriteString(p.Prose)
		}
	}
	return true, flush()
}

// exerciseMarkdown is what the learner reads at an exercise in guided mode.
func exerciseMarkdown(ex *lessons.Exercise, ws string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### Exercise: %s\n\n**Goal:** %s\n\n%s", ex.Title, ex.Goal, flavourNote[ex.Flavour])
	if len(ex.Workspace) > 0 || ex.Flavour != lessons.FlavourShell {
		fmt.Fprintf(&b, " Your workspace folder is `%s`.", ws)
	}
	b.WriteString("\n\n")
	if ex.Sandbox != nil && len(ex.Sandbox.CapAdd) > 0 {
		b.WriteString("Its container is granted, besides the usual nothing:\n\n")
		for _, c := range ex.Sandbox.CapAdd {
			fmt.Fprintf(&b, "- `%s`: %s\n", c.Name, c.Why)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// exerciseAction is one entry of an exercise's menu.
type exerciseAction struct {
	label string
	// run does the action; goOn true leaves the menu and goes on reading,
	// leave true leaves the menu for the lesson's menu.
	run         func(ctx context.Context) error
	goOn, leave bool
}

// exercise shows an exercise and its menu until the learner goes on (true)
// or back to the lesson's menu (false).
func (g *guide) exercise(ex *lessons.Exercise) (goOn bool, err error) {
	f := g.f
	key := ex.Key()
	ws := exercise.Workspace(f.Workspace(), ex)
	if err := g.markdown(exerciseMarkdown(ex, ws)); err != nil {
		return false, err
	}
	for {
		st, err := f.Progress()
		if err != nil {
			return false, err
		}
		e := st.Exercises[key]
		started, done := e != nil && !e.Started.IsZero(), e.Done()
		hints := 0
		if e != nil {
			hints = e.Hints
		}
		var acts []exerciseAction
		startLabel := "Start: prepare the workspace and sandbox"
		if ex.Sandbox == nil {
			startLabel = "Start: prepare the workspace"
		}
		if started {
			startLabel = "Start again (your workspace files are kept)"
		}
		acts = append(acts, exerciseAction{label: startLabel, run: func(ctx context.Context) error {
			return runStart(ctx, &startOptions{f: f, Key: key})
		}})
		if ex.Flavour == lessons.FlavourShell && ex.Sandbox != nil {
			acts = append(acts, exerciseAction{label: "Open a shell in the sandbox", run: func(ctx context.Context) error {
				return runShell(ctx, &shellOptions{f: f, Key: key})
			}})
		}
		acts = append(acts,
			exerciseAction{label: "Check my work", run: func(ctx context.Context) error {
				return runCheck(ctx, &checkOptions{f: f, Key: key})
			}},
			exerciseAction{label: "Watch: re-check live as I work (Ctrl-C stops)", run: func(ctx context.Context) error {
				eng, err := f.Engine(ctx)
				if err != nil {
					return err
				}
				defer eng.Close()
				_, err = watchExercise(ctx, f, eng, ex, 5*time.Second)
				return err
			}},
		)
		if len(ex.Hints) > 0 {
			acts = append(acts, exerciseAction{label: fmt.Sprintf("Hint (%d of %d seen)", hints, len(ex.Hints)), run: func(ctx context.Context) error {
				return runHint(&hintOptions{f: f, Key: key})
			}})
		}
		acts = append(acts,
			exerciseAction{label: "Solution (asks first)", run: func(ctx context.Context) error {
				return runSolution(&solutionOptions{f: f, Key: key})
			}},
			exerciseAction{label: "Reset: remove what was made for this exercise (asks about yours)", run: func(ctx context.Context) error {
				return runReset(ctx, &resetOptions{f: f, Key: key})
			}},
		)
		if done {
			acts = append(acts, exerciseAction{label: "Next: go on with the lesson", goOn: true})
		} else {
			acts = append(acts, exerciseAction{label: "Skip: go on with the lesson without finishing", goOn: true})
		}
		acts = append(acts, exerciseAction{label: "Quit: back to the lesson's menu", leave: true})

		labels := make([]string, len(acts))
		for i, a := range acts {
			labels[i] = a.label
		}
		def := 0 // start
		switch {
		case done:
			def = slices.IndexFunc(acts, func(a exerciseAction) bool { return a.goOn })
		case started:
			def = slices.IndexFunc(acts, func(a exerciseAction) bool { return strings.HasPrefix(a.label, "Check") })
		}
		i, err := g.p.Select(fmt.Sprintf("%s (%s): what now?", ex.Title, key), labels, def)
		if err != nil {
			return false, err
		}
		a := acts[i]
		switch {
		case a.goOn:
			return true, nil
		case a.leave:
			return false, nil
		}
		g.action(a.run)
	}
}

// quiz asks a quiz until it is answered right or the learner asks for the
// answer; every answer is recorded.
func (g *guide) quiz(q *lessons.Quiz) error {
	w := g.f.IO.Out
	key := q.Lesson.ID + "/" + q.ID
	if err := g.markdown("### Quiz\n\n" + strings.TrimSpace(q.Question) + "\n"); err != nil {
		return err
	}
	texts := make([]string, len(q.Choices))
	var right []int
	for i, c := range q.Choices {
		texts[i] = c.Text
		if c.Correct {
			right = append(right, i)
		}
	}
	for {
		var picked []int
		if q.Multiple() {
			is, err := g.p.MultiSelect("Your answer (space picks, enter confirms; more than one is right):", texts)
			if err != nil {
				return err
			}
			picked = is
		} else {
			i, err := g.p.Select("Your answer:", texts, 0)
			if err != nil {
				return err
			}
			picked = []int{i}
		}
		slices.Sort(picked)
		correct := slices.Equal(picked, right)
		if err := g.f.UpdateProgress(func(s *progress.State) { s.Answer(key, correct) }); err != nil {
			return err
		}
		if correct {
			fmt.Fprintln(w, g.good("Right!"))
			return g.explain(q)
		}
		fmt.Fprintln(w, g.bad("Not quite."))
		i, err := g.p.Select("What now?", []string{"Try again", "Show the answer"}, 0)
		if err != nil {
			return err
		}
		if i == 1 {
			var b strings.Builder
			b.WriteString("The answer:\n\n")
			for _, r := range right {
				fmt.Fprintf(&b, "- %s\n", q.Choices[r].Text)
			}
			if err := g.markdown(b.String()); err != nil {
				return err
			}
			return g.explain(q)
		}
	}
}

func (g *guide) explain(q *lessons.Quiz) error {
	if strings.TrimSpace(q.Explain) == "" {
		return nil
	}
	return g.markdown(strings.TrimSpace(q.Explain) + "\n")
}

func (g *guide) good(s string) string {
	if g.f.IO.Color {
		return "\x1b[1;32m" + s + "\x1b[0m"
	}
	return s
}

func (g *guide) bad(s string) string {
	if g.f.IO.Color {
		return "\x1b[1;31m" + s + "\x1b[0m"
	}
	return s
}

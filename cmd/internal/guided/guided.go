// Package guided is `dockdojo` with no verb on a terminal: menus to pick a
// lesson, the lesson read part by part, a menu of actions at each exercise
// and the quizzes asked in place. Every step goes through the learner's
// session, which saves progress as it happens, so leaving at any point
// loses nothing; the actions are the same run functions the verbs use.
//
// Ctrl-C goes one level up: from a running action (a check, a start) or a
// question back to the menu it came from, from the lesson's menu to the
// list of lessons, and from there out of dockdojo (exit 130). Nothing the
// learner made is stopped or removed unless they pick reset.
package guided

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/mattn/go-runewidth"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/coursecmd"
	"github.com/dockdojo/dockdojo/cmd/internal/exercisecmd"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/cmd/internal/prompter"
	"github.com/dockdojo/dockdojo/cmd/internal/render"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/session"
)

// guide is one guided session.
type guide struct {
	f *cmdutil.Factory
	s *session.Session
	p prompter.Prompter
	// base is the session's context. It is not cancelled by Ctrl-C: each
	// action gets a context of its own that Ctrl-C cancels.
	base  context.Context
	modes *termModes
	// sig receives the SIGINT and SIGTERM meant for the flow: those sent
	// while a menu waits. While an action or a pager runs it is not
	// registered (see handOff), so a Ctrl-C meant for the action can never
	// reach it, however late it is read.
	sig chan os.Signal
}

// Run opens the guided flow, or the plain overview when there is no
// terminal to ask on.
func Run(ctx context.Context, f *cmdutil.Factory) error {
	p := f.Prompter()
	if p == nil {
		return coursecmd.RunHome(ctx, f)
	}
	s, err := f.Session()
	if err != nil {
		return err
	}
	g := &guide{f: f, s: s, p: p, base: context.WithoutCancel(ctx), modes: newTermModes(f.IOStreams.InFd)}
	if f.IOStreams.Dumb {
		// Questions are lines typed back (prompter.Plain): the terminal
		// echoes them, and Ctrl-C is the signal it always is.
		g.modes = &termModes{}
	}
	defer g.modes.normal()
	stop := g.onSignal()
	defer stop()
	g.modes.menu()
	return g.run()
}

// onSignal ends the flow on a SIGINT or SIGTERM sent from outside (kill)
// while a menu waits, as Ctrl-C at the list of lessons does: the terminal is
// put back as it was, the learner is told their progress is kept, and the
// process exits 130. A menu cannot be interrupted otherwise (survey reads
// the terminal and its Ctrl-C is a key); everything is saved as it happens,
// so nothing is lost. While an action runs, the action's own handler stops
// it instead.
func (g *guide) onSignal() (stop func()) {
	g.sig = make(chan os.Signal, 1)
	signal.Notify(g.sig, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-done:
		case <-g.sig:
			// No menu of ours makes the terminal raw after this.
			prompter.Hold()
			g.modes.normal()
			fmt.Fprintln(g.f.IOStreams.Out)
			g.bye()
			// Once more, last: a prompt of survey's own may have made
			// the terminal raw again meanwhile, to read the next key.
			g.modes.normal()
			os.Exit(cmdutil.ExitCancelled)
		}
	}()
	return func() { signal.Stop(g.sig); close(done) }
}

// handOff takes SIGINT and SIGTERM away from the flow while an action or a
// pager runs: they are the action's (its own context) or the pager's to
// answer. A sink stays registered meanwhile, so a signal never falls to
// the default action (ending dockdojo) while a pager handles its Ctrl-C.
// Stop guarantees that the flow's channel receives nothing more, so a
// Ctrl-C that stopped an action cannot end the flow once the menu is back.
func (g *guide) handOff() (takeBack func()) {
	if g.sig == nil {
		return func() {}
	}
	sink := make(chan os.Signal, 1)
	signal.Notify(sink, os.Interrupt, syscall.SIGTERM)
	signal.Stop(g.sig)
	return func() {
		signal.Notify(g.sig, os.Interrupt, syscall.SIGTERM)
		signal.Stop(sink)
	}
}

// action runs fn with a context that Ctrl-C cancels, and reports what went
// wrong without leaving the flow. An unreachable engine is explained once
// per action, with the remedy.
func (g *guide) action(fn func(ctx context.Context) error) {
	g.modes.normal()
	defer g.modes.menu()
	ctx, stop := signal.NotifyContext(g.base, os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer g.handOff()()
	err := fn(ctx)
	w := g.f.IOStreams.ErrOut
	var usage *cmdutil.UsageError
	switch {
	case err == nil, errors.Is(err, cmdutil.ErrNotDone):
	case errors.Is(err, prompter.ErrCancelled), errors.Is(err, context.Canceled):
		fmt.Fprintln(w, "Stopped. Back to the menu.")
	case errors.Is(err, sandbox.ErrUnreachable):
		fmt.Fprintf(w, "%v\n\n%s", err, cmdutil.UnreachableHelp)
	case errors.As(err, &usage):
		fmt.Fprintln(w, usage.Err)
	default:
		fmt.Fprintf(w, "dockdojo: %v\n", err)
	}
	fmt.Fprintln(g.f.IOStreams.Out)
}

// markdown shows Markdown rendered for the terminal, paged when long.
// reserve is the rows of what is shown right after it (a menu, or an
// exercise and its menu), which must not push the text off the screen
// before it is read: text that does not fit with them is paged, to its end
// (iostreams.PagerOptions.Reserve).
func (g *guide) markdown(doc string, reserve int) error {
	out, err := g.render(doc)
	if err != nil {
		return err
	}
	return g.page(out, reserve)
}

// render is Markdown rendered for the terminal.
func (g *guide) render(doc string) (string, error) {
	io := g.f.IOStreams
	return render.Markdown(cmdutil.Say(g.f, doc), render.Options{Width: io.Width(), Color: io.Color})
}

// page shows text rendered for the terminal, as markdown does.
func (g *guide) page(out string, reserve int) error {
	io := g.f.IOStreams
	// An external pager gets the terminal as the learner had it; its Ctrl-C
	// is its own (less -K ends on it), not the end of the flow.
	var takeBack func()
	before := func() { takeBack = g.handOff(); g.modes.normal() }
	after := func() {
		g.modes.menu()
		if takeBack != nil {
			takeBack()
			takeBack = nil
		}
	}
	err := io.Page(out, iostreams.PagerOptions{Getenv: g.f.Getenv, Before: before, After: after, Reserve: reserve})
	if errors.Is(err, iostreams.ErrPagerCancelled) {
		return prompter.ErrCancelled // Ctrl-C goes one level up, as at a question
	}
	return err
}

func (g *guide) run() error {
	c := g.s.Course()
	w := g.f.IOStreams.Out
	keys := "Arrow keys move, typing filters a menu, Enter picks, Ctrl-C goes back."
	if g.f.IOStreams.Dumb {
		keys = "Type the number of a choice and Enter; Ctrl-D goes back, Ctrl-C leaves."
	}
	fmt.Fprintln(w, g.f.IOStreams.Wrap("Welcome to dockdojo: learn Docker by doing. "+keys, 0))
	if _, err := g.s.Engine(g.base); err != nil {
		if !errors.Is(err, sandbox.ErrUnreachable) {
			return err
		}
		fmt.Fprintf(g.f.IOStreams.ErrOut, "warning: %v\nYou can read the lessons; exercises need Docker.\n\n%s\n", err, cmdutil.UnreachableHelp)
	}
	for {
		o, err := g.s.Overview()
		if err != nil {
			return err
		}
		options, def := lessonMenu(o, g.f.IOStreams.Width())
		i, err := g.p.Select(lessonsQuestion, options, def)
		if errors.Is(err, prompter.ErrCancelled) {
			// Ctrl-C ends the flow with its usual code; the goodbye has
			// said all there is, so nothing says "cancelled" after it.
			g.bye()
			return &cmdutil.SilentError{Code: cmdutil.ExitCancelled}
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

// lessonsQuestion asks for a lesson in the list of lessons.
const lessonsQuestion = "Which lesson?"

func (g *guide) bye() {
	fmt.Fprintf(g.f.IOStreams.Out, "Your progress is saved (%s). Type `dockdojo` to go on where you left off.\n", g.s.ProgressPath())
}

// label is how an item shows in a lesson's menu.
func label(it session.Item) string {
	if it.Exercise != nil {
		return "Exercise: " + it.Exercise.Title
	}
	q := strings.Join(strings.Fields(it.Quiz.Question), " ")
	return "Quiz: " + runewidth.Truncate(q, 60, "…")
}

// lessonMenu lists the lessons with their marks, and "Quit" last; def is
// where to continue. A title too long for a line of width cells gives way,
// so that the lesson's progress and the "continue here" mark stay in sight.
func lessonMenu(o session.Overview, width int) (options []string, def int) {
	for i, lp := range o.Lessons {
		all := lp.All()
		tail := fmt.Sprintf(" (%d min, %d/%d done)", lp.Lesson.Minutes, all.Done, all.Total)
		if i == o.Continue {
			tail += "  <- continue here"
		}
		title := lp.Lesson.Title
		room := width - menuMargin - runewidth.StringWidth(lp.Mark()+" "+tail)
		if runewidth.StringWidth(title) > room && room >= 12 {
			title = runewidth.Truncate(title, room, "…")
		}
		options = append(options, lp.Mark()+" "+title+tail)
	}
	return append(options, "Quit"), max(o.Continue, 0)
}

// menuMargin is what a menu's line takes besides its option: the cursor
// ("> ") and the last column, which a terminal wraps at.
const menuMargin = 3

// progressOf is the lesson's part of the learner's overview.
func (g *guide) progressOf(l *lessons.Lesson) (session.LessonProgress, error) {
	o, err := g.s.Overview()
	if err != nil {
		return session.LessonProgress{}, err
	}
	for _, lp := range o.Lessons {
		if lp.Lesson == l {
			return lp, nil
		}
	}
	return session.LessonProgress{Lesson: l}, nil
}

// lesson is the menu of one lesson: read it from the start or from one of
// its exercises and quizzes.
func (g *guide) lesson(l *lessons.Lesson) error {
	for {
		lp, err := g.progressOf(l)
		if err != nil {
			return err
		}
		options := []string{"Read the lesson from the start"}
		def, started := 0, false
		for i, it := range lp.Items {
			options = append(options, fmt.Sprintf("%s %s", session.Mark(session.Count{Done: btoi(it.Done), Total: 1}), label(it)))
			if it.Done || (it.Exercise != nil && it.Progress != nil) {
				started = true
			}
			if !it.Done && def == 0 {
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
			from = lp.Items[i-1].Part
		}
		finished, err := g.read(l, from)
		switch {
		case errors.Is(err, prompter.ErrCancelled):
			fmt.Fprintln(g.f.IOStreams.Out)
			continue
		case errors.Is(err, lessons.ErrChanged):
			// An author editing the lesson meanwhile: the rest of the
			// course still works.
			fmt.Fprintln(g.f.IOStreams.ErrOut, g.f.IOStreams.Wrap(fmt.Sprintf("The lesson file %s has changed since dockdojo started, and its exercises or quizzes moved: quit and run dockdojo again to read it as it is now.", l.File), 0))
			continue
		case err != nil:
			return err
		}
		if finished {
			fmt.Fprint(g.f.IOStreams.Out, endOfLesson(l))
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

// read goes through the lesson from part from: prose is shown (paged),
// each exercise gets its menu, each quiz is asked. It reports whether the
// learner reached the end. The prose keeps room for what follows it (see
// beforeMenu): a quiz's explanation heads the prose after it, and so stays
// in sight until it is read.
func (g *guide) read(l *lessons.Lesson, from int) (finished bool, err error) {
	if err := l.LoadProse(); err != nil {
		return false, err
	}
	var prose strings.Builder
	lead := func() string {
		defer prose.Reset()
		return prose.String()
	}
	for _, p := range l.Parts[from:] {
		switch {
		case p.Exercise != nil:
			goOn, err := g.exercise(p.Exercise, lead())
			if err != nil || !goOn {
				return false, err
			}
		case p.Quiz != nil:
			after, err := g.quiz(p.Quiz, lead())
			if err != nil {
				return false, err
			}
			prose.WriteString(after)
		default:
			prose.WriteString(p.Prose)
		}
	}
	if rest := lead(); strings.TrimSpace(rest) != "" {
		return true, g.markdown(rest, g.endRows(l))
	}
	return true, nil
}

// beforeMenu shows lead (the lesson's prose, from a quiz's explanation on)
// and head (an exercise, a quiz's question) above a menu of menuRows: each
// is shown whole where it fits with what follows it, and paged to its end
// otherwise (see markdown). head is a page of its own, so that q in the
// pager, which skips the rest of the prose, never skips the exercise or
// the question.
func (g *guide) beforeMenu(lead, head string, menuRows int) error {
	out, err := g.render(head)
	if err != nil {
		return err
	}
	if strings.TrimSpace(lead) != "" {
		rows := iostreams.ScreenRows(out, g.f.IOStreams.Width())
		if err := g.markdown(lead, rows+menuRows); err != nil {
			return err
		}
	}
	return g.page(out, menuRows)
}

// endRows is what the flow shows at the end of lesson l, below its last
// text: the line that says so and the list of lessons.
func (g *guide) endRows(l *lessons.Lesson) int {
	width := g.f.IOStreams.Width()
	end := iostreams.ScreenRows(endOfLesson(l), width)
	return end + prompter.MenuRows(lessonsQuestion, len(g.s.Course().Lessons)+1, width)
}

// endOfLesson is what the flow says when the learner reaches the end of l.
func endOfLesson(l *lessons.Lesson) string {
	return fmt.Sprintf("\nEnd of the lesson %q.\n\n", l.Title)
}

// exerciseMarkdown is what the learner reads at an exercise in guided mode.
func exerciseMarkdown(ex *lessons.Exercise, ws string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### Exercise: %s\n\n**Goal:** %s\n\n%s", ex.Title, ex.Goal, coursecmd.FlavourNote[ex.Flavour])
	if len(ex.Workspace) > 0 || ex.Flavour != lessons.FlavourShell {
		fmt.Fprintf(&b, " Your workspace folder is `%s`.", ws)
	}
	b.WriteString("\n\n")
	if ex.Sandbox != nil && len(ex.Sandbox.CapAdd) > 0 {
		b.WriteString("A sandbox gets no Linux capability, except those its exercise needs; this one is granted:\n\n")
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

// exercise shows an exercise, after lead (the lesson's text before it),
// and its menu until the learner goes on (true) or back to the lesson's
// menu (false).
func (g *guide) exercise(ex *lessons.Exercise, lead string) (goOn bool, err error) {
	question := fmt.Sprintf("%s (%s): what now?", ex.Title, ex.Key())
	acts, def, err := g.exerciseMenu(ex)
	if err != nil {
		return false, err
	}
	menuRows := prompter.MenuRows(question, len(acts), g.f.IOStreams.Width())
	if err := g.beforeMenu(lead, exerciseMarkdown(ex, g.s.Workspace(ex)), menuRows); err != nil {
		return false, err
	}
	for {
		// The menu follows the progress file while it waits: an exercise
		// checked in another terminal meanwhile is offered as done
		// ("Next"), not to skip.
		ctx, stop := context.WithCancel(g.base)
		live := prompter.Live{Changed: g.s.ProgressChanges(ctx, progressEvery), Options: func() ([]string, int, bool) {
			now, def, err := g.exerciseMenu(ex)
			if err != nil {
				return nil, 0, false // kept as it is; the next action says why
			}
			acts = now
			return labels(acts), def, true
		}}
		i, err := g.p.SelectLive(question, labels(acts), def, live)
		stop()
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
		if acts, def, err = g.exerciseMenu(ex); err != nil {
			return false, err
		}
	}
}

// progressEvery is how often an open menu looks at the progress file.
const progressEvery = 300 * time.Millisecond

// labels are the actions' labels, as the menu shows them.
func labels(acts []exerciseAction) []string {
	out := make([]string, len(acts))
	for i, a := range acts {
		out[i] = a.label
	}
	return out
}

// exerciseMenu is the menu of exercise ex as the learner's progress has it
// now, and the action the cursor starts on: start, check once started, next
// once done.
func (g *guide) exerciseMenu(ex *lessons.Exercise) (acts []exerciseAction, def int, err error) {
	f := g.f
	key := ex.Key()
	target := exercisecmd.Target{F: f, Args: []string{key}}
	st, err := g.s.State()
	if err != nil {
		return nil, 0, err
	}
	e := st.Exercises[key]
	started, done := e != nil && !e.Started.IsZero(), e.Done()
	hints := 0
	if e != nil {
		hints = e.Hints
	}
	startLabel := "Start: prepare the workspace and sandbox"
	if ex.Sandbox == nil {
		startLabel = "Start: prepare the workspace"
	}
	if started {
		startLabel = "Start again (your workspace files are kept)"
		if ex.Sandbox != nil {
			startLabel = "Start again with a new sandbox (asks first; workspace files are kept)"
		}
	}
	acts = append(acts, exerciseAction{label: startLabel, run: func(ctx context.Context) error {
		return exercisecmd.RunStart(ctx, &exercisecmd.StartOptions{Target: target})
	}})
	if ex.Flavour == lessons.FlavourShell && ex.Sandbox != nil {
		acts = append(acts, exerciseAction{label: "Open a shell in the sandbox", run: func(ctx context.Context) error {
			return exercisecmd.RunShell(ctx, &exercisecmd.ShellOptions{Target: target})
		}})
	}
	acts = append(acts,
		exerciseAction{label: "Check my work", run: func(ctx context.Context) error {
			return exercisecmd.RunCheck(ctx, &exercisecmd.CheckOptions{Target: target, Reading: true})
		}},
		exerciseAction{label: "Watch: re-check live as I work (Ctrl-C stops)", run: func(ctx context.Context) error {
			return exercisecmd.WatchExercise(ctx, f, g.s, ex, 5*time.Second, true)
		}},
	)
	if len(ex.Hints) > 0 {
		acts = append(acts, exerciseAction{label: fmt.Sprintf("Hint (%d of %d seen)", hints, len(ex.Hints)), run: func(ctx context.Context) error {
			return exercisecmd.RunHint(ctx, &exercisecmd.HintOptions{Target: target})
		}})
	}
	acts = append(acts,
		exerciseAction{label: "Solution (asks first)", run: func(ctx context.Context) error {
			return exercisecmd.RunSolution(ctx, &exercisecmd.SolutionOptions{Target: target})
		}},
		exerciseAction{label: "Reset: remove what was made for this exercise (asks about yours)", run: func(ctx context.Context) error {
			return exercisecmd.RunReset(ctx, &exercisecmd.ResetOptions{Target: target})
		}},
	)
	if done {
		acts = append(acts, exerciseAction{label: "Next: go on with the lesson", goOn: true})
	} else {
		acts = append(acts, exerciseAction{label: "Skip: go on with the lesson without finishing", goOn: true})
	}
	acts = append(acts, exerciseAction{label: "Quit: back to the lesson's menu", leave: true})
	switch {
	case done:
		def = slices.IndexFunc(acts, func(a exerciseAction) bool { return a.goOn })
	case started:
		def = slices.IndexFunc(acts, func(a exerciseAction) bool { return strings.HasPrefix(a.label, "Check") })
	}
	return acts, def, nil
}

// quiz asks a quiz, after lead (the lesson's text before it), until it is
// answered right or the learner asks for the answer; every answer is
// recorded. It returns what the learner reads next, in Markdown: the
// answer when it was asked for, and the quiz's explanation.
func (g *guide) quiz(q *lessons.Quiz, lead string) (after string, err error) {
	w := g.f.IOStreams.Out
	cs := g.f.IOStreams.ColorScheme()
	// The choices are shown in an order of their own for each learner and
	// question (so the first is not always right), the same on every try.
	order := shuffled(len(q.Choices), g.s.ProgressPath()+"\x00"+session.QuizKey(q))
	texts := make([]string, len(order))
	var right []int
	for shown, i := range order {
		texts[shown] = cmdutil.Say(g.f, q.Choices[i].Text)
		if q.Choices[i].Correct {
			right = append(right, shown)
		}
	}
	question := "### Quiz\n\n" + strings.TrimSpace(q.Question) + "\n"
	margin := menuMargin
	if q.Multiple() {
		margin += len("[ ]  ")
	}
	if longest(texts) > g.f.IOStreams.Width()-margin {
		// A menu cuts a choice wider than the terminal: the choices are
		// written out in full above it, lettered, and the menu names
		// them by letter.
		question += "\n"
		for i, t := range texts {
			texts[i] = fmt.Sprintf("%c. %s", 'A'+i, t)
			question += "- " + texts[i] + "\n"
		}
	}
	ask := "Your answer:"
	if q.Multiple() {
		ask = "Your answer (space picks, enter confirms; more than one is right):"
	}
	if err := g.beforeMenu(lead, question, prompter.MenuRows(ask, len(texts), g.f.IOStreams.Width())); err != nil {
		return "", err
	}
	// The picks of a wrong answer stay picked for the next try.
	var picked []int
	for {
		if q.Multiple() {
			is, err := g.p.MultiSelect(ask, texts, picked)
			if err != nil {
				return "", err
			}
			picked = is
		} else {
			i, err := g.p.Select(ask, texts, 0)
			if err != nil {
				return "", err
			}
			picked = []int{i}
		}
		slices.Sort(picked)
		correct := slices.Equal(picked, right)
		if err := g.s.Answer(q, correct); err != nil {
			return "", err
		}
		if correct {
			fmt.Fprintln(w, cs.SuccessBold("Right!"))
			return explanation(q), nil
		}
		fmt.Fprintln(w, cs.FailureBold(notQuite(picked, right, q.Multiple())))
		i, err := g.p.Select("What now?", []string{"Try again", "Show the answer"}, 0)
		if err != nil {
			return "", err
		}
		if i == 1 {
			var b strings.Builder
			b.WriteString("The answer:\n\n")
			for _, r := range right {
				fmt.Fprintf(&b, "- %s\n", texts[r])
			}
			return b.String() + "\n" + explanation(q), nil
		}
	}
}

// longest is the width of the widest text, in terminal cells.
func longest(texts []string) int {
	w := 0
	for _, t := range texts {
		w = max(w, runewidth.StringWidth(t))
	}
	return w
}

// shuffled is an order of n choices that depends only on seed: a learner
// sees a question's choices the same way every time, and another learner
// (or question) another way.
func shuffled(n int, seed string) []int {
	h := fnv.New64a()
	h.Write([]byte(seed))
	r := rand.New(rand.NewPCG(h.Sum64(), 0x646f636b646f6a6f))
	return r.Perm(n)
}

// notQuite says what was wrong with an answer: for several right answers,
// how many of the picks are right and wrong and how many are missing,
// without naming them.
func notQuite(picked, right []int, multiple bool) string {
	if !multiple {
		return "Not quite."
	}
	good := 0
	for _, p := range picked {
		if slices.Contains(right, p) {
			good++
		}
	}
	bad, missing := len(picked)-good, len(right)-good
	parts := []string{fmt.Sprintf("%s right", cmdutil.Plural(good, "pick"))}
	if bad > 0 {
		parts = append(parts, fmt.Sprintf("%d wrong", bad))
	}
	if missing > 0 {
		parts = append(parts, fmt.Sprintf("%d right %s not picked", missing, map[bool]string{true: "answer", false: "answers"}[missing == 1]))
	}
	return "Not quite: " + strings.Join(parts, ", ") + "."
}

// explanation is a quiz's explanation as a paragraph of its own, or "".
func explanation(q *lessons.Quiz) string {
	if strings.TrimSpace(q.Explain) == "" {
		return ""
	}
	return strings.TrimSpace(q.Explain) + "\n\n"
}

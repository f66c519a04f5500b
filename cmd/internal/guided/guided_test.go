package guided

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/creack/pty"
	"github.com/mattn/go-runewidth"

	"github.com/dockdojo/dockdojo/classroom"
	"github.com/dockdojo/dockdojo/cmd/internal/factory"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/cmd/internal/prompter"
	"github.com/dockdojo/dockdojo/content"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/progress"
	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
	"github.com/dockdojo/dockdojo/session"
)

const quizLessons = `---
format_version: 1
id: alpha
title: Alpha
summary: First.
order: 1
minutes: 5
---

# Alpha

` + "```quiz" + `
id: pick-two
question: Which two run on the host's kernel?
choices:
  - text: A container
    correct: true
  - text: A virtual machine's guest
  - text: A process
    correct: true
explain: Containers are processes of the host's kernel; a guest has a kernel of its own.
` + "```" + `

` + "```exercise" + `
id: run-it
title: Run it
goal: Run the container dojo-alpha.
flavour: host
checks:
  - kind: container_running
    container: dojo-alpha
hints: [Run it.]
solution: docker run -d --name dojo-alpha busybox:1.36 sleep 300
owns:
  containers: [dojo-alpha]
` + "```" + `
`

const betaLesson = `---
format_version: 1
id: beta
title: Beta
summary: Second.
order: 2
minutes: 5
---

# Beta

` + "```quiz" + `
id: one
question: One?
choices:
  - text: "Yes"
    correct: true
  - text: "No"
explain: One.
` + "```" + `
`

func guidedCourse(t *testing.T) *lessons.Course {
	t.Helper()
	c, err := lessons.Load(lessons.Source{FS: fstest.MapFS{
		"alpha/alpha.md": {Data: []byte(quizLessons)},
		"beta/beta.md":   {Data: []byte(betaLesson)},
	}, Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fakePrompter answers from scripted lists and records the questions. An
// answer is an option's index (int) or its text (string), so a test does
// not depend on the order choices are shown in. It checks itself: an answer
// the test scripted but the code never asked for fails the test.
type fakePrompter struct {
	prompter.Prompter
	selects []any
	multis  [][]any
	asked   []string
	// kept are the choices a menu of several answers started with picked.
	kept [][]string
}

func newFakePrompter(t *testing.T, selects []any, multis [][]any) *fakePrompter {
	p := &fakePrompter{selects: selects, multis: multis}
	t.Cleanup(func() {
		if len(p.selects)+len(p.multis) > 0 {
			t.Errorf("scripted answers never asked for: selects %v, multiple %v (asked: %q)", p.selects, p.multis, p.asked)
		}
	})
	return p
}

func pick(options []string, a any) int {
	if text, ok := a.(string); ok {
		return slices.Index(options, text)
	}
	return a.(int)
}

func (p *fakePrompter) Select(message string, options []string, def int) (int, error) {
	p.asked = append(p.asked, message)
	if len(p.selects) == 0 {
		return 0, prompter.ErrCancelled
	}
	i := pick(options, p.selects[0])
	p.selects = p.selects[1:]
	return i, nil
}

func (p *fakePrompter) SelectLive(message string, options []string, def int, _ prompter.Live) (int, error) {
	return p.Select(message, options, def)
}

func (p *fakePrompter) MultiSelect(message string, options []string, picked []int) ([]int, error) {
	p.asked = append(p.asked, message)
	var kept []string
	for _, i := range picked {
		kept = append(kept, options[i])
	}
	p.kept = append(p.kept, kept)
	if len(p.multis) == 0 {
		return nil, prompter.ErrCancelled
	}
	var is []int
	for _, a := range p.multis[0] {
		is = append(is, pick(options, a))
	}
	p.multis = p.multis[1:]
	return is, nil
}

// quizGuide is a guided flow over course c that answers with p, its
// output, and the state folder its progress file is in.
func quizGuide(t *testing.T, c *lessons.Course, p *fakePrompter) (*guide, *bytes.Buffer, string) {
	t.Helper()
	streams, _, out, _ := iostreams.Test()
	state := t.TempDir()
	f := factory.New(streams, func(k string) string {
		if k == "XDG_STATE_HOME" {
			return state
		}
		return ""
	}, t.TempDir())
	f.Course = func() (*lessons.Course, error) { return c, nil }
	s, err := f.Session()
	if err != nil {
		t.Fatal(err)
	}
	return &guide{f: f, s: s, p: p, base: context.Background(), modes: &termModes{}}, out, state
}

func TestQuizMultipleChoice(t *testing.T) {
	c := guidedCourse(t)
	p := newFakePrompter(t, []any{"Try again"}, [][]any{{"A container"}, {"A process", "A container"}})
	g, out, state := quizGuide(t, c, p)
	after, err := g.quiz(c.Lesson("alpha").Quizzes[0], "")
	if err != nil {
		t.Fatal(err)
	}
	text := out.String() + after
	for _, want := range []string{"Which two run on the host", "Not quite: 1 pick right, 1 right answer not picked.", "Right!", "Containers are processes of the host's kernel"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Index(text, "Containers are processes") < strings.Index(text, "Right!") {
		t.Errorf("the explanation came before the right answer:\n%s", text)
	}
	if !strings.Contains(p.asked[0], "more than one is right") {
		t.Errorf("a multiple-choice quiz was asked as %q", p.asked[0])
	}
	if want := [][]string{nil, {"A container"}}; !reflect.DeepEqual(p.kept, want) {
		t.Errorf("the tries started with %q picked, want %q: a wrong answer's picks are kept for the next try", p.kept, want)
	}
	st, _, err := progress.Load(filepath.Join(state, "dockdojo", "progress.json"))
	if err != nil {
		t.Fatal(err)
	}
	if q := st.Quizzes["alpha/pick-two"]; q == nil || !q.Correct || q.Attempts != 2 {
		t.Errorf("quiz progress = %+v, want right after 2 attempts", q)
	}
}

func TestQuizShowTheAnswer(t *testing.T) {
	c := guidedCourse(t)
	p := newFakePrompter(t, []any{"No", "Show the answer"}, nil)
	g, out, state := quizGuide(t, c, p)
	after, err := g.quiz(c.Lesson("beta").Quizzes[0], "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(after, "The answer:") || !strings.Contains(after, "Yes") || !strings.Contains(after, "One.") {
		t.Errorf("the answer and its explanation are not what follows the quiz:\n%s\nafter it:\n%s", out.String(), after)
	}
	st, _, _ := progress.Load(filepath.Join(state, "dockdojo", "progress.json"))
	if q := st.Quizzes["beta/one"]; q == nil || q.Correct || q.Attempts != 1 {
		t.Errorf("quiz progress = %+v, want one wrong attempt", q)
	}
}

func TestLessonMenuMarksAndContinue(t *testing.T) {
	c := guidedCourse(t)
	now := time.Now()
	for _, tc := range []struct {
		name  string
		state func(*progress.State)
		want  []string
		def   int
	}{
		{"fresh", func(*progress.State) {}, []string{"[ ] Alpha (5 min, 0/2 done)  <- continue here", "[ ] Beta (5 min, 0/1 done)", "Quit"}, 0},
		{"alpha begun", func(s *progress.State) { s.Answer("alpha/pick-two", true) },
			[]string{"[~] Alpha (5 min, 1/2 done)  <- continue here", "[ ] Beta (5 min, 0/1 done)", "Quit"}, 0},
		{"alpha done", func(s *progress.State) {
			s.Answer("alpha/pick-two", true)
			s.Exercise("alpha/run-it").Passed = now
		}, []string{"[x] Alpha (5 min, 2/2 done)", "[ ] Beta (5 min, 0/1 done)  <- continue here", "Quit"}, 1},
		{"started exercise wins", func(s *progress.State) {
			s.Answer("beta/one", false)
			s.Exercise("alpha/run-it").Started = now
			s.Answer("alpha/pick-two", true)
		}, []string{"[~] Alpha (5 min, 1/2 done)  <- continue here", "[ ] Beta (5 min, 0/1 done)", "Quit"}, 0},
		{"all done", func(s *progress.State) {
			s.Answer("alpha/pick-two", true)
			s.Exercise("alpha/run-it").Passed = now
			s.Answer("beta/one", true)
		}, []string{"[x] Alpha (5 min, 2/2 done)", "[x] Beta (5 min, 1/1 done)", "Quit"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, _, _ := progress.Load(filepath.Join(t.TempDir(), "p.json"))
			tc.state(st)
			got, def := lessonMenu(session.Measure(c, st), 80)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") || def != tc.def {
				t.Errorf("lessonMenu =\n%s\n(default %d), want\n%s\n(default %d)", strings.Join(got, "\n"), def, strings.Join(tc.want, "\n"), tc.def)
			}
		})
	}
}

// TestLessonMenuFitsTheWidth: on a terminal of 80 columns the built-in
// course's lessons show whole but for their titles, which give way to the
// progress and the "continue here" mark.
func TestLessonMenuFitsTheWidth(t *testing.T) {
	c, err := lessons.Load(lessons.Source{FS: content.FS(), Name: "content/course"})
	if err != nil {
		t.Fatal(err)
	}
	st, _, _ := progress.Load(filepath.Join(t.TempDir(), "p.json"))
	for _, width := range []int{80, 60} {
		got, def := lessonMenu(session.Measure(c, st), width)
		cut := 0
		for i, opt := range got[:len(got)-1] {
			if w := runewidth.StringWidth(opt); w > width-menuMargin {
				t.Errorf("%d columns: %q is %d wide, more than %d", width, opt, w, width-menuMargin)
			}
			if !regexp.MustCompile(`^\[ \] .+ \(\d+ min, 0/\d+ done\)`).MatchString(opt) {
				t.Errorf("%d columns: %q lost its mark or its progress", width, opt)
			}
			if strings.Contains(opt, "…") {
				cut++
			}
			if mark := strings.HasSuffix(opt, "  <- continue here"); mark != (i == def) {
				t.Errorf("%d columns: %q: continue mark %v, want %v", width, opt, mark, i == def)
			}
		}
		if cut == 0 {
			t.Errorf("%d columns: no title was cut; the test no longer tries a title too long", width)
		}
	}
}

// recordingRoom is a classroom that keeps what it is told.
type recordingRoom struct{ events []classroom.Event }

func (r *recordingRoom) Report(ev classroom.Event) { r.events = append(r.events, ev) }

// TestGuidedCheckReportsToTheClassroom: "Check my work" in the guided flow
// records the verdict and tells the classroom, as `dockdojo check` does.
func TestGuidedCheckReportsToTheClassroom(t *testing.T) {
	c := guidedCourse(t)
	eng := sandboxtest.Engine(t)
	streams, _, out, _ := iostreams.Test()
	dir := t.TempDir()
	f := factory.New(streams, func(string) string { return "" }, dir)
	room := &recordingRoom{}
	s := session.New(session.Options{
		Course:       c,
		ProgressPath: filepath.Join(dir, "progress.json"),
		Workspace:    filepath.Join(dir, "ws"),
		Room:         room,
		Connect:      func(context.Context) (*sandbox.Engine, error) { return eng, nil },
	})
	f.Session = func() (*session.Session, error) { return s, nil }
	// Start, Check, Watch, Hint, Solution, Reset, Skip, Quit: check, then quit.
	p := newFakePrompter(t, []any{1, 7}, nil)
	g := &guide{f: f, s: s, p: p, base: context.Background(), modes: &termModes{}}
	goOn, err := g.exercise(c.Lesson("alpha").Exercises[0], "")
	if err != nil || goOn {
		t.Fatalf("exercise menu = %v, %v; want to leave it by Quit", goOn, err)
	}
	if !strings.Contains(out.String(), "there is no container named dojo-alpha") {
		t.Errorf("the verdict was not shown:\n%s", out.String())
	}
	if len(room.events) != 1 || room.events[0].Kind != classroom.KindCheckFailed || room.events[0].Exercise != "alpha/run-it" {
		t.Fatalf("the classroom heard %+v, want one failed check of alpha/run-it", room.events)
	}
	st, err := s.State()
	if err != nil {
		t.Fatal(err)
	}
	if e := st.Exercises["alpha/run-it"]; e == nil || e.Checks != 1 {
		t.Errorf("progress of alpha/run-it = %+v, want one check", e)
	}
}

// TestShuffledIsStable: a learner sees a question's choices in the same
// order on every try, and the order depends on the learner and question.
func TestShuffledIsStable(t *testing.T) {
	a := shuffled(4, "/home/ada/progress.json\x00first-run/q")
	if !slices.Equal(a, shuffled(4, "/home/ada/progress.json\x00first-run/q")) {
		t.Error("the same learner and question got two orders")
	}
	firsts := map[int]bool{}
	for i := range 20 {
		firsts[shuffled(4, fmt.Sprintf("/home/learner-%d/progress.json\x00first-run/q", i))[0]] = true
	}
	if len(firsts) < 3 {
		t.Errorf("20 learners saw only %d different first choices", len(firsts))
	}
}

func TestNotQuite(t *testing.T) {
	for _, tc := range []struct {
		picked, right []int
		want          string
	}{
		{[]int{0}, []int{0, 2}, "Not quite: 1 pick right, 1 right answer not picked."},
		{[]int{0, 1}, []int{0, 2}, "Not quite: 1 pick right, 1 wrong, 1 right answer not picked."},
		{[]int{0, 1, 2}, []int{0, 2}, "Not quite: 2 picks right, 1 wrong."},
		{nil, []int{0, 2}, "Not quite: 0 picks right, 2 right answers not picked."},
	} {
		if got := notQuite(tc.picked, tc.right, true); got != tc.want {
			t.Errorf("notQuite(%v, %v) = %q, want %q", tc.picked, tc.right, got, tc.want)
		}
	}
}

// TestLessonEditedMeanwhile: a lesson served from the course cache reads
// its prose when it is read; if its author moved its quizzes meanwhile,
// the flow says so and goes back to the lesson's menu instead of ending.
func TestLessonEditedMeanwhile(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	file := filepath.Join(dir, "beta", "beta.md")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(betaLesson), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := lessons.Folder(dir)
	if err != nil {
		t.Fatal(err)
	}
	var c *lessons.Course
	for range 2 { // parsed, then served from the cache
		if c, err = lessons.LoadCached(cache, src); err != nil {
			t.Fatal(err)
		}
	}
	quiz := betaLesson[strings.Index(betaLesson, "```quiz"):]
	edited := strings.Replace(betaLesson, "# Beta\n", "# Beta\n\n"+strings.Replace(quiz, "id: one", "id: zero", 1)+"\n", 1)
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	p := newFakePrompter(t, []any{"Read the lesson from the start"}, nil)
	g, _, _ := quizGuide(t, c, p)
	streams := g.f.IOStreams
	errOut := &bytes.Buffer{}
	streams.ErrOut = errOut
	if err := g.lesson(c.Lessons[0]); err != nil {
		t.Fatalf("the flow ended: %v", err)
	}
	if !strings.Contains(errOut.String(), "has changed since dockdojo started") {
		t.Errorf("no word of the edited lesson; the learner was told %q", errOut.String())
	}
	if n := len(p.asked); n != 2 {
		t.Errorf("%d menus asked (%q), want the lesson's menu again after the message", n, p.asked)
	}
}

// TestQuizExplanationHeadsTheNextPage: a right answer's explanation is the
// first thing on the page of the prose after the quiz, so that a pager
// drawing that prose does not push it off the screen unread.
func TestQuizExplanationHeadsTheNextPage(t *testing.T) {
	long := strings.Repeat("More to read about the kernel.\n\n", 40)
	lesson := strings.Replace(quizLessons, "\n```exercise", "\n"+long+"```exercise", 1)
	c, err := lessons.Load(lessons.Source{FS: fstest.MapFS{"alpha/alpha.md": {Data: []byte(lesson)}}, Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("open a pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 12, Cols: 80}); err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, ptmx) }()
	pages := filepath.Join(t.TempDir(), "pages")
	p := newFakePrompter(t, nil, [][]any{{"A process", "A container"}})
	g, _, _ := quizGuide(t, c, p)
	streams := g.f.IOStreams
	streams.InTTY, streams.OutTTY, streams.OutFd = true, true, tty.Fd()
	getenv := g.f.Getenv
	g.f.Getenv = func(k string) string {
		if k == "DOCKDOJO_PAGER" {
			return `cat >> '` + pages + `'; echo '=== end of page' >> '` + pages + `'`
		}
		return getenv(k)
	}
	l := c.Lesson("alpha")
	from := slices.IndexFunc(l.Parts, func(p lessons.Part) bool { return p.Quiz != nil })
	// Reading stops at the exercise's menu, which the prompter leaves.
	if _, err := g.read(l, from); err != nil && !errors.Is(err, prompter.ErrCancelled) {
		t.Fatal(err)
	}
	data, err := os.ReadFile(pages)
	if err != nil {
		t.Fatalf("nothing was paged: %v", err)
	}
	page, _, _ := strings.Cut(string(data), "=== end of page")
	first := strings.TrimSpace(page)
	if !strings.HasPrefix(first, "Containers are processes of the host's kernel") || !strings.Contains(page, "More to read about the kernel.") {
		t.Errorf("the page after the quiz does not begin with its explanation:\n%s", page)
	}
}

// TestQuizLongChoicesAreWrittenOut: choices wider than the terminal's menu
// are written out in full above it, lettered, and the menu names them by
// letter; short ones are a plain menu.
func TestQuizLongChoicesAreWrittenOut(t *testing.T) {
	long := "A whole computer, from firmware (BIOS/UEFI, TPM) and hardware up, on which it boots a kernel of its own"
	lesson := strings.Replace(betaLesson, `  - text: "Yes"`, `  - text: "`+long+`"`, 1)
	c, err := lessons.Load(lessons.Source{FS: fstest.MapFS{"beta/beta.md": {Data: []byte(lesson)}}, Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	p := &lettered{fakePrompter: newFakePrompter(t, nil, nil), want: long}
	g, out, _ := quizGuide(t, c, p.fakePrompter)
	g.p = p
	if _, err := g.quiz(c.Lesson("beta").Quizzes[0], ""); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(out.String()), " ")
	if !strings.Contains(text, "on which it boots a kernel of its own") {
		t.Errorf("the long choice is not written out in full:\n%s", out.String())
	}
	if len(p.options) != 2 || !strings.HasPrefix(p.options[0], "A. ") || !strings.HasPrefix(p.options[1], "B. ") {
		t.Errorf("menu options = %q, want them lettered", p.options)
	}
	if !strings.Contains(out.String(), "Right!") {
		t.Errorf("the right answer, picked by its letter, was not told right:\n%s", out.String())
	}
}

// lettered answers a quiz with the option that holds want, and keeps the
// options it was offered.
type lettered struct {
	*fakePrompter
	want    string
	options []string
}

func (p *lettered) Select(message string, options []string, def int) (int, error) {
	p.options = options
	return slices.IndexFunc(options, func(o string) bool { return strings.Contains(o, p.want) }), nil
}

package prompter

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/core"
	"github.com/AlecAivazis/survey/v2/terminal"
	"github.com/mattn/go-runewidth"
)

// TestMenusFitTheTerminal: a menu's question keeps survey's help on the
// keys only where both fit on one line, with room for what the learner
// types to filter the menu, and the answered question, with its answer,
// fits one line too.
func TestMenusFitTheTerminal(t *testing.T) {
	const width = 80
	config := &survey.PromptConfig{Icons: survey.IconSet{Question: survey.Icon{Text: "?"}, SelectFocus: survey.Icon{Text: ">"}}}
	render := func(t *testing.T, tmpl string, data any) string {
		t.Helper()
		_, layout, err := core.RunTemplate(tmpl, data)
		if err != nil {
			t.Fatal(err)
		}
		return layout
	}
	long := "Virtualization, virtual machines and containers"
	answer := "[ ] Virtualization, virtual machines an… (20 min, 0/6 done)  <- continue here"
	for _, tc := range []struct {
		menu     menu
		message  string
		wantHelp bool
	}{
		{selectMenu, "Which lesson?", true},
		{selectMenu, long, false},
		{selectMenu, "What now, with a filter typed?", false},
		{multiSelectMenu, "Pick:", false},
	} {
		tmpl := tc.menu.template(tc.message, width)
		var asking, answered any
		switch tc.menu.tmpl {
		case &survey.SelectQuestionTemplate:
			// The learner has typed to filter the menu.
			asking = survey.SelectTemplateData{Select: survey.Select{Message: tc.message, FilterMessage: " publish-pag"}, Config: config}
			answered = survey.SelectTemplateData{Select: survey.Select{Message: tc.message}, Config: config, ShowAnswer: true, Answer: answer}
		default:
			asking = survey.MultiSelectTemplateData{MultiSelect: survey.MultiSelect{Message: tc.message}, Config: config}
			answered = survey.MultiSelectTemplateData{MultiSelect: survey.MultiSelect{Message: tc.message}, Config: config, ShowAnswer: true, Answer: answer + ", " + answer}
		}
		question, _, _ := strings.Cut(render(t, tmpl, asking), "\n")
		if got := strings.Contains(question, "[Use arrows to move"); got != tc.wantHelp {
			t.Errorf("%q: help on the keys shown %v, want %v: %q", tc.message, got, tc.wantHelp, question)
		}
		for _, line := range []string{question, strings.TrimSuffix(render(t, tmpl, answered), "\n")} {
			if w := runewidth.StringWidth(line); w >= width || strings.Contains(line, "\n") {
				t.Errorf("%q: a line of %d cells on a terminal of %d: %q", tc.message, w, width, line)
			}
		}
	}
	// Without the fitting, survey's own templates write the same lines
	// longer than the terminal: the test above could fail.
	if _, layout, _ := core.RunTemplate(selectMenu.std, survey.SelectTemplateData{Select: survey.Select{Message: long}, Config: config}); runewidth.StringWidth(strings.Split(layout, "\n")[0]) < width {
		t.Errorf("survey's own select template fits %q on one line: the help is no longer where helpRE finds it?", long)
	}
	for _, m := range []menu{selectMenu, multiSelectMenu} {
		if bare := helpRE.ReplaceAllString(m.std, ""); bare == m.std || strings.Count(m.std, answerField) != 1 {
			t.Errorf("survey's template changed: the help or the answer is no longer where the fitting finds it:\n%s", m.std)
		}
	}
}

// TestOptionsFitTheTerminal: each option, as survey draws it after its
// marks ("> " in a menu, "> [ ]  " in a menu of several answers), fits
// one line of the terminal.
func TestOptionsFitTheTerminal(t *testing.T) {
	const width = 80
	long := "docker compose down, which stops and removes the project's containers and networks, but not its named volumes"
	config := &survey.PromptConfig{Icons: survey.IconSet{
		Question: survey.Icon{Text: "?"}, SelectFocus: survey.Icon{Text: ">"},
		MarkedOption: survey.Icon{Text: "[x]"}, UnmarkedOption: survey.Icon{Text: "[ ]"},
	}}
	for _, tc := range []struct {
		name   string
		tmpl   string
		prefix int
		data   func(opts []core.OptionAnswer) any
	}{
		{"select", survey.SelectQuestionTemplate, selectPrefix, func(opts []core.OptionAnswer) any {
			return survey.SelectTemplateData{Select: survey.Select{Message: "Pick"}, PageEntries: opts, SelectedIndex: 0, Config: config}
		}},
		{"multi-select", survey.MultiSelectQuestionTemplate, multiSelectPrefix, func(opts []core.OptionAnswer) any {
			return survey.MultiSelectTemplateData{MultiSelect: survey.MultiSelect{Message: "Pick"}, PageEntries: opts, SelectedIndex: 0, Checked: map[int]bool{}, Config: config}
		}},
	} {
		fitted := fitOptions([]string{long, "short"}, width-tc.prefix-1)
		_, layout, err := core.RunTemplate(tc.tmpl, tc.data(core.OptionAnswerList(fitted)))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(layout, "\n")[1:] {
			if w := runewidth.StringWidth(line); w >= width {
				t.Errorf("%s: an option of %d cells on a terminal of %d: %q", tc.name, w, width, line)
			}
		}
	}
}

// bufferOut is a terminal.FileWriter that is no terminal: 80 columns.
type bufferOut struct{ strings.Builder }

func (b *bufferOut) Fd() uintptr { return ^uintptr(0) }

// TestLongQuestionsAreSplit: a question too long to leave room for its
// answer on one line is printed first, up to its last clause, which is
// asked; a question without a short last clause is printed whole, and
// asked in the words of a menu: a lesson's title over its menu, at 60
// columns, is no quiz to answer.
func TestLongQuestionsAreSplit(t *testing.T) {
	for _, tt := range []struct{ message, printed, asked string }{
		{"Virtualization, virtual machines and containers and a good deal more besides",
			"Virtualization, virtual machines and containers and a good deal more besides\n", "Which one?"},
		{"Which lesson?", "", "Which lesson?"},
		{"Two containers that know each other's name (networks/resolve-by-name): what now?",
			"Two containers that know each other's name (networks/resolve-by-name):\n", "What now?"},
		{"A question that goes on and on without any clause to stop at, long past the end of the line",
			"A question that goes on and on without any clause to stop at, long past the end\nof the line\n", "Which one?"},
	} {
		out := &bufferOut{}
		asked := Survey{Out: out}.split(tt.message, answerRoom, "Which one?")
		if asked != tt.asked || out.String() != tt.printed {
			t.Errorf("split(%q) printed %q and asked %q; want %q and %q", tt.message, out.String(), asked, tt.printed, tt.asked)
		}
	}
}

// filterConfig is survey's configuration as far as the menus' filter
// needs it: an option matches what is typed when it contains it, in any
// case.
func filterConfig() *survey.PromptConfig {
	return &survey.PromptConfig{Filter: func(filter, value string, _ int) bool {
		return strings.Contains(strings.ToLower(value), strings.ToLower(filter))
	}}
}

// TestFilterMovesTheCursor: in a menu of one answer, the cursor goes to the
// first option that matches what is typed, wherever it was, and stays
// where the arrows put it among the matches.
func TestFilterMovesTheCursor(t *testing.T) {
	config := filterConfig()
	options := []string{"Start", "Check my work", "Watch: re-check live", "Hint"}
	for _, tc := range []struct {
		name string
		keys string
		want string
	}{
		{"from the row of the first match", "\x0echeck", "Check my work"},
		{"from a row below the matches", "\x0e\x0e\x0echeck", "Check my work"},
		{"the arrows among the matches", "check\x0e", "Watch: re-check live"},
		{"a letter taken back", "checkx\x7f", "Check my work"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &filterSelect{Select: survey.Select{Options: options}}
			for _, r := range tc.keys {
				if r == '\x0e' {
					r = terminal.KeyArrowDown
				}
				s.key(r, config)
			}
			if got := s.matches(s.Options, config)[s.cursor].Value; got != tc.want {
				t.Errorf("after %q the cursor is on %q, want %q", tc.keys, got, tc.want)
			}
		})
	}
}

// TestMultiFilterMovesTheCursor: in a menu of several answers too, the
// cursor goes to the first option that matches what is typed; space picks
// the option under it, clears the filter and leaves the cursor on that
// option; the picks given start picked.
func TestMultiFilterMovesTheCursor(t *testing.T) {
	config := filterConfig()
	options := []string{"The root filesystem", "The kernel", "The hostname", "The CPU, handed out by that kernel"}
	up, down := string(terminal.KeyArrowUp), string(terminal.KeyArrowDown)
	right, left := string(terminal.KeyArrowRight), string(terminal.KeyArrowLeft)
	for _, tc := range []struct {
		name       string
		keys       string
		start      []int
		want       string
		wantPicked []int
	}{
		{"from the last row", up + "kernel", nil, "The kernel", nil},
		{"space picks the one under the cursor, which stays on it", up + "kernel ", nil, "The kernel", []int{1}},
		{"then down moves in the whole menu", up + "kernel " + down, nil, "The hostname", []int{1}},
		{"right picks every match", "kernel" + right, []int{0}, "The kernel", []int{0, 1, 3}},
		{"left drops them", "kernel" + left, []int{0, 3}, "The kernel", []int{0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &filterMultiSelect{MultiSelect: survey.MultiSelect{Options: options}, picked: map[int]bool{}}
			for _, i := range tc.start {
				s.picked[i] = true
			}
			for _, r := range tc.keys {
				s.key(r, config)
			}
			if got := s.matches(s.Options, config)[s.cursor].Value; got != tc.want {
				t.Errorf("after %q the cursor is on %q, want %q", tc.keys, got, tc.want)
			}
			var picked []int
			for i := range options {
				if s.picked[i] {
					picked = append(picked, i)
				}
			}
			if !slices.Equal(picked, tc.wantPicked) {
				t.Errorf("after %q the picks are %v, want %v", tc.keys, picked, tc.wantPicked)
			}
		})
	}
}

// TestLiveMenuRefresh: a menu whose options change while it waits takes
// them, and its cursor goes to their new default until the learner has
// pressed a key; after, it stays where the learner put it.
func TestLiveMenuRefresh(t *testing.T) {
	config := filterConfig()
	before := []string{"Start", "Check my work", "Skip: go on", "Quit"}
	after := []string{"Start", "Check my work", "Next: go on", "Quit"}
	for _, tc := range []struct {
		name string
		keys string
		want string
	}{
		{"untouched, the cursor goes to the new default", "", "Next: go on"},
		{"moved, the cursor stays", string(terminal.KeyArrowDown), "Check my work"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &filterSelect{Select: survey.Select{Options: before}, live: Live{Options: func() ([]string, int, bool) { return after, 2, true }}}
			for _, r := range tc.keys {
				s.key(r, config)
			}
			if !s.refresh(config) || !slices.Equal(s.Options, after) {
				t.Fatalf("the menu did not take the new options: %q", s.Options)
			}
			if got := s.matches(s.Options, config)[s.cursor].Value; got != tc.want {
				t.Errorf("the cursor is on %q, want %q", got, tc.want)
			}
			if s.refresh(config) {
				t.Error("options that did not change were drawn again")
			}
		})
	}
}

// TestPlain: on a dumb terminal, options are numbered lines and the answer
// a line typed back; a wrong one is asked again, Enter takes the default,
// and the end of input is a cancellation.
func TestPlain(t *testing.T) {
	var out strings.Builder
	p := NewPlain(strings.NewReader("9\n2\n\n3, 1 3\n\nmaybe\ny\n"), &out)
	if i, err := p.Select("Which?", []string{"a", "b", "c"}, 0); i != 1 || err != nil {
		t.Errorf("Select = %d, %v; want 1", i, err)
	}
	if i, err := p.Select("Which?", []string{"a", "b", "c"}, 2); i != 2 || err != nil {
		t.Errorf("Select with Enter = %d, %v; want the default, 2", i, err)
	}
	if is, err := p.MultiSelect("Which?", []string{"a", "b", "c"}, nil); !slices.Equal(is, []int{2, 0}) || err != nil {
		t.Errorf("MultiSelect = %v, %v; want [2 0]", is, err)
	}
	if is, err := p.MultiSelect("Which?", []string{"a", "b", "c"}, []int{2, 0}); !slices.Equal(is, []int{2, 0}) || err != nil {
		t.Errorf("MultiSelect with Enter = %v, %v; want the picks kept, [2 0]", is, err)
	}
	if ok, err := p.Confirm("Sure?", false); !ok || err != nil {
		t.Errorf("Confirm = %v, %v; want true", ok, err)
	}
	if _, err := p.Select("Which?", []string{"a"}, 0); !errors.Is(err, ErrCancelled) {
		t.Errorf("Select at the end of input: %v, want ErrCancelled", err)
	}
	for _, want := range []string{"  1. a\n", "Type a number from 1 to 3.", "Type y or n.", "Enter for 3 1"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the questions lack %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "\x1b") {
		t.Errorf("an escape sequence: %q", out.String())
	}
}

// Package prompter asks the learner questions in the terminal. It keeps
// survey (archived upstream) behind one small interface so that it can be
// swapped.
package prompter

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/core"
	"github.com/AlecAivazis/survey/v2/terminal"
	"github.com/mattn/go-runewidth"
	"golang.org/x/term"

	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
)

// ErrCancelled is returned when the learner presses Ctrl-C at a question.
var ErrCancelled = errors.New("cancelled")

// Prompter asks questions. Every method returns ErrCancelled when the
// learner presses Ctrl-C, after the terminal has been put back as it was.
type Prompter interface {
	// Confirm asks a yes/no question.
	Confirm(message string, def bool) (bool, error)
	// Select asks for one of options, starting on def, and returns its index.
	Select(message string, options []string, def int) (int, error)
	// SelectLive asks as Select does, with options that live may change
	// while the menu waits: the index is in the options it last showed.
	SelectLive(message string, options []string, def int, live Live) (int, error)
	// MultiSelect asks for any of options, those in picked picked at
	// first, and returns their indexes.
	MultiSelect(message string, options []string, picked []int) ([]int, error)
}

// Live is a menu's options where they may change while it is asked: the
// guided flow's menu of an exercise says "Next" once the exercise is done,
// even when it was checked in another terminal meanwhile.
type Live struct {
	// Changed receives when the options may have changed: the menu asks
	// Options again, and is drawn again where they did. The cursor then
	// goes to the new def, unless the learner has pressed a key.
	Changed <-chan struct{}
	// Options are the options now, and the one to start on; ok false
	// keeps the menu as it is.
	Options func() (options []string, def int, ok bool)
}

// maxPageSize is how many options a menu shows at once; longer ones scroll.
const maxPageSize = 12

// Survey asks through survey on the given terminal streams.
type Survey struct {
	In  terminal.FileReader
	Out terminal.FileWriter
	Err interface{ Write([]byte) (int, error) }
}

func (s Survey) opts() []survey.AskOpt {
	return []survey.AskOpt{survey.WithStdio(s.In, s.Out, s.Err)}
}

func cancelled(err error) error {
	if errors.Is(err, terminal.InterruptErr) {
		return ErrCancelled
	}
	return err
}

// width is the terminal's width, 80 when it cannot be told.
func (s Survey) width() int {
	if w, _, err := term.GetSize(int(s.Out.Fd())); err == nil && w > 0 {
		return w
	}
	return 80
}

// fit cuts options to the terminal's width, after what survey writes
// before each (prefix cells): survey draws each on one line, and a line
// the terminal wraps breaks words and leaves stale text behind when the
// menu is redrawn.
func (s Survey) fit(options []string, prefix int) []string {
	return fitOptions(options, s.width()-prefix-1) // and the last column
}

// Before each option, survey writes "> " in a menu, and "> [ ]  " in a
// menu of several answers.
const (
	selectPrefix      = 2
	multiSelectPrefix = 7
)

// fitOptions cuts each option to room cells, with "…".
func fitOptions(options []string, room int) []string {
	out := make([]string, len(options))
	for i, o := range options {
		out[i] = o
		if r := []rune(o); room > 10 && runewidth.StringWidth(o) > room {
			out[i] = runewidth.Truncate(string(r), room, "…")
		}
	}
	return out
}

// Confirm asks a yes/no question. A question too long for one line is
// split (see split).
func (s Survey) Confirm(message string, def bool) (bool, error) {
	ok := def
	message = s.split(message, len(" (y/N) ")+4, "Yes or no?")
	err := survey.AskOne(&survey.Confirm{Message: message, Default: def}, &ok, s.opts()...)
	return ok, cancelled(err)
}

// answerRoom is the least room a menu's question leaves on its line for
// the answer, once it is given.
const answerRoom = 24

// split fits a question to one line of the terminal with room cells to
// spare after it (see splitQuestion), printing what goes before the menu;
// ask is what is asked when no last part of the question fits.
func (s Survey) split(message string, room int, ask string) string {
	printed, asked := splitQuestion(message, room, s.width(), ask)
	if printed != "" {
		fmt.Fprintln(s.Out, printed)
	}
	return asked
}

// splitQuestion fits a question to one line of a terminal w cells wide
// with room cells to spare after it: a longer one is printed first,
// wrapped at spaces, up to its last sentence or clause ("Two containers…
// (networks/resolve-by-name):"), and that last part is asked ("what
// now?"); where there is none short enough, the whole question is printed
// and ask asked, in the words of the kind of question: "Which one?" for a
// menu of one answer, where "Your answer?" would read as a quiz's (a
// lesson's menu asks with its title alone); "Your answer?" for a menu of
// several, which only quizzes ask.
func splitQuestion(message string, room, w int, ask string) (printed, asked string) {
	fits := func(m string) bool { return runewidth.StringWidth(m)+2+room < w }
	if fits(message) {
		return "", message
	}
	for i := len(message) - 2; i > 0; i-- {
		if message[i] != ' ' || !strings.ContainsRune(":?.", rune(message[i-1])) {
			continue
		}
		if head, tail := message[:i], message[i+1:]; fits(tail) {
			r, n := utf8.DecodeRuneInString(tail)
			return iostreams.WrapWidth(head, w-1, 0), string(unicode.ToUpper(r)) + tail[n:]
		}
		break // the last clause is too long itself
	}
	return iostreams.WrapWidth(message, w-1, 0), ask
}

// MenuRows is how many rows of a terminal width cells wide a menu (Select
// or MultiSelect) of n options takes while it is asked: the lines of a
// long question printed before it, the question's line and the options it
// shows at once. The guided flow keeps them free below the text it shows
// before a menu.
func MenuRows(message string, n, width int) int {
	printed, _ := splitQuestion(message, answerRoom, width, "")
	rows := 1 + min(n, maxPageSize)
	if printed != "" {
		rows += iostreams.ScreenRows(printed, width)
	}
	return rows
}

// Select asks for one of options and returns its index.
func (s Survey) Select(message string, options []string, def int) (int, error) {
	return s.SelectLive(message, options, def, Live{})
}

// SelectLive asks for one of options, drawn again when live changes them.
func (s Survey) SelectLive(message string, options []string, def int, live Live) (int, error) {
	var i int
	if def < 0 || def >= len(options) {
		def = 0
	}
	message = s.split(message, answerRoom, "Which one?")
	if live.Options != nil {
		changed := live.Options
		live.Options = func() ([]string, int, bool) {
			options, def, ok := changed()
			return s.fit(options, selectPrefix), def, ok && len(options) > 0
		}
	}
	q := &filterSelect{Select: survey.Select{Message: message, Options: s.fit(options, selectPrefix), Default: def, PageSize: min(len(options), maxPageSize)}, live: live}
	err := s.ask(q, &i, selectMenu, message)
	return i, cancelled(err)
}

// MultiSelect asks for any of options, those in picked picked at first,
// and returns their indexes.
func (s Survey) MultiSelect(message string, options []string, picked []int) ([]int, error) {
	var is []int
	message = s.split(message, answerRoom, "Your answer?")
	q := &filterMultiSelect{MultiSelect: survey.MultiSelect{Message: message, Options: s.fit(options, multiSelectPrefix), Default: picked, PageSize: min(len(options), maxPageSize)}}
	err := s.ask(q, &is, multiSelectMenu, message)
	return is, cancelled(err)
}

// A menu of survey's is drawn from a template: the question, its own help
// on the keys ("[Use arrows to move, type to filter]") on the same line,
// then the options; once answered, the question and the answer, on one
// line too. At each question the template is fitted to the terminal's
// width, so that neither line is broken by the terminal mid-word: where the
// help does not fit after the question it is left out (the guided flow
// tells the keys when it begins), and the answer gives way with "…".
var (
	selectMenu = menu{
		tmpl: &survey.SelectQuestionTemplate, help: "[Use arrows to move, type to filter]"}
	multiSelectMenu = menu{
		tmpl: &survey.MultiSelectQuestionTemplate, help: "[Use arrows to move, space to select, <right> to all, <left> to none, type to filter]"}
)

// menu is a kind of survey menu: its template as survey has it, and the
// help on the keys it writes (its longest form).
type menu struct {
	tmpl *string
	std  string
	help string
}

// helpRE is the help in survey's templates: one line, from the two spaces
// after the question to the colour's reset.
var helpRE = regexp.MustCompile(`\{\{- "  "\}\}\{\{- color "cyan"\}\}\[Use arrows to move.*\{\{color "reset"\}\}`)

// filterRoom is what the help leaves free on the question's line for what
// the learner types to filter the menu, which survey writes after the
// question.
const filterRoom = 12

// answerField is where survey's templates write the answer.
const answerField = "{{.Answer}}"

func init() {
	for _, m := range []*menu{&selectMenu, &multiSelectMenu} {
		m.std = *m.tmpl
	}
	// cut is the answer fitted to a width: the templates run with these.
	cut := func(s string, width int) string { return runewidth.Truncate(s, width, "…") }
	core.TemplateFuncsWithColor["cut"] = cut
	core.TemplateFuncsNoColor["cut"] = cut
}

// template is the menu's template for message on a terminal of width cells.
func (m menu) template(message string, width int) string {
	t := m.std
	room := width - 1 - 2 - runewidth.StringWidth(message) - 1 // the last column, "? ", the question, " "
	if runewidth.StringWidth(m.help)+1+filterRoom > room {
		t = helpRE.ReplaceAllString(t, "")
	}
	if room >= 10 {
		t = strings.Replace(t, answerField, fmt.Sprintf("{{cut .Answer %d}}", room), 1)
	}
	return t
}

// ask asks q, a menu of this kind, fitted to the terminal.
func (s Survey) ask(q survey.Prompt, v any, m menu, message string) error {
	*m.tmpl = m.template(message, s.width())
	defer func() { *m.tmpl = m.std }()
	return survey.AskOne(q, v, s.opts()...)
}

package prompter

import (
	"slices"
	"sync"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/core"
	"github.com/AlecAivazis/survey/v2/terminal"
)

// menuFilter is what the learner typed to filter a menu, and the cursor
// among the options that match it: when the filter changes, the cursor
// goes to the first option that matches. survey keeps the cursor's row
// instead, so that with the cursor on "Check my work", typing "check" left
// it on the second match, "Watch: re-check…", and Enter ran the watch.
type menuFilter struct {
	typed  string
	cursor int // in the options that match
}

// matches are the options that match the filter, with their index in the
// whole menu.
func (f *menuFilter) matches(options []string, config *survey.PromptConfig) []core.OptionAnswer {
	all := core.OptionAnswerList(options)
	if f.typed == "" {
		return all
	}
	var out []core.OptionAnswer
	for _, o := range all {
		if config.Filter(f.typed, o.Value, o.Index) {
			out = append(out, o)
		}
	}
	return out
}

// key takes a key that moves the cursor among n matches or edits the
// filter.
func (f *menuFilter) key(r rune, n int) {
	typed := f.typed
	switch {
	case r == terminal.KeyArrowUp && n > 0:
		f.cursor = (f.cursor + n - 1) % n
	case (r == terminal.KeyArrowDown || r == terminal.KeyTab) && n > 0:
		f.cursor = (f.cursor + 1) % n
	case r == terminal.KeyDeleteWord || r == terminal.KeyDeleteLine:
		f.typed = ""
	case r == terminal.KeyDelete || r == terminal.KeyBackspace:
		if t := []rune(f.typed); len(t) > 0 {
			f.typed = string(t[:len(t)-1])
		}
	case r >= terminal.KeySpace:
		f.typed += string(r)
	}
	if f.typed != typed {
		f.cursor = 0
	}
}

// message is the filter as survey's templates show it after the question.
func (f *menuFilter) message() string {
	if f.typed == "" {
		return ""
	}
	return " " + f.typed
}

// keyed is a menu of ours: survey's terminal, our keys and drawing.
type keyed interface {
	NewCursor() *terminal.Cursor
	NewRuneReader() *terminal.RuneReader
	draw(config *survey.PromptConfig) error
	// key takes one key; done reports that the menu is answered.
	key(r rune, config *survey.PromptConfig) (done bool)
}

// rawMu is held while a menu makes the terminal raw to read keys, and for
// good once Hold is called.
var rawMu sync.Mutex

// Hold keeps every menu from making the terminal raw from now on: a
// process that leaves on a signal calls it before it puts the terminal
// back, so that a menu drawn a moment before cannot make it raw again
// after that, and leave it so. A menu that would waits for ever.
func Hold() { rawMu.Lock() }

// read draws m and takes keys until it is answered, as survey's menus do.
// Each time changed receives, while a key is awaited, refresh is called
// and, where it reports a change, m is drawn again.
func read(m keyed, config *survey.PromptConfig, changed <-chan struct{}, refresh func() bool) error {
	cursor := m.NewCursor()
	_ = cursor.Save()
	_ = cursor.Hide()
	defer func() { _ = cursor.Show() }()
	defer func() { _ = cursor.Restore() }()
	// mu keeps a key and a change from drawing at once.
	var mu sync.Mutex
	mu.Lock()
	defer mu.Unlock()
	if err := m.draw(config); err != nil {
		return err
	}
	if changed != nil {
		done := make(chan struct{})
		// Under mu: once read returns, nothing draws any more.
		defer close(done)
		go func() {
			for {
				select {
				case <-done:
					return
				case <-changed:
				}
				mu.Lock()
				select {
				case <-done:
				default:
					if refresh() {
						_ = m.draw(config)
					}
				}
				mu.Unlock()
			}
		}()
	}
	rr := m.NewRuneReader()
	rawMu.Lock()
	_ = rr.SetTermMode()
	rawMu.Unlock()
	defer func() { _ = rr.RestoreTermMode() }()
	for {
		mu.Unlock()
		r, _, err := rr.ReadRune()
		mu.Lock()
		if err != nil {
			return err
		}
		if r == terminal.KeyInterrupt {
			return terminal.InterruptErr
		}
		if r == terminal.KeyEndTransmission || m.key(r, config) {
			return nil
		}
		if err := m.draw(config); err != nil {
			return err
		}
	}
}

// filterSelect is survey's menu of one answer, drawn with its template,
// except that the cursor follows what the learner types (menuFilter), and
// that its options may change while it is asked (live).
type filterSelect struct {
	survey.Select
	menuFilter
	live Live
	// touched is set by the first key: from then on the cursor stays
	// where the learner put it when the options change.
	touched bool
}

var _ survey.Prompt = (*filterSelect)(nil)

func (s *filterSelect) key(r rune, config *survey.PromptConfig) (done bool) {
	s.touched = true
	options := s.matches(s.Options, config)
	if r == terminal.KeyEnter || r == '\n' {
		return len(options) > 0
	}
	s.menuFilter.key(r, len(options))
	return false
}

// draw draws the menu as survey's Select does.
func (s *filterSelect) draw(config *survey.PromptConfig) error {
	s.FilterMessage = s.message()
	page, at := paginate(s.PageSize, s.matches(s.Options, config), s.cursor)
	return s.RenderWithCursorOffset(survey.SelectQuestionTemplate, survey.SelectTemplateData{
		Select: s.Select, SelectedIndex: at, PageEntries: page, Config: config,
	}, page, at)
}

// Prompt asks the question and returns the option picked, a
// core.OptionAnswer, as survey's Select does.
func (s *filterSelect) Prompt(config *survey.PromptConfig) (any, error) {
	if def, ok := s.Default.(int); ok {
		s.cursor = def
	}
	var changed <-chan struct{}
	if s.live.Options != nil {
		changed = s.live.Changed
	}
	refresh := func() bool { return s.refresh(config) }
	if err := read(s, config, changed, refresh); err != nil {
		return nil, err
	}
	options := s.matches(s.Options, config)
	s.typed, s.FilterMessage = "", ""
	if len(options) == 0 {
		options = core.OptionAnswerList(s.Options)
	}
	return options[min(s.cursor, len(options)-1)], nil
}

// refresh takes the options live has now; it reports whether they changed.
func (s *filterSelect) refresh(config *survey.PromptConfig) bool {
	options, def, ok := s.live.Options()
	if !ok || slices.Equal(options, s.Options) {
		return false
	}
	s.Options, s.PageSize = options, min(len(options), maxPageSize)
	if !s.touched {
		s.cursor = def
	}
	s.cursor = min(s.cursor, max(len(s.matches(options, config))-1, 0))
	return true
}

// filterMultiSelect is survey's menu of several answers, drawn with its
// template, with the cursor of menuFilter: space picks the option under
// the cursor (or drops it), right picks every option that matches, left
// drops them; each clears the filter and leaves the cursor on the option
// it was on, where survey left it on that row of the whole menu. The
// options in Default ([]int) start picked.
type filterMultiSelect struct {
	survey.MultiSelect
	menuFilter
	picked map[int]bool
}

var _ survey.Prompt = (*filterMultiSelect)(nil)

func (s *filterMultiSelect) key(r rune, config *survey.PromptConfig) (done bool) {
	options := s.matches(s.Options, config)
	switch {
	case r == terminal.KeyEnter || r == '\n':
		return true
	case r == terminal.KeySpace && s.cursor < len(options):
		o := options[s.cursor]
		s.picked[o.Index] = !s.picked[o.Index]
	case (r == terminal.KeyArrowRight || r == terminal.KeyArrowLeft) && s.cursor < len(options):
		for _, o := range options {
			s.picked[o.Index] = r == terminal.KeyArrowRight
		}
	default:
		s.menuFilter.key(r, len(options))
		return false
	}
	// The filter is cleared: the cursor stays on its option, in the
	// whole menu.
	s.typed, s.cursor = "", options[s.cursor].Index
	return false
}

// draw draws the menu as survey's MultiSelect does.
func (s *filterMultiSelect) draw(config *survey.PromptConfig) error {
	s.FilterMessage = s.message()
	page, at := paginate(s.PageSize, s.matches(s.Options, config), s.cursor)
	return s.RenderWithCursorOffset(survey.MultiSelectQuestionTemplate, survey.MultiSelectTemplateData{
		MultiSelect: s.MultiSelect, SelectedIndex: at, Checked: s.picked, PageEntries: page, Config: config,
	}, page, at)
}

// Prompt asks the question and returns the options picked, in the menu's
// order, as survey's MultiSelect does.
func (s *filterMultiSelect) Prompt(config *survey.PromptConfig) (any, error) {
	s.picked = map[int]bool{}
	if def, ok := s.Default.([]int); ok {
		for _, i := range def {
			s.picked[i] = true
		}
	}
	if err := read(s, config, nil, nil); err != nil {
		return nil, err
	}
	s.typed, s.FilterMessage = "", ""
	answers := []core.OptionAnswer{}
	for _, o := range core.OptionAnswerList(s.Options) {
		if s.picked[o.Index] {
			answers = append(answers, o)
		}
	}
	return answers, nil
}

// paginate is the page of choices around the cursor sel, pageSize long,
// and where the cursor is on it, as survey pages its menus.
func paginate(pageSize int, choices []core.OptionAnswer, sel int) ([]core.OptionAnswer, int) {
	switch {
	case len(choices) < pageSize || sel < pageSize/2:
		return choices[:min(pageSize, len(choices))], sel
	case len(choices)-sel-1 < pageSize/2:
		start := len(choices) - pageSize
		return choices[start:], sel - start
	}
	start := sel - pageSize/2
	return choices[start : start+pageSize], pageSize / 2
}

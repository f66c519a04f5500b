package prompter

import (
	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/core"
	"github.com/AlecAivazis/survey/v2/terminal"
)

// filterSelect is survey's menu of one answer, drawn with its template,
// except that the cursor follows what the learner types: when the filter
// changes, the cursor goes to the first option that matches. survey keeps
// the cursor's row instead, so that with the cursor on "Check my work",
// typing "check" left it on the second match, "Watch: re-check…", and
// Enter ran the watch.
type filterSelect struct {
	survey.Select
	filter string
	cursor int // in the filtered options
}

var _ survey.Prompt = (*filterSelect)(nil)

// matches are the options that match the filter, with their index in the
// whole menu.
func (s *filterSelect) matches(config *survey.PromptConfig) []core.OptionAnswer {
	all := core.OptionAnswerList(s.Options)
	if s.filter == "" {
		return all
	}
	var out []core.OptionAnswer
	for _, o := range all {
		if config.Filter(s.filter, o.Value, o.Index) {
			out = append(out, o)
		}
	}
	return out
}

// key takes one key; done reports Enter on an option.
func (s *filterSelect) key(r rune, config *survey.PromptConfig) (done bool) {
	options := s.matches(config)
	filter := s.filter
	switch {
	case r == terminal.KeyEnter || r == '\n':
		return len(options) > 0
	case r == terminal.KeyArrowUp && len(options) > 0:
		s.cursor = (s.cursor + len(options) - 1) % len(options)
	case (r == terminal.KeyArrowDown || r == terminal.KeyTab) && len(options) > 0:
		s.cursor = (s.cursor + 1) % len(options)
	case r == terminal.KeyDeleteWord || r == terminal.KeyDeleteLine:
		s.filter = ""
	case r == terminal.KeyDelete || r == terminal.KeyBackspace:
		if f := []rune(s.filter); len(f) > 0 {
			s.filter = string(f[:len(f)-1])
		}
	case r >= terminal.KeySpace:
		s.filter += string(r)
	}
	if s.filter != filter {
		s.cursor = 0
	}
	return false
}

// draw draws the menu as survey's Select does.
func (s *filterSelect) draw(config *survey.PromptConfig) error {
	s.FilterMessage = ""
	if s.filter != "" {
		s.FilterMessage = " " + s.filter
	}
	page, at := paginate(s.PageSize, s.matches(config), s.cursor)
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
	cursor := s.NewCursor()
	_ = cursor.Save()
	_ = cursor.Hide()
	defer func() { _ = cursor.Show() }()
	defer func() { _ = cursor.Restore() }()
	if err := s.draw(config); err != nil {
		return nil, err
	}
	rr := s.NewRuneReader()
	_ = rr.SetTermMode()
	defer func() { _ = rr.RestoreTermMode() }()
	for {
		r, _, err := rr.ReadRune()
		if err != nil {
			return nil, err
		}
		if r == terminal.KeyInterrupt {
			return nil, terminal.InterruptErr
		}
		if r == terminal.KeyEndTransmission || s.key(r, config) {
			break
		}
		if err := s.draw(config); err != nil {
			return nil, err
		}
	}
	options := s.matches(config)
	s.filter, s.FilterMessage = "", ""
	if len(options) == 0 {
		options = core.OptionAnswerList(s.Options)
	}
	return options[min(s.cursor, len(options)-1)], nil
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

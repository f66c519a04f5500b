// Package prompter asks the learner questions in the terminal. It keeps
// survey (archived upstream) behind one small interface so that it can be
// swapped.
package prompter

import (
	"errors"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"
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
	// MultiSelect asks for any of options and returns their indexes.
	MultiSelect(message string, options []string) ([]int, error)
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

// Confirm asks a yes/no question.
func (s Survey) Confirm(message string, def bool) (bool, error) {
	ok := def
	err := survey.AskOne(&survey.Confirm{Message: message, Default: def}, &ok, s.opts()...)
	return ok, cancelled(err)
}

// Select asks for one of options and returns its index.
func (s Survey) Select(message string, options []string, def int) (int, error) {
	var i int
	if def < 0 || def >= len(options) {
		def = 0
	}
	q := &survey.Select{Message: message, Options: options, Default: options[def], PageSize: min(len(options), maxPageSize)}
	err := survey.AskOne(q, &i, s.opts()...)
	return i, cancelled(err)
}

// MultiSelect asks for any of options and returns their indexes.
func (s Survey) MultiSelect(message string, options []string) ([]int, error) {
	var is []int
	q := &survey.MultiSelect{Message: message, Options: options, PageSize: min(len(options), maxPageSize)}
	err := survey.AskOne(q, &is, s.opts()...)
	return is, cancelled(err)
}

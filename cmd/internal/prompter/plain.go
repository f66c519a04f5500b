package prompter

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Plain asks on a terminal that cannot move its cursor (TERM=dumb): the
// options numbered, one a line, and a line typed back, with no escape
// sequence written. An end of input (Ctrl-D) is ErrCancelled.
type Plain struct {
	in  *bufio.Reader
	out io.Writer
}

// NewPlain asks on out and reads the answers from in.
func NewPlain(in io.Reader, out io.Writer) *Plain {
	return &Plain{in: bufio.NewReader(in), out: out}
}

var _ Prompter = (*Plain)(nil)

// line asks with prompt and reads one line, without its end.
func (p *Plain) line(prompt string) (string, error) {
	fmt.Fprint(p.out, prompt)
	s, err := p.in.ReadString('\n')
	if errors.Is(err, io.EOF) && s == "" {
		fmt.Fprintln(p.out)
		return "", ErrCancelled
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimSpace(s), nil
}

// Confirm asks a yes/no question.
func (p *Plain) Confirm(message string, def bool) (bool, error) {
	hint := "y/N"
	if def {
		hint = "Y/n"
	}
	for {
		s, err := p.line(fmt.Sprintf("%s (%s) ", message, hint))
		if err != nil {
			return false, err
		}
		switch strings.ToLower(s) {
		case "":
			return def, nil
		case "y", "yes":
			return true, nil
		case "n", "no":
			return false, nil
		}
		fmt.Fprintln(p.out, "Type y or n.")
	}
}

// list writes the message and the options, numbered from 1.
func (p *Plain) list(message string, options []string) {
	fmt.Fprintln(p.out, message)
	for i, o := range options {
		fmt.Fprintf(p.out, "%3d. %s\n", i+1, o)
	}
}

// number is the option the word s names by its number, or -1.
func number(s string, n int) int {
	i, err := strconv.Atoi(s)
	if err != nil || i < 1 || i > n {
		return -1
	}
	return i - 1
}

// Select asks for one of options, def when the learner only presses Enter.
func (p *Plain) Select(message string, options []string, def int) (int, error) {
	if def < 0 || def >= len(options) {
		def = 0
	}
	p.list(message, options)
	for {
		s, err := p.line(fmt.Sprintf("Number (1-%d, Enter for %d): ", len(options), def+1))
		if err != nil {
			return 0, err
		}
		if s == "" {
			return def, nil
		}
		if i := number(s, len(options)); i >= 0 {
			return i, nil
		}
		fmt.Fprintf(p.out, "Type a number from 1 to %d.\n", len(options))
	}
}

// SelectLive asks as Select does: lines once written are not drawn
// again, so the options stay as they were.
func (p *Plain) SelectLive(message string, options []string, def int, _ Live) (int, error) {
	return p.Select(message, options, def)
}

// MultiSelect asks for any of options, by their numbers; Enter alone
// keeps picked.
func (p *Plain) MultiSelect(message string, options []string, picked []int) ([]int, error) {
	p.list(message, options)
	keep := ""
	if len(picked) > 0 {
		numbers := make([]string, len(picked))
		for i, n := range picked {
			numbers[i] = strconv.Itoa(n + 1)
		}
		keep = fmt.Sprintf(", Enter for %s", strings.Join(numbers, " "))
	}
	for {
		s, err := p.line(fmt.Sprintf("Numbers (1-%d, separated by spaces%s): ", len(options), keep))
		if err != nil {
			return nil, err
		}
		if s == "" && len(picked) > 0 {
			return picked, nil
		}
		var picked []int
		for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' }) {
			i := number(w, len(options))
			if i < 0 {
				picked = nil
				break
			}
			if !slices.Contains(picked, i) {
				picked = append(picked, i)
			}
		}
		if len(picked) > 0 {
			return picked, nil
		}
		fmt.Fprintf(p.out, "Type one number or more, from 1 to %d.\n", len(options))
	}
}

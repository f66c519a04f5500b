package checker

import (
	"fmt"
	"strings"
)

// Text is what a file must hold: the fields that the kinds which read a
// file (VolumeFile, WorkspaceFile) share. Each field given must hold.
type Text struct {
	Contains string   `yaml:"contains"` // the file contains this text
	Matches  string   `yaml:"matches"`  // the file matches this regular expression
	Equals   *string  `yaml:"equals"`   // the file holds exactly this text; "" for an empty file
	Lines    []string `yaml:"lines"`    // the file has these lines, in this order; others may come between
}

// given reports whether any field asks something of what the file holds.
func (t Text) given() bool {
	return t.Contains != "" || t.Matches != "" || t.Equals != nil || len(t.Lines) > 0
}

func (t Text) validate(l *Lint) {
	l.regexp("matches", t.Matches)
	if l.Given["lines"] && len(t.Lines) == 0 {
		l.Errorf("lines", "lines is empty: list the lines the file must have, in their order")
	}
	for _, line := range t.Lines {
		switch {
		case strings.TrimSpace(line) == "":
			l.Errorf("lines", "lines has an empty entry: each entry is a line the file must have, with some text on it")
		case strings.ContainsAny(line, "\r\n"):
			l.Errorf("lines", "lines entry %q holds a line break: give each line as an entry of its own", line)
		}
	}
}

// judge compares what a file holds with what is expected; what names the
// file in messages ("note.txt in volume dojo-data"), title is the check's
// own title in the lesson, if it has one.
func (t Text) judge(what, title string, data []byte) (string, error) {
	// A file saved on Windows, or the logs of a container run with -t (a
	// terminal ends its lines with \r\n), holds the same lines.
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	if t.Contains != "" && !strings.Contains(text, t.Contains) {
		return fmt.Sprintf("%s does not contain %s; %s", what, quote(t.Contains), holds(text)), nil
	}
	if t.Matches != "" {
		re, err := compile("matches", t.Matches)
		if err != nil {
			return "", err
		}
		if !re.MatchString(text) {
			want := describePattern("a file", t.Matches)
			if title != "" && want == asPattern("a file", t.Matches) {
				// A pattern not said in words is said in the lesson's
				// words, the check's title: the learner did not write the
				// regular expression and need not read it.
				want = "that " + title
			}
			return fmt.Sprintf("%s is not as expected: expected %s; %s", what, want, holds(text)), nil
		}
	}
	if t.Equals != nil {
		if line, same := sameText(data, []byte(*t.Equals)); !same {
			return fmt.Sprintf("%s is not the expected text: it differs from line %d on; %s", what, line, holds(text)), nil
		}
	}
	if msg := linesInOrder(text, t.Lines); msg != "" {
		return fmt.Sprintf("%s %s; %s", what, msg, holds(text)), nil
	}
	return "", nil
}

// linesInOrder says how the text misses the lines want, in their order
// (other lines may come between), or "" when it has them. Lines are
// compared whole, apart from white space at their ends.
func linesInOrder(text string, want []string) string {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		lines = append(lines, strings.TrimSpace(l))
	}
	find := func(w string, from int) int {
		for i := from; i < len(lines); i++ {
			if lines[i] == w {
				return i
			}
		}
		return -1
	}
	at := -1 // the line where the previous wanted line was found
	for i, w := range want {
		w = strings.TrimSpace(w)
		if next := find(w, at+1); next >= 0 {
			at = next
			continue
		}
		if i == 0 || find(w, 0) < 0 {
			return "has no line " + quote(w)
		}
		return fmt.Sprintf("has no line %s after line %d (%s): the lines must come in this order", quote(w), at+1, quoteShort(lines[at]))
	}
	return ""
}

// holds says what a file holds, cut to a length a message can carry.
func holds(text string) string {
	if strings.TrimSpace(text) == "" {
		return "it is empty"
	}
	return "it holds " + quoteShort(text)
}

package lessons

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/dockdojo/dockdojo/internal/nearmiss"
)

// Error is one mistake in a lesson file.
type Error struct {
	Pos Pos
	Msg string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// ErrorList is every mistake found, in file and line order. Parsing and
// loading return it as their error so that an author sees all of them at once.
type ErrorList []*Error

func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

func (l *ErrorList) add(p Pos, format string, args ...any) {
	*l = append(*l, &Error{Pos: p, Msg: fmt.Sprintf(format, args...)})
}

// Sort orders the list by file, line and column.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Err returns the list as an error, sorted and without repeats (a mistake
// in YAML that is used twice through an alias is reported once), or nil when
// it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return slices.CompactFunc(l, func(a, b *Error) bool { return *a == *b })
}

// suggest returns ` (did you mean "x"?)` for the closest candidate, or "".
func suggest(word string, candidates []string) string {
	return nearmiss.DidYouMean(word, candidates)
}

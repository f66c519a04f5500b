// Package nearmiss recognises a name that is nearly, and not exactly, the
// one meant: a typo in a lesson's field ("flavor" for "flavour"), a
// learner's container named dojo_web where the exercise asks for dojo-web.
// Nearness is the edit distance between whole names, never a part of one:
// web is not a near miss of web-server.
package nearmiss

import (
	"fmt"

	"github.com/agnivade/levenshtein"
)

// Closest returns the first candidate nearest to want when it is near
// enough to be a slip: at most 2 edits away, 1 for a name of 4 letters or
// less. want itself is never a near miss of itself; "" means none is near.
func Closest(want string, candidates []string) string {
	best, bestDist := "", 3
	if len(want) <= 4 {
		bestDist = 2
	}
	for _, c := range candidates {
		if c == want {
			continue
		}
		if d := levenshtein.ComputeDistance(want, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// DidYouMean is ` (did you mean "x"?)`, to end a message about word, for
// the candidate Closest finds, or "" when none is near.
func DidYouMean(word string, candidates []string) string {
	if best := Closest(word, candidates); best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// Package nearmiss recognises a name that is nearly, and not exactly, the
// one meant: a typo in a lesson's field ("flavor" for "flavour"), a
// learner's container named dojo_web where the exercise asks for dojo-web.
// Nearness is the edit distance between whole names, never a part of one:
// web is not a near miss of web-server.
package nearmiss

import "fmt"

// Closest returns the first candidate nearest to want when it is near
// enough to be a slip: at most 2 edits away, 1 for a name of 4 letters or
// less. An edit is a letter added, removed or changed, or two letters side
// by side swapped (see Distance). want itself is never a near miss of
// itself; "" means none is near.
func Closest(want string, candidates []string) string {
	best, bestDist := "", 3
	if len(want) <= 4 {
		bestDist = 2
	}
	for _, c := range candidates {
		if c == want {
			continue
		}
		if d := Distance(want, c); d < bestDist {
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

// Distance is the number of edits that turn a into b: a letter added,
// removed or changed, or two neighbouring letters swapped, each one edit
// (the optimal string alignment distance). The swap is the commonest slip
// of a typing hand ("nmae" for "name"), and counted as two edits, as a
// plain edit distance does, it put a short name out of reach.
func Distance(a, b string) int {
	s, t := []rune(a), []rune(b)
	// d[i][j] is the distance between s[:i] and t[:j]; three rows are kept.
	prev2, prev, cur := make([]int, len(t)+1), make([]int, len(t)+1), make([]int, len(t)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(s); i++ {
		cur[0] = i
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(t)]
}

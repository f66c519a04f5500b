// Package shellquote spells argument lists as command lines that a learner
// can copy into a POSIX shell and get the same arguments back: what
// dockdojo shows of a command, whether a check ran it or the learner is to
// type it.
package shellquote

import "strings"

// plain are the characters a shell reads as part of a word and nothing
// else: a word made only of them needs no quotes.
const plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:=+,@%-"

// Quote quotes one argument when a shell needs it: a plain word stays as
// it is; any other is put in single quotes, or, when it holds a single
// quote and nothing a shell expands inside double quotes, in double quotes,
// which read better than a single quote closed, escaped and opened again.
func Quote(s string) string {
	switch {
	case s != "" && strings.Trim(s, plain) == "":
		return s
	case !strings.Contains(s, "'"):
		return "'" + s + "'"
	case !strings.ContainsAny(s, "\"$`\\!"):
		return `"` + s + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Join spells a command line that a shell reads back as args.
func Join(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = Quote(a)
	}
	return strings.Join(quoted, " ")
}

package checker

import "regexp/syntax"

// describePattern says in a learner's words what output (or what file,
// with noun "a file") a pattern asks for, to follow "expected": when the
// pattern is one literal text, anchored or not, it is said in words
// (`output that reads exactly "bash"`, `output with a line that reads
// "coreutils"`, `no output`); any other pattern is quoted as a pattern.
func describePattern(noun, expr string) string {
	nothing := "no output"
	if noun != "output" {
		nothing = "an empty file"
	}
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return asPattern(noun, expr)
	}
	subs := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		subs = re.Sub
	}
	var begin, end, line, word bool
	if len(subs) > 0 {
		switch subs[0].Op {
		case syntax.OpBeginText:
			begin, subs = true, subs[1:]
		case syntax.OpBeginLine:
			begin, line, subs = true, true, subs[1:]
		}
	}
	if n := len(subs); n > 0 {
		switch subs[n-1].Op {
		case syntax.OpEndText:
			end, subs = true, subs[:n-1]
		case syntax.OpEndLine:
			end, line, subs = true, true, subs[:n-1]
		}
	}
	if n := len(subs); n >= 2 && subs[0].Op == syntax.OpWordBoundary && subs[n-1].Op == syntax.OpWordBoundary {
		word, subs = true, subs[1:n-1]
	}
	var text string
	switch {
	case len(subs) == 0:
	case len(subs) == 1 && subs[0].Op == syntax.OpLiteral && subs[0].Flags&syntax.FoldCase == 0:
		text = string(subs[0].Rune)
	default:
		return asPattern(noun, expr)
	}
	// A text that ends the output may end its last line too: ^bash\n$ is
	// "bash" and nothing else.
	if end && !line && len(text) > 0 && text[len(text)-1] == '\n' {
		text = text[:len(text)-1]
	}
	q := quote(text)
	switch {
	case word && !begin && !end:
		return noun + " containing " + q + " as a whole word"
	case text == "" && begin && end && !line:
		return nothing
	case text == "":
		return asPattern(noun, expr)
	case begin && end && line:
		return noun + " with a line that reads " + q
	case begin && end:
		return noun + " that reads exactly " + q
	case begin && line:
		return noun + " with a line that starts with " + q
	case begin:
		return noun + " that starts with " + q
	case end && line:
		return noun + " with a line that ends with " + q
	case end:
		return noun + " that ends with " + q
	case word:
		return asPattern(noun, expr)
	}
	return noun + " containing " + q
}

// asPattern is what describePattern says of a pattern it cannot say in
// words: the pattern itself.
func asPattern(noun, expr string) string { return noun + " matching the pattern " + expr }

package lessons

import "strings"

// FollowUp is the lesson's text right after the exercise, up to the next
// heading: what to try once it passes ("Open http://localhost:8080 ...",
// "docker history ..."). It is "" when a new section follows at once.
func (e *Exercise) FollowUp() string {
	l := e.Lesson
	if l.LoadProse() != nil {
		return "" // the follow-up is a nicety; the lesson's own command says what is wrong
	}
	for i, p := range l.Parts {
		if p.Exercise != e {
			continue
		}
		if i+1 >= len(l.Parts) || l.Parts[i+1].Prose == "" {
			return ""
		}
		var b strings.Builder
		for _, line := range strings.SplitAfter(strings.TrimLeft(l.Parts[i+1].Prose, "\n"), "\n") {
			if strings.HasPrefix(line, "#") && !inFence(b.String()) {
				break
			}
			b.WriteString(line)
		}
		return strings.TrimSpace(b.String())
	}
	return ""
}

// inFence reports whether text ends inside a fenced code block.
func inFence(text string) bool {
	n := 0
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			n++
		}
	}
	return n%2 == 1
}

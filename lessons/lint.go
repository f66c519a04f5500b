package lessons

import (
	"bytes"
	"fmt"
	"path"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/dockdojo/dockdojo/checker"
)

// Problem is one finding of Lint about a lesson file.
type Problem struct {
	Pos Pos
	Msg string
	// Warning marks a lesson that works but falls short of what a good one
	// does (one hint only, no wrong attempts); the rest are mistakes that
	// keep the course from loading.
	Warning bool
}

func (p Problem) String() string {
	if p.Warning {
		return p.Pos.String() + ": warning: " + p.Msg
	}
	return p.Pos.String() + ": " + p.Msg
}

// Lint loads the sources as Load does and returns the course with every
// problem of every file, in file and line order: the mistakes Load reports,
// and warnings about what a lesson lacks to be a good one. They are:
//
//   - fewer than two hints: a learner who is stuck gets the nudge and the
//     answer at once;
//   - no wrong attempts, or one that does not say what the learner is told:
//     nothing proves the checks reject a plausible mistake with a useful
//     message;
//   - two checks of an exercise with the same title: the learner's
//     checklist cannot tell them apart;
//   - a negated check whose title is its kind's own title, which names what
//     must not be: the checklist would tick it off when it is not so;
//   - a check without a title whose kind's own title says only where it
//     looks (exec, script, image_run, dockerfile): the checklist would not
//     say what it looks for;
//   - a prerequisite that the course lists after the lesson, or the lesson
//     itself: a learner following the course meets the lesson first;
//   - a Markdown file that is no lesson (NotLessons): it is left out.
func Lint(sources ...Source) (*Course, []Problem) {
	c, err := Load(sources...)
	var problems []Problem
	if list, ok := err.(ErrorList); ok {
		for _, e := range list {
			problems = append(problems, Problem{Pos: e.Pos, Msg: e.Msg})
		}
	} else if err != nil {
		problems = append(problems, Problem{Msg: err.Error()})
	}
	for _, l := range c.Lessons {
		problems = append(problems, lintLesson(l)...)
	}
	for _, file := range c.NotLessons {
		problems = append(problems, Problem{Pos: Pos{File: file, Line: 1, Col: 1}, Warning: true,
			Msg: "not a lesson, so left out of the course: it has no front matter, and no exercise or quiz; if it is a lesson, start it with a line \"---\", its fields (format_version, id, title, summary), and another \"---\"; " + keepNotLesson})
	}
	problems = append(problems, lintPrerequisites(c)...)
	slices.SortStableFunc(problems, func(a, b Problem) int {
		switch {
		case a.Pos.File != b.Pos.File:
			return strings.Compare(a.Pos.File, b.Pos.File)
		case a.Pos.Line != b.Pos.Line:
			return a.Pos.Line - b.Pos.Line
		}
		return a.Pos.Col - b.Pos.Col
	})
	return c, problems
}

// lintPrerequisites warns of each prerequisite that does not come before
// its lesson in the course's order (a cycle is one of them).
func lintPrerequisites(c *Course) []Problem {
	place := map[string]int{}
	for i, l := range c.Lessons {
		place[l.ID] = i
	}
	var problems []Problem
	for i, l := range c.Lessons {
		for j, pre := range l.Prerequisites {
			at, ok := place[pre]
			if !ok || at < i {
				continue
			}
			pos := Pos{File: l.File, Line: 1}
			if j < len(l.prereqPos) {
				pos = l.prereqPos[j]
			}
			msg := fmt.Sprintf("prerequisite %q comes after this lesson in the course (order %d, this lesson's %d), so a learner meets this lesson first: give %q a smaller order, or this lesson a larger one", pre, c.Lessons[at].Order, l.Order, pre)
			if pre == l.ID {
				msg = "the lesson lists itself as a prerequisite: remove it"
			}
			problems = append(problems, Problem{Pos: pos, Msg: msg, Warning: true})
		}
	}
	return problems
}

// notAList reports whether v is a value given where a list goes that is
// none: fields, or text. Load reported it as a mistake; a warning that
// the list is missing would contradict it.
func notAList(v *yaml.Node) bool {
	return v != nil && (v.Kind == yaml.MappingNode || v.Kind == yaml.ScalarNode && v.Tag != "!!null")
}

// lintLesson finds the warnings of one lesson. Positions come from the YAML
// of each exercise block, read again from the file.
func lintLesson(l *Lesson) []Problem {
	var src []byte
	if l.FS != nil {
		src, _ = readLesson(l.FS, path.Join(l.Dir, path.Base(l.File)))
	}
	var errs ErrorList
	p := &parser{file: l.File, errs: &errs}
	var problems []Problem
	warn := func(pos Pos, format string, args ...any) {
		problems = append(problems, Problem{Pos: pos, Msg: fmt.Sprintf(format, args...), Warning: true})
	}
	for _, ex := range l.Exercises {
		root, base := blockYAML(src, ex.Pos.Line)
		at := func(key string) Pos {
			if mapValue(root, key) == nil {
				return ex.Pos
			}
			return p.keyPos(root, key, base)
		}
		if len(ex.Hints) == 1 {
			warn(at("hints"), "only one hint: give at least two, from a nudge to a near-answer, so that a learner who is stuck is not handed the answer at once")
		}
		if len(ex.Wrong) == 0 && !notAList(mapValue(root, "wrong")) {
			warn(ex.Pos, "no wrong attempts: add \"wrong:\" with a mistake a learner would plausibly make, and the self-test proves the checks reject it")
		}
		for i, w := range ex.Wrong {
			if strings.TrimSpace(w.Says) == "" && strings.TrimSpace(w.Script) != "" {
				what := fmt.Sprintf("wrong attempt %q", w.Name)
				if strings.TrimSpace(w.Name) == "" {
					what = "this wrong attempt"
				}
				warn(itemOr(p, root, "wrong", i, base, ex.Pos), "%s does not say what the learner is told: add \"says:\" with words of the message the first failing check must give", what)
			}
		}
		lintTitles(ex, warn)
		for i, c := range ex.Checks {
			at := ex.Pos
			if i < len(ex.checkPos) {
				at = ex.checkPos[i]
			}
			if c.WantsTitle() {
				warn(at, "this %s check has no title, and its kind's own says only where it looks (%q): add \"title:\" saying what it looks for, in the learner's words and without giving the answer away (e.g. \"where-am-i.txt names the container's own OS\")", c.Kind, c.TitleText())
			}
			if copiedNegatedTitle(c) {
				if item := nthItem(mapValue(root, "checks"), i); mapValue(item, "title") != nil {
					at = p.keyPos(item, "title", base)
				}
				warn(at, "this check is negated (not: true), but its title %q is its kind's own title, which names what must not be so; the checklist shows a title as written, and would tick this one off when it is not so: write what must be true instead, in the learner's words, or remove the title (the checklist then shows \"not: %s\")", c.Title, c.Spec.Title())
			}
		}
	}
	return problems
}

// lintTitles warns about two checks of an exercise with one title: the
// learner's checklist would show the same line twice, and could not tell
// which of them still fails.
func lintTitles(ex *Exercise, warn func(Pos, string, ...any)) {
	first := map[string]int{}
	for i, c := range ex.Checks {
		title := c.TitleText()
		if title == "" {
			continue // a check of no kind, an error of its own
		}
		j, seen := first[title]
		if !seen {
			first[title] = i
			continue
		}
		pos := ex.Pos
		if i < len(ex.checkPos) {
			pos = ex.checkPos[i]
		}
		line := ex.Pos.Line
		if j < len(ex.checkPos) {
			line = ex.checkPos[j].Line
		}
		warn(pos, "this check's title %q is the title of the check on line %d too: give each its own with \"title:\", what it looks for in the learner's words (without giving the answer away)", title, line)
	}
}

// copiedNegatedTitle reports a negated check whose title is its kind's own
// title, which says what the check looks for and so what must not be: the
// checklist shows a title as written, and would tick it off when it is not
// so. A title that merely reads positively in other words is not judged.
func copiedNegatedTitle(c checker.Check) bool {
	if !c.Not || c.Spec == nil {
		return false
	}
	title := strings.TrimSuffix(strings.TrimSpace(c.Title), ".")
	return title != "" && strings.EqualFold(title, c.Spec.Title())
}

// itemOr is the position of the i-th item of the list under key, or def.
func itemOr(p *parser, root *yaml.Node, key string, i, base int, def Pos) Pos {
	if root == nil || nthItem(mapValue(root, key), i) == nil {
		return def
	}
	return p.itemPos(root, key, i, base)
}

// blockYAML parses the YAML of the fenced block that opens on line fence of
// src, and returns its top mapping and the line its first line is on. It
// returns nil when the block cannot be read; warnings then point at the
// fence.
func blockYAML(src []byte, fence int) (*yaml.Node, int) {
	lines := bytes.SplitAfter(src, []byte("\n"))
	if fence < 1 || fence > len(lines) {
		return nil, 0
	}
	var body []byte
	for _, ln := range lines[fence:] {
		t := strings.TrimSpace(string(ln))
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			break
		}
		body = append(body, ln...)
	}
	var doc yaml.Node
	if yaml.Unmarshal(body, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, 0
	}
	return doc.Content[0], fence + 1
}

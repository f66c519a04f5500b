package lessons

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// An exercise may continue another: step 2 of a scenario changes what step
// 1 built. It names the earlier exercise in "continues", and then
//
//   - shares its workspace folder (the first exercise of the chain's), so
//     the learner goes on with the files they made;
//   - starts from the state it leaves: `dockdojo start` looks whether the
//     earlier exercise's checks pass, and offers to run its reference
//     solution when they do not;
//   - is self-tested after the reference solutions of the exercises it
//     continues, run in order.
//
// The earlier exercise comes before it in the course, so chains have an
// end and the course reads in the order they run.

// Earlier is the exercise this one continues, or nil.
func (e *Exercise) Earlier() *Exercise { return e.earlier }

// Chain lists the exercises this one continues, the first of the chain
// first and the one it continues directly last; nil when it continues none.
func (e *Exercise) Chain() []*Exercise {
	var chain []*Exercise
	for ex := e.earlier; ex != nil; ex = ex.earlier {
		chain = append(chain, ex)
	}
	slices.Reverse(chain)
	return chain
}

// First is the exercise the chain of e starts with: e itself when it
// continues none. Its workspace folder is the chain's.
func (e *Exercise) First() *Exercise {
	if chain := e.Chain(); len(chain) > 0 {
		return chain[0]
	}
	return e
}

// validateContinues checks the form of continues, where it is written;
// what it names is looked up once the course is loaded.
func (p *parser) validateContinues(ex *Exercise, n *yaml.Node, base int) {
	if mapValue(n, "continues") == nil || p.badValue(n, "continues", base) {
		return
	}
	pos := p.keyPos(n, "continues", base)
	lesson, id, cut := strings.Cut(ex.Continues, "/")
	if !cut {
		lesson, id = "", lesson
	}
	switch {
	case strings.TrimSpace(ex.Continues) == "":
		p.errs.add(pos, "continues is empty: name the exercise this one goes on from, as LESSON/EXERCISE or EXERCISE of this lesson")
	case !slugRE.MatchString(id) || cut && !slugRE.MatchString(lesson):
		p.errs.add(pos, "continues %q: name an exercise as LESSON/EXERCISE, or EXERCISE of this lesson", ex.Continues)
	default:
		// Only a well-formed name is looked up in the course.
		ex.continuesPos = pos
	}
}

// resolveContinues finds the exercise each continues names, which must
// come before it in the course, and reports what cannot work.
func (c *Course) resolveContinues() ErrorList {
	var errs ErrorList
	all := c.Exercises()
	index := map[*Exercise]int{}
	for i, ex := range all {
		index[ex] = i
	}
	for _, ex := range all {
		if ex.Continues == "" || ex.continuesPos.File == "" {
			continue
		}
		key := ex.Continues
		if !strings.Contains(key, "/") {
			key = ex.Lesson.ID + "/" + key
		}
		earlier, err := c.Exercise(key)
		switch {
		case err != nil:
			// The exercise itself is often the nearest name, and
			// never one it may continue.
			others := slices.DeleteFunc(exerciseKeys(all), func(k string) bool { return k == ex.Key() })
			errs.add(ex.continuesPos, "continues %q names no exercise of the course%s; write LESSON/EXERCISE, or EXERCISE of this lesson", ex.Continues, suggest(key, others))
			continue
		case earlier == ex:
			errs.add(ex.continuesPos, "an exercise cannot continue itself: name the exercise before it whose state it goes on from")
			continue
		case earlier.Lesson.source != ex.Lesson.source:
			errs.add(ex.continuesPos, "continues %s, an exercise of another lesson folder (%s): a chain shares its workspace folder, its sandboxes' volumes and networks, and runs the earlier reference solutions, so it stays within one folder; continue an exercise of this folder, or copy the lesson here", earlier.Key(), earlier.Lesson.File)
			continue
		case index[earlier] > index[ex]:
			errs.add(ex.continuesPos, "continues %s, which comes after it in the course: an exercise goes on from one that comes before it (move the block, or the lesson's order)", earlier.Key())
			continue
		}
		ex.earlier = earlier
	}
	// Starter files land in the chain's one workspace folder, and a file
	// already there is the learner's: a later exercise's starter file of
	// the same name would never be seeded.
	for _, ex := range all {
		for i, w := range ex.Workspace {
			for _, before := range ex.Chain() {
				if !slices.Contains(before.Workspace, w) {
					continue
				}
				pos := ex.Pos
				if i < len(ex.workspacePos) {
					pos = ex.workspacePos[i]
				}
				errs.add(pos, "workspace file %q is a starter file of %s too, which this exercise continues in the same workspace folder: the learner's copy is kept, so this one would never be seeded; leave it out (the learner goes on with theirs) or give it another name", w, before.Key())
				break
			}
		}
	}
	return errs
}

func exerciseKeys(all []*Exercise) []string {
	keys := make([]string, len(all))
	for i, ex := range all {
		keys[i] = ex.Key()
	}
	return keys
}

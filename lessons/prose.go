package lessons

import (
	"errors"
	"fmt"
	"slices"
)

// ErrChanged is LoadProse's error for a lesson file whose exercises or
// quizzes moved since the course was loaded.
var ErrChanged = errors.New("changed since the course was loaded: its exercises or quizzes moved")

// LoadProse makes sure the lesson's parts of prose hold their text. A
// lesson from the course cache comes without it: list, check and start
// never show it, and it is the largest part of the cache (without it, the
// cache file of 1,000 lessons is 18.5 MB, not 25.7). LoadProse then reads
// the lesson's file again and takes the text from it, once. A file whose
// exercises and quizzes moved since the course was loaded is an error: its
// prose would not belong with the exercises loaded; an edit of the prose
// alone is simply read. It is not safe to call from two goroutines at once.
func (l *Lesson) LoadProse() error {
	if !l.proseLater {
		return nil
	}
	src, problem := readLesson(l.FS, l.name)
	if problem != "" {
		return fmt.Errorf("%s: %s", l.File, problem)
	}
	fresh, errs := parse(src, l.File)
	if err := errs.Err(); err != nil || !sameParts(fresh.Parts, l.Parts, fresh, l) {
		return fmt.Errorf("%s %w; run the command again", l.File, ErrChanged)
	}
	for i := range l.Parts {
		l.Parts[i].Prose = fresh.Parts[i].Prose
	}
	l.proseLater = false
	return nil
}

// sameParts reports whether two readings of a lesson have the same parts:
// prose, exercises and quizzes in the same places, the exercises and
// quizzes with the same ids.
func sameParts(a, b []Part, la, lb *Lesson) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		switch {
		case (a[i].Exercise == nil) != (b[i].Exercise == nil), (a[i].Quiz == nil) != (b[i].Quiz == nil):
			return false
		case a[i].Exercise != nil && (a[i].Exercise.ID != b[i].Exercise.ID ||
			slices.Index(la.Exercises, a[i].Exercise) != slices.Index(lb.Exercises, b[i].Exercise)):
			return false
		case a[i].Quiz != nil && a[i].Quiz.ID != b[i].Quiz.ID:
			return false
		}
	}
	return true
}

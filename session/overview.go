package session

import (
	"time"

	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/progress"
)

// Overview is the learner's progress through the course, and the one rule
// for what counts: an exercise is done once its checks have all passed, a
// quiz once its last answer was right, and a lesson's items are its
// exercises and its quizzes, in reading order. `list`, `progress`,
// `progress --summary`, the guided menus and the classroom all read it;
// the classroom's dashboard, which hears each answer (Answer), counts
// quizzes by the same rule.
type Overview struct {
	Lessons []LessonProgress
	// Continue is the index of the lesson to go on with: the first lesson
	// with something left to do, from the lesson of the exercise started
	// last on (so a learner in the middle of a lesson goes on with it, and
	// one who has finished it with the next), then from the start; -1 when
	// everything is done.
	Continue int
	// Current is the exercise of the course started last, nil when none
	// was.
	Current *lessons.Exercise
	// Elsewhere is the key of the exercise started last of all, when it is
	// not in this course (its lesson folder was not given this time).
	Elsewhere string
}

// LessonProgress is one lesson's part of the Overview.
type LessonProgress struct {
	Lesson    *lessons.Lesson
	Items     []Item // exercises and quizzes, in reading order
	Exercises Count
	Quizzes   Count
}

// Count is how many of some items are done.
type Count struct{ Done, Total int }

// Add sums two counts.
func (c Count) Add(o Count) Count { return Count{c.Done + o.Done, c.Total + o.Total} }

// All is every item of the lesson, exercises and quizzes together.
func (l LessonProgress) All() Count { return l.Exercises.Add(l.Quizzes) }

// Mark is the lesson's mark in menus and lists: "[x]" done, "[~]" begun,
// "[ ]" not yet.
func (l LessonProgress) Mark() string { return Mark(l.All()) }

// Mark writes a count as "[x]" (all done), "[~]" (some) or "[ ]" (none).
func Mark(c Count) string {
	switch {
	case c.Total > 0 && c.Done == c.Total:
		return "[x]"
	case c.Done > 0:
		return "[~]"
	}
	return "[ ]"
}

// Item is an exercise or a quiz of a lesson: exactly one of Exercise and
// Quiz is set.
type Item struct {
	Part     int // its index in the lesson's Parts
	Exercise *lessons.Exercise
	Quiz     *lessons.Quiz
	Done     bool
	// Progress is the exercise's record, nil when it was never touched; for
	// a quiz, Answer is its last answer, nil when it was never answered.
	Progress *progress.Exercise
	Answer   *progress.Quiz
}

// Key is the item's address: "lesson/exercise" or "lesson/quiz".
func (it Item) Key() string {
	if it.Exercise != nil {
		return it.Exercise.Key()
	}
	return QuizKey(it.Quiz)
}

// Begun reports whether the learner has touched the item: started,
// checked, hinted or answered it.
func (it Item) Begun() bool {
	if it.Exercise != nil {
		e := it.Progress
		return e != nil && (!e.Started.IsZero() || e.Checks > 0 || e.Hints > 0 || e.Done())
	}
	return it.Answer != nil
}

// Overview reads the progress file and measures the course against it.
func (s *Session) Overview() (Overview, error) {
	st, err := s.State()
	if err != nil {
		return Overview{}, err
	}
	return Measure(s.opts.Course, st), nil
}

// Measure is the Overview of a course for a progress state.
func Measure(c *lessons.Course, st *progress.State) Overview {
	o := Overview{Continue: -1}
	var currentAt time.Time
	from := 0 // where the search for the lesson to continue starts
	for i, l := range c.Lessons {
		lp := LessonProgress{Lesson: l}
		for part, p := range l.Parts {
			it := Item{Part: part, Exercise: p.Exercise, Quiz: p.Quiz}
			switch {
			case p.Exercise != nil:
				it.Progress = st.Exercises[p.Exercise.Key()]
				it.Done = it.Progress.Done()
				lp.Exercises = lp.Exercises.Add(Count{Done: btoi(it.Done), Total: 1})
				if e := it.Progress; e != nil && e.Started.After(currentAt) {
					o.Current, currentAt, from = p.Exercise, e.Started, i
				}
			case p.Quiz != nil:
				it.Answer = st.Quizzes[QuizKey(p.Quiz)]
				it.Done = it.Answer != nil && it.Answer.Correct
				lp.Quizzes = lp.Quizzes.Add(Count{Done: btoi(it.Done), Total: 1})
			default:
				continue
			}
			lp.Items = append(lp.Items, it)
		}
		o.Lessons = append(o.Lessons, lp)
	}
	if last := st.LastStarted(); last != "" && (o.Current == nil || o.Current.Key() != last) {
		if _, err := c.Exercise(last); err != nil {
			o.Elsewhere = last
		}
	}
	for n := range o.Lessons {
		i := (from + n) % len(o.Lessons)
		if c := o.Lessons[i].All(); c.Done < c.Total {
			o.Continue = i
			break
		}
	}
	return o
}

// Total is the whole course's exercises and quizzes.
func (o Overview) Total() (exercises, quizzes Count) {
	for _, lp := range o.Lessons {
		exercises, quizzes = exercises.Add(lp.Exercises), quizzes.Add(lp.Quizzes)
	}
	return exercises, quizzes
}

// NextExercise is the first exercise not done after ex in course order
// (from the start when ex is nil), or nil when there is none.
func (o Overview) NextExercise(after *lessons.Exercise) *lessons.Exercise {
	seen := after == nil
	for _, lp := range o.Lessons {
		for _, it := range lp.Items {
			if it.Exercise == nil {
				continue
			}
			if !seen {
				seen = it.Exercise == after
				continue
			}
			if !it.Done {
				return it.Exercise
			}
		}
	}
	return nil
}

// Next is what the learner should do next: the exercise started last while
// it is not done, else the first exercise not done after it in the course
// (the next of its lesson, when there is one), else the first exercise not
// done; nil when every exercise is done.
func (o Overview) Next() *lessons.Exercise {
	if o.Current != nil {
		for _, lp := range o.Lessons {
			for _, it := range lp.Items {
				if it.Exercise == o.Current && !it.Done {
					return o.Current
				}
			}
		}
	}
	if next := o.NextExercise(o.Current); next != nil {
		return next
	}
	return o.NextExercise(nil)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

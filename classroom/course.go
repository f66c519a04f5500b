package classroom

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// CourseLesson is one lesson of the classroom's course, as the dashboard
// groups its exercises and quizzes.
type CourseLesson struct {
	ID        string // "first-run"
	Title     string // "Containers: your first run"; "" shows the id
	Exercises []CourseExercise
	// Quizzes are the lesson's quizzes in reading order; a course kept
	// by an older dockdojo has none.
	Quizzes []CourseQuiz `json:",omitempty"`
}

// CourseExercise is one exercise of a lesson.
type CourseExercise struct {
	ID    string // "publish-page"; its key is "first-run/publish-page"
	Title string // "Publish your own page"; "" shows the id
}

// CourseQuiz is one quiz of a lesson.
type CourseQuiz struct {
	ID string // "publish-meaning"; its key is "first-run/publish-meaning"
}

// course is the classroom's course, checked and indexed: the dashboard's
// columns, grouped by lesson, and the only exercises and quizzes whose
// events the server accepts.
type course struct {
	lessons  []courseLesson
	keys     []string              // every exercise key, in course order
	quizKeys []string              // every quiz key, in course order
	byKey    map[string]courseSpot // exercise and quiz key -> where it is
}

type courseLesson struct {
	id, title string
	number    int // 1-based position among every lesson of the course, those without exercises too
	exercises []courseItem
	quizzes   []courseItem
}

// courseItem is an exercise or a quiz of a lesson.
type courseItem struct {
	key, id, title string
	label          string // "3.2" for an exercise, "3.Q1" for a quiz: lesson number, place within it
}

// courseSpot is where an exercise or quiz is in the course: its lesson,
// and its place among the lesson's exercises or its quizzes.
type courseSpot struct {
	lesson, item int
	quiz         bool
}

// newCourse checks a course. Lessons with neither exercises nor quizzes
// keep their place in the numbering (the dashboard's "3.2" is the third
// lesson of the course) but are not shown.
func newCourse(lessons []CourseLesson) (*course, error) {
	c := &course{byKey: map[string]courseSpot{}}
	seen := map[string]bool{}
	for i, l := range lessons {
		if seen[l.ID] {
			return nil, fmt.Errorf("classroom course: lesson %q is listed twice", l.ID)
		}
		seen[l.ID] = true
		cl := courseLesson{id: l.ID, title: l.Title, number: i + 1}
		add := func(id, title, what, label string, quiz bool) error {
			key := l.ID + "/" + id
			if !exerciseRE.MatchString(key) {
				return fmt.Errorf("classroom course: %s key %q: want \"lesson/%s\", lowercase letters, digits and dashes", what, key, what)
			}
			if _, dup := c.byKey[key]; dup {
				return fmt.Errorf("classroom course: %q is listed twice (a lesson's exercises and quizzes each have their own id)", key)
			}
			item := courseItem{key: key, id: id, title: title, label: strconv.Itoa(i+1) + "." + label}
			if quiz {
				c.byKey[key] = courseSpot{len(c.lessons), len(cl.quizzes), true}
				c.quizKeys = append(c.quizKeys, key)
				cl.quizzes = append(cl.quizzes, item)
			} else {
				c.byKey[key] = courseSpot{len(c.lessons), len(cl.exercises), false}
				c.keys = append(c.keys, key)
				cl.exercises = append(cl.exercises, item)
			}
			return nil
		}
		for j, ex := range l.Exercises {
			if err := add(ex.ID, ex.Title, "exercise", strconv.Itoa(j+1), false); err != nil {
				return nil, err
			}
		}
		for j, q := range l.Quizzes {
			if err := add(q.ID, "", "quiz", "Q"+strconv.Itoa(j+1), true); err != nil {
				return nil, err
			}
		}
		if len(cl.exercises) > 0 || len(cl.quizzes) > 0 {
			c.lessons = append(c.lessons, cl)
		}
	}
	return c, nil
}

// courseFromKeys makes a course of "lesson/exercise" keys in course order,
// as Options.Exercises gives them: a lesson is where its first key is.
func courseFromKeys(keys []string) []CourseLesson {
	return withKeys(nil, keys, nil)
}

// withKeys is lessons with the exercises and quizzes of keys
// ("lesson/exercise", "lesson/quiz") added to the end of their lessons,
// and lessons it lacks added at its end. The lessons given are not
// changed.
func withKeys(lessons []CourseLesson, exercises, quizzes []string) []CourseLesson {
	out := make([]CourseLesson, len(lessons))
	index := map[string]int{}
	for i, l := range lessons {
		out[i] = CourseLesson{ID: l.ID, Title: l.Title, Exercises: slices.Clone(l.Exercises), Quizzes: slices.Clone(l.Quizzes)}
		index[l.ID] = i
	}
	lessonOf := func(key string) (*CourseLesson, string) {
		lesson, id, _ := strings.Cut(key, "/")
		i, ok := index[lesson]
		if !ok {
			i = len(out)
			index[lesson] = i
			out = append(out, CourseLesson{ID: lesson})
		}
		return &out[i], id
	}
	for _, key := range exercises {
		l, id := lessonOf(key)
		l.Exercises = append(l.Exercises, CourseExercise{ID: id})
	}
	for _, key := range quizzes {
		l, id := lessonOf(key)
		l.Quizzes = append(l.Quizzes, CourseQuiz{ID: id})
	}
	return out
}

// has reports whether the course has the exercise of key.
func (c *course) has(key string) bool {
	spot, ok := c.byKey[key]
	return ok && !spot.quiz
}

// hasQuiz reports whether the course has the quiz of key.
func (c *course) hasQuiz(key string) bool {
	spot, ok := c.byKey[key]
	return ok && spot.quiz
}

// takes says why the course refuses an event of a learner's, or nil: an
// exercise or a quiz it lacks (a lesson folder the classroom was not
// given). A readiness event is about no exercise.
func (c *course) takes(e Event) error {
	switch {
	case e.Kind == KindReadiness || e.Kind == KindLeft || e.Kind == KindLetBack || e.Kind == KindBack:
		return nil
	case e.Kind == KindAnswered && !c.hasQuiz(e.Exercise):
		return fmt.Errorf("quiz %q is not in this classroom's course; type your join line again (`dockdojo join URL CODE`) to fetch the classroom's own lessons", e.Exercise)
	case e.Kind != KindAnswered && !c.has(e.Exercise):
		return fmt.Errorf("exercise %q is not in this classroom's course; type your join line again (`dockdojo join URL CODE`) to fetch the classroom's own lessons", e.Exercise)
	}
	return nil
}

// label is an exercise's or a quiz's short name on the dashboard, "3.2"
// or "3.Q1".
func (c *course) label(key string) string {
	spot, ok := c.byKey[key]
	switch {
	case !ok:
		return ""
	case spot.quiz:
		return c.lessons[spot.lesson].quizzes[spot.item].label
	}
	return c.lessons[spot.lesson].exercises[spot.item].label
}

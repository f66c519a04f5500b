package classroom

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// CourseLesson is one lesson of the classroom's course, as the dashboard
// groups its exercises.
type CourseLesson struct {
	ID        string // "first-run"
	Title     string // "Containers: your first run"; "" shows the id
	Exercises []CourseExercise
}

// CourseExercise is one exercise of a lesson.
type CourseExercise struct {
	ID    string // "publish-page"; its key is "first-run/publish-page"
	Title string // "Publish your own page"; "" shows the id
}

// course is the classroom's course, checked and indexed: the dashboard's
// columns, grouped by lesson, and the only exercises whose events the
// server accepts.
type course struct {
	lessons []courseLesson
	keys    []string              // every exercise key, in course order
	byKey   map[string]courseSpot // exercise key -> where it is
}

type courseLesson struct {
	id, title string
	number    int // 1-based position among every lesson of the course, those without exercises too
	exercises []courseExercise
}

type courseExercise struct {
	key, id, title string
	label          string // "3.2": lesson number, exercise number within it
}

type courseSpot struct{ lesson, exercise int }

// newCourse checks a course. Lessons without exercises keep their place in
// the numbering (the dashboard's "3.2" is the third lesson of the course)
// but get no columns.
func newCourse(lessons []CourseLesson) (*course, error) {
	c := &course{byKey: map[string]courseSpot{}}
	seen := map[string]bool{}
	for i, l := range lessons {
		if seen[l.ID] {
			return nil, fmt.Errorf("classroom course: lesson %q is listed twice", l.ID)
		}
		seen[l.ID] = true
		cl := courseLesson{id: l.ID, title: l.Title, number: i + 1}
		for j, ex := range l.Exercises {
			key := l.ID + "/" + ex.ID
			if !exerciseRE.MatchString(key) {
				return nil, fmt.Errorf("classroom course: exercise key %q: want \"lesson/exercise\", lowercase letters, digits and dashes", key)
			}
			if _, dup := c.byKey[key]; dup {
				return nil, fmt.Errorf("classroom course: exercise %q is listed twice", key)
			}
			c.byKey[key] = courseSpot{len(c.lessons), len(cl.exercises)}
			c.keys = append(c.keys, key)
			cl.exercises = append(cl.exercises, courseExercise{
				key: key, id: ex.ID, title: ex.Title,
				label: strconv.Itoa(i+1) + "." + strconv.Itoa(j+1),
			})
		}
		if len(cl.exercises) > 0 {
			c.lessons = append(c.lessons, cl)
		}
	}
	return c, nil
}

// courseFromKeys makes a course of "lesson/exercise" keys in course order,
// as Options.Exercises gives them: a lesson is where its first key is.
func courseFromKeys(keys []string) []CourseLesson {
	return withKeys(nil, keys)
}

// withKeys is lessons with the exercises of keys ("lesson/exercise") added
// to the end of their lessons, and lessons it lacks added at its end. The
// lessons given are not changed.
func withKeys(lessons []CourseLesson, keys []string) []CourseLesson {
	out := make([]CourseLesson, len(lessons))
	index := map[string]int{}
	for i, l := range lessons {
		out[i] = CourseLesson{ID: l.ID, Title: l.Title, Exercises: slices.Clone(l.Exercises)}
		index[l.ID] = i
	}
	for _, key := range keys {
		lesson, ex, _ := strings.Cut(key, "/")
		i, ok := index[lesson]
		if !ok {
			i = len(out)
			index[lesson] = i
			out = append(out, CourseLesson{ID: lesson})
		}
		out[i].Exercises = append(out[i].Exercises, CourseExercise{ID: ex})
	}
	return out
}

func (c *course) has(key string) bool {
	_, ok := c.byKey[key]
	return ok
}

// label is an exercise's short name on the dashboard, "3.2".
func (c *course) label(key string) string {
	spot, ok := c.byKey[key]
	if !ok {
		return ""
	}
	return c.lessons[spot.lesson].exercises[spot.exercise].label
}

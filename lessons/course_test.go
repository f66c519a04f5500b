package lessons_test

import (
	"testing"

	"github.com/dockdojo/dockdojo/lessons"
)

func testCourse() *lessons.Course {
	lesson := func(id string, exercises ...string) *lessons.Lesson {
		l := &lessons.Lesson{ID: id}
		for _, e := range exercises {
			l.Exercises = append(l.Exercises, &lessons.Exercise{ID: e, Lesson: l})
		}
		return l
	}
	theory := lesson("theory")
	theory.Quizzes = []*lessons.Quiz{{ID: "quiz", Lesson: theory}}
	return &lessons.Course{Lessons: []*lessons.Lesson{
		lesson("first-run", "publish-page", "inside-the-box"),
		lesson("volumes", "persist", "inside-the-box"),
		lesson("networks", "resolve"),
		theory,
	}}
}

func TestCourseExercise(t *testing.T) {
	c := testCourse()
	tests := []struct {
		name    string
		key     string
		want    string // Key() of the exercise found
		wantErr string
	}{
		{name: "lesson and exercise", key: "first-run/publish-page", want: "first-run/publish-page"},
		{name: "same exercise id in another lesson", key: "volumes/inside-the-box", want: "volumes/inside-the-box"},
		{name: "bare unique id", key: "resolve", want: "networks/resolve"},
		{name: "bare unique id in a lesson with others", key: "persist", want: "volumes/persist"},
		{name: "bare ambiguous id", key: "inside-the-box",
			wantErr: `exercise "inside-the-box" is in several lessons; name one of: first-run/inside-the-box, volumes/inside-the-box`},
		{name: "unknown bare id", key: "publish", wantErr: "no exercise \"publish\"; `dockdojo list` shows the course"},
		{name: "unknown lesson", key: "first-runs/publish-page", wantErr: "no lesson \"first-runs\" (did you mean \"first-run/publish-page\"?); `dockdojo list` shows the course"},
		{name: "unknown lesson, near a lesson", key: "volume/no-such-thing", wantErr: "no lesson \"volume\" (did you mean \"volumes\"?); `dockdojo list` shows the course"},
		{name: "unknown lesson, near nothing", key: "kubernetes/pods", wantErr: "no lesson \"kubernetes\"; `dockdojo list` shows the course"},
		{name: "a slip of an exercise", key: "first-run/publish-pag", wantErr: "lesson first-run has no exercise \"publish-pag\" (did you mean \"first-run/publish-page\"?); `dockdojo list` shows its exercises"},
		{name: "a slip of a bare id", key: "persits", wantErr: "no exercise \"persits\" (did you mean \"persist\"?); `dockdojo list` shows the course"},
		{name: "an exercise of another lesson is no slip", key: "volumes/publish-page", wantErr: "lesson volumes has no exercise \"publish-page\"; `dockdojo list` shows its exercises"},
		{name: "unknown exercise of a lesson", key: "first-run/persist", wantErr: "lesson first-run has no exercise \"persist\"; `dockdojo list` shows its exercises"},
		{name: "a quiz", key: "theory/quiz", wantErr: "theory/quiz is a quiz, not an exercise: `dockdojo` asks it, in the lesson's menu"},
		{name: "lesson without exercises", key: "theory/other", wantErr: "lesson theory has no exercise \"other\"; `dockdojo list` shows its exercises"},
		{name: "lesson id alone with a slash", key: "first-run/", wantErr: "lesson first-run has no exercise \"\"; `dockdojo list` shows its exercises"},
		{name: "lesson id alone", key: "first-run", wantErr: "\"first-run\" is a lesson, not an exercise: give one of its exercises, first-run/publish-page, first-run/inside-the-box"},
		{name: "empty", key: "", wantErr: "no exercise \"\"; `dockdojo list` shows the course"},
		{name: "no partial match: the start of an id is suggested, never taken", key: "first-run/publish", wantErr: "lesson first-run has no exercise \"publish\" (did you mean \"first-run/publish-page\"?); `dockdojo list` shows its exercises"},
		{name: "case matters", key: "First-Run/publish-page", wantErr: "no exercise \"First-Run/publish-page\" (did you mean \"first-run/publish-page\"? ids are lowercase); `dockdojo list` shows the course"},
		{name: "shouted", key: "FIRST-RUN/PUBLISH-PAGE", wantErr: "no exercise \"FIRST-RUN/PUBLISH-PAGE\" (did you mean \"first-run/publish-page\"? ids are lowercase); `dockdojo list` shows the course"},
		{name: "too many parts", key: "first-run/publish-page/x", wantErr: "lesson first-run has no exercise \"publish-page/x\" (did you mean \"first-run/publish-page\"?); `dockdojo list` shows its exercises"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := c.Exercise(tt.key)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("Exercise(%q) = %s, want error %q", tt.key, ex.Key(), tt.wantErr)
				}
				if err.Error() != tt.wantErr {
					t.Fatalf("Exercise(%q) error:\n got %q\nwant %q", tt.key, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Exercise(%q): %v", tt.key, err)
			}
			if ex.Key() != tt.want {
				t.Errorf("Exercise(%q) = %s, want %s", tt.key, ex.Key(), tt.want)
			}
		})
	}
}

func TestCourseLessonAndExercises(t *testing.T) {
	c := testCourse()
	if l := c.Lesson("volumes"); l == nil || l.ID != "volumes" {
		t.Errorf("Lesson(volumes) = %v", l)
	}
	if l := c.Lesson("volume"); l != nil {
		t.Errorf("Lesson(volume) = %s, want nil", l.ID)
	}
	var keys []string
	for _, ex := range c.Exercises() {
		keys = append(keys, ex.Key())
	}
	want := []string{"first-run/publish-page", "first-run/inside-the-box", "volumes/persist", "volumes/inside-the-box", "networks/resolve"}
	if len(keys) != len(want) {
		t.Fatalf("Exercises() = %v, want %v", keys, want)
	}
	for i := range want {
		if keys[i] != want[i] {
			t.Fatalf("Exercises() = %v, want %v", keys, want)
		}
	}
}

// TestCourseExerciseFoundWithoutAllocating: a lookup that finds its
// exercise allocates nothing. Loading a course looks up every exercise an
// exercise continues, and a list of the whole course built for each
// lookup (for the suggestion of a slip) once cost a 1,000-lesson course
// 10 MB of memory.
func TestCourseExerciseFoundWithoutAllocating(t *testing.T) {
	c := testCourse()
	for _, key := range []string{"first-run/publish-page", "networks/resolve"} {
		if n := testing.AllocsPerRun(100, func() { _, _ = c.Exercise(key) }); n != 0 {
			t.Errorf("Exercise(%q) allocates %v times a lookup, want 0", key, n)
		}
	}
}

// TestCourseFrom: a folder's lessons are those whose files it names,
// the folder "." holding those of every folder not above it.
func TestCourseFrom(t *testing.T) {
	c := &lessons.Course{Lessons: []*lessons.Lesson{
		{File: "content/course/first-run/first-run.md", Builtin: true},
		{File: "mine/web/web.md"}, {File: "mine/other.md"}, {File: "mine-too/x.md"},
		{File: "here/lesson.md"}, {File: "../up/lesson.md"},
	}}
	for _, tt := range []struct {
		src  lessons.Source
		want int
	}{
		{lessons.Source{Name: "mine"}, 2},
		{lessons.Source{Name: "mine/"}, 2},
		{lessons.Source{Name: "mine/web"}, 1},
		{lessons.Source{Name: "nothing-here"}, 0},
		{lessons.Source{Name: "."}, 4},
		{lessons.Source{Name: "../up"}, 1},
		{lessons.Source{Name: "content/course", Builtin: true}, 1},
	} {
		if got := c.From(tt.src); got != tt.want {
			t.Errorf("From(%q) = %d, want %d", tt.src.Name, got, tt.want)
		}
	}
}

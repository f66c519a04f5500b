package lessons_test

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdojo/dockdojo/internal/golden"
	"github.com/dockdojo/dockdojo/lessons"
)

// The dump types are what the golden files of the valid lessons hold: the
// parsed lesson without its FS and without the exercises' and quizzes'
// pointers back to it.
type lessonDump struct {
	File          string
	Dir           string
	FormatVersion int
	ID            string
	Title         string
	Summary       string
	Order         int
	Minutes       int
	Prerequisites []string
	Parts         []partDump
}

type partDump struct {
	Prose    string        `json:",omitempty"`
	Exercise *exerciseDump `json:",omitempty"`
	Quiz     *quizDump     `json:",omitempty"`
}

// exerciseDump hides Exercise.Lesson behind a nil field of the same name.
type exerciseDump struct {
	*lessons.Exercise
	Lesson *struct{} `json:",omitempty"`
}

type quizDump struct {
	*lessons.Quiz
	Lesson *struct{} `json:",omitempty"`
}

func dump(t *testing.T, l *lessons.Lesson) []byte {
	t.Helper()
	d := lessonDump{
		File: l.File, Dir: l.Dir, FormatVersion: l.FormatVersion, ID: l.ID, Title: l.Title,
		Summary: l.Summary, Order: l.Order, Minutes: l.Minutes, Prerequisites: l.Prerequisites,
	}
	for _, p := range l.Parts {
		var pd partDump
		pd.Prose = p.Prose
		if p.Exercise != nil {
			pd.Exercise = &exerciseDump{Exercise: p.Exercise}
		}
		if p.Quiz != nil {
			pd.Quiz = &quizDump{Quiz: p.Quiz}
		}
		d.Parts = append(d.Parts, pd)
	}
	raw, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	// Drop empty values so the golden files show what a lesson sets; zero
	// numbers and false stay, since exit_code: 0 is not the same as none.
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(prune(v), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

func prune(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			x = prune(x)
			if x == nil || x == "" {
				delete(v, k)
				continue
			}
			if m, ok := x.(map[string]any); ok && len(m) == 0 {
				delete(v, k)
				continue
			}
			if s, ok := x.([]any); ok && len(s) == 0 {
				delete(v, k)
				continue
			}
			v[k] = x
		}
		return v
	case []any:
		for i := range v {
			v[i] = prune(v[i])
		}
		return v
	}
	return v
}

func TestValidLessons(t *testing.T) {
	dir := "testdata/valid"
	c, err := lessons.Load(lessons.Source{FS: os.DirFS(dir), Name: "testdata/valid"})
	if err != nil {
		t.Fatalf("valid lessons do not load:\n%v", err)
	}
	var ids []string
	for _, l := range c.Lessons {
		ids = append(ids, l.ID)
	}
	// README.md, _drafts/ and .hidden/ are not lessons; the rest is in order.
	if got, want := strings.Join(ids, " "), "every-check quizzes build-app"; got != want {
		t.Fatalf("lessons in course order = %s, want %s", got, want)
	}
	for _, l := range c.Lessons {
		t.Run(l.ID, func(t *testing.T) {
			if l.FS == nil {
				t.Error("lesson has no FS")
			}
			if c.Lesson(l.ID) != l {
				t.Errorf("Course.Lesson(%q) does not find it", l.ID)
			}
			var exs []*lessons.Exercise
			var qs []*lessons.Quiz
			for _, p := range l.Parts {
				set := 0
				if p.Prose != "" {
					set++
				}
				if p.Exercise != nil {
					set++
					exs = append(exs, p.Exercise)
					if p.Exercise.Lesson != l {
						t.Errorf("exercise %s does not point back at its lesson", p.Exercise.ID)
					}
				}
				if p.Quiz != nil {
					set++
					qs = append(qs, p.Quiz)
					if p.Quiz.Lesson != l {
						t.Errorf("quiz %s does not point back at its lesson", p.Quiz.ID)
					}
				}
				if set != 1 {
					t.Errorf("a part sets %d fields, want exactly one: %+v", set, p)
				}
			}
			if !equalPtrs(exs, l.Exercises) {
				t.Errorf("Exercises %v are not the exercises of Parts %v", l.Exercises, exs)
			}
			if !equalPtrs(qs, l.Quizzes) {
				t.Errorf("Quizzes %v are not the quizzes of Parts %v", l.Quizzes, qs)
			}
			golden.Check(t, filepath.Join(dir, l.ID+".golden"), dump(t, l))
		})
	}
}

func equalPtrs[T any](a, b []*T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// oneLesson shows a folder with only one of its lesson files, so that each
// broken lesson of testdata/broken is loaded on its own.
type oneLesson struct {
	fs.FS
	name string
}

func (o oneLesson) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(o.FS, name)
	var kept []fs.DirEntry
	for _, e := range entries {
		p := path.Join(name, e.Name())
		if !e.IsDir() && strings.HasSuffix(p, ".md") && p != o.name {
			continue
		}
		kept = append(kept, e)
	}
	return kept, err
}

// TestBrokenLessons loads each testdata/broken/NAME.md on its own (and each
// folder testdata/broken/NAME/ as one course) and compares every error with
// NAME.golden. The positions in those files are what instructors see: each
// was checked by hand against the line it names.
func TestBrokenLessons(t *testing.T) {
	const dir = "testdata/broken"
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		var src lessons.Source
		name := e.Name()
		switch {
		case e.IsDir():
			src = lessons.Source{FS: os.DirFS(filepath.Join(dir, name)), Name: path.Join(dir, name)}
		case strings.HasSuffix(name, ".md"):
			src = lessons.Source{FS: oneLesson{os.DirFS(dir), name}, Name: dir}
			name = strings.TrimSuffix(name, ".md")
		default:
			continue
		}
		n++
		t.Run(name, func(t *testing.T) {
			_, err := lessons.Load(src)
			if err == nil {
				t.Fatal("the broken lesson loads without an error")
			}
			var list lessons.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error is a %T, not an ErrorList: %v", err, err)
			}
			for _, e := range list {
				checkPos(t, e, nil)
			}
			golden.Check(t, filepath.Join(dir, name+".golden"), []byte(err.Error()+"\n"))
		})
	}
	if n < 40 {
		t.Errorf("only %d broken lessons; keep at least 40", n)
	}
}

// checkPos fails when an error's position is not a place in its file. src is
// the file's text, or nil to read it from e.Pos.File.
func checkPos(t *testing.T, e *lessons.Error, src []byte) {
	t.Helper()
	if src == nil {
		var err error
		if src, err = os.ReadFile(filepath.FromSlash(e.Pos.File)); err != nil {
			t.Errorf("%v: cannot read the file it names: %v", e, err)
			return
		}
	}
	lines := strings.Split(string(src), "\n")
	if e.Pos.Line < 1 || e.Pos.Line > len(lines) {
		t.Errorf("%v: line %d is outside the file's %d lines", e, e.Pos.Line, len(lines))
		return
	}
	if line := lines[e.Pos.Line-1]; e.Pos.Col < 0 || e.Pos.Col > len(line)+1 {
		t.Errorf("%v: column %d is outside line %q", e, e.Pos.Col, line)
	}
	if e.Msg == "" || strings.Contains(e.Msg, "\n") {
		t.Errorf("%v: the message must be one line of text", e)
	}
}

// lessonFiles lists the lesson files under testdata, for seeds and truncations.
func lessonFiles(t testing.TB, under string) []string {
	var files []string
	err := filepath.WalkDir(under, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// parseChecked parses src and fails on anything Parse must never do: panic
// (the test dies), return no lesson, or point outside the file.
func parseChecked(t *testing.T, src []byte) {
	t.Helper()
	l, err := lessons.Parse(src, "lesson.md")
	if l == nil {
		t.Fatalf("Parse returned no lesson for %q", src)
	}
	if err == nil {
		for _, ex := range l.Exercises {
			if ex.Lesson != l || ex.Pos.Line < 1 {
				t.Fatalf("exercise %q is not tied to its lesson and line: %+v", ex.ID, ex.Pos)
			}
		}
		return
	}
	var list lessons.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("error is not a non-empty ErrorList: %v", err)
	}
	for _, e := range list {
		if e.Pos.File != "lesson.md" {
			t.Fatalf("%v: names file %q, want lesson.md", e, e.Pos.File)
		}
		checkPos(t, e, src)
	}
}

// TestParseTruncated parses every prefix of the valid lessons: a half-written
// lesson must get errors, never a panic.
func TestParseTruncated(t *testing.T) {
	for _, file := range lessonFiles(t, "testdata/valid") {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(file, func(t *testing.T) {
			for i := 0; i <= len(src); i++ {
				parseChecked(t, src[:i])
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, file := range lessonFiles(f, "testdata") {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		parseChecked(t, src)
	})
}

// longBlock is an exercise whose sandbox mapping runs for n lines before a
// line that breaks it.
func longBlock(n int) []byte {
	return []byte("---\nformat_version: 1\nid: a\ntitle: T\nsummary: S\n---\n\n```exercise\nsandbox:\n" +
		strings.Repeat("  hostname: x\n", n) + "  - bad\n```\n")
}

// A YAML mistake deep inside a long mapping is still reported at its line
// (yaml.v3 itself names the line where the mapping starts).
func TestParseYAMLErrorLine(t *testing.T) {
	for _, n := range []int{1, 2, 10, 49, 50, 51, 52, 200, 1000} {
		_, err := lessons.Parse(longBlock(n), "lesson.md")
		want := 10 + n // "---" is line 1, "sandbox:" line 9
		var list lessons.ErrorList
		if !errors.As(err, &list) || len(list) != 1 || list[0].Pos.Line != want {
			t.Errorf("n=%d: got %v, want one error at line %d", n, err, want)
		}
	}
}

// TestParseDocumentStart: a "---" before an exercise's first field only
// marks where its one document starts, and one indented inside a script is
// the script's text; neither is the second document that a "---" after a
// field starts (testdata/broken/yaml-second-document.md).
func TestParseDocumentStart(t *testing.T) {
	const lesson = "---\nformat_version: 1\nid: a\ntitle: T\nsummary: S.\n---\n\n```exercise\n" +
		"---\n# the exercise\nid: e\ntitle: T\ngoal: G.\nflavour: host\n" +
		"checks:\n  - kind: container_running\n    container: dojo-c\nhints: [h]\n" +
		"solution: |\n  echo ---\n  ---\n  docker run -d --name dojo-c busybox:1.36 sleep 60\nowns:\n  containers: [dojo-c]\n```\n"
	l, err := lessons.Parse([]byte(lesson), "lesson.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Exercises) != 1 || !strings.Contains(l.Exercises[0].Solution, "\n---\n") {
		t.Errorf("exercises %+v; want one, with the \"---\" line of its solution", l.Exercises)
	}
}

func BenchmarkParseYAMLErrorInLongBlock(b *testing.B) {
	src := longBlock(5000)
	for b.Loop() {
		_, _ = lessons.Parse(src, "lesson.md")
	}
}

func BenchmarkParseValid(b *testing.B) {
	src, err := os.ReadFile("testdata/valid/every-check.md")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		_, _ = lessons.Parse(src, "lesson.md")
	}
}

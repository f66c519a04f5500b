package authorcmd

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"unicode"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/lessons"
)

func NewCmdNew(f *cmdutil.Factory) *cobra.Command {
	return cmdutil.Group(&cobra.Command{
		Use:   "new",
		Short: "Scaffold a lesson or an exercise that lints clean and passes the self-test",
		Long: `Writes a lesson, or an exercise into a lesson, that lints clean and passes the
self-test as it is, with comments that explain each field. Edit it from there:
"dockdojo lint" says what is wrong, "dockdojo selftest" proves it works.`,
	}, "it makes a lesson (`dockdojo new lesson NAME`, with a quiz in it) or an exercise (`dockdojo new exercise LESSONFILE`)",
		newNewLessonCmd(f), newNewExerciseCmd(f))
}

type newLessonOptions struct {
	F     *cmdutil.Factory
	Name  string
	Dir   string
	Title string
}

func newNewLessonCmd(f *cmdutil.Factory) *cobra.Command {
	opts := &newLessonOptions{F: f}
	cmd := &cobra.Command{
		Use:   "lesson NAME",
		Short: "Write a new lesson NAME/NAME.md, with a starter file, under --dir",
		Long: `Writes DIR/NAME/NAME.md, a lesson with a host exercise, a shell exercise with
a starter file (DIR/NAME/notes/todo.txt) and a quiz, commented to teach the
format. NAME is the lesson's id: lowercase letters, digits and dashes, and
no lesson of the course may have it already. Existing files are never
overwritten.`,
		Example: `  dockdojo new lesson volumes-101 --dir ./my-course`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			return runNewLesson(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Dir, "dir", ".", "the course folder to write the lesson's folder in")
	cmd.Flags().StringVar(&opts.Title, "title", "", "the lesson's title (default: from NAME)")
	return cmd
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

func runNewLesson(opts *newLessonOptions) error {
	if !slugRE.MatchString(opts.Name) {
		return cmdutil.Usage(fmt.Errorf("lesson name %q: use lowercase letters, digits and dashes, starting with a letter or digit, e.g. volumes-101; it becomes the lesson's id", opts.Name))
	}
	switch {
	case opts.Title != "" && strings.TrimSpace(opts.Title) == "":
		return cmdutil.Usagef("--title is blank: give the lesson's title in a few words, or leave --title out to have it made from NAME")
	case strings.ContainsFunc(opts.Title, unicode.IsControl):
		return cmdutil.Usagef("--title %q holds a control character (a line break, a tab, an escape): a title is one line of plain text, shown in menus and as the lesson's heading", opts.Title)
	}
	if err := lessonIDFree(opts.F, opts.Name); err != nil {
		return err
	}
	title := opts.Title
	if title == "" {
		title = strings.ReplaceAll(opts.Name, "-", " ")
		title = strings.ToUpper(title[:1]) + title[1:]
	}
	data := scaffoldData{ID: opts.Name, Title: title, TitleYAML: yamlScalar(title), Box: "dojo-" + opts.Name + "-box"}
	folder := filepath.Join(opts.Dir, opts.Name)
	files := []struct {
		path string
		text string
	}{
		{filepath.Join(folder, opts.Name+".md"), execute(lessonTemplate, data)},
		{filepath.Join(folder, "notes", "todo.txt"), "water the plants\nfeed the cat\n"},
	}
	for _, file := range files {
		if _, err := os.Lstat(file.path); err == nil {
			return cmdutil.Usage(fmt.Errorf("%s already exists; choose another name, or another folder with --dir", file.path))
		}
	}
	for _, file := range files {
		if err := os.MkdirAll(filepath.Dir(file.path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(file.path, []byte(file.text), 0o644); err != nil {
			return err
		}
	}
	w := opts.F.IOStreams.Out
	fmt.Fprintf(w, "Wrote the lesson %s:\n", opts.Name)
	for _, file := range files {
		fmt.Fprintf(w, "  %s\n", file.path)
	}
	fmt.Fprintf(w, `Next:
  1. Edit %s: the comments say what each field does,
     and docs/authoring.md describes them all.
  2. dockdojo lint %s         every mistake, with its file and line
  3. dockdojo selftest %s     proves each exercise, running the solutions here
  4. dockdojo --lessons %s read %s   the lesson as a learner sees it
`, files[0].path, cmdutil.ShellQuote(folder), cmdutil.ShellQuote(folder), cmdutil.ShellQuote(opts.Dir), opts.Name)
	return nil
}

// lessonIDFree refuses the id of a lesson that the course dockdojo loads
// already has (the built-in course, unless --replace, and the --lessons
// folders): lesson ids are unique across the course, and the new lesson
// would not load beside it.
func lessonIDFree(f *cmdutil.Factory, id string) error {
	// A course that cannot be read (--replace without folders, a folder
	// that is not there) has no ids to clash with here; the commands that
	// load it say what is wrong. Nor do mistakes in its lessons matter:
	// the lessons that did load are enough to know the ids in use.
	srcs, _, err := f.Sources()
	if err != nil {
		return nil
	}
	c, _ := lessons.Load(srcs...)
	if l := c.Lesson(id); l != nil {
		return cmdutil.Usagef("lesson name %q: the course already has a lesson of that id, in %s; lesson ids are unique across the course: choose another name", id, l.File)
	}
	return nil
}

type newExerciseOptions struct {
	F       *cmdutil.Factory
	File    string
	ID      string
	Flavour string
}

func newNewExerciseCmd(f *cmdutil.Factory) *cobra.Command {
	opts := &newExerciseOptions{F: f}
	cmd := &cobra.Command{
		Use:   "exercise LESSONFILE",
		Short: "Append a new exercise to the lesson file LESSONFILE",
		Long: `Appends an exercise block to the end of LESSONFILE: a host exercise (the
learner runs docker in their own terminal) or, with --flavour shell, one in a
sandbox. Its id is --id, or the first free exercise-N. Move the block to where
it belongs in the lesson, then edit it.`,
		Example: `  dockdojo new exercise my-course/volumes-101/volumes-101.md --id keep-a-note`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			return runNewExercise(opts)
		},
	}
	cmd.Flags().StringVar(&opts.ID, "id", "", "the exercise's id (default: the first free exercise-N)")
	cmd.Flags().StringVar(&opts.Flavour, "flavour", lessons.FlavourHost, "host (docker in the learner's terminal) or shell (inside a sandbox)")
	return cmd
}

// idLineRE finds the ids set in a lesson's blocks, even those that do not
// parse.
var idLineRE = regexp.MustCompile(`(?m)^id:\s*(\S+)\s*$`)

func runNewExercise(opts *newExerciseOptions) error {
	var tmpl *template.Template
	switch opts.Flavour {
	case lessons.FlavourHost:
		tmpl = hostExerciseTemplate
	case lessons.FlavourShell:
		tmpl = shellExerciseTemplate
	default:
		return cmdutil.Usage(fmt.Errorf("--flavour %s: use host or shell (a build exercise starts from either, with a Dockerfile in workspace)", opts.Flavour))
	}
	src, err := os.ReadFile(opts.File)
	if err != nil {
		return cmdutil.Usage(fmt.Errorf("read the lesson file: %w", err))
	}
	l, _ := lessons.Parse(src, opts.File)
	if l.ID == "" {
		return cmdutil.Usage(fmt.Errorf("%s has no lesson id in its front matter; `dockdojo lint %s` says what is wrong", opts.File, cmdutil.ShellQuote(filepath.Dir(opts.File))))
	}
	var taken []string
	for _, m := range idLineRE.FindAllSubmatch(src, -1) {
		taken = append(taken, string(m[1]))
	}
	id := opts.ID
	switch {
	case id == "":
		for n := len(l.Exercises) + 1; ; n++ {
			if id = fmt.Sprintf("exercise-%d", n); !slices.Contains(taken, id) {
				break
			}
		}
	case !slugRE.MatchString(id):
		return cmdutil.Usage(fmt.Errorf("--id %q: use lowercase letters, digits and dashes, starting with a letter or digit", id))
	case slices.Contains(taken, id):
		return cmdutil.Usage(fmt.Errorf("--id %s: the lesson already has an exercise or quiz of that id", id))
	}
	data := scaffoldData{ID: id, Lesson: l.ID, Box: "dojo-" + l.ID + "-" + id}
	block := execute(tmpl, data)
	// A file written with CRLF line ends (on Windows) keeps them.
	nl := "\n"
	if bytes.Count(src, []byte("\r\n")) > bytes.Count(src, []byte("\n"))/2 {
		nl = "\r\n"
		block = strings.ReplaceAll(block, "\n", nl)
	}
	var out bytes.Buffer
	out.Write(src)
	if len(src) > 0 && !bytes.HasSuffix(src, []byte("\n")) {
		out.WriteString(nl)
	}
	out.WriteString(nl)
	line := bytes.Count(out.Bytes(), []byte("\n")) + 1
	out.WriteString(block)
	if _, err := lessons.Parse(out.Bytes(), opts.File); err != nil {
		// Only mistakes that were there before are acceptable. One may
		// be new above the block too: a block left open names the new
		// block as one it takes in.
		before := mistakes(lessons.Parse(src, opts.File))
		for _, e := range mistakes(nil, err) {
			if !slices.ContainsFunc(before, func(b *lessons.Error) bool { return b.Msg == e.Msg }) {
				if len(before) > 0 {
					// A mistake of the file's own (a block never closed)
					// takes the new block in: that one is to fix.
					return cmdutil.Usage(fmt.Errorf("%s has a mistake already, which the new exercise would run into; fix it first (`dockdojo lint %s` lists them all), the file is left as it was: %v", opts.File, cmdutil.ShellQuote(filepath.Dir(opts.File)), before[0]))
				}
				return fmt.Errorf("the new exercise would not parse, the file is left as it was: %v", e)
			}
		}
	}
	if err := replaceFile(opts.File, out.Bytes()); err != nil {
		return err
	}
	dir := cmdutil.ShellQuote(filepath.Dir(opts.File))
	fmt.Fprintf(opts.F.IOStreams.Out, `Added the %s exercise %s/%s to %s, at line %d.
Next: move it where it belongs in the lesson and make it yours, then
  dockdojo lint %s
  dockdojo selftest %s
`, opts.Flavour, l.ID, id, opts.File, line, dir, dir)
	return nil
}

// replaceFile writes data over the file name through a temporary file in
// its folder, synced and renamed over it, so that a full disk or a crash
// leaves the lesson as it was, or whole: never half written. The file keeps
// its mode, and a link to the lesson stays a link: the file it leads to is
// the one replaced. The temporary file ends in .tmp, so a crash never
// leaves a second lesson behind.
func replaceFile(name string, data []byte) error {
	real, err := filepath.EvalSymlinks(name)
	if err != nil {
		return err
	}
	info, err := os.Stat(real)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(real), "."+filepath.Base(real)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w; the lesson is left as it was", name, err)
	}
	defer os.Remove(tmp.Name()) // already gone once renamed
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(info.Mode().Perm())
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), real)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w; the lesson is left as it was", name, err)
	}
	return nil
}

func mistakes(_ *lessons.Lesson, err error) []*lessons.Error {
	var list lessons.ErrorList
	if errors.As(err, &list) {
		return list
	}
	return nil
}

// scaffoldData fills the templates.
type scaffoldData struct {
	ID        string // the lesson's id, or the exercise's
	Lesson    string // the lesson's id, for an exercise
	Title     string
	TitleYAML string // Title as a YAML value
	Box       string // the container name the learner is asked for
}

func execute(t *template.Template, data scaffoldData) string {
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		// The templates are fixed and their data plain strings.
		panic(err)
	}
	return b.String()
}

// yamlScalar writes s as a YAML value, quoted when it must be.
func yamlScalar(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSpace(string(out))
}

//go:embed new_templates
var newTemplates embed.FS

var (
	lessonTemplate        = template.Must(template.ParseFS(newTemplates, "new_templates/lesson.md.tmpl"))
	hostExerciseTemplate  = template.Must(template.ParseFS(newTemplates, "new_templates/host-exercise.md.tmpl"))
	shellExerciseTemplate = template.Must(template.ParseFS(newTemplates, "new_templates/shell-exercise.md.tmpl"))
)

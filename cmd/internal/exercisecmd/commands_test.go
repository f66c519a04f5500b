package exercisecmd

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/cmd/internal/factory"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/cmd/internal/prompter"
	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/lessons"
)

// noQuestions is a terminal's prompter that must not be asked anything.
type noQuestions struct {
	prompter.Prompter
	t *testing.T
}

func (p noQuestions) Confirm(message string, def bool) (bool, error) {
	p.t.Errorf("asked %q, with --yes", message)
	return false, nil
}

// TestResetYesAsksNothing: `reset --yes` on a terminal does not stop at a
// question about changed starter files (a script's loop would wait on
// it); it keeps them and names --reset-workspace.
func TestResetYesAsksNothing(t *testing.T) {
	lesson := "---\nformat_version: 1\nid: ws\ntitle: Ws\nsummary: S.\norder: 1\nminutes: 5\n---\n\n# Ws\n\n```exercise\nid: edit\ntitle: Edit\ngoal: Edit a.txt.\nflavour: build\nworkspace: [a.txt]\nchecks:\n  - kind: workspace_file\n    path: a.txt\n    contains: b\nhints: [Edit it., Write b.]\nsolution: echo b > a.txt\n```\n"
	c, err := lessons.Load(lessons.Source{FS: fstest.MapFS{"ws/ws.md": {Data: []byte(lesson)}, "ws/a.txt": {Data: []byte("a\n")}}, Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := c.Exercise("ws/edit")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	streams, _, out, _ := iostreams.Test()
	f := factory.New(streams, func(string) string { return "" }, t.TempDir())
	f.Prompter = func() prompter.Prompter { return noQuestions{t: t} }
	if err := resetWorkspace(f, dir, ex, false, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "a.txt")); string(got) != "mine\n" {
		t.Errorf("a.txt = %q, want the learner's own", got)
	}
	if !strings.Contains(out.String(), "pass --reset-workspace") {
		t.Errorf("output does not name --reset-workspace:\n%s", out.String())
	}
}

// TestPassShowsFollowUpUnlessReading: a pass shows the lesson's text
// after the exercise, except in the guided flow, which goes on to show it
// as the learner reads on (it would be shown twice).
func TestPassShowsFollowUpUnlessReading(t *testing.T) {
	lesson := "---\nformat_version: 1\nid: fu\ntitle: Fu\nsummary: S.\norder: 1\nminutes: 5\n---\n\n# Fu\n\n```exercise\nid: run\ntitle: Run\ngoal: Run dojo-fu.\nflavour: host\nchecks:\n  - kind: container_running\n    container: dojo-fu\nhints: [Run it., Run it now.]\nsolution: docker run -d --name dojo-fu busybox:1.36 sleep 300\nowns:\n  containers: [dojo-fu]\n```\n\nOpen the page in your browser now.\n"
	c, err := lessons.Load(lessons.Source{FS: fstest.MapFS{"fu/fu.md": {Data: []byte(lesson)}}, Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := c.Exercise("fu/run")
	if err != nil {
		t.Fatal(err)
	}
	res := checker.Result{Outcomes: []checker.Outcome{{Kind: "container_running", Title: "container dojo-fu is running", Passed: true}}}
	for _, followUp := range []bool{true, false} {
		streams, _, out, _ := iostreams.Test()
		f := factory.New(streams, func(string) string { return "" }, t.TempDir())
		PrintResult(f, ex, res, followUp, "")
		if got := strings.Contains(out.String(), "Open the page in your browser now."); got != followUp {
			t.Errorf("with followUp %v, the text after the exercise shown: %v\n%s", followUp, got, out.String())
		}
	}
}

// answers is a terminal's prompter that answers each confirmation with
// answer, and keeps the questions.
type answers struct {
	prompter.Prompter
	answer bool
	asked  *[]string
}

func (p answers) Confirm(message string, def bool) (bool, error) {
	*p.asked = append(*p.asked, message)
	if def {
		return false, fmt.Errorf("asked %q with yes as its default", message)
	}
	return p.answer, nil
}

// TestReplaceOtherAsksAndSaysWhatIsLost: another dockdojo user's sandbox
// is replaced only on a yes, asked on a terminal (no by default) after
// saying whose it is and that their work in it is lost, or on --yes
// given off a terminal; nothing else removes it.
func TestReplaceOtherAsksAndSaysWhatIsLost(t *testing.T) {
	lesson := "---\nformat_version: 1\nid: box\ntitle: Box\nsummary: S.\norder: 1\nminutes: 5\n---\n\n# Box\n\n```exercise\nid: in\ntitle: In\ngoal: Write a note.\nflavour: shell\nsandbox:\n  image: busybox:1.36\nchecks:\n  - kind: exec\n    command: [cat, /root/note]\nhints: [Write it.]\nsolution: docker exec \"$DOJO_SANDBOX\" touch /root/note\n```\n"
	c, err := lessons.Load(lessons.Source{FS: fstest.MapFS{"box/box.md": {Data: []byte(lesson)}}, Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := c.Exercise("box/in")
	if err != nil {
		t.Fatal(err)
	}
	other := &exercise.Found{Name: "dockdojo-box-in", Run: "c00e04ab", Created: time.Now(), Mounts: []string{"/home/a/dockdojo/box/in"}}
	tests := []struct {
		name     string
		terminal bool
		answer   bool
		yes      bool
		want     bool // replaced
		says     string
	}{
		{"terminal, yes", true, true, false, true, "Replacing it with a sandbox of yours removes their sandbox dockdojo-box-in, and what they made inside it is lost to them."},
		{"terminal, no", true, false, false, false, "lost to them"},
		{"no terminal", false, false, false, false, "is not yours"},
		{"no terminal, --yes", false, false, true, true, "--yes: Replacing it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			streams, _, out, _ := iostreams.Test()
			f := factory.New(streams, func(string) string { return "" }, t.TempDir())
			var asked []string
			f.Prompter = func() prompter.Prompter {
				if !tt.terminal {
					return nil
				}
				return answers{answer: tt.answer, asked: &asked}
			}
			err := replaceOther(f, ex, other, tt.yes, "start")
			if got := err == nil; got != tt.want {
				t.Errorf("replaced = %v (%v), want %v", got, err, tt.want)
			}
			if tt.terminal != (len(asked) == 1) || tt.terminal && asked[0] != "Replace their sandbox with one of yours?" {
				t.Errorf("asked %q; want one question on a terminal, none off one", asked)
			}
			said := strings.Join(strings.Fields(out.String()), " ")
			for _, want := range []string{"run c00e04ab", "it mounts their workspace folder /home/a/dockdojo/box/in", "Two people cannot do the same exercise on one engine at once", tt.says} {
				if !strings.Contains(said, want) {
					t.Errorf("output does not say %q:\n%s", want, out.String())
				}
			}
		})
	}
}

//go:build linux

package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mattn/go-runewidth"

	"github.com/dockdojo/dockdojo/content"
	"github.com/dockdojo/dockdojo/internal/mdblock"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/progress"
)

// The learner's terminal, in a real pseudo-terminal.

// noEngine is a learner's environment whose engine is a dead socket: these
// tests are about the terminal, not Docker.
func noEngine(dir string) []string {
	return termEnv(dir, "DOCKER_HOST=unix://"+dir+"/no-engine.sock")
}

// TestReadIsPaged: read on a terminal pages a long lesson, with the same
// pager rules as the guided flow: q goes on (here: ends the reading). A
// screen is the terminal's height in rows, a line of a code block wider
// than the terminal (a command, kept whole) taking the rows the terminal
// wraps it on.
func TestReadIsPaged(t *testing.T) {
	bin := buildDockdojo(t)
	dir := t.TempDir()
	for _, tt := range []struct {
		lesson     string
		rows, cols uint16
		whole      string // a line of a code block on the first screen
	}{
		{"volumes", 24, 80, ""},
		{"images-containers", 40, 40, "docker pull busybox:1.36    # ask the registry, get what is new"},
	} {
		v := startVT(t, bin, append(noEngine(dir), "DOCKDOJO_PAGER=builtin"), dir, tt.rows, tt.cols, "read", tt.lesson)
		v.expect("the built-in pager after one screen", `-- \d+% -- space`)
		lines := strings.Split(v.plain(), "\n")
		rows, whole := 0, tt.whole == ""
		for _, line := range lines[:len(lines)-1] { // the last is the prompt's
			line = strings.TrimRight(line, "\r ")
			rows += max(1, (runewidth.StringWidth(line)+int(tt.cols)-1)/int(tt.cols))
			whole = whole || strings.TrimSpace(line) == tt.whole
		}
		if rows > int(tt.rows)-1 || !whole {
			t.Errorf("read %s on a terminal of %dx%d: %d rows before the pager's prompt, want %d at most, and %q on one line:\n%s", tt.lesson, tt.cols, tt.rows, rows, tt.rows-1, tt.whole, v.plain())
		}
		v.send("q")
		if code := v.wait(); code != 0 {
			t.Errorf("read ended with %d after q, want 0", code)
		}
	}
}

// TestCtrlCInLess: Ctrl-C in less leaves the pager, as in the built-in one
// (less runs with -K), instead of being ignored.
func TestCtrlCInLess(t *testing.T) {
	if _, err := exec.LookPath("less"); err != nil {
		t.Skipf("less is not installed: %v", err)
	}
	bin := buildDockdojo(t)
	dir := t.TempDir()
	v := startVT(t, bin, noEngine(dir), dir, 24, 80, "read", "volumes")
	v.expect("the lesson in less", `Volumes`)
	// less discards what was typed before it set up the terminal: type
	// only once it reads keys one by one and shows its prompt, as a
	// learner does (a Ctrl-C during its start was once lost under load).
	v.waitKeyByKey()
	v.expect("less's prompt", `(?m)^:`)
	if strings.Contains(v.plain(), "<E2>") {
		t.Errorf("less shows the lesson's UTF-8 as bytes (<E2><80><A2> for a bullet):\n%s", v.plain())
	}
	v.send(keyCtrlC)
	// less discards what is typed while it sets the terminal up, which it
	// may do once more after its prompt shows: under load, the Ctrl-C can
	// land there and be lost, and a learner presses it again.
	select {
	case <-v.exited:
	case <-time.After(10 * time.Second):
		v.send(keyCtrlC)
	}
	if code := v.wait(); code != 0 {
		t.Errorf("read ended with %d after Ctrl-C in less, want 0 (the reading ends)", code)
	}
}

// TestGuidedEndsOnAnOutsideSIGINT: kill -INT at a menu ends the guided flow
// as Ctrl-C at the list of lessons does: exit 130, progress said to be
// kept, the terminal as it was.
func TestGuidedEndsOnAnOutsideSIGINT(t *testing.T) {
	bin := buildDockdojo(t)
	dir := t.TempDir()
	v := startVT(t, bin, noEngine(dir), dir, 30, 100)
	before := v.settings()
	v.expect("the lesson menu", `Which lesson\?`)
	if err := v.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	v.expect("goodbye", `Your progress is saved`)
	if code := v.wait(); code != 130 {
		t.Errorf("exit %d after kill -INT, want 130", code)
	}
	if strings.Contains(v.plain(), "cancelled") {
		t.Errorf("the goodbye is followed by more words:\n%s", v.plain())
	}
	v.expectSettings(before)
}

// pick waits for the menu that menu (a regular expression) finds, types
// filter there and, once the option that chosen finds is under the
// cursor, picks it with Enter.
func (v *vt) pick(menu, filter, chosen string) {
	v.t.Helper()
	v.expect("the menu", menu)
	v.send(filter)
	v.expect("the option, under the cursor", chosen)
	v.send(keyEnter)
}

// TestMenuFilterPicksTheHighlighted: typing in a menu filters it and puts
// the cursor on the first option that matches, and Enter picks that one.
// With the cursor on "Check my work", typing "check" once left it on the
// second match, "Watch: re-check live…", which Enter then ran.
func TestMenuFilterPicksTheHighlighted(t *testing.T) {
	bin := buildDockdojo(t)
	dir := t.TempDir()
	v := startVT(t, bin, noEngine(dir), dir, 30, 80)
	v.pick(`Which lesson\?`, "your first run", `> \[ \] Containers: your first run`)
	v.pick(`Read the lesson from the start`, "publish your", `> \[ \] Exercise: Publish your own page`)
	v.expect("the exercise's menu", `(?s)What now\?.*> Start: prepare the workspace`)
	v.send(keyDown)
	v.expect("the cursor on check", `> Check my work`)
	v.send("check")
	v.expect("the menu filtered, check highlighted", `(?s)What now\? check.*> Check my work`)
	v.send(keyEnter)
	v.expect("check, the action run, and the menu again", `(?s)What now\? Check my work.*What now\?.*Quit: back`)
	v.leaveWithCtrlC()
}

// TestDumbTerminalMenus: on a terminal that cannot move its cursor
// (TERM=dumb) the guided flow writes no escape sequence: its menus are
// numbered lines, answered with a number and Enter, and Ctrl-D goes back;
// a lesson is not paged.
func TestDumbTerminalMenus(t *testing.T) {
	bin := buildDockdojo(t)
	dir := t.TempDir()
	v := startVT(t, bin, append(noEngine(dir), "TERM=dumb"), dir, 30, 80)
	// Lines are typed as on a dumb terminal: the line discipline keeps
	// them until the program reads.
	typeLine := func(s string) {
		t.Helper()
		v.from = len(v.plain())
		if _, err := io.WriteString(v.ptmx, s); err != nil {
			t.Fatal(err)
		}
	}
	v.expect("the lesson menu", `(?s)Which lesson\?.*Number \(1-\d+, Enter for \d+\): $`)
	m := regexp.MustCompile(`(?m)^ *(\d+)\. \[ \] Containers: your first run`).FindStringSubmatch(v.plain())
	if m == nil {
		t.Fatalf("the first-run lesson is not a numbered line:\n%s", v.plain())
	}
	typeLine(m[1] + "\n")
	v.expect("the lesson's own menu", `(?s)  1\. Read the lesson from the start.*Number \(1-\d+, Enter for 1\): $`)
	typeLine("99\n")
	v.expect("a number out of range, said", `Type a number from 1 to \d+\.`)
	// The lesson's text, not paged, up to the first exercise's menu.
	typeLine("\n")
	v.expect("the exercise's menu", `(?s)Goal:.*what now\?.*Start: prepare the workspace.*Number \(1-\d+, Enter for 1\): $`)
	typeLine("\x04")
	v.expect("back at the lesson's menu", `Read the lesson from the start`)
	typeLine("\x04")
	v.expect("back at the lesson menu", `Which lesson\?`)
	typeLine("\x04")
	v.expect("goodbye", `Your progress is saved`)
	if code := v.wait(); code != 130 {
		t.Errorf("exit %d after Ctrl-D at the lesson menu, want 130", code)
	}
	v.mu.Lock()
	raw := v.raw.String()
	v.mu.Unlock()
	if i := strings.Index(raw, "\x1b"); i >= 0 {
		t.Errorf("an escape sequence on a dumb terminal: %q", raw[max(0, i-80):min(len(raw), i+80)])
	}
}

// TestQuizExplanationStaysInSight: on a terminal of 80x24, a quiz's
// explanation is on the screen until the learner has read it. After
// first-run's publish-meaning come a few paragraphs and an exercise, whose
// menu of nine actions would push the explanation off the screen: the
// text is paged instead, and the pager waits at its end (less without -F)
// until the learner goes on. Printed unpaged, the explanation scrolled
// away under the menu before it was read.
func TestQuizExplanationStaysInSight(t *testing.T) {
	bin := buildDockdojo(t)
	const rows, cols = 24, 80
	for _, tt := range []struct{ pager, end string }{
		{"builtin", `-- end --`},
		{"less", `\(END\)`},
		// By its path, told to quit at the end: it waits all the same.
		{"/usr/bin/less -F", `\(END\)`},
	} {
		t.Run(tt.pager, func(t *testing.T) {
			if _, err := exec.LookPath(strings.Fields(tt.pager)[0]); err != nil && tt.pager != "builtin" {
				t.Skipf("%s is not installed: %v", tt.pager, err)
			}
			dir := t.TempDir()
			v := startVT(t, bin, append(noEngine(dir), "DOCKDOJO_PAGER="+tt.pager), dir, rows, cols)
			v.pick(`Which lesson\?`, "your first run", `> \[ \] Containers: your first run`)
			v.pick(`Read the lesson from the start`, "what does", `> \[ \] Quiz: What does`)
			v.pick(`Your answer:`, "Forwards port 8080", `> Forwards port 8080 on your machine`)
			explain := "The host side comes first"
			v.expect("the explanation, then the pager's end or the next menu", `(?s)`+explain+`.*(`+tt.end+`|Quit: back to the lesson's menu)`)
			shown := v.plain()[v.from:]
			shown = shown[strings.Index(shown, explain):]
			if !regexp.MustCompile(tt.end).MatchString(shown) {
				t.Fatalf("the explanation was printed and the next menu drawn under it, %d rows from the explanation to the menu's end on a terminal of %d: the explanation scrolled off unread:\n%s", screenRows(shown, cols), rows, shown)
			}
			if n := screenRows(shown, cols); tt.pager == "builtin" && n > rows {
				t.Errorf("%d rows from the explanation to the pager's prompt, on a terminal of %d:\n%s", n, rows, shown)
			}
			v.send("q")
			v.expect("the exercise's menu", `(?s)What now\?.*Quit: back to the lesson's menu`)
			v.leaveWithCtrlC()
		})
	}
}

// screenRows is the rows text takes on a terminal cols wide, from its
// first line to its last, where "\r" goes back to the line's start.
func screenRows(text string, cols int) int {
	n := 0
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		line = line[strings.LastIndex(line, "\r")+1:]
		n += max(1, (runewidth.StringWidth(line)+cols-1)/cols)
	}
	return n
}

// TestQuizPicksStayAcrossTries: in a quiz of several answers, typing
// filters the choices and puts the cursor on the first that matches, as
// in a menu of one answer (survey left it on the row it was on), and the
// picks of a wrong answer are still picked when the learner tries again.
func TestQuizPicksStayAcrossTries(t *testing.T) {
	bin := buildDockdojo(t)
	dir := t.TempDir()
	v := startVT(t, bin, append(noEngine(dir), "DOCKDOJO_PAGER=builtin"), dir, 24, 80)
	v.pick(`Which lesson\?`, "virtualization", `> \[ \] Virtualization`)
	v.pick(`Read the lesson from the start`, "which of these", `> \[ \] Quiz: A container runs on your machine`)
	v.expect("the choices", `more than one is right`)
	// The cursor on the last row; two choices say "kernel", both right.
	v.send(keyUp)
	v.expect("the cursor on the last row", `> \[ \]  [^\n]*\n\s*$`)
	v.send("kernel")
	v.expect("the first match under the cursor", `Your answer\? kernel\r?\n> \[ \]  `)
	v.send(" ")
	v.expect("one pick", `> \[x\]  `)
	v.send(keyEnter)
	v.expect("one right answer of two", `Not quite: 1 pick right, 1 right answer not picked\.`)
	v.expect("a second chance", `> Try again`)
	v.send(keyEnter)
	v.expect("the pick kept", `(?s)Your answer\?.*\[x\]  (The kernel|The CPU and the memory)`)
	v.send("kernel")
	v.expect("the two matches", `Your answer\? kernel\r?\n`)
	v.send(keyRight)
	v.expect("both picked", `(?s)\[x\].*\[x\]`)
	v.send(keyEnter)
	v.expect("the right answer", `Right!`)
	v.pageTo("the exercise's menu", `What now\?`)
	v.leaveWithCtrlC()
}

// TestLessonMenuAtSixtyColumns: a lesson's menu asks with the lesson's
// title; one too long for its line on a narrow terminal is printed above
// the menu, which then asks as a menu does, not as a quiz ("Your
// answer?").
func TestLessonMenuAtSixtyColumns(t *testing.T) {
	bin := buildDockdojo(t)
	dir := t.TempDir()
	v := startVT(t, bin, append(noEngine(dir), "DOCKDOJO_PAGER=builtin"), dir, 24, 60)
	v.pick(`Which lesson\?`, "virtualization", `> \[ \] Virtualization`)
	v.expect("the lesson's menu", `Virtualization, virtual machines and containers\r?\n\? Which one\?`)
	v.send(keyCtrlC)
	v.expect("the list of lessons after Ctrl-C", `Which lesson\?`)
	v.send(keyCtrlC)
	v.expect("goodbye", `Your progress is saved`)
}

// TestExerciseMenuSeesProgress: an exercise's menu follows the progress
// file while it waits for a key. When the exercise is checked and passes
// in another terminal meanwhile (here: its pass recorded as a check
// records it), the menu offers "Next", with the cursor on it, where it
// offered to skip the exercise.
func TestExerciseMenuSeesProgress(t *testing.T) {
	bin := buildDockdojo(t)
	dir := t.TempDir()
	v := startVT(t, bin, append(noEngine(dir), "DOCKDOJO_PAGER=builtin"), dir, 24, 80)
	v.pick(`Which lesson\?`, "your first run", `> \[ \] Containers: your first run`)
	v.pick(`Read the lesson from the start`, "publish your", `> \[ \] Exercise: Publish your own page`)
	v.pageTo("the exercise's menu", `(?s)What now\?.*Quit: back to the lesson's menu`)
	if !strings.Contains(v.plain()[v.from:], "Skip: go on with the lesson without finishing") {
		t.Fatalf("the exercise, not done, is not offered to skip:\n%s", v.plain()[v.from:])
	}
	v.from = len(v.plain())
	path := filepath.Join(dir, "state", "dockdojo", "progress.json")
	if _, err := progress.Update(path, func(s *progress.State) {
		e := s.Exercise("first-run/publish-page")
		e.Checks++
		e.Passed = time.Now()
	}); err != nil {
		t.Fatal(err)
	}
	v.expect("the menu drawn again, the exercise done", `(?s)What now\?.*> Next: go on with the lesson.*Quit: back to the lesson's menu`)
	v.leaveWithCtrlC()
}

// TestLinesFitEightyColumns: at 80 columns, what dockdojo prints is wrapped
// at spaces, never wider than the terminal (where the terminal would break
// words), and menus fit their options. Widths are in terminal cells: a
// CJK character takes two.
//
// A command is the one exception: it is never broken by a line break,
// which would make its second half a command of its own when the lines
// are copied into a shell. A hint or a solution's line that is a command,
// a line of a lesson's code block and a code span are printed whole, and
// one wider than the terminal is left for the terminal to wrap, which
// copies as one line. Such a line may be wider than 80 columns, at 60 too;
// every other line fits.
func TestLinesFitEightyColumns(t *testing.T) {
	bin := buildDockdojo(t)
	dir := t.TempDir()
	commands := courseCommands(t)
	const (
		publish = `docker run -d --name dojo-web -p 8080:80 -v "$PWD/site":/usr/local/apache2/htdocs:ro httpd:2.4`
		dns     = "docker network create --subnet 10.234.53.0/24 dojo-try-dns-net; docker run -d --name dojo-try-dns --network dojo-try-dns-net --ip 10.234.53.53 4km3/dnsmasq:2.90-r3 --address=/dojo.test/10.1.2.3; docker run -d --name dojo-try-dns-client --network dojo-try-dns-net --dns 10.234.53.53 busybox:1.36 sleep infinity"
		hello   = "docker run --name dojo-ic-hello busybox:1.36 echo hello from dojo"
		rm      = "docker rm -f dojo-ic-hello dojo-ic-stamp dojo-ic-sleeper dojo-ic-box dojo-ic-copy dojo-ic-later"
		pull    = "docker pull busybox:1.36    # ask the registry, get what is new"
	)
	for _, tt := range []struct {
		args  []string
		cols  uint16
		whole []string // commands shown on a line of their own
	}{
		{[]string{"hint", "first-run/inside-the-box"}, 80, nil},
		{[]string{"hint", "first-run/inside-the-box"}, 80, nil},
		{[]string{"hint", "first-run/inside-the-box"}, 80, nil},
		{[]string{"next"}, 80, nil},
		{[]string{"hint", "first-run/publish-page"}, 80, nil},
		{[]string{"hint", "first-run/publish-page"}, 80, nil},
		{[]string{"hint", "first-run/publish-page"}, 80, []string{publish}},
		{[]string{"hint", "things-to-try/dns-server"}, 80, nil},
		{[]string{"hint", "things-to-try/dns-server"}, 80, nil},
		{[]string{"hint", "things-to-try/dns-server"}, 80, []string{dns}},
		{[]string{"solution", "--yes", "images-containers/run-and-exit"}, 60, []string{hello}},
		{[]string{"read", "images-containers"}, 80, []string{rm, pull}},
		{[]string{"read", "images-containers"}, 60, []string{rm, pull}},
	} {
		what := fmt.Sprintf("%s at %d columns", strings.Join(tt.args, " "), tt.cols)
		v := startVT(t, bin, append(noEngine(dir), "DOCKDOJO_PAGER=cat"), dir, 40, tt.cols, tt.args...)
		v.wait()
		for _, cmd := range tt.whole {
			// Waited for: the program may end before all it wrote is read.
			v.expect(what+": the command on a line of its own, whole", `(?m)^ *`+regexp.QuoteMeta(cmd)+` *\r?$`)
		}
		for _, line := range strings.Split(v.plain(), "\n") {
			line = strings.TrimRight(line, "\r ")
			if n := runewidth.StringWidth(line); n > int(tt.cols) && !commands[strings.TrimSpace(line)] && !oneWord(line) {
				t.Errorf("%s: a line of %d columns: %q", what, n, line)
			}
		}
	}
	v := startVT(t, bin, noEngine(dir), dir, 30, 60)
	v.expect("the lesson menu", `Which lesson\?`)
	v.expect("the first lesson, its title cut, its progress and mark whole", `> \[ \] \S[^\n]*… \(\d+ min, 0/\d+ done\)  <- continue here`)
	v.expect("its last lesson", `Quit`)
	// The first lesson's title and survey's help on the keys would not
	// fit one line, nor would the lesson chosen after "Which lesson?".
	v.send(keyEnter)
	v.expect("the first lesson's menu", `Read the lesson from the start`)
	for _, line := range strings.Split(v.plain(), "\n") {
		// A single word wider than the terminal (a long path) stays whole.
		if n := runewidth.StringWidth(strings.TrimRight(line, "\r ")); n > 60 && strings.Contains(strings.TrimSpace(line), " ") {
			t.Errorf("the lesson menus have a line of %d columns on a 60-column terminal: %q", n, line)
		}
	}
	v.send(keyCtrlC)
	v.expect("the list of lessons after Ctrl-C", `Which lesson\?`)
	v.send(keyCtrlC)
	v.wait()
}

// courseCommands are the commands of the built-in course, each trimmed: a
// line of a lesson's code block, a hint, a line of a solution.
func courseCommands(t *testing.T) map[string]bool {
	t.Helper()
	c, err := lessons.Load(lessons.Source{FS: content.FS(), Name: "content/course"})
	if err != nil {
		t.Fatal(err)
	}
	commands := map[string]bool{}
	add := func(text string) {
		for _, line := range strings.Split(text, "\n") {
			commands[strings.TrimSpace(line)] = true
		}
	}
	for _, l := range c.Lessons {
		for _, p := range l.Parts {
			for _, b := range mdblock.Fenced([]byte(p.Prose)) {
				add(b.Body)
			}
		}
		for _, ex := range l.Exercises {
			for _, h := range ex.Hints {
				add(h)
			}
			add(ex.Solution)
		}
	}
	return commands
}

// codeSpanRE is a code span, as dockdojo prints one without colour.
var codeSpanRE = regexp.MustCompile("`[^`]*`")

// oneWord reports whether line holds one word, or one code span and the
// punctuation that touches it.
func oneWord(line string) bool {
	return !strings.Contains(codeSpanRE.ReplaceAllString(strings.TrimSpace(line), "x"), " ")
}

// shellLesson is one shell exercise, for the guided flow.
const shellLesson = "---\nformat_version: 1\nid: dojotest-keys\ntitle: Keys\nsummary: The first key after a shell.\n---\n\n# Keys\n\nA short lesson.\n\n" +
	"```exercise\nid: box\ntitle: A box\ngoal: Write /root/x in the sandbox.\nflavour: shell\nsandbox:\n  image: busybox:1.36\nchecks:\n  - kind: exec\n    command: [test, -f, /root/x]\nhints: [touch /root/x]\nsolution: docker exec \"$DOJO_SANDBOX\" touch /root/x\n```\n"

// TestFirstKeyAfterTheShell: after leaving the sandbox's shell in the
// guided flow, the very first key reaches the menu (it was once swallowed
// by a read of the terminal still waiting for the shell), and so does
// every key after it, Ctrl-C included.
func TestFirstKeyAfterTheShell(t *testing.T) {
	useEngine(t, false)
	bin := buildDockdojo(t)
	dir := t.TempDir()
	folder := dir + "/lessons/keys"
	if err := os.MkdirAll(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(folder+"/keys.md", []byte(shellLesson), 0o644); err != nil {
		t.Fatal(err)
	}
	env := termEnv(dir, "DOCKDOJO_PAGER=builtin", "DOCKDOJO_LESSONS="+dir+"/lessons", "DOCKDOJO_REPLACE=1")
	t.Cleanup(func() { _ = exec.Command(bin, "clean").Run() })
	v := startVT(t, bin, env, dir, 30, 100)
	v.expect("the lesson menu", `Which lesson\?`)
	v.send(keyEnter)
	v.expect("the lesson's own menu", `Read the lesson from the start`)
	v.send(keyEnter)
	v.expect("the exercise's menu", `A box \(dojotest-keys/box\): what now\?`)
	v.send(keyEnter) // start
	v.expect("the exercise started", `Started dojotest-keys/box`)
	v.expect("check, now the default", `> Check my work`)
	v.send("shell")
	v.expect("the shell action", `> Open a shell in the sandbox`)
	v.send(keyEnter)
	v.expect("the shell's prompt", `[#$] $`)
	v.send("exit\r")
	v.expect("back from the shell", `Left the shell`)
	v.expect("the menu again, on check", `> Check my work`)
	v.send(keyDown)
	v.expect("the first key after the shell, moving the menu", `> Watch: re-check live`)
	// The keys after it too: the shell's reader of the terminal once
	// outlived the shell and took one of them (a Ctrl-C lost at the
	// lesson's menu, under load).
	v.send(keyUp)
	v.expect("the second key after the shell", `> Check my work`)
	v.leaveWithCtrlC()
}

// TestProgressPathWhole: at 80 columns, the path of the progress file,
// which progress names after its count, is never broken by a line break:
// one with a space in it (a HOME such as /Users/Jo Smith) was broken at
// the space, and copied as two lines. It goes on a line of its own, whole,
// even when it is wider than the terminal, which wraps it and copies it
// as one line.
func TestProgressPathWhole(t *testing.T) {
	bin := buildDockdojo(t)
	dir := t.TempDir()
	state := dir + "/my state/" + strings.Repeat("x", 80)
	v := startVT(t, bin, append(noEngine(dir), "XDG_STATE_HOME="+state), dir, 24, 80, "progress")
	if code := v.wait(); code != 0 {
		t.Fatalf("progress exited %d:\n%s", code, v.plain())
	}
	v.expect("the count", `exercises and \d+ of \d+ quizzes done\. Progress is kept in\s`)
	v.expect("the path whole, on a line of its own", `(?m)^`+regexp.QuoteMeta(state+"/dockdojo/progress.json")+`\r?$`)
}

// longKeyLesson has an exercise whose key is longer than list's column of
// keys may be at 80 columns, and one whose key is short.
const longKeyLesson = "---\nformat_version: 1\nid: a-lesson-of-mine-with-a-long-name\ntitle: Long names\nsummary: An exercise with a long key.\n---\n\n" +
	"```exercise\nid: an-exercise-with-a-long-name-too\ntitle: An exercise whose key is longer than the column of keys\ngoal: Nothing.\nflavour: host\nchecks:\n  - kind: script\n    script: \"true\"\nhints: [Wait.]\nsolution: \"true\"\n```\n\n" +
	"```exercise\nid: short\ntitle: A short one\ngoal: Nothing.\nflavour: host\nchecks:\n  - kind: script\n    script: \"true\"\nhints: [Wait.]\nsolution: \"true\"\n```\n"

// TestListFitsEightyColumns runs `dockdojo list` in a pseudo-terminal of 80
// columns, with a lesson folder whose exercise key is too long for the
// column of keys. No line is longer than the terminal (which would break it
// anywhere). The titles start in one column, right after the longest key
// that shares its line with its title: devices-capabilities/net-admin-inside,
// three cells wider than the column once was, pushed its own title out of
// line. The key too long has its line to itself, and its title goes on the
// next one, in the column. A title that does not fit goes on under the
// titles.
func TestListFitsEightyColumns(t *testing.T) {
	bin := buildDockdojo(t)
	dir := t.TempDir()
	folder := courseFolder(t, dir, "long/long.md", longKeyLesson)
	v := startVT(t, bin, termEnv(dir, "DOCKDOJO_LESSONS="+folder), dir, 24, 80, "list")
	if code := v.wait(); code != 0 {
		t.Fatalf("list exited %d:\n%s", code, v.plain())
	}
	v.expect("the list's last line", `start LESSON/EXERCISE`)
	out := strings.ReplaceAll(v.plain(), "\r\n", "\n")
	for _, key := range []string{"devices-capabilities/net-admin-inside", "a-lesson-of-mine-with-a-long-name/an-exercise-with-a-long-name-too"} {
		if !strings.Contains(out, key) {
			t.Fatalf("the list in the terminal lacks %s:\n%s", key, out)
		}
	}
	row := regexp.MustCompile(`^    \[.\] (\S+) +`)  // a key and the start of its title
	alone := regexp.MustCompile(`^    \[.\] (\S+)$`) // a key on a line of its own
	lines := strings.Split(out, "\n")
	columns, widest := map[int][]string{}, 0
	for _, line := range lines {
		if n := runewidth.StringWidth(line); n > 80 {
			t.Errorf("a line of %d columns, which the terminal breaks anywhere: %q", n, line)
		}
		if m := row.FindStringSubmatch(line); m != nil {
			columns[len(m[0])] = append(columns[len(m[0])], m[1])
			widest = max(widest, len("    [ ] ")+len(m[1])+1)
		}
	}
	if len(columns) != 1 || columns[widest] == nil {
		t.Fatalf("the titles start in columns %v (by the keys before them), want all in column %d, after the longest key:\n%s", columns, widest, out)
	}
	titles := strings.Repeat(" ", widest)
	goesOn, keyAlone := 0, false
	for i, line := range lines[:len(lines)-1] {
		next := lines[i+1]
		inColumn := strings.HasPrefix(next, titles) && len(next) > widest && next[widest] != ' '
		switch {
		case alone.MatchString(line):
			keyAlone = true
			if !inColumn {
				t.Errorf("after the key alone on its line %q, %q; want its title in column %d", line, next, widest)
			}
		case row.MatchString(line) && inColumn:
			goesOn++
		}
	}
	if !keyAlone {
		t.Errorf("no key has its line to itself; the list:\n%s", out)
	}
	if goesOn == 0 {
		t.Errorf("no title goes on under the titles; the list:\n%s", out)
	}
}

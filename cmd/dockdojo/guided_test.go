//go:build linux

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
	"golang.org/x/term"

	"github.com/dockdojo/dockdojo/progress"
)

// Keys as a terminal sends them.
const (
	keyEnter = "\r"
	keyDown  = "\x1b[B"
	keyUp    = "\x1b[A"
	keyRight = "\x1b[C"
	keyCtrlC = "\x03"
)

// vtStep is how long a program in a vt may take to answer one key: generous,
// because a busy CI machine starts sandboxes slowly.
const vtStep = 60 * time.Second

// promptDrawn is how long a program must have written nothing before keys
// are typed: survey draws a prompt in bursts, each a position query and
// its answer apart, and drops keys that come between them.
const promptDrawn = 100 * time.Millisecond

// vt is a pseudo-terminal with a program in it, seen as a learner sees it:
// the test types keys and waits, with a deadline, for text on the screen.
// It answers the cursor position queries (ESC[6n) that survey sends, as a
// terminal would.
type vt struct {
	t       *testing.T
	ptmx    *os.File
	tty     *os.File // kept open, so the terminal's settings can be read
	cmd     *exec.Cmd
	exited  chan struct{}
	exitErr error
	// deadline bounds the current step: each key typed gives the program
	// vtStep to answer it, however long the steps before took.
	deadline time.Time

	rows, cols uint16

	mu      sync.Mutex
	raw     strings.Builder // everything the program wrote
	lastOut time.Time       // when it last wrote
	from    int             // where the next wait starts looking, in plain()
	changed chan struct{}
	closed  bool
}

// startVT starts bin with args in a new terminal of rows x cols.
func startVT(t *testing.T, bin string, env []string, dir string, rows, cols uint16, args ...string) *vt {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("open a pseudo-terminal: %v", err)
	}
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: rows, Cols: cols}); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Dir = env, dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	v := &vt{t: t, ptmx: ptmx, tty: tty, cmd: cmd, rows: rows, cols: cols, exited: make(chan struct{}), changed: make(chan struct{}), deadline: time.Now().Add(vtStep)}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s in a pseudo-terminal: %v", bin, err)
	}
	t.Cleanup(func() {
		if !v.hasExited() {
			_ = cmd.Process.Kill()
			<-v.exited
		}
		ptmx.Close()
		tty.Close()
	})
	go func() {
		v.exitErr = cmd.Wait()
		close(v.exited)
	}()
	go v.read()
	return v
}

func (v *vt) hasExited() bool {
	select {
	case <-v.exited:
		return true
	default:
		return false
	}
}

func (v *vt) read() {
	b := make([]byte, 4096)
	tail := "" // the end of the last read, where a query may have been cut
	for {
		n, err := v.ptmx.Read(b)
		chunk := string(b[:n])
		// A query may be split between two reads; the last three bytes
		// cannot hold a whole one, so nothing is answered twice.
		scan := tail + chunk
		tail = scan[max(0, len(scan)-3):]
		v.mu.Lock()
		before := v.raw.String()
		v.mu.Unlock()
		before = before[:len(before)-(len(scan)-len(chunk))]
		for at := 0; ; {
			i := strings.Index(scan[at:], "\x1b[6n")
			if i < 0 {
				break
			}
			_, _ = io.WriteString(v.ptmx, v.cursorReport(before+scan[:at+i]))
			at += i + len("\x1b[6n")
		}
		v.mu.Lock()
		v.raw.WriteString(chunk)
		v.lastOut = time.Now()
		close(v.changed)
		v.changed = make(chan struct{})
		if err != nil {
			v.closed = true
		}
		v.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// cursorReport answers a cursor position query (ESC[6n) as a terminal of
// v's size would, given everything written before it. survey asks twice:
// after moving to row and column 999 (to learn the terminal's size), and
// where the cursor is, to wrap what the learner types.
func (v *vt) cursorReport(before string) string {
	if strings.HasSuffix(before, "\x1b[999;999f") {
		return fmt.Sprintf("\x1b[%d;%dR", v.rows, v.cols)
	}
	line := before[strings.LastIndexAny(before, "\r\n")+1:]
	cells := utf8.RuneCountInString(ansi.ReplaceAllString(line, ""))
	return fmt.Sprintf("\x1b[%d;%dR", v.rows/2, cells%int(v.cols)+1)
}

// ansi matches terminal control sequences: CSI, OSC, and single escapes.
var ansi = regexp.MustCompile(`\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-Z\\-_78=>]`)

// plain is the screen's text so far without control sequences.
func (v *vt) plain() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return ansi.ReplaceAllString(v.raw.String(), "")
}

// expect waits until the text since the last send matches re.
func (v *vt) expect(what, re string) {
	v.t.Helper()
	rx := regexp.MustCompile(re)
	timer := time.NewTimer(time.Until(v.deadline))
	defer timer.Stop()
	for {
		v.mu.Lock()
		changed, closed := v.changed, v.closed
		v.mu.Unlock()
		text := v.plain()
		if rx.MatchString(text[min(v.from, len(text)):]) {
			return
		}
		if closed {
			v.t.Fatalf("the program ended without showing %s (%s); the screen since the last key:\n%s", what, re, text[min(v.from, len(text)):])
		}
		select {
		case <-changed:
		case <-timer.C:
			v.mu.Lock()
			raw := v.raw.String()
			v.mu.Unlock()
			v.t.Fatalf("no %s (%s) on the screen within the deadline; since the last key it shows:\n%s\nthe last bytes written: %q", what, re, text[min(v.from, len(text)):], raw[max(0, len(raw)-400):])
		}
	}
}

// send types keys; later waits look only at what the program shows after.
// It first waits until the program reads keys and has read everything
// typed or answered before. Keys typed while a prompt is still being drawn
// would reach it through the cooked line discipline, Enter as "\n", and be
// lost; and survey reads a cursor position report through a buffer of its
// own and drops what follows it in the same read, so keys must not be
// queued right behind a report (no person types that fast). A lone Ctrl-C
// is sent at once: it is meant for whatever runs, raw or not.
// waitKeyByKey waits, within the step's deadline, until the program reads
// the terminal key by key (canonical mode off).
func (v *vt) waitKeyByKey() {
	v.t.Helper()
	fd := int(v.tty.Fd())
	for !v.hasExited() {
		tio, err := unix.IoctlGetTermios(fd, unix.TCGETS)
		if err != nil {
			v.t.Fatalf("read the terminal's settings: %v", err)
		}
		if tio.Lflag&unix.ICANON == 0 {
			return
		}
		if time.Now().After(v.deadline) {
			v.t.Fatalf("the program never read the terminal key by key; the screen shows:\n%s", v.plain())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (v *vt) send(keys string) {
	v.t.Helper()
	v.deadline = time.Now().Add(vtStep)
	fd := int(v.tty.Fd())
	for deadline := time.Now().Add(10 * time.Second); keys != keyCtrlC && time.Now().Before(deadline); {
		tio, err := unix.IoctlGetTermios(fd, unix.TCGETS)
		if err != nil || tio.Lflag&unix.ICANON == 0 || v.hasExited() {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	// A prompt is drawn with two position queries, the second after the
	// first is answered: keys wait until its drawing is over, or for at
	// most quietBy where the program never stops writing (a spinner).
	quietBy := time.Now().Add(2 * time.Second)
	for !v.hasExited() {
		n, err := unix.IoctlGetInt(fd, unix.TIOCINQ)
		if err != nil {
			v.t.Fatalf("read the terminal's input queue: %v", err)
		}
		v.mu.Lock()
		quiet := time.Since(v.lastOut) >= promptDrawn || time.Now().After(quietBy)
		v.mu.Unlock()
		if n == 0 && (keys == keyCtrlC || quiet) {
			break
		}
		if time.Now().After(v.deadline) {
			v.t.Fatalf("the program did not read its input (%d bytes wait); the screen shows:\n%s", n, v.plain())
		}
		time.Sleep(5 * time.Millisecond)
	}
	v.from = len(v.plain())
	if _, err := io.WriteString(v.ptmx, keys); err != nil {
		v.t.Fatalf("type %q: %v", keys, err)
	}
}

// settings are the terminal's settings (its termios) now.
func (v *vt) settings() *term.State {
	v.t.Helper()
	st, err := term.GetState(int(v.tty.Fd()))
	if err != nil {
		v.t.Fatal(err)
	}
	return st
}

// expectSettings fails the test unless the terminal's settings are before:
// dockdojo leaves the terminal as it found it.
func (v *vt) expectSettings(before *term.State) {
	v.t.Helper()
	if after := v.settings(); !reflect.DeepEqual(before, after) {
		v.t.Errorf("the terminal's settings changed:\nbefore %+v\nafter  %+v", before, after)
	}
}

// leaveWithCtrlC walks out of the guided flow from an exercise's menu, one
// Ctrl-C a level: to the lesson's menu, to the list of lessons, then out,
// with exit code 130.
func (v *vt) leaveWithCtrlC() {
	v.t.Helper()
	v.send(keyCtrlC)
	v.expect("the lesson's menu after Ctrl-C", `Read the lesson from the start`)
	v.send(keyCtrlC)
	v.expect("the list of lessons after Ctrl-C", `Which lesson\?`)
	v.send(keyCtrlC)
	v.expect("goodbye", `Your progress is saved`)
	if code := v.wait(); code != 130 {
		v.t.Errorf("exit code after Ctrl-C at the lesson list = %d, want 130", code)
	}
}

// wait waits for the program to end and returns its exit code.
func (v *vt) wait() int {
	v.t.Helper()
	select {
	case <-v.exited:
	case <-time.After(time.Until(v.deadline)):
		v.t.Fatalf("the program did not end; the screen shows:\n%s", v.plain())
	}
	if v.exitErr == nil {
		return 0
	}
	if ee, ok := v.exitErr.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	v.t.Fatalf("wait: %v", v.exitErr)
	return -1
}

// pageTo pages on with space until the screen shows menu (a regular
// expression): past the built-in pager's screens and its end.
func (v *vt) pageTo(what, menu string) {
	v.t.Helper()
	for {
		// Waited for first: a key typed while the menu is drawn would
		// reach the menu.
		v.expect("a page or "+what, `-- \d+% --|-- end --|`+menu)
		if regexp.MustCompile(menu).MatchString(v.plain()[v.from:]) {
			return
		}
		v.send(" ")
	}
}

// TestGuidedPTY walks the guided flow in a real terminal as a learner
// would: picks the first-run lesson, pages through its text, starts the
// publish-page exercise, checks it, takes a hint, stops a running watch
// with Ctrl-C, answers the quiz wrong and then right, and leaves with
// Ctrl-C. The terminal must be left as it
// was, and everything done must be in the progress file.
func TestGuidedPTY(t *testing.T) {
	useEngine(t, false)

	bin := buildDockdojo(t)
	dir := t.TempDir()
	env := termEnv(dir, "DOCKDOJO_PAGER=builtin")
	v := startVT(t, bin, env, dir, 30, 100)
	before := v.settings()

	v.expect("the lesson menu", `Which lesson\?`)
	v.expect("the first-run lesson", `Containers: your first run`)
	// Typing filters survey's menu, so other lessons may come and go.
	v.send("your first run")
	v.expect("the filtered menu", `> \[ \] Containers: your first run`)
	v.send(keyEnter)
	v.expect("the lesson's own menu", `Read the lesson from the start`)
	v.send(keyEnter)

	// The text up to the first exercise is longer than 30 rows: paged.
	v.expect("the built-in pager", `-- \d+% -- space: next page`)
	if !strings.Contains(v.plain(), "Running something in the background") {
		t.Errorf("the first page lacks the lesson's text:\n%s", v.plain())
	}
	v.pageTo("the exercise", `what now\?`)
	// The goal is on the last page, above the menu.
	if !regexp.MustCompile(`Goal:\**\s+Run a detached container named dojo-web`).MatchString(v.plain()) {
		t.Errorf("the exercise's goal was not shown:\n%s", v.plain())
	}
	v.expect("the start action, chosen", `> Start: prepare the workspace`)

	v.send(keyEnter)
	v.expect("the exercise started", `Started first-run/publish-page: Publish your own page`)
	v.expect("check, now the default", `> Check my work`)
	v.send(keyEnter)
	v.expect("a failing check", `0 of 6 checks pass\. First to fix: container dojo-web exists, made from httpd:2\.4\.`)
	v.expect("the menu again", `what now\?`)

	v.send("hint")
	v.expect("the hint action", `> Hint \(0 of 3 seen\)`)
	v.send(keyEnter)
	v.expect("the first hint", `Hint 1 of 3: Work in the exercise's workspace folder`)
	v.expect("the menu again", `what now\?`)

	// A running action stops at Ctrl-C, and the menu comes back.
	v.send("watch")
	v.expect("the watch action", `> Watch: re-check live`)
	v.send(keyEnter)
	v.expect("watch running", `Watching first-run/publish-page: re-checking on Docker events`)
	v.expect("watch's verdict", `0 of 6 checks pass\. Still missing:`)
	v.send(keyCtrlC)
	v.expect("the action stopped", `Stopped\. Back to the menu\.`)
	v.expect("the menu again", `what now\?`)

	v.send("skip")
	v.expect("the skip action", `> Skip: go on with the lesson`)
	v.send(keyEnter)

	v.expect("the quiz", `What does .?-p 8080:80.? do\?`)
	v.expect("the answers", `Your answer:`)
	// Choices come in an order of the learner's own: pick them by text,
	// typing filters the menu.
	v.send("Limits the container")
	v.expect("a wrong answer, chosen", `> Limits the container to 80 connections`)
	v.send(keyEnter)
	v.expect("a wrong answer told", `Not quite\.`)
	v.expect("a second chance", `> Try again`)
	v.send(keyEnter)
	v.expect("the answers again", `Your answer:`)
	v.send("Forwards port 8080")
	v.expect("the right answer, chosen", `> Forwards port 8080 on your machine to port 80`)
	v.send(keyEnter)
	v.expect("a right answer told", `Right!`)
	v.expect("the explanation", `The host side comes first`)
	v.pageTo("the next exercise's menu", `what now\?`)
	v.expect("the next exercise's menu", `Leave a note inside a container \(first-run/inside-the-box\): what now\?`)
	v.leaveWithCtrlC()

	v.expectSettings(before)

	data, err := os.ReadFile(filepath.Join(dir, "state", "dockdojo", "progress.json"))
	if err != nil {
		t.Fatalf("no progress saved: %v", err)
	}
	var st progress.State
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatalf("progress file: %v\n%s", err, data)
	}
	e := st.Exercises["first-run/publish-page"]
	// Checked twice: by the check action, and by the watch's verdict,
	// which is recorded as a check's is.
	if e == nil || e.Started.IsZero() || e.Checks != 2 || e.Hints != 1 || e.Done() {
		t.Errorf("progress of first-run/publish-page = %+v, want started, checked twice, one hint, not done\n%s", e, data)
	}
	q := st.Quizzes["first-run/publish-meaning"]
	if q == nil || !q.Correct || q.Attempts != 2 {
		t.Errorf("progress of the quiz = %+v, want right after 2 attempts\n%s", q, data)
	}
	if _, err := os.Stat(filepath.Join(dir, "ws", "first-run", "publish-page", "site", "index.html")); err != nil {
		t.Errorf("start did not seed the workspace: %v", err)
	}
}

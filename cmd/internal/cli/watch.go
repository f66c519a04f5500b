package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fsnotify/fsnotify"
	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/progress"
	"github.com/dockdojo/dockdojo/sandbox"
)

// Timing of watch.
const (
	// watchDebounce is how long after the first event of a burst the check
	// runs; everything else of the burst is covered by that one check. The
	// window opens with the first event and is not extended, so a steady
	// stream of events cannot postpone the verdict.
	watchDebounce = 150 * time.Millisecond
	// watchSettle is how long after an event a failing verdict is re-checked
	// with a growing pause, from watchSettleMin up to watchSettleMax: a
	// server that has just started needs a moment before it answers.
	watchSettle    = 6 * time.Second
	watchSettleMin = 250 * time.Millisecond
	watchSettleMax = 2 * time.Second
)

// watchEvents are the engine events that may change a verdict.
var watchEvents = sandbox.EventFilter{
	Types: []string{"container", "network", "volume", "image"},
	Actions: []string{
		"create", "start", "stop", "die", "destroy", "rename", "pause", "unpause", "update", // containers
		"connect", "disconnect", // networks (and create, destroy)
		// volumes: create, destroy
		"tag", "untag", "delete", "import", "load", "pull", // images; a build shows as tag
	},
}

type watchOptions struct {
	f    *Factory
	Key  string
	Poll time.Duration
}

func newWatchCmd(f *Factory) *cobra.Command {
	opts := &watchOptions{f: f}
	cmd := &cobra.Command{
		Use:   "watch [LESSON/EXERCISE]",
		Short: "Re-check an exercise live, on Docker events and workspace changes",
		Long: `Watch an exercise (by default the one you started last) and re-run its checks
whenever something changes: a container starts, stops, dies or is removed, a
network gains or loses a container, a volume or image appears or goes, a file
in the exercise's workspace folder changes. It also re-checks every --poll, for
what no event reports (a file written inside a container).

It shows which checks pass now and the first thing still missing. When they
all pass it records the exercise as done and, on a terminal, offers the next
exercise; otherwise it exits 0. Ctrl-C stops watching (exit 130); nothing you
made is touched.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Key = args[0]
			}
			return runWatch(cmd.Context(), opts)
		},
	}
	cmd.Flags().DurationVar(&opts.Poll, "poll", 5*time.Second, "also re-check this often, for changes no event reports (0: only on events)")
	return cmd
}

func runWatch(ctx context.Context, opts *watchOptions) error {
	f := opts.f
	key := opts.Key
	if key == "" {
		st, err := f.Progress()
		if err != nil {
			return err
		}
		if key = st.LastStarted(); key == "" {
			return usageError{errors.New("no exercise started yet: name one (`dockdojo watch LESSON/EXERCISE`) or start one with `dockdojo start`")}
		}
	}
	ex, err := f.Exercise(key)
	if err != nil {
		return err
	}
	eng, err := f.Engine(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	for {
		if _, err := watchExercise(ctx, f, eng, ex, opts.Poll); err != nil {
			return err
		}
		next := nextExercise(f, ex)
		p := f.Prompter()
		if p == nil {
			return nil
		}
		if next == nil {
			fmt.Fprintln(f.IO.Out, "That was the last exercise of the course.")
			return nil
		}
		ok, err := p.Confirm(fmt.Sprintf("Start the next exercise, %s (%s), and watch it?", next.Key(), next.Title), true)
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintf(f.IO.Out, "Next time: `dockdojo start %s`.\n", next.Key())
			return nil
		}
		if err := runStart(ctx, &startOptions{f: f, Key: next.Key()}); err != nil {
			return err
		}
		ex = next
	}
}

// nextExercise is the first exercise after ex in the course not done yet,
// or nil.
func nextExercise(f *Factory, ex *lessons.Exercise) *lessons.Exercise {
	c, err := f.Course()
	if err != nil {
		return nil
	}
	st, err := f.Progress()
	if err != nil {
		return nil
	}
	all := c.Exercises()
	for i, e := range all {
		if e != ex {
			continue
		}
		for _, n := range all[i+1:] {
			if !st.Exercises[n.Key()].Done() {
				return n
			}
		}
	}
	return nil
}

// watchExercise watches ex until its checks all pass, showing each verdict
// and recording the pass in the progress file.
func watchExercise(ctx context.Context, f *Factory, eng *sandbox.Engine, ex *lessons.Exercise, poll time.Duration) (checker.Result, error) {
	ws := exercise.Workspace(f.Workspace(), ex)
	d := newWatchDisplay(f, ex)
	w := &watcher{
		events:    eng.Events,
		workspace: ws,
		poll:      poll,
		check: func(ctx context.Context) (checker.Result, error) {
			return exercise.Check(ctx, eng, ex, f.Workspace())
		},
		show: d.show,
		ready: func(watchingFiles bool) {
			where := "Docker events"
			if watchingFiles {
				where += " and changes in " + ws
			}
			fmt.Fprintf(f.IO.Out, "Watching %s: re-checking on %s. Ctrl-C stops.\n", ex.Key(), where)
		},
	}
	res, err := w.run(ctx)
	if err != nil {
		return res, err
	}
	if err := f.UpdateProgress(func(s *progress.State) {
		e := s.Exercise(ex.Key())
		e.Checks++
		if e.Passed.IsZero() {
			e.Passed = time.Now().UTC()
		}
	}); err != nil {
		return res, err
	}
	f.Event(checkEvent(ex.Key(), res))
	d.celebrate()
	return res, nil
}

// verdict is the outcome of one check run, with what caused it.
type verdict struct {
	res   checker.Result
	cause string // "the first look", "container dojo-web start", "site/index.html changed", ...
	at    time.Time
}

// watcher re-runs an exercise's checks when something they may depend on
// changes. Checks run one at a time, in the watcher's own loop, so two
// checks of the exercise never overlap; events that arrive meanwhile lead
// to one more check after it.
type watcher struct {
	// events subscribes to engine events: the engine's Events, or a fake.
	events    func(context.Context, sandbox.EventFilter) (<-chan sandbox.Event, <-chan error)
	workspace string        // watched for file changes when it exists
	poll      time.Duration // re-check this often when nothing happens; 0: never
	check     func(context.Context) (checker.Result, error)
	show      func(verdict)
	// ready is called once the event subscription and the file watch are in
	// place: anything that happens from then on is seen.
	ready func(watchingFiles bool)
	// onEvent, when set, is called with each engine event that leads to a
	// check, as it arrives (for measuring latency).
	onEvent func(sandbox.Event)
}

func (w *watcher) run(ctx context.Context) (checker.Result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	kick := make(chan string, 1) // a change happened; its cause. Full means one is pending already.
	nudge := func(cause string) {
		select {
		case kick <- cause:
		default:
		}
	}
	fail := make(chan error, 2)

	evs, evErrs := w.events(ctx, watchEvents)
	go func() {
		probes := map[string]bool{} // ids of the checker's own throwaway containers
		for {
			select {
			case ev, ok := <-evs:
				if !ok {
					return
				}
				if cause, ok := relevant(ev, probes); ok {
					if w.onEvent != nil {
						w.onEvent(ev)
					}
					nudge(cause)
				}
			case err := <-evErrs:
				if ctx.Err() == nil {
					fail <- err
				}
				return
			}
		}
	}()

	files, err := watchFiles(ctx, w.workspace, nudge)
	if err != nil {
		return checker.Result{}, err
	}
	if w.ready != nil {
		w.ready(files)
	}

	timer := time.NewTimer(0) // the first check runs at once
	defer timer.Stop()
	cause := "the first look"
	windowOpen := false // a change arrived since the last check, and its check is scheduled
	var settleUntil time.Time
	backoff := watchSettleMin
	for {
		select {
		case <-ctx.Done():
			return checker.Result{}, ctx.Err()
		case err := <-fail:
			return checker.Result{}, err
		case c := <-kick:
			now := time.Now()
			settleUntil, backoff = now.Add(watchSettle), watchSettleMin
			if !windowOpen {
				windowOpen, cause = true, c
				timer.Reset(watchDebounce)
			}
		case <-timer.C:
			// Changes up to now are covered by this check.
			select {
			case <-kick:
			default:
			}
			windowOpen = false
			res, err := w.check(ctx)
			if err != nil {
				return res, err
			}
			w.show(verdict{res: res, cause: cause, at: time.Now()})
			if res.Passed() {
				return res, nil
			}
			switch now := time.Now(); {
			case now.Before(settleUntil):
				timer.Reset(backoff)
				backoff = min(2*backoff, watchSettleMax)
				cause = "a second look"
			case w.poll > 0:
				timer.Reset(w.poll)
				cause = "the regular re-check"
			}
		}
	}
}

// relevant says whether an engine event may change a verdict, and names it.
// The checker's own probe containers come and go with every check; their
// events, and their network connections, are not changes of the learner's.
func relevant(ev sandbox.Event, probes map[string]bool) (string, bool) {
	switch ev.Type {
	case "container":
		if ev.Attributes[sandbox.LabelRole] == "probe" {
			if ev.Action == "destroy" {
				delete(probes, ev.ID)
			} else {
				probes[ev.ID] = true
			}
			return "", false
		}
		return fmt.Sprintf("container %s %s", ev.Name, ev.Action), true
	case "network":
		if probes[ev.Attributes["container"]] {
			return "", false
		}
		return fmt.Sprintf("network %s %s", ev.Name, ev.Action), true
	case "volume":
		return fmt.Sprintf("volume %s %s", ev.ID, ev.Action), true
	case "image":
		return fmt.Sprintf("image %s %s", ev.Name, ev.Action), true
	}
	return "", false
}

// watchFiles nudges on every change below dir, watching folders created
// later too. A missing dir is not an error: there is nothing to watch.
//
// fsnotify uses the system's own notifications (inotify, kqueue,
// ReadDirectoryChangesW), so a saved file is seen at once and an idle watch
// costs nothing, where polling mtimes would cost a walk of the tree each
// time and notice late.
func watchFiles(ctx context.Context, dir string, nudge func(string)) (bool, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return false, nil
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return false, fmt.Errorf("watch workspace %s: %w", dir, err)
	}
	addTree := func(root string) {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				_ = fw.Add(p)
			}
			return nil
		})
	}
	addTree(dir)
	go func() {
		defer fw.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-fw.Events:
				if !ok {
					return
				}
				if ev.Op == fsnotify.Chmod {
					continue
				}
				if ev.Has(fsnotify.Create) {
					if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
						addTree(ev.Name)
					}
				}
				rel, err := filepath.Rel(dir, ev.Name)
				if err != nil {
					rel = ev.Name
				}
				nudge(filepath.ToSlash(rel) + " changed")
			case _, ok := <-fw.Errors:
				if !ok {
					return
				}
			}
		}
	}()
	return true, nil
}

// watchDisplay shows verdicts: on a terminal, a block of lines redrawn in
// place; otherwise a plain line each time the verdict changes.
type watchDisplay struct {
	f     *Factory
	ex    *lessons.Exercise
	tty   bool
	drawn int    // lines of the block on screen
	last  string // the last verdict shown, for plain output
}

func newWatchDisplay(f *Factory, ex *lessons.Exercise) *watchDisplay {
	return &watchDisplay{f: f, ex: ex, tty: f.IO.OutTTY}
}

func passedCount(res checker.Result) int {
	n := 0
	for _, o := range res.Outcomes {
		if o.Passed {
			n++
		}
	}
	return n
}

func firstLine(s string) string { return strings.SplitN(s, "\n", 2)[0] }

func (d *watchDisplay) show(v verdict) {
	w := d.f.IO.Out
	n, total := passedCount(v.res), len(v.res.Outcomes)
	if !d.tty {
		line := fmt.Sprintf("%d/%d checks pass", n, total)
		if ff := v.res.FirstFailure(); ff != nil {
			line += "; still missing: " + firstLine(ff.Message)
		}
		if line == d.last {
			return
		}
		d.last = line
		fmt.Fprintf(w, "%s %s (after %s)\n", v.at.Format("15:04:05"), line, v.cause)
		return
	}
	ok, bad := "ok  ", "FAIL"
	if d.f.IO.Color {
		ok, bad = "\x1b[32m✓\x1b[0m", "\x1b[31m✗\x1b[0m"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", d.ex.Key(), d.ex.Goal)
	for _, o := range v.res.Outcomes {
		mark := ok
		if !o.Passed {
			mark = bad
		}
		fmt.Fprintf(&b, "  %s %s\n", mark, o.Title)
	}
	if ff := v.res.FirstFailure(); ff != nil {
		fmt.Fprintf(&b, "%d of %d checks pass. Still missing:\n", n, total)
		for _, l := range strings.Split(ff.Message, "\n") {
			fmt.Fprintf(&b, "  %s\n", l)
		}
	} else {
		fmt.Fprintf(&b, "All %d checks pass.\n", total)
	}
	fmt.Fprintf(&b, "Checked at %s, after %s.\n", v.at.Format("15:04:05"), v.cause)
	if d.drawn > 0 {
		fmt.Fprintf(w, "\x1b[%dA\r\x1b[J", d.drawn)
	}
	text := b.String()
	fmt.Fprint(w, text)
	d.drawn = screenLines(text, d.f.IO.Width())
}

// screenLines is how many terminal rows text takes at this width.
func screenLines(text string, width int) int {
	n := 0
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		cells := utf8.RuneCountInString(stripANSI(l))
		n += max(1, (cells+width-1)/width)
	}
	return n
}

// stripANSI drops CSI escape sequences, which take no room on screen.
func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func (d *watchDisplay) celebrate() {
	w := d.f.IO.Out
	msg := fmt.Sprintf("Well done: %s is complete! Recorded in your progress.", d.ex.Key())
	if d.f.IO.Color {
		msg = "\x1b[1;32m★ " + msg + "\x1b[0m"
	}
	fmt.Fprintln(w, msg)
}

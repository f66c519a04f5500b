package session

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/classroom"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
)

// Timing of watch.
const (
	// watchDebounce is how long after the first event of a burst the check
	// runs; everything else of the burst is covered by that one check. The
	// window opens with the first event and is not extended, so a steady
	// stream of events cannot postpone the verdict. The events of one
	// command come together (`docker run`: create, then the network's
	// connect 10 ms later; its start follows when the engine has started
	// the container, some 200 ms on, and gets a check of its own whatever
	// the window), so a short window costs no extra checks and every
	// verdict comes sooner.
	watchDebounce = 50 * time.Millisecond
	// watchSettle is how long after an event a failing verdict is re-checked
	// with a growing pause, from watchSettleMin up to watchSettleMax: a
	// server that has just started needs a moment before it answers.
	watchSettle    = 6 * time.Second
	watchSettleMin = 250 * time.Millisecond
	watchSettleMax = 2 * time.Second
	// watchConfirm is how long a pass must hold before it is recorded: a
	// container that dies just after a passing check (it exited at once)
	// sends its die event within this, and is judged again.
	watchConfirm = time.Second
	// watchQuiet is how long the engine must be quiet, after the learner
	// removed something, before an exercise whose checks put a probe on a
	// network of the learner's looks again (see quietAfterTeardown); at
	// most watchQuietMax after the first removal.
	watchQuiet    = time.Second
	watchQuietMax = 3 * time.Second
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

// WatchOptions say how a watch shows what it sees.
type WatchOptions struct {
	// Poll re-checks this often when nothing happens, for what no event
	// reports (a file written inside a container); 0: only on events.
	Poll time.Duration
	// Show is called with every verdict, in order.
	Show func(Verdict)
	// Ready is called once the event subscription and the file watch are
	// in place: anything that happens from then on is seen.
	Ready func(watchingFiles bool)
	// OnEvent, when set, is called with each engine event that leads to a
	// check, as it arrives (for measuring latency).
	OnEvent func(sandbox.Event)
}

// Watch re-runs the checks of ex whenever something they may depend on
// changes (an engine event, a file of the workspace, the poll), showing
// each verdict, until they all pass; that pass is recorded like a check's
// (see Record). A failing verdict is recorded when it differs from the last
// one recorded (another check fails first, or more or fewer pass), so that
// the classroom sees a learner who works under watch as one who runs check;
// the same verdict again, as the poll finds it, is not. A pass that could
// not be recorded returns the result with a *NotRecordedError.
func (s *Session) Watch(ctx context.Context, ex *lessons.Exercise, opts WatchOptions) (checker.Result, error) {
	eng, err := s.Engine(ctx)
	if err != nil {
		return checker.Result{}, err
	}
	w := &watcher{
		mine:      exerciseEvents(ex),
		quiet:     quietAfterTeardown(ex),
		events:    eng.Events,
		volumes:   func(ctx context.Context) ([]string, error) { return eng.Names(ctx, "volume") },
		workspace: s.Workspace(ex),
		poll:      opts.Poll,
		check:     func(ctx context.Context) (checker.Result, error) { return s.Judge(ctx, ex) },
		show:      opts.Show,
		ready:     opts.Ready,
		onEvent:   opts.OnEvent,
	}
	if w.show == nil {
		w.show = func(Verdict) {}
	}
	var recorded classroom.Event
	show := w.show
	w.show = func(v Verdict) {
		show(v)
		if ev := CheckEvent(ex.Key(), v.Result); !v.Result.Passed() && ev != recorded {
			recorded = ev
			// A progress file that cannot be written is said when the
			// watch ends with the pass.
			_ = s.Record(ex, v.Result)
		}
	}
	res, err := w.run(ctx)
	if err != nil {
		return res, err
	}
	return res, s.Record(ex, res)
}

// Verdict is the outcome of one check run of a watch, with what caused it.
type Verdict struct {
	Result checker.Result
	Cause  string // "the first look", "container dojo-web started", "site/index.html changed", ...
	At     time.Time
}

// watcher re-runs an exercise's checks when something they may depend on
// changes. Checks run one at a time, in the watcher's own loop, so two
// checks of the exercise never overlap; events that arrive meanwhile lead
// to one more check after it.
type watcher struct {
	// events subscribes to engine events: the engine's Events, or a fake.
	events func(context.Context, sandbox.EventFilter) (<-chan sandbox.Event, <-chan error)
	// volumes lists the names of the volumes there are; nil: none known.
	volumes   func(context.Context) ([]string, error)
	workspace string        // watched for file changes when it exists
	poll      time.Duration // re-check this often when nothing happens; 0: never
	check     func(context.Context) (checker.Result, error)
	show      func(Verdict)
	// ready is called once the event subscription and the file watch are in
	// place: anything that happens from then on is seen.
	ready func(watchingFiles bool)
	// onEvent, when set, is called with each engine event that leads to a
	// check, as it arrives (for measuring latency).
	onEvent func(sandbox.Event)
	// mine tells the events of the exercise's own objects (see
	// exerciseEvents); nil: every event is. Another object's change is
	// judged too (a container that held the port may be gone), but a
	// verdict it leaves as it was is not shown again: the learner's
	// watch does not name the engine's other business.
	mine func(sandbox.Event) bool
	// quiet, when not 0, is how long a removal of the learner's waits for
	// the engine to be quiet before it is judged (see quietAfterTeardown).
	quiet time.Duration
}

// quietAfterTeardown is how long a watch of ex waits, after the learner
// removed something, for the engine to be quiet before it checks: for an
// exercise with a script that joins a network of the learner's, whose
// probe holds an endpoint on that network while it runs. A learner who
// removes the containers and then the network (`docker rm -f a b; docker
// network rm net`, as dockdojo's own advice says) would otherwise find
// the network "has active endpoints": the probe of the check that their
// first removal set off. The verdict after a removal comes that much
// later; one after anything else comes as soon as ever.
func quietAfterTeardown(ex *lessons.Exercise) time.Duration {
	for _, c := range ex.Checks {
		if s, ok := c.Spec.(*checker.Script); ok && joinsNetwork(s.Network) {
			return watchQuiet
		}
	}
	return 0
}

// joinsNetwork says whether a probe with this network gets an endpoint on
// a network of the learner's.
func joinsNetwork(n string) bool {
	return n != "" && n != "none" && n != "bridge" && n != "default" && !strings.HasPrefix(n, "container:")
}

// teardown says whether an engine event is the learner removing or
// stopping something: no check that runs after it can pass for a reason
// it did not pass before, so it needs no second look (see watchSettle).
func teardown(ev sandbox.Event) bool {
	switch ev.Action {
	case "stop", "die", "destroy", "kill", "disconnect", "untag", "delete":
		return true
	}
	return false
}

func (w *watcher) run(ctx context.Context) (checker.Result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Changes are collected with their causes; kick says there are some.
	var mu sync.Mutex
	var pending, others []string // changes of the exercise's, and of other objects
	removals := true             // every change of the exercise's since the last check removed or stopped something
	kick := make(chan struct{}, 1)
	note := func(list *[]string, cause string, removal bool) {
		mu.Lock()
		if !slices.Contains(*list, cause) {
			*list = append(*list, cause)
		}
		if list == &pending {
			removals = removals && removal
		}
		mu.Unlock()
		select {
		case kick <- struct{}{}:
		default:
		}
	}
	nudge := func(cause string) { note(&pending, cause, false) }
	// unhurried says whether what changed since the last check wants no
	// haste: the exercise's own objects changed only by removals, or only
	// other objects changed, which rarely turns a verdict (a container that
	// held the port is gone). Neither gets a second look, and a watch that
	// waits for quiet (see quiet) waits for it: another program's busy
	// engine would otherwise set off a check, and a probe on the learner's
	// network, every half second.
	unhurried := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(pending) == 0 || removals
	}
	// take is what changed since the last check, named for the verdict,
	// and whether all of it happened to other objects.
	// ownChanged says whether anything of the exercise's changed since
	// the last check.
	ownChanged := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(pending) > 0
	}
	take := func() (cause string, elsewhere, removed bool) {
		mu.Lock()
		defer mu.Unlock()
		removed = len(pending) > 0 && removals
		if len(pending) == 0 && len(others) > 0 {
			// Not named: the learner's watch does not tell of the
			// engine's other business, nor of other people's objects.
			cause, elsewhere = elsewhereCause, true
		} else {
			cause = describeChanges(pending)
		}
		pending, others, removals = nil, nil, true
		return cause, elsewhere, removed
	}
	fail := make(chan error, 2)
	// removed says the learner removed or stopped something of the
	// exercise's while a check ran: for a watch that waits for quiet, that
	// check is stopped, its probe with it (see judge).
	removed := make(chan struct{}, 1)

	// The volumes there are before the events are heard: a create of one
	// of them is a container mounting it, the checks' probes included. One
	// created after the list is heard as such. An engine that cannot list
	// them cannot be watched either.
	own := newOwnEvents()
	if w.volumes != nil {
		names, err := w.volumes(ctx)
		if err != nil {
			return checker.Result{}, err
		}
		for _, n := range names {
			own.volumes[n] = true
		}
	}
	evs, evErrs := w.events(ctx, watchEvents)
	go func() {
		for {
			select {
			case ev, ok := <-evs:
				if !ok {
					// The stream ended: its error says why.
					if err := <-evErrs; err != nil && ctx.Err() == nil {
						fail <- err
					}
					return
				}
				if cause, ok := relevant(ev, own); ok {
					if w.onEvent != nil {
						w.onEvent(ev)
					}
					if w.mine == nil || w.mine(ev) {
						note(&pending, cause, teardown(ev))
						if w.quiet > 0 && teardown(ev) {
							select {
							case removed <- struct{}{}:
							default:
							}
						}
					} else {
						note(&others, cause, false)
					}
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
	elsewhere := false         // the check is for other objects' changes only (see mine)
	var shown *checker.Result  // the verdict shown last
	windowOpen := false        // a change arrived since the last check, and its check is scheduled
	var passed *checker.Result // a pass that must hold for watchConfirm
	var settleUntil time.Time
	backoff := watchSettleMin
	var quietUntil time.Time // while the window waits for the engine to be quiet (see quiet)
	for {
		select {
		case <-ctx.Done():
			return checker.Result{}, ctx.Err()
		case err := <-fail:
			return checker.Result{}, err
		case <-kick:
			if passed != nil && !ownChanged() {
				// A pass holds while only other objects change: on a
				// busy engine (a restart loop, a Compose stack, another
				// learner) their events would otherwise put off its
				// confirmation for ever. They are judged with the next
				// change of the exercise's, if the pass does not hold.
				continue
			}
			now := time.Now()
			calm := unhurried()
			if !calm {
				settleUntil, backoff = now.Add(watchSettle), watchSettleMin
			}
			switch {
			case calm && w.quiet > 0:
				if !windowOpen || quietUntil.IsZero() {
					quietUntil = now.Add(watchQuietMax)
				}
				windowOpen = true
				timer.Reset(min(w.quiet, quietUntil.Sub(now)))
			case !windowOpen || !quietUntil.IsZero():
				windowOpen, quietUntil = true, time.Time{}
				timer.Reset(watchDebounce)
			}
		case <-timer.C:
			if passed != nil && !windowOpen {
				return *passed, nil // it held: nothing changed since
			}
			// Changes up to now are covered by this check.
			select {
			case <-kick:
			default:
			}
			if windowOpen {
				var removed bool
				if cause, elsewhere, removed = take(); removed {
					// Nothing that was removed comes back by waiting.
					settleUntil = time.Time{}
				}
			}
			windowOpen, quietUntil = false, time.Time{}
			select {
			case <-removed: // covered by this check
			default:
			}
			res, err := w.judge(ctx, fail, removed)
			if errors.Is(err, errInterrupted) {
				continue // the removal's own check comes once it is quiet
			}
			if err != nil {
				return res, err
			}
			if !elsewhere || shown == nil || !slices.Equal(res.Outcomes, shown.Outcomes) {
				w.show(Verdict{Result: res, Cause: cause, At: time.Now()})
				shown = &res
			}
			if res.Passed() {
				passed = &res
				timer.Reset(watchConfirm)
				continue
			}
			passed = nil
			switch now := time.Now(); {
			case now.Before(settleUntil):
				timer.Reset(backoff)
				backoff = min(2*backoff, watchSettleMax)
				cause = settleCause // of the same changes: elsewhere holds
			case w.poll > 0:
				timer.Reset(w.poll)
				cause, elsewhere = "the regular re-check", false
			}
		}
	}
}

// exerciseEvents tells the engine events of ex's own objects: its sandbox,
// what it owns, and whatever its checks name (a container, network,
// volume or image by its exact name, a Compose project by the label on
// its containers).
func exerciseEvents(ex *lessons.Exercise) func(sandbox.Event) bool {
	sc := ex.Scope()
	named := map[string]map[string]bool{"container": {}, "network": {}, "volume": {}, "image": {}, "project": {}}
	add := func(typ string, names ...string) {
		for _, n := range names {
			named[typ][n] = true
		}
	}
	add("container", sc.Sandbox)
	add("container", sc.Containers...)
	add("network", sc.Networks...)
	add("volume", sc.Volumes...)
	for _, c := range ex.Checks {
		for _, o := range c.Objects() {
			if named[o.Type] != nil {
				add(o.Type, o.Name)
			}
		}
	}
	return func(ev sandbox.Event) bool {
		switch ev.Type {
		case "container":
			return named["container"][ev.Name] || named["project"][ev.Attributes[checker.ComposeProjectLabel]]
		case "network":
			return named["network"][ev.Name]
		case "volume":
			return named["volume"][ev.ID]
		case "image":
			return named["image"][ev.Name] || named["image"][strings.TrimPrefix(ev.Name, "docker.io/library/")]
		}
		return true
	}
}

// errInterrupted is a check stopped by a removal of the learner's.
var errInterrupted = errors.New("the check was stopped by a removal")

// judge runs the checks once. An engine that fails meanwhile (its event
// stream breaks) ends the check at once: the checks would only wait on it
// too. A removal of the learner's meanwhile (removed) stops it, and judge
// returns errInterrupted once its probes are gone: a probe on a network of
// the learner's would make their `docker network rm`, typed after the
// removal, fail with "has active endpoints".
func (w *watcher) judge(ctx context.Context, fail <-chan error, removed <-chan struct{}) (checker.Result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type verdict struct {
		res checker.Result
		err error
	}
	done := make(chan verdict, 1)
	go func() {
		res, err := w.check(ctx)
		done <- verdict{res, err}
	}()
	select {
	case v := <-done:
		return v.res, v.err
	case err := <-fail:
		return checker.Result{}, err
	case <-removed:
		cancel()
		<-done
		return checker.Result{}, errInterrupted
	}
}

// The causes of a verdict that no one change of the exercise's brought,
// in words that follow "after" in what the learner reads ("Checked at
// 10:04:05, after ...").
const (
	// settleCause is a check of the same changes again, a moment on: a
	// server that has just started may need a moment before it answers.
	settleCause = "a short wait, in case something was still starting"
	// elsewhereCause is a change of objects that are not the exercise's
	// (a container that held its port went away).
	elsewhereCause = "a change outside this exercise"
)

// pastTense says an engine event's action as what happened to the object,
// for a learner ("container dojo-web exited", not "die").
var pastTense = map[string]string{
	"create": "was created", "start": "started", "stop": "stopped", "die": "exited",
	"destroy": "was removed", "rename": "was renamed", "pause": "was paused",
	"unpause": "was unpaused", "update": "was updated",
	"tag": "was tagged", "untag": "lost a tag", "delete": "was removed",
	"import": "was imported", "load": "was loaded", "pull": "was pulled",
}

// happened names an engine event for a learner: "container dojo-web
// exited".
func happened(typ, name, action string) string {
	switch {
	case typ == "network" && action == "connect":
		return "a container joined network " + name
	case typ == "network" && action == "disconnect":
		return "a container left network " + name
	}
	if said, ok := pastTense[action]; ok {
		action = said
	}
	return fmt.Sprintf("%s %s %s", typ, name, action)
}

// describeChanges names what changed for a verdict: the last change, which
// is the one most likely to have turned it, and how many came with it.
func describeChanges(causes []string) string {
	switch len(causes) {
	case 0:
		return "a change"
	case 1:
		return causes[0]
	case 2:
		return causes[1] + " and 1 other change"
	}
	return fmt.Sprintf("%s and %d other changes", causes[len(causes)-1], len(causes)-1)
}

// scratchFile reports whether a changed workspace file is an editor's or a
// tool's scratch copy (sed -i's sedXXXXXX, vim's .swp and 4913, backups
// ending in ~): it changes nothing a check looks at, and is not named.
func scratchFile(name string) bool {
	base := filepath.Base(name)
	switch {
	case strings.HasPrefix(base, ".#"), strings.HasSuffix(base, "~"), strings.HasSuffix(base, ".swp"),
		strings.HasSuffix(base, ".swx"), strings.HasSuffix(base, ".tmp"), base == "4913":
		return true
	case len(base) == 9 && strings.HasPrefix(base, "sed"):
		return true
	}
	return false
}

// ownEvents tells the events a watch's own checks cause on the engine
// from changes of the learner's.
type ownEvents struct {
	probes map[string]bool // ids of the checker's throwaway containers
	// volumes were created, as far as the events say: the engine reports
	// a create of a named volume each time a container is created with it
	// mounted (the checker's probes of volume_file and script included),
	// although only the first made anything.
	volumes map[string]bool
}

func newOwnEvents() *ownEvents {
	return &ownEvents{probes: map[string]bool{}, volumes: map[string]bool{}}
}

// relevant says whether an engine event may change a verdict, and names it.
// The checker's own probe containers come and go with every check; their
// events, their network connections, the creates of a volume that is
// there already, and the tags of image_run's builds are not changes of the
// learner's. Were they taken for
// changes, each check would set off the next, and a watch would never end.
func relevant(ev sandbox.Event, own *ownEvents) (string, bool) {
	switch ev.Type {
	case "container":
		if ev.Attributes[sandbox.LabelRole] == "probe" {
			if ev.Action == "destroy" {
				delete(own.probes, ev.ID)
			} else {
				own.probes[ev.ID] = true
			}
			return "", false
		}
		return happened("container", ev.Name, ev.Action), true
	case "network":
		if own.probes[ev.Attributes["container"]] {
			return "", false
		}
		return happened("network", ev.Name, ev.Action), true
	case "volume":
		switch ev.Action {
		case "create":
			if own.volumes[ev.ID] {
				return "", false
			}
			own.volumes[ev.ID] = true
		case "destroy":
			delete(own.volumes, ev.ID)
		}
		return happened("volume", ev.ID, ev.Action), true
	case "image":
		if checker.IsBuildTag(ev.Name) {
			return "", false
		}
		return happened("image", ev.Name, ev.Action), true
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
				if !scratchFile(rel) {
					nudge(filepath.ToSlash(rel) + " changed")
				}
			case _, ok := <-fw.Errors:
				if !ok {
					return
				}
			}
		}
	}()
	return true, nil
}

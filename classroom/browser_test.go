package classroom

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dockdojo/dockdojo/content"
	"github.com/dockdojo/dockdojo/lessons"
)

// chromium finds Debian's chromium. In CI (CI=true) a missing browser fails
// the test: .ci/run installs it. Elsewhere the test skips with a message.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but chromium is missing; .ci/run installs it with apt-get install chromium")
	}
	t.Skip("chromium is not installed (apt-get install chromium); skipping the dashboard's browser test")
	return ""
}

// browser starts a headless chromium with a fresh profile that talks to
// nothing but the pages it is sent to.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	// One deadline for everything the page must do; each wait below ends
	// when its element appears, never after a fixed sleep.
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// courseOf is the classroom's view of a loaded course: what the command
// line gives Options.Course.
func courseOf(c *lessons.Course) []CourseLesson {
	var out []CourseLesson
	for _, l := range c.Lessons {
		cl := CourseLesson{ID: l.ID, Title: l.Title}
		for _, ex := range l.Exercises {
			cl.Exercises = append(cl.Exercises, CourseExercise{ID: ex.ID, Title: ex.Title})
		}
		for _, q := range l.Quizzes {
			cl.Quizzes = append(cl.Quizzes, CourseQuiz{ID: q.ID})
		}
		out = append(out, cl)
	}
	return out
}

// builtinCourse is the built-in course, as `classroom serve` offers it.
func builtinCourse(t *testing.T) []CourseLesson {
	t.Helper()
	c, err := lessons.Load(lessons.Source{FS: content.FS(), Name: "content/course"})
	if err != nil {
		t.Fatal(err)
	}
	return courseOf(c)
}

// screenshot keeps a picture of the window when DOCKDOJO_SCREENSHOTS names
// a folder, for a person to look at.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("DOCKDOJO_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// learnerNames are 40 names of the lengths a room has, the longest the
// server takes among them.
var learnerNames = []string{
	"Ada", "Bob", "Cem Yılmaz", "Dana", "Élodie Marchand", "Farid", "Gunnhild Sørensen", "Hao Li", "Ines", "Jonas Weber",
	"Kwame Mensah", "Lea", "Maximiliane Oberhuber-Wittgenstein Jr.", "Nora", "Olu", "Priya Raghunathan", "Quentin", "Rosa Martínez",
	"Sven", "Tomasz Wiśniewski", "Uma", "Viktor", "Wanjiru Kamau", "Xavier", "Yuki Tanaka", "Zoë", "Amara", "Björn", "Chiara Rossi",
	"Dmitri", "Esther", "Fatima Zahra", "Gabriel", "Hiroshi", "Ingrid", "Jamal", "Katarzyna", "Luis Alberto Fernández Ortega", "Mei", "Noah",
}

// seedRoom has 40 learners join and work through the course, on the
// room's clock: learner i is on exercise i*len/40 (the room spread across
// every lesson), has passed what comes before (some after a hint or the
// solution), and is, by turn, just started, failing, stuck by failures
// (some newly), stuck by time, or idle (their last event came 12 minutes
// ago); some laptops report images missing or no engine, some no report.
// They answered the quizzes of as much of the course, most right, some
// after a wrong answer, some wrong.
func seedRoom(t *testing.T, r *room, keys []string) {
	t.Helper()
	quizzes := r.srv.Snapshot().Quizzes
	rng := rand.New(rand.NewPCG(7, 11))
	tokens := map[string]string{}
	for i, name := range learnerNames {
		ready := &Readiness{Engine: true, EngineVersion: "28.5.1", Version: "v0.4.0"}
		switch i % 9 {
		case 3:
			ready.ImagesMissing, ready.MissingImages = 2, []string{"httpd:2.4", "python:2.7-slim"}
		case 7:
			ready = &Readiness{Engine: false, Failed: []string{"engine"}, Version: "v0.4.0"}
		}
		if i%13 == 5 {
			ready = nil
		}
		tokens[name] = r.joinReady(name, ready)
	}
	seed := func(i int, name string) {
		now := r.clock.Now()
		at := func(minutesAgo float64) time.Time { return now.Add(-time.Duration(minutesAgo * float64(time.Minute))) }
		on := i * len(keys) / len(learnerNames)
		minutes := float64(90)
		var evs []Event
		add := func(e Event) { evs = append(evs, e) }
		for j := 0; j < on; j++ {
			step := minutes / float64(on+1)
			add(Event{ID: NewEventID(), Kind: KindStarted, Exercise: keys[j], At: at(minutes)})
			if rng.IntN(3) == 0 {
				add(failed(keys[j], at(minutes-step/3), 1))
			}
			if rng.IntN(5) == 0 {
				add(Event{ID: NewEventID(), Kind: KindHint, Exercise: keys[j], At: at(minutes - step/2), Hint: 1})
			}
			if rng.IntN(11) == 0 {
				add(Event{ID: NewEventID(), Kind: KindSolution, Exercise: keys[j], At: at(minutes - step/2)})
			}
			add(Event{ID: NewEventID(), Kind: KindPassed, Exercise: keys[j], At: at(minutes - step), ChecksOK: 3, ChecksTotal: 3})
			minutes -= step
		}
		for j := range i * len(quizzes) / len(learnerNames) {
			at := at(90 - float64(j)/2)
			switch rng.IntN(6) {
			case 0:
				add(Event{ID: NewEventID(), Kind: KindAnswered, Exercise: quizzes[j], At: at, Attempt: 1})
			case 1:
				add(Event{ID: NewEventID(), Kind: KindAnswered, Exercise: quizzes[j], At: at, Attempt: 1})
				add(Event{ID: NewEventID(), Kind: KindAnswered, Exercise: quizzes[j], At: at.Add(time.Second), Correct: true, Attempt: 2})
			default:
				add(Event{ID: NewEventID(), Kind: KindAnswered, Exercise: quizzes[j], At: at, Correct: true, Attempt: 1})
			}
		}
		cur := keys[on]
		switch i % 5 {
		case 0: // just started
			add(Event{ID: NewEventID(), Kind: KindStarted, Exercise: cur, At: at(2)})
		case 1: // failing
			add(Event{ID: NewEventID(), Kind: KindStarted, Exercise: cur, At: at(8)})
			add(failed(cur, at(6), 0))
			add(failed(cur, at(3), 1))
		case 2: // stuck by failures; every other one in the last minute
			last := 3.5
			if i%10 == 7 {
				last = 0.2
			}
			add(Event{ID: NewEventID(), Kind: KindStarted, Exercise: cur, At: at(last + 9)})
			for k := 5; k >= 0; k-- {
				add(failed(cur, at(last+float64(k)*1.5), 1))
			}
		case 3: // stuck by time
			add(Event{ID: NewEventID(), Kind: KindStarted, Exercise: cur, At: at(25)})
		case 4: // idle: sent when the clock was 12 minutes earlier
			add(Event{ID: NewEventID(), Kind: KindStarted, Exercise: cur, At: at(1)})
		}
		r.sendAll(tokens[name], name, evs)
	}
	for i, name := range learnerNames {
		if i%5 == 4 {
			seed(i, name)
		}
	}
	r.clock.Add(12 * time.Minute)
	for i, name := range learnerNames {
		if i%5 != 4 {
			seed(i, name)
		}
	}
}

// sendAll sends evs as name's dockdojo does, in posts of at most
// MaxBatch events, and fails when the server refuses one.
func (r *room) sendAll(token, name string, evs []Event) {
	r.t.Helper()
	for len(evs) > 0 {
		n := min(len(evs), DefaultLimits().MaxBatch)
		if resp := r.send(token, evs[:n]...); len(resp.Rejected) > 0 {
			r.t.Fatalf("%s: %+v", name, resp.Rejected)
		}
		evs = evs[n:]
	}
}

// failed is a failed check of key with ok checks passing.
func failed(key string, at time.Time, ok int) Event {
	return Event{ID: NewEventID(), Kind: KindCheckFailed, Exercise: key, At: at, CheckKind: "http_get",
		Check: "HTTP GET / through dojo-web's port 8080 answers 200", Message: "connection refused on 127.0.0.1:8080",
		ChecksOK: ok, ChecksTotal: 3}
}

// box is an element's place in the window, as the page reports it.
type box struct {
	What                     string
	Left, Top, Right, Bottom float64
}

// TestDashboardFitsTheRoom: 40 learners spread over the whole built-in
// course, on a 1024x768 and a 1280x720 projector and a 1920x1080 screen:
// every learner's row, every lesson and every exercise column is inside the
// window, nothing scrolls, the text stays readable and so does every name,
// NEW tag and all. On a phone the side panel goes below the grid, and the
// grid scrolls sideways under the names.
func TestDashboardFitsTheRoom(t *testing.T) {
	ctx := browser(t)
	// The built-in course and an instructor's lesson of their own.
	course := append(builtinCourse(t), CourseLesson{ID: "club-extras", Title: "Our club's extras", Exercises: []CourseExercise{
		{ID: "healthcheck-your-site", Title: "A site that says it is healthy"}, {ID: "compose-wordpress", Title: "WordPress and its database"},
	}})
	r := newRoom(t, Options{Course: course, JoinURLs: []string{"http://192.168.100.120:7077"}})
	keys := r.srv.Snapshot().Exercises
	if len(keys) < 31 || len(course) < 11 {
		t.Fatalf("the course has %d lessons, %d exercises; this test wants a whole course (11+, 31+)", len(course), len(keys))
	}
	seedRoom(t, r, keys)
	snap := r.srv.Snapshot()
	quizzesOnly := 0 // lessons of quizzes only: a column each
	for _, l := range snap.Lessons {
		if len(l.Exercises) == 0 {
			quizzesOnly++
		}
	}
	if quizzesOnly == 0 {
		t.Fatal("the built-in course has no lesson of quizzes only; this test wants one")
	}
	idle, newly := 0, 0
	for _, l := range snap.Learners {
		if l.Idle {
			idle++
		}
		if l.NewlyStuck {
			newly++
		}
	}
	if len(snap.Stuck) < 8 || snap.NotReady < 4 || idle < 4 || newly < 2 {
		t.Fatalf("the simulated room has %d stuck (%d newly), %d idle, %d not ready; want a room with each", len(snap.Stuck), newly, idle, snap.NotReady)
	}
	url := r.ts.URL + r.srv.DashboardPath()
	for _, size := range []struct{ w, h int64 }{{1024, 768}, {1280, 720}, {1920, 1080}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			openAt(t, ctx, url, size.w, size.h, "Noah")
			boxes, err := chromedp.Run(ctx, chromedp.Evaluate[[]box](`(() => {
				const out = [];
				const add = (what, e) => { const r = e.getBoundingClientRect(); out.push({What: what, Left: r.left, Top: r.top, Right: r.right, Bottom: r.bottom}); };
				document.querySelectorAll("#grid tbody tr").forEach(e => add("learner " + e.dataset.learner, e));
				document.querySelectorAll("#grid thead th.ex").forEach(e => add("exercise " + e.dataset.exercise, e));
				document.querySelectorAll("#grid thead th.qz").forEach(e => add("quizzes " + e.dataset.lesson, e));
				document.querySelectorAll("#grid thead th.lesson").forEach(e => add("lesson " + e.dataset.lesson, e));
				add("join code", document.getElementById("join-code"));
				return out;
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			var learners, exercises, quizColumns, lessonGroups int
			for _, b := range boxes {
				switch {
				case strings.HasPrefix(b.What, "learner "):
					learners++
				case strings.HasPrefix(b.What, "exercise "):
					exercises++
				case strings.HasPrefix(b.What, "quizzes "):
					quizColumns++
				case strings.HasPrefix(b.What, "lesson "):
					lessonGroups++
				}
				if b.Left < 0 || b.Top < 0 || b.Right > float64(size.w) || b.Bottom > float64(size.h) || b.Right-b.Left < 1 {
					t.Errorf("%s is at %.0f,%.0f-%.0f,%.0f: not inside the %dx%d window", b.What, b.Left, b.Top, b.Right, b.Bottom, size.w, size.h)
				}
			}
			if learners != len(learnerNames) || exercises != len(keys) || quizColumns != quizzesOnly || lessonGroups != len(snap.Lessons) {
				t.Errorf("the page has %d learner rows, %d exercise columns, %d of quizzes, %d lessons; want %d, %d, %d, %d",
					learners, exercises, quizColumns, lessonGroups, len(learnerNames), len(keys), quizzesOnly, len(snap.Lessons))
			}
			type fitness struct{ PageW, PageH, GridW, GridH, GridClientW, GridClientH, SideW, SideClientW, Font float64 }
			fit, err := chromedp.Run(ctx, chromedp.Evaluate[fitness](`(() => {
				const g = document.getElementById("grid-panel"), d = document.documentElement, side = document.getElementById("side");
				return {PageW: d.scrollWidth, PageH: d.scrollHeight, GridW: g.scrollWidth, GridH: g.scrollHeight,
					GridClientW: g.clientWidth, GridClientH: g.clientHeight, SideW: side.scrollWidth, SideClientW: side.clientWidth,
					Font: parseFloat(getComputedStyle(document.querySelector("#grid tbody td")).fontSize)};
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			if fit.PageW > float64(size.w) || fit.PageH > float64(size.h) || fit.GridW > fit.GridClientW || fit.GridH > fit.GridClientH {
				t.Errorf("something scrolls: page %.0fx%.0f, grid %.0fx%.0f in %.0fx%.0f", fit.PageW, fit.PageH, fit.GridW, fit.GridH, fit.GridClientW, fit.GridClientH)
			}
			if fit.SideW > fit.SideClientW {
				t.Errorf("the side column scrolls sideways: %.0f px in %.0f", fit.SideW, fit.SideClientW)
			}
			if fit.Font < 10 {
				t.Errorf("the grid's text is %.1f px; want at least 10", fit.Font)
			}
			checkNames(t, ctx, len(learnerNames))
			checkJoinWords(t, ctx, "#join-commands code")
			screenshot(t, ctx, fmt.Sprintf("dashboard-%dx%d", size.w, size.h))
		})
	}
	t.Run("390x844", func(t *testing.T) {
		openAt(t, ctx, url, 390, 844, "Noah")
		type phone struct {
			PageW, ClientW                      float64
			Grid, Side, FirstName, ScrolledName box
			GridScrolls                         bool
		}
		p, err := chromedp.Run(ctx, chromedp.Evaluate[phone](`(() => {
			const b = e => { const r = e.getBoundingClientRect(); return {Left: r.left, Top: r.top, Right: r.right, Bottom: r.bottom}; };
			const g = document.getElementById("grid-panel"), d = document.documentElement;
			const name = () => b(document.querySelector("#grid tbody td.name"));
			const out = {PageW: d.scrollWidth, ClientW: d.clientWidth, Grid: b(g), Side: b(document.getElementById("side")),
				FirstName: name(), GridScrolls: g.scrollWidth > g.clientWidth};
			g.scrollLeft = g.scrollWidth;
			out.ScrolledName = name();
			g.scrollLeft = 0;
			return out;
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if p.PageW > p.ClientW {
			t.Errorf("the page scrolls sideways: %.0f px in %.0f", p.PageW, p.ClientW)
		}
		if p.Side.Top < p.Grid.Bottom-1 || p.Side.Right-p.Side.Left < 0.9*p.ClientW || p.Grid.Right-p.Grid.Left < 0.9*p.ClientW {
			t.Errorf("on a phone the side panel (%+v) should come below the grid (%+v), each as wide as the window (%.0f)", p.Side, p.Grid, p.ClientW)
		}
		if p.GridScrolls && math.Abs(p.ScrolledName.Left-p.FirstName.Left) > 1 {
			t.Errorf("scrolled to its last exercise, the grid's names moved from x=%.1f to %.1f; want them kept in view", p.FirstName.Left, p.ScrolledName.Left)
		}
		checkNames(t, ctx, len(learnerNames))
		checkJoinWords(t, ctx, "#join-commands code")
		screenshot(t, ctx, "dashboard-390x844")
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#banner-open`)), chromedp.WaitVisible(chromedp.CSS(`#banner`))); err != nil {
			t.Fatalf("join banner on a phone: %v", err)
		}
		checkJoinWords(t, ctx, "#banner-commands code")
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#banner-close`)), chromedp.WaitNotVisible(chromedp.CSS(`#banner`))); err != nil {
			t.Fatalf("closing the join banner on a phone: %v", err)
		}

		// A learner's page: the timeline fits, what a check said and all.
		if err := chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(`#grid tr[data-learner="Noah"] td.name a`)),
			chromedp.WaitVisible(chromedp.CSS(`#learner-page #timeline tr.k-check_failed`)),
		); err != nil {
			t.Fatalf("Noah's page on a phone: %v", err)
		}
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const p = document.getElementById("learner-page"); return [p.scrollWidth, p.clientWidth]; })()`))
		if err != nil {
			t.Fatal(err)
		}
		if wide[0] > wide[1] {
			t.Errorf("on a phone a learner's page scrolls sideways: %.0f px in %.0f", wide[0], wide[1])
		}
		screenshot(t, ctx, "learner-390x844")
	})
}

// openAt opens the dashboard at url in a window of w x h pixels and waits
// for the row of the learner named last.
func openAt(t *testing.T, ctx context.Context, url string, w, h int64, last string) {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(w, h),
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(`#grid tbody tr[data-learner="`+last+`"]`)),
	); err != nil {
		t.Fatalf("dashboard at %dx%d: %v", w, h, err)
	}
}

// TestDashboardCountsShowWhole: a cell's count of failed attempts shows
// whole, however many digits it has, beside the room of
// TestDashboardFitsTheRoom and in every window from a narrow laptop's to a
// large screen's: no cell of the grid, nor its header or top rows, cuts
// its text. A count of 10 cut to "⚠1" would tell the instructor the
// opposite of the truth.
func TestDashboardCountsShowWhole(t *testing.T) {
	ctx := browser(t)
	r := newRoom(t, Options{Course: builtinCourse(t)})
	keys := r.srv.Snapshot().Exercises
	seedRoom(t, r, keys)
	// Each of them failed an exercise n times, left it, and is failing
	// the last one as often: ✗n, then ⚠n once n makes them stuck.
	tallies := map[string]int{"Tally One": 1, "Tally Ten": 10, "Tally Hundred": 100}
	var want []string
	for name, n := range tallies {
		var evs []Event
		for _, key := range []string{keys[len(keys)/2], keys[len(keys)-1]} {
			evs = append(evs, Event{ID: NewEventID(), Kind: KindStarted, Exercise: key})
			for range n {
				evs = append(evs, failed(key, time.Time{}, 1))
			}
		}
		for i := range evs { // a second apart, the last one now
			evs[i].At = r.clock.Now().Add(-time.Duration(len(evs)-i) * time.Second)
		}
		r.sendAll(r.join(name), name, evs)
		sign := "✗"
		if n >= DefaultStuckFails {
			sign = "⚠"
		}
		want = append(want, fmt.Sprintf("%s: ✗%d %s%d", name, n, sign, n))
	}
	slices.Sort(want)
	url := r.ts.URL + r.srv.DashboardPath()
	for _, size := range []struct{ w, h int64 }{{700, 900}, {1024, 768}, {1280, 720}, {1920, 1080}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			openAt(t, ctx, url, size.w, size.h, "Tally Ten")
			type shown struct {
				Counts, Cut    []string
				PageW, ClientW float64
			}
			got, err := chromedp.Run(ctx, chromedp.Evaluate[shown](`(() => {
				const where = e => (e.closest("tr").dataset.learner || "top") + " " + (e.dataset.exercise || e.dataset.lesson);
				const cells = [...document.querySelectorAll("#grid td.c, #grid td.pace, #grid th.ex, #grid th.qz")];
				return {
					Counts: [...document.querySelectorAll("#grid tbody tr[data-learner^='Tally']")].map(tr =>
						tr.dataset.learner + ": " + [...tr.querySelectorAll("td.c")].map(td => td.textContent).filter(t => t).join(" ")).sort(),
					Cut: cells.filter(e => e.scrollWidth > e.clientWidth).map(e => where(e) + " " + JSON.stringify(e.textContent) + " needs " + e.scrollWidth + " px, has " + e.clientWidth),
					PageW: document.documentElement.scrollWidth, ClientW: document.documentElement.clientWidth,
				};
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Counts, want) {
				t.Errorf("the grid's cells of the learners with counts say\n%q\nwant\n%q", got.Counts, want)
			}
			for _, c := range got.Cut {
				t.Errorf("a cell cuts its text: %s", c)
			}
			if got.PageW > got.ClientW {
				t.Errorf("the page scrolls sideways: %.0f px in %.0f", got.PageW, got.ClientW)
			}
			screenshot(t, ctx, fmt.Sprintf("dashboard-counts-%dx%d", size.w, size.h))
		})
	}
}

// nameMin is how many characters of every name the grid shows at the
// least, however narrow the window (app.js NAME_MIN).
const nameMin = 12

// checkNames fails when a learner's name on the grid shows fewer than
// nameMin characters (all of it when shorter), or when the NEW tag beside
// it overlaps it or is cut. It counts the characters left of where the cell
// cuts its text, less the "…" it draws there.
func checkNames(t *testing.T, ctx context.Context, learners int) {
	t.Helper()
	type shown struct {
		Name           string
		Chars, Visible int
		Tag            bool
		TagRight, Left float64
		TagInside      bool
	}
	names, err := chromedp.Run(ctx, chromedp.Evaluate[[]shown](`[...document.querySelectorAll("#grid tbody td.name")].map(td => {
		const a = td.querySelector("a"), tag = td.querySelector(".tag.new"), text = a.firstChild;
		const cs = getComputedStyle(td);
		const edge = td.getBoundingClientRect().right - parseFloat(cs.borderRightWidth) - parseFloat(cs.paddingRight);
		const r = document.createRange();
		const rightOf = n => { r.setStart(text, 0); r.setEnd(text, n); return r.getBoundingClientRect().right; };
		const chars = [...a.textContent];
		let visible = chars.length;
		if (rightOf(text.length) > edge + 0.5) {
			const dots = a.appendChild(document.createElement("span"));
			dots.textContent = "…";
			const cut = edge - dots.getBoundingClientRect().width;
			dots.remove();
			visible = 0;
			for (let i = 0, n = 0; i < chars.length; i++) {
				n += chars[i].length;
				if (rightOf(n) > cut + 0.5) break;
				visible++;
			}
		}
		const tr = tag ? tag.getBoundingClientRect() : null;
		return {Name: a.textContent, Chars: chars.length, Visible: visible, Tag: !!tag,
			TagRight: tr ? tr.right : 0, Left: a.getBoundingClientRect().left, TagInside: !tr || tr.right <= edge};
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != learners {
		t.Errorf("%d names on the grid, want %d", len(names), learners)
	}
	for _, n := range names {
		if want := min(n.Chars, nameMin); n.Visible < want {
			t.Errorf("the grid shows %d of %q's characters (NEW tag beside it: %v); want at least %d", n.Visible, n.Name, n.Tag, want)
		}
		if n.Tag && (n.TagRight > n.Left || !n.TagInside) {
			t.Errorf("%q's NEW tag ends at x=%.1f, over the name at %.1f, or is cut", n.Name, n.TagRight, n.Left)
		}
	}
}

// checkJoinWords fails when a word of a join command in the elements sel
// finds is broken across lines (the address "http://127.0.0.1:76" on one
// line and "01" on the next) or sticks out of its box: the line may wrap
// only between "dockdojo join", the address and the code.
func checkJoinWords(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	type word struct {
		Word         string
		Lines        int
		Right, Inner float64
	}
	words, err := chromedp.Run(ctx, chromedp.Evaluate[[]word](`[...document.querySelectorAll(`+strconv.Quote(sel)+`)].flatMap(code => {
		const nodes = [], walk = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
		let text = "";
		for (let n; (n = walk.nextNode()); ) { nodes.push([n, text.length]); text += n.data; }
		const at = i => { for (let k = nodes.length - 1; k >= 0; k--) if (nodes[k][1] <= i) return [nodes[k][0], i - nodes[k][1]]; };
		const box = code.getBoundingClientRect(), inner = box.right - parseFloat(getComputedStyle(code).paddingRight);
		const out = [];
		let i = 0;
		for (const w of text.split(" ")) {
			const r = document.createRange();
			r.setStart(...at(i));
			r.setEnd(...at(i + w.length));
			const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
			out.push({Word: w, Lines: tops.size, Right: r.getBoundingClientRect().right, Inner: inner});
			i += w.length + 1;
		}
		return out;
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if len(words) < 4 {
		t.Fatalf("%s has the words %+v; want a join command", sel, words)
	}
	for _, w := range words {
		if w.Lines != 1 || w.Right > w.Inner+0.5 {
			t.Errorf("%s: %q is on %d lines, its right edge at x=%.1f in a box ending at %.1f; want it whole, on one line, inside", sel, w.Word, w.Lines, w.Right, w.Inner)
		}
	}
}

// TestDashboardInBrowser loads the dashboard in a real headless chromium
// while simulated learners post events through the real client code, and
// checks what the instructor sees: the grid, the stuck marker, the checks
// failing now, readiness, a live update with a newly stuck learner, a
// learner's page, their removal, the join banner and the CSV download.
func TestDashboardInBrowser(t *testing.T) {
	ctx := browser(t)
	const pp, box, dns = "first-run/publish-page", "first-run/inside-the-box", "networks/dns"
	r := newRoom(t, Options{Exercises: []string{pp, box, dns}, StuckFails: 3, StuckAfter: 20 * time.Minute, Now: time.Now})

	now := time.Now()
	// send queues events and sends them as a learner's dockdojo does.
	send := func(cfg *Config, evs ...Event) {
		t.Helper()
		q := Queue{Dir: t.TempDir()}
		for _, e := range evs {
			if err := q.Add(e); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := (Sender{Config: cfg, Queue: q}).Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	learner := func(name string, ready *Readiness, evs ...Event) *Config {
		t.Helper()
		cfg, _, err := JoinWith(context.Background(), r.ts.Client(), r.ts.URL, JoinRequest{Code: r.srv.JoinCode(), Name: name, Readiness: ready})
		if err != nil {
			t.Fatal(err)
		}
		send(cfg, evs...)
		return cfg
	}
	at := func(e Event, minutesAgo float64) Event {
		e.At = now.Add(-time.Duration(minutesAgo * float64(time.Minute)))
		return e
	}
	// Before anyone joins, each list says it has nothing.
	url := r.ts.URL + r.srv.DashboardPath()
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 720),
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(`#stuck li.none`)),
		chromedp.WaitVisible(chromedp.CSS(`#tripping li.none`)),
		chromedp.WaitVisible(chromedp.CSS(`#not-ready li.none`)),
	); err != nil {
		t.Fatalf("dashboard of an empty room: %v", err)
	}
	// An empty list says so in words, not as its item 1. or a bullet.
	numbered, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#side li.none")]
		.filter(e => getComputedStyle(e).display === "list-item" && getComputedStyle(e).listStyleType !== "none")
		.map(e => e.parentElement.id + ": " + getComputedStyle(e).listStyleType + " " + e.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(numbered) > 0 {
		t.Errorf("empty lists are drawn as list items with a marker: %q", numbered)
	}

	ready := &Readiness{Engine: true, EngineVersion: "20.10.24", Version: "v0.4.0"}
	// Ada checks before trying (nothing passes), then fails the container
	// check three times: stuck, with 3 failed attempts.
	ada := learner("Ada", ready,
		at(ev(KindStarted, pp, 0), 10),
		at(ev(KindCheckFailed, pp, 0), 9), at(evOK(KindCheckFailed, pp, 1), 8),
		at(evOK(KindCheckFailed, pp, 1), 7), at(evOK(KindCheckFailed, pp, 1), 6),
		at(ev(KindHint, pp, 0), 5))
	// Bob fails it after a real attempt and is failing it now.
	bob := learner("Bob", &Readiness{Engine: true, ImagesMissing: 2, MissingImages: []string{"httpd:2.4", "busybox:1.36"}, Version: "v0.4.0"},
		at(ev(KindStarted, pp, 0), 10), at(evOK(KindCheckFailed, pp, 1), 9))
	// Dan failed it once and passed since: not failing now.
	learner("Dan", ready,
		at(ev(KindStarted, pp, 0), 10), at(evOK(KindCheckFailed, pp, 2), 9), at(ev(KindPassed, pp, 0), 8), at(ev(KindStarted, box, 0), 2))
	// Cem trips on another check, whose message tries to inject markup.
	bad := at(evOK(KindCheckFailed, box, 1), 3)
	bad.CheckKind, bad.Check, bad.Message = "exec", "`hostname` in the sandbox", `<img src=x onerror="document.title='pwned'">`
	learner("Cem", nil, at(ev(KindStarted, box, 0), 4), bad)

	if err := chromedp.Do(ctx,
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(`#grid tbody tr[data-learner="Cem"]`)),
	); err != nil {
		t.Fatalf("dashboard: no row for the learners: %v", err)
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("dashboard: %s: %v", sel, err)
		}
		return s
	}
	// The grid's headers are cut short; hovering one names it whole.
	headTitles, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[
		document.querySelector("#grid thead th.lesson").title,
		document.querySelector("#grid thead th.ex[data-exercise='`+pp+`']").title]`))
	if err != nil {
		t.Fatal(err)
	}
	if lesson := text(`#course-key li.lesson-name`); headTitles[0] != lesson {
		t.Errorf("the first lesson's header says %q when hovered, want %q", headTitles[0], lesson)
	}
	if !strings.HasSuffix(headTitles[1], " "+pp) {
		t.Errorf("the header of %s says %q when hovered, want its label and key", pp, headTitles[1])
	}
	adaPP := text(`#grid tr[data-learner="Ada"] td[data-state="stuck"][data-exercise="` + pp + `"]`)
	stuckText := text(`#stuck li[data-learner="Ada"]`)
	tripCheck := text(`#tripping li:first-child .check`)
	tripLearners := text(`#tripping li:first-child .who`)
	injected := text(`#tripping li[data-check="` + "`hostname` in the sandbox" + `"] .msg`)
	notReady := text(`#not-ready li[data-learner="Bob"]`)
	unreported := text(`#not-ready li.unreported`)
	bobTag := text(`#grid tr[data-learner="Bob"] td.laptop.notready`)
	imgs, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.images.length`))
	if err != nil {
		t.Fatal(err)
	}
	if adaPP != "⚠3" {
		t.Errorf("Ada's cell on %s shows %q, want ⚠3: stuck, 3 failed attempts (the look before trying not counted)", pp, adaPP)
	}
	if !strings.Contains(stuckText, "1.1 publish-page") || !strings.Contains(stuckText, "3 failed checks") {
		t.Errorf("stuck list says %q, want Ada on 1.1 publish-page with 3 failed checks", stuckText)
	}
	if tripCheck != "container dojo-web is running" || tripLearners != "2 learners" {
		t.Errorf("most tripping check: %q by %q, want the container check by 2 learners (Ada and Bob; not Dan, who passed)", tripCheck, tripLearners)
	}
	if !strings.Contains(injected, "<img") || imgs != 0 {
		t.Errorf("a learner's message became markup: text %q, %d images on the page", injected, imgs)
	}
	if !strings.Contains(notReady, "2 images missing: httpd:2.4, busybox:1.36") || bobTag != "NOT" {
		t.Errorf("Bob's laptop misses two images; the page says %q and his row's laptop column %q", notReady, bobTag)
	}
	if !strings.Contains(unreported, "Cem") {
		t.Errorf("Cem sent no doctor report; the page says %q", unreported)
	}
	screenshot(t, ctx, "dashboard-small-room")

	// Live: Ada passes, Bob becomes stuck, and the page shows both without a
	// reload, Bob marked new.
	learner("Eve", nil) // a learner who joined and did nothing yet is listed too
	send(ada, Event{ID: NewEventID(), Kind: KindPassed, Exercise: pp, At: time.Now(), ChecksOK: 3, ChecksTotal: 3})
	send(bob, evOKAt(pp, time.Now().Add(-time.Minute)), evOKAt(pp, time.Now()))
	if err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS(`#grid tr[data-learner="Ada"] td.s-passed[data-exercise="`+pp+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#grid tbody tr[data-learner="Eve"]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#stuck li[data-learner="Ada"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#grid tr.newly-stuck[data-learner="Bob"] .tag.new`)),
		chromedp.WaitVisible(chromedp.CSS(`#stuck li.new[data-learner="Bob"]`)),
	); err != nil {
		t.Fatalf("dashboard after Ada passed and Bob got stuck: %v", err)
	}
	if got := text(`#announce`); !strings.Contains(got, "Bob looks stuck on 1.1 publish-page") {
		t.Errorf("announcement %q, want Bob newly stuck", got)
	}
	checkNames(t, ctx, 5) // a short name beside its NEW tag shows whole
	// The CSV link, fetched as the browser would download it.
	csvText, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`fetch(document.getElementById("csv").href).then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("fetch the CSV link: %v", err)
	}
	rows, err := csv.NewReader(strings.NewReader(csvText)).ReadAll()
	if err != nil {
		t.Fatalf("CSV from the page: %v\n%s", err, csvText)
	}
	found := false
	for _, row := range rows[1:] {
		if row[0] == "Ada" && row[1] == pp {
			found = row[2] == "passed" && row[6] == "4" && row[7] == "1"
		}
	}
	if rows[0][0] != "learner" || !found {
		t.Errorf("CSV from the page lacks Ada's passed row with 4 failed checks and 1 hint:\n%s", csvText)
	}

	// Bob's page: his timeline, with what the failing check said.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#grid tr[data-learner="Bob"] td.name a`)),
		chromedp.WaitVisible(chromedp.CSS(`#learner-page #timeline tr.k-check_failed`)),
	); err != nil {
		t.Fatalf("Bob's page: %v", err)
	}
	timeline := text(`#timeline tbody`)
	for _, want := range []string{"doctor: not ready", "started", "check failed", "no container dojo-web", "1 of 3 checks pass"} {
		if !strings.Contains(timeline, want) {
			t.Errorf("Bob's timeline lacks %q:\n%s", want, timeline)
		}
	}
	screenshot(t, ctx, "learner-page")
	// He leaves: his page says that his laptop brings him back, and that
	// another one needs the instructor to let him.
	send(bob, Event{ID: NewEventID(), Kind: KindLeft, At: time.Now()})
	left, cancelLeft := context.WithTimeout(ctx, 15*time.Second)
	defer cancelLeft()
	if err := chromedp.Do(left,
		chromedp.WaitReady(chromedp.CSS(`#grid tbody tr.left[data-learner="Bob"]`)),
		chromedp.Poll[chromedp.Void](`document.getElementById("letback-said").textContent.includes("typed on the laptop they left from")`),
		chromedp.WaitVisible(chromedp.CSS(`#letback-ask`)),
	); err != nil {
		t.Fatalf("after Bob left, his page: %v (it says %q)", err, text(`#letback-said`))
	}
	// His laptop broke: let him join again from another one. His row
	// stays, says he left, and his name is free for him.
	letBack, cancelLetBack := context.WithTimeout(ctx, 15*time.Second)
	defer cancelLetBack()
	if err := chromedp.Do(letBack,
		chromedp.Click(chromedp.CSS(`#letback-ask`)),
		chromedp.WaitNotVisible(chromedp.CSS(`#letback-ask`)),
		chromedp.WaitReady(chromedp.CSS(`#grid tbody tr.left[data-learner="Bob"]`)),
	); err != nil {
		t.Fatalf("letting Bob join again: %v (his page says %q)", err, text(`#remove-result`))
	}
	if got := text(`#letback-said`); !strings.Contains(got, `--name "Bob", brings them back to this row`) {
		t.Errorf("after letting Bob join again, his page says %q", got)
	}
	if snap := r.srv.Snapshot(); !slices.ContainsFunc(snap.Learners, func(l LearnerView) bool { return l.Name == "Bob" && l.Left }) {
		t.Errorf("after letting Bob join again, he is not shown as left: %+v", snap.Learners)
	}
	// Remove him: two clicks, then the grid is back at its own address,
	// his row is gone and his token is refused.
	removed, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(removed,
		chromedp.Click(chromedp.CSS(`#remove-ask`)),
		chromedp.Click(chromedp.CSS(`#remove-yes`)),
		chromedp.WaitNotVisible(chromedp.CSS(`#learner-page`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#grid tbody tr[data-learner="Bob"]`)),
	); err != nil {
		t.Fatalf("after removing Bob, no grid without him: %v (Bob's page says %q)", err, text(`#remove-result`))
	}
	if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`)); err != nil || got != url {
		t.Errorf("after removing Bob, the grid's address is %q (%v), want %q", got, err, url)
	}
	if got := text(`#notice`); got != "Removed Bob." {
		t.Errorf("after removing Bob, the grid says %q", got)
	}
	q := Queue{Dir: t.TempDir()}
	if err := q.Add(ev(KindHint, pp, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := (Sender{Config: bob, Queue: q}).Flush(context.Background()); !errors.Is(err, ErrNotMember) {
		t.Errorf("a removed learner's post: %v, want ErrNotMember", err)
	}

	// The join banner, for the projector.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#banner-open`)),
		chromedp.WaitVisible(chromedp.CSS(`#banner`)),
	); err != nil {
		t.Fatalf("join banner: %v", err)
	}
	if got := text(`#banner`); !strings.Contains(got, r.srv.JoinCode()) || !strings.Contains(got, "dockdojo join") {
		t.Errorf("the join banner says %q; want the command and the code %s", got, r.srv.JoinCode())
	}
	screenshot(t, ctx, "join-banner")
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\x1b"), chromedp.WaitNotVisible(chromedp.CSS(`#banner`))); err != nil {
		t.Fatalf("Escape does not close the join banner: %v", err)
	}
}

// TestDashboardAnnouncesWhoIsStuckNow: the announcement at the top of the
// side column names who just got stuck while they are, and nobody once
// they no longer are, without a reload.
func TestDashboardAnnouncesWhoIsStuckNow(t *testing.T) {
	ctx := browser(t)
	const pp, box = "first-run/publish-page", "first-run/inside-the-box"
	r := newRoom(t, Options{Exercises: []string{pp, box}, StuckFails: 2})
	ada, bob := r.join("Ada"), r.join("Bob")
	openAt(t, ctx, r.ts.URL+r.srv.DashboardPath(), 1280, 720, "Bob")
	// wait waits for what the poll after a send shows, then says what the
	// announcement says.
	wait := func(what string, actions ...chromedp.Action[chromedp.Void]) string {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("dashboard %s: %v", what, err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("announce").textContent`))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	stuck := func(tok, key string) {
		r.send(tok, ev(KindStarted, key, 0), evOK(KindCheckFailed, key, 1), evOK(KindCheckFailed, key, 1))
	}
	stuck(ada, pp)
	if got := wait("once Ada is stuck", chromedp.WaitVisible(chromedp.CSS(`#stuck li[data-learner="Ada"]`))); got != "Ada looks stuck on 1.1 publish-page" {
		t.Errorf("once Ada is stuck, the announcement says %q", got)
	}
	stuck(bob, box)
	if got := wait("once Bob is stuck", chromedp.WaitVisible(chromedp.CSS(`#stuck li[data-learner="Bob"]`))); got != "Bob looks stuck on 1.2 inside-the-box" {
		t.Errorf("once Bob is stuck too, the announcement says %q", got)
	}
	r.send(bob, evAt(KindPassed, box, 0, 3))
	if got := wait("once Bob passed", chromedp.WaitNotPresent(chromedp.CSS(`#stuck li[data-learner="Bob"]`))); strings.Contains(got, "Bob") {
		t.Errorf("Bob passed, and the announcement still says %q", got)
	}
	r.send(ada, evAt(KindPassed, pp, 0, 3))
	if got := wait("once nobody is stuck", chromedp.WaitVisible(chromedp.CSS(`#stuck li.none`))); got != "" {
		t.Errorf("nobody is stuck, and the announcement still says %q", got)
	}
}

// TestDashboardGroupsLaptopsNotReady: laptops with the same problems are
// one line of "Laptops not ready", which names the problem once and then
// who; a laptop with problems of its own has its line.
func TestDashboardGroupsLaptopsNotReady(t *testing.T) {
	ctx := browser(t)
	r := newRoom(t, Options{})
	noEngine := &Readiness{Engine: false, Failed: []string{"engine"}, Version: "v0.4.0"}
	for _, name := range []string{"Ada", "Bob", "Cem"} {
		r.joinReady(name, noEngine)
	}
	r.joinReady("Dan", &Readiness{Engine: true, EngineVersion: "20.10.24", Version: "v0.4.0", ImagesMissing: 1, MissingImages: []string{"httpd:2.4"}})
	openAt(t, ctx, r.ts.URL+r.srv.DashboardPath(), 1280, 720, "Dan")
	text := func(sel string) string {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll(`+strconv.Quote(sel)+`)].map(e => e.textContent).join("|")`))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := text(`#not-ready li.group`); !strings.Contains(got, "(3): Ada, Bob, Cem") || strings.Count(got, "|") != 0 {
		t.Errorf("the laptops without an engine are not one line: %q", got)
	}
	if got := text(`#not-ready li[data-learner="Dan"]`); !strings.HasPrefix(got, "Dan: ") || !strings.Contains(got, "httpd:2.4") {
		t.Errorf("Dan's laptop's line says %q", got)
	}
}

// TestDashboardShowsQuizzes: a lesson of quizzes only has its column on the
// grid, with how many of its quizzes each learner has right; every lesson's
// quizzes are in the course key, and a learner's page says how many
// quizzes they have right and each answer, right or wrong after how many
// tries.
func TestDashboardShowsQuizzes(t *testing.T) {
	ctx := browser(t)
	const q1, q2, meaning = "what-is-docker/q1", "what-is-docker/q2", "first-run/publish-meaning"
	r := newRoom(t, Options{Course: quizCourse})
	r.clock.Add(10 * time.Minute)
	r.send(r.join("Ada"), answer(q1, false, 1, 1), answer(q1, true, 2, 2), answer(q2, true, 1, 3), answer(meaning, false, 1, 4))
	r.send(r.join("Bob"), answer(q1, true, 1, 1))
	r.send(r.join("Cem"), answer(q2, false, 1, 1))
	r.join("Dan")
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 720),
		chromedp.Navigate(r.ts.URL+r.srv.DashboardPath()),
		chromedp.WaitVisible(chromedp.CSS(`#grid tbody tr[data-learner="Dan"]`)),
	); err != nil {
		t.Fatalf("dashboard: %v", err)
	}
	texts := func(js string) []string {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](js))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	grid := texts(`[
		[...document.querySelectorAll("#grid thead th.lesson")].map(e => e.textContent).join(" | "),
		document.querySelector("#grid thead th.qz[data-lesson='what-is-docker']").textContent,
		[...document.querySelectorAll("#grid thead td[data-lesson='what-is-docker']")].map(e => e.textContent).join(" "),
		[...document.querySelectorAll("#grid tbody td[data-lesson='what-is-docker']")].map(e => (e.dataset.state || "-") + ":" + e.textContent).join(" "),
		[...document.querySelectorAll("#course-key li.quizzes")].map(e => e.textContent).join(" | ")]`)
	want := []string{
		"1 what-is-docker | 3 first-run",
		"Q",
		"1 2 ·",                           // all right, answering, (stuck)
		"passed:✓ started:1 failing:0 -:", // Ada, Bob, Cem, Dan
		"1.Q2 quizzes✓1 · 2 | 3.Q1 quiz✓0 · 1",
	}
	for i := range want {
		if grid[i] != want[i] {
			t.Errorf("grid %d: got %q, want %q", i, grid[i], want[i])
		}
	}
	screenshot(t, ctx, "dashboard-quizzes")

	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#grid tr[data-learner="Ada"] td.name a`)),
		chromedp.WaitVisible(chromedp.CSS(`#learner-page #timeline tr.k-answered`)),
	); err != nil {
		t.Fatalf("Ada's page: %v", err)
	}
	page := texts(`[
		document.getElementById("learner-facts").textContent,
		[...document.querySelectorAll("#learner-facts .answers li")].map(e => e.textContent).join(" | "),
		[...document.querySelectorAll("#timeline tr.k-answered")].map(e => [...e.cells].slice(1).map(c => c.textContent).join(" ")).join(" | ")]`)
	if !strings.Contains(page[0], "0 of 1 exercises (passed) and 2 of 3 quizzes (answered right)") {
		t.Errorf("Ada's page does not count her quizzes: %q", page[0])
	}
	if want := "1.Q1 what-is-docker/q1: right after 2 tries | 1.Q2 what-is-docker/q2: right after 1 try | 3.Q1 first-run/publish-meaning: wrong after 1 try"; page[1] != want {
		t.Errorf("Ada's answers:\n got %q\nwant %q", page[1], want)
	}
	if want := "quiz: wrong 1.Q1 what-is-docker/q1 answer 1 | quiz: right 1.Q1 what-is-docker/q1 answer 2 | quiz: right 1.Q2 what-is-docker/q2 answer 1 | quiz: wrong 3.Q1 first-run/publish-meaning answer 1"; page[2] != want {
		t.Errorf("Ada's timeline:\n got %q\nwant %q", page[2], want)
	}
	screenshot(t, ctx, "learner-page-quizzes")
}

// TestDashboardStuckNamesOnPink: a stuck learner's name is on pink on
// every row, the grid's grey stripe of even rows notwithstanding; the
// names of learners who are not stuck keep the stripe.
func TestDashboardStuckNamesOnPink(t *testing.T) {
	ctx := browser(t)
	const pp = "first-run/publish-page"
	r := newRoom(t, Options{Exercises: []string{pp}, StuckFails: 2})
	names := []string{"Ada", "Bob", "Cem", "Dan"}
	for _, name := range names {
		tok := r.join(name)
		r.send(tok, ev(KindStarted, pp, 0), evOK(KindCheckFailed, pp, 1), evOK(KindCheckFailed, pp, 1))
	}
	r.join("Eve")
	r.join("Fay")
	// Past the two minutes of "newly stuck", whose pulse draws a colour of
	// its own.
	r.clock.Add(3 * time.Minute)
	openAt(t, ctx, r.ts.URL+r.srv.DashboardPath(), 1280, 720, "Fay")
	type cell struct {
		Name, Background string
		Stuck            bool
	}
	cells, err := chromedp.Run(ctx, chromedp.Evaluate[[]cell](`[...document.querySelectorAll("#grid tbody tr")].map(tr => ({
		Name: tr.dataset.learner, Stuck: tr.classList.contains("stuck") && !tr.classList.contains("newly-stuck"),
		Background: getComputedStyle(tr.querySelector("td.name")).backgroundColor}))`))
	if err != nil {
		t.Fatal(err)
	}
	stuck := 0
	for i, c := range cells {
		want := "rgb(255, 255, 255)"
		if i%2 == 1 {
			want = "rgb(246, 248, 250)"
		}
		if c.Stuck {
			stuck++
			want = "rgb(255, 235, 233)"
		}
		if c.Background != want {
			t.Errorf("row %d, %s (stuck %v): the name is on %s; want %s", i+1, c.Name, c.Stuck, c.Background, want)
		}
	}
	if stuck != len(names) {
		t.Errorf("%d rows are stuck; want %d", stuck, len(names))
	}
}

// TestDashboardShowsALearnerBack: a learner let join again from another
// laptop, who did, keeps on their page the time they first joined, with
// when they were back; their timeline has both, in words.
func TestDashboardShowsALearnerBack(t *testing.T) {
	ctx := browser(t)
	r := newRoom(t, Options{Exercises: []string{"a/b"}})
	r.join("Ada")
	r.clock.Add(10 * time.Minute)
	if _, err := r.srv.LetBack(r.srv.Snapshot().Learners[0].ID); err != nil {
		t.Fatal(err)
	}
	r.clock.Add(5 * time.Minute)
	if status, body := r.postJSON("/api/v1/join", "", JoinRequest{Code: r.srv.JoinCode(), Name: "Ada"}); status != 200 {
		t.Fatalf("Ada back: %d %s", status, body)
	}
	openAt(t, ctx, r.ts.URL+r.srv.DashboardPath(), 1280, 720, "Ada")
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#grid tr[data-learner="Ada"] td.name a`)),
		chromedp.WaitVisible(chromedp.CSS(`#timeline tr.k-back`)),
	); err != nil {
		t.Fatalf("Ada's page: %v", err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[document.getElementById("learner-facts").textContent,
		[...document.querySelectorAll("#timeline td.what")].map(e => e.textContent).join(" | ")]`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got[0], "(15 min ago); back at ") {
		t.Errorf("Ada's facts say %q; want when she first joined, then when she was back", got[0])
	}
	if !strings.Contains(got[1], "let join again from another laptop") || !strings.Contains(got[1], "joined again") {
		t.Errorf("Ada's timeline says %q", got[1])
	}
}

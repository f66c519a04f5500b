package classroom

import (
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
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

// TestDashboardInBrowser loads the dashboard in a real headless chromium
// while simulated learners post events through the real client code, and
// checks what the instructor sees: the grid, the stuck marker, the check
// that trips most learners, a live update, and the CSV download.
func TestDashboardInBrowser(t *testing.T) {
	ctx := browser(t)
	const pp, box = "first-run/publish-page", "first-run/inside-the-box"
	course := []string{pp, box, "networks/dns"}
	r := newRoom(t, Options{Exercises: course, StuckFails: 3, StuckAfter: 20 * time.Minute, Now: time.Now})

	now := time.Now()
	learner := func(name string, evs ...Event) *Config {
		t.Helper()
		cfg, err := Join(context.Background(), r.ts.Client(), r.ts.URL, r.srv.JoinCode(), name, "")
		if err != nil {
			t.Fatal(err)
		}
		q := Queue{Dir: t.TempDir()}
		for _, e := range evs {
			if err := q.Add(e); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := (Sender{Config: cfg, Queue: q}).Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	at := func(e Event, minutesAgo float64) Event {
		e.At = now.Add(-time.Duration(minutesAgo * float64(time.Minute)))
		return e
	}
	// Ada fails the container check four times: stuck.
	ada := learner("Ada",
		at(ev(KindStarted, pp, 0), 10),
		at(ev(KindCheckFailed, pp, 0), 9), at(ev(KindCheckFailed, pp, 0), 8),
		at(ev(KindCheckFailed, pp, 0), 7), at(ev(KindCheckFailed, pp, 0), 6),
		at(ev(KindHint, pp, 0), 5))
	// Bob fails it once, passes, and is working on the next one.
	learner("Bob",
		at(ev(KindStarted, pp, 0), 10), at(ev(KindCheckFailed, pp, 0), 9),
		at(ev(KindPassed, pp, 0), 8), at(ev(KindStarted, box, 0), 2))
	// Cem trips on another check, whose message tries to inject markup.
	bad := at(ev(KindCheckFailed, box, 0), 3)
	bad.CheckKind, bad.Check, bad.Message = "exec", "`hostname` in the sandbox", `<img src=x onerror="document.title='pwned'">`
	learner("Cem", at(ev(KindStarted, box, 0), 4), bad)

	url := r.ts.URL + r.srv.DashboardPath()
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
	adaPP := text(`#grid tr[data-learner="Ada"] td.stuck[data-exercise="` + pp + `"]`)
	stuckText := text(`#stuck li[data-learner="Ada"]`)
	tripCheck := text(`#tripping li:first-child .check`)
	tripLearners := text(`#tripping li:first-child .who`)
	injected := text(`#tripping li[data-check="` + "`hostname` in the sandbox" + `"] .msg`)
	imgs, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.images.length`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(adaPP, "⚠") {
		t.Errorf("Ada's cell on %s shows %q, want the stuck marker ⚠", pp, adaPP)
	}
	if !strings.Contains(stuckText, pp) || !strings.Contains(stuckText, "4 failed checks") {
		t.Errorf("stuck list says %q, want Ada on %s with 4 failed checks", stuckText, pp)
	}
	if tripCheck != "container dojo-web is running" || tripLearners != "2 learners" {
		t.Errorf("most tripping check: %q by %q, want the container check by 2 learners", tripCheck, tripLearners)
	}
	if !strings.Contains(injected, "<img") || imgs != 0 {
		t.Errorf("a learner's message became markup: text %q, %d images on the page", injected, imgs)
	}
	// DOCKDOJO_SCREENSHOT=file.png keeps a picture of the page, for a person
	// to look at.
	if shot := os.Getenv("DOCKDOJO_SCREENSHOT"); shot != "" {
		if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			_ = os.WriteFile(shot, png, 0o644)
		}
	}

	// Live: Ada passes, and the page shows it without a reload.
	learner("Dan") // a learner who joined and did nothing yet is listed too
	q := Queue{Dir: t.TempDir()}
	if err := q.Add(Event{ID: NewEventID(), Kind: KindPassed, Exercise: pp, At: time.Now(), ChecksOK: 3, ChecksTotal: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := (Sender{Config: ada, Queue: q}).Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS(`#grid tr[data-learner="Ada"] td.passed[data-exercise="`+pp+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#grid tbody tr[data-learner="Dan"]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#stuck li[data-learner="Ada"]`)),
	); err != nil {
		t.Fatalf("dashboard after Ada passed: %v", err)
	}
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
}

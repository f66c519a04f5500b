package classroom

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// BenchmarkServer100Learners is the load test: 100 simulated learners on
// loopback, each posting one event per request as a learner's command does
// (start, failed checks, hints, pass), while the instructor's page polls
// state.json. The per-learner rate limit and the joins per address (all
// come from 127.0.0.1) are lifted to measure the server itself. It stops by itself: b.N events in all, within two minutes.
//
//	go test -run '^$' -bench Server100Learners -benchtime 20000x ./classroom
//
// Besides ns/op (per event, all learners together) it reports events/s, the
// latency of a post (p50, p99, max) and of the dashboard's state.json.
func BenchmarkServer100Learners(b *testing.B) {
	const learners = 100
	var course []string
	for i := 0; i < 30; i++ {
		course = append(course, fmt.Sprintf("lesson-%d/exercise-%d", i/3, i))
	}
	st := newStore(b)
	lim := DefaultLimits()
	lim.PostRate, lim.MaxEventsPerLearner, lim.MaxLearners, lim.JoinBurst = rate.Inf, 1<<30, learners, learners
	srv, err := NewServer(st, Options{Exercises: course, Limits: lim})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler()) // 127.0.0.1 only
	defer ts.Close()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: learners + 1}}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	configs := make([]*Config, learners)
	for i := range configs {
		if configs[i], err = Join(ctx, hc, ts.URL, srv.JoinCode(), fmt.Sprintf("learner %d", i), ""); err != nil {
			b.Fatal(err)
		}
	}

	// The instructor's page, polling faster than the real one does.
	var pollMu sync.Mutex
	var polls []time.Duration
	stopPolling := make(chan struct{})
	var pollers sync.WaitGroup
	pollers.Add(1)
	go func() {
		defer pollers.Done()
		for {
			select {
			case <-stopPolling:
				return
			case <-time.After(100 * time.Millisecond):
			}
			start := time.Now()
			resp, err := hc.Get(ts.URL + srv.DashboardPath() + "state.json")
			if err == nil {
				resp.Body.Close()
				pollMu.Lock()
				polls = append(polls, time.Since(start))
				pollMu.Unlock()
			}
		}
	}()

	var next atomic.Int64
	var failures atomic.Int64
	lat := make([][]time.Duration, learners)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < learners; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			cfg := configs[i]
			for n := next.Add(1); n <= int64(b.N) && ctx.Err() == nil; n = next.Add(1) {
				ex := course[int(n/7)%len(course)]
				e := Event{ID: NewEventID(), Exercise: ex, At: time.Now()}
				switch n % 7 {
				case 0:
					e.Kind = KindStarted
				case 1, 2, 4:
					e.Kind, e.CheckKind, e.Check, e.Message, e.ChecksTotal = KindCheckFailed, "http_get", "HTTP GET / through dojo-web's port 80 answers", "connection refused", 3
				case 3, 5:
					e.Kind, e.Hint = KindHint, int(n%5)
				default:
					e.Kind = KindPassed
				}
				t0 := time.Now()
				var resp EventsResponse
				if err := post(ctx, hc, cfg.URL+"/api/v1/events", cfg.Token, EventsRequest{Events: []Event{e}}, &resp); err != nil || resp.Accepted != 1 {
					failures.Add(1)
					continue
				}
				lat[i] = append(lat[i], time.Since(t0))
			}
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	close(stopPolling)
	pollers.Wait()

	if n := failures.Load(); n > 0 {
		b.Fatalf("%d of %d posts failed", n, b.N)
	}
	if ctx.Err() != nil {
		b.Fatalf("the load did not finish within two minutes")
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	pct := func(d []time.Duration, p float64) float64 {
		if len(d) == 0 {
			return 0
		}
		return float64(d[min(len(d)-1, int(p*float64(len(d))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "events/s")
	b.ReportMetric(pct(all, 0.50), "p50-ms")
	b.ReportMetric(pct(all, 0.99), "p99-ms")
	b.ReportMetric(pct(all, 1), "max-ms")
	slices.Sort(polls)
	b.ReportMetric(pct(polls, 0.50), "state-p50-ms")
	b.ReportMetric(pct(polls, 0.99), "state-p99-ms")
	if got := len(srv.Snapshot().Learners); got != learners {
		b.Fatalf("%d learners on the dashboard, want %d", got, learners)
	}
}

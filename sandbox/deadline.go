package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/docker/docker/api/types"
)

// Every request to the engine has a deadline: an engine that answers its
// ping and then stops answering (a wedged Docker Desktop VM, a daemon stuck
// on a lock) must not hang dockdojo. The deadline depends on what is asked.
const (
	// AnswerTimeout bounds a request that only reads (an inspect, a list):
	// its whole answer. For a stream that reads (events, logs, the wait for
	// a container to stop) it bounds the start of the answer; the stream
	// itself lasts as long as its caller wants. A request, read or change,
	// that misses it while the engine still lists its containers is waited
	// for up to ChangeTimeout (see deadlines.busy); one that misses it
	// while the engine does not is given up on then.
	AnswerTimeout = 3 * time.Second
	// ChangeTimeout bounds a request that changes something (create, start,
	// remove a container, network or volume; start an exec) on an engine
	// that is busy, and a read that a busy engine holds.
	ChangeTimeout = 30 * time.Second
	// TransferTimeout bounds how long the engine may take to start answering
	// a pull, a build or an image load once it has been sent all of it
	// (a registry over poor Wi-Fi answers slowly). Their progress is
	// streamed and shown; a build's whole length is bounded by its caller.
	TransferTimeout = 2 * time.Minute
	// busyProbeTimeout bounds the list that tells a busy engine from a
	// stuck one once a read has missed AnswerTimeout.
	busyProbeTimeout = 500 * time.Millisecond
)

// StallError is an engine that did not answer a request within its
// deadline. It is reported as an unreachable engine (see Engine.wrap).
type StallError struct {
	Request string        // e.g. "GET /containers/json"
	Limit   time.Duration // the deadline it missed
}

func (e *StallError) Error() string {
	return fmt.Sprintf("%s: no answer within %s", e.Request, e.Limit)
}

// deadlines is the engine client's transport: it gives every request the
// deadline of its kind (see answerLimit), and turns a request that ran out
// of it into a *StallError.
//
// A request can miss AnswerTimeout on an engine that is well: the engine
// holds a container's lock while it starts or stops it, and an inspect of
// that container waits for the lock (seconds, when the machine is loaded
// and the engine is tearing a container's network down); a create or a
// removal takes seconds on a loaded machine. A request (but a transfer)
// that misses AnswerTimeout therefore asks the engine for its list of
// containers, which takes no container's lock: an engine that answers is
// busy, and the request may go on until ChangeTimeout, the bound of a
// change. An engine that does not answer that either is stuck, and the
// request fails then: a wedged engine is reported within seconds, a
// change's included.
//
// An engine found stuck stays so until it answers again: a request sent
// meanwhile (the clean-up after a failed start, the next object of a
// reset) asks it first whether it answers, and fails at once when it does
// not, instead of waiting the whole AnswerTimeout again.
type deadlines struct {
	next  http.RoundTripper
	stuck *atomic.Bool
}

// streamRE matches the API paths whose answer is a stream: only its start
// is bounded. transferRE matches those that move images.
var (
	streamRE   = regexp.MustCompile(`/(events|containers/[^/]+/(logs|wait|attach|stats)|exec/[^/]+/start|images/get)$`)
	transferRE = regexp.MustCompile(`/(build|images/create|images/load|images/[^/]+/push)$`)
	versionRE  = regexp.MustCompile(`^/v[0-9.]+(/.*)$`)
)

// answerLimit is how long the engine may take with req, and whether the
// limit holds for the whole answer or only its start.
func answerLimit(req *http.Request) (limit time.Duration, whole bool) {
	p := req.URL.Path
	switch {
	case transferRE.MatchString(p):
		return TransferTimeout, false
	case streamRE.MatchString(p) && (req.Method == http.MethodGet || req.Method == http.MethodHead):
		return AnswerTimeout, false
	case streamRE.MatchString(p):
		return ChangeTimeout, false
	case req.Method == http.MethodGet || req.Method == http.MethodHead:
		return AnswerTimeout, true
	}
	return ChangeTimeout, true
}

func (d deadlines) RoundTrip(req *http.Request) (*http.Response, error) {
	limit, whole := answerLimit(req)
	if limit != TransferTimeout {
		// A change is given AnswerTimeout before the engine is asked
		// whether it is busy, as a read is.
		limit = AnswerTimeout
		if d.stuck.Load() && req.Context().Err() == nil && !d.busy(req) {
			return nil, &StallError{Request: req.Method + " " + apiPath(req.URL.Path), Limit: limit}
		}
	}
	ctx, cancel := context.WithCancel(req.Context())
	stall := &StallError{Request: req.Method + " " + apiPath(req.URL.Path), Limit: limit}
	t := &stallTimer{limit: limit, cancel: cancel, stall: stall}
	if limit == AnswerTimeout {
		t.busy = func() bool { return d.busy(req) }
	}
	req = req.WithContext(ctx)
	if req.Body != nil && req.Body != http.NoBody {
		// The clock starts once the request is sent: uploading a build
		// context takes as long as it takes.
		req.Body = &sentBody{ReadCloser: req.Body, sent: t.start}
	} else {
		t.start()
	}
	resp, err := d.next.RoundTrip(req)
	if t.fired() {
		if err == nil {
			resp.Body.Close()
		}
		cancel()
		return nil, stall
	}
	if err != nil {
		t.stop()
		cancel()
		return nil, err
	}
	d.stuck.Store(false)
	if !whole {
		t.stop()
	}
	resp.Body = &answerBody{ReadCloser: resp.Body, t: t, stall: stall, cancel: cancel}
	return resp, nil
}

// busy reports whether the engine answers a list of its containers while
// req waits: it is then alive, and req waits on a container's lock or for
// a change to be done. An engine that does not is stuck, until it answers.
func (d deadlines) busy(req *http.Request) (ok bool) {
	// The probe is the engine's answer, not the caller's: a request
	// given up on by its caller (a check's time limit, Ctrl-C) says
	// nothing of the engine.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(req.Context()), busyProbeTimeout)
	defer cancel()
	defer func() { d.stuck.Store(!ok) }()
	probe := req.Clone(ctx) // the URL as given: a unix socket's host is not one url.Parse takes
	probe.Method, probe.Body, probe.ContentLength = http.MethodGet, nil, 0
	probe.URL.Path = strings.TrimSuffix(req.URL.Path, apiPath(req.URL.Path)) + "/containers/json"
	probe.URL.RawPath, probe.URL.RawQuery = "", "limit=1"
	resp, err := d.next.RoundTrip(probe)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err == nil && resp.StatusCode == http.StatusOK
}

// apiPath is an API path without its version: /v1.41/containers/json is
// /containers/json.
func apiPath(p string) string {
	if m := versionRE.FindStringSubmatch(p); m != nil {
		return m[1]
	}
	return p
}

// stallTimer cancels a request that has not been answered in time. When
// busy is set and reports a busy engine, the request is given until
// ChangeTimeout instead, once.
type stallTimer struct {
	limit  time.Duration
	cancel context.CancelFunc
	stall  *StallError
	busy   func() bool

	mu      sync.Mutex
	timer   *time.Timer
	stopped bool
	expired bool
}

func (t *stallTimer) start() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.timer != nil || t.stopped {
		return
	}
	t.timer = time.AfterFunc(t.limit, t.expire)
}

// expire ends the request, or gives it until ChangeTimeout if the engine
// is busy rather than stuck.
func (t *stallTimer) expire() {
	if t.busy != nil && t.limit < ChangeTimeout && t.busy() {
		t.mu.Lock()
		defer t.mu.Unlock()
		if !t.stopped {
			extra := ChangeTimeout - t.limit
			t.limit, t.stall.Limit = ChangeTimeout, ChangeTimeout
			t.timer = time.AfterFunc(extra, t.expire)
		}
		return
	}
	t.mu.Lock()
	stopped := t.stopped
	if !stopped {
		t.expired = true
	}
	t.mu.Unlock()
	if !stopped {
		t.cancel()
	}
}

// stop keeps the timer from firing.
func (t *stallTimer) stop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stopped = true
	if t.timer != nil {
		t.timer.Stop()
	}
}

func (t *stallTimer) fired() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.expired
}

// sentBody starts the clock once the request's body has been read whole.
type sentBody struct {
	io.ReadCloser
	sent func()
}

func (b *sentBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.sent()
	}
	return n, err
}

func (b *sentBody) Close() error {
	b.sent()
	return b.ReadCloser.Close()
}

// answerBody is an answer being read: a read cut off by the deadline says
// so, and closing it releases the request.
type answerBody struct {
	io.ReadCloser
	t      *stallTimer
	stall  *StallError
	cancel context.CancelFunc
}

func (b *answerBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && !errors.Is(err, io.EOF) && b.t.fired() {
		return n, b.stall
	}
	return n, err
}

func (b *answerBody) Close() error {
	b.t.stop()
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// hijacked is the outcome of opening a raw stream.
type hijacked struct {
	resp types.HijackedResponse
	err  error
}

// hijack opens a raw stream to the engine (an exec's or a container's
// input and output). The SDK sets these up outside the HTTP transport, so
// the deadline is kept here: an engine that does not answer within
// ChangeTimeout is a *StallError, and an answer that comes after that is
// closed.
func hijack(ctx context.Context, request string, open func(context.Context) (types.HijackedResponse, error)) (types.HijackedResponse, error) {
	done := make(chan hijacked, 1)
	go func() {
		resp, err := open(ctx)
		done <- hijacked{resp, err}
	}()
	t := time.NewTimer(ChangeTimeout)
	defer t.Stop()
	select {
	case r := <-done:
		return r.resp, r.err
	case <-ctx.Done():
		go closeLate(done)
		return types.HijackedResponse{}, ctx.Err()
	case <-t.C:
		go closeLate(done)
		return types.HijackedResponse{}, &StallError{Request: request, Limit: ChangeTimeout}
	}
}

// closeLate closes a stream that opened after its caller gave up on it.
func closeLate(done <-chan hijacked) {
	if r := <-done; r.err == nil {
		r.resp.Close()
	}
}

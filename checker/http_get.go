package checker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
)

// HTTPGet checks that an HTTP GET through the named container's own published binding
// of a port answers as expected. The request goes to the host side of that
// binding, so the reply is tied to that container and not to whatever else
// listens on the host, and the learner's -p is what is tested.
type HTTPGet struct {
	Container      string `yaml:"container" check:"required"` // the container's exact name
	Port           string `yaml:"port" check:"required"`      // the container port the server listens on
	Path           string `yaml:"path"`                       // the URL path, with a query if need be; default "/"
	Status         int    `yaml:"status"`                     // the expected status; default 200
	BodyContains   string `yaml:"body_contains"`              // the body contains this text
	BodyEqualsFile string `yaml:"body_equals_file"`           // the body equals this workspace file
}

var _ Spec = (*HTTPGet)(nil)

func (s *HTTPGet) Title() string {
	path := s.Path
	if path == "" {
		path = "/"
	}
	return fmt.Sprintf("container %s serves %s through its published port %s", s.Container, path, normPort(s.Port))
}

func (s *HTTPGet) Validate(l *Lint) {
	l.Object("container", "container", s.Container)
	l.port("port", s.Port)
	if _, err := pagePath(s.Path); err != nil {
		l.Errorf("path", "%v", err)
	}
	if s.Status != 0 && (s.Status < 100 || s.Status > 599) {
		l.Errorf("status", "status %d is not an HTTP status code: use one from 100 to 599, e.g. 200 or 404", s.Status)
	}
	if s.BodyEqualsFile != "" && !localPath(s.BodyEqualsFile) {
		l.Errorf("body_equals_file", "body_equals_file %q must be a relative path inside the workspace", s.BodyEqualsFile)
	}
}

func (s *HTTPGet) Run(ctx context.Context, env Env) (string, error) {
	ct, msg, err := running(ctx, env, s.Container, "it cannot answer")
	if msg != "" || err != nil {
		return msg, err
	}
	port := normPort(s.Port)
	bindings := ct.Ports[port]
	if len(bindings) == 0 {
		return fmt.Sprintf("port %s of %s is not published, so nothing outside the container can reach it; %s", port, s.Container, publishedList(ct)), nil
	}
	host := env.Target.HostAddress()
	if ip := bindings[0].HostIP; ip != "" && ip != "0.0.0.0" && ip != "::" {
		host = ip
	}
	page, err := pagePath(s.Path)
	if err != nil {
		return "", err // lint refuses such a path
	}
	page.Scheme, page.Host = "http", net.JoinHostPort(host, bindings[0].HostPort)
	addr := page.String()
	resp, msg, err := s.get(ctx, env, ct, page)
	if msg != "" || err != nil {
		return msg, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Sprintf("the answer from %s broke off: %v", addr, err), nil
	}
	want := s.Status
	if want == 0 {
		want = http.StatusOK
	}
	if resp.StatusCode != want {
		if to := resp.Header.Get("Location"); to != "" && resp.StatusCode/100 == 3 {
			return fmt.Sprintf("GET %s answered %s, expected %d %s: it sends you to %s, which the check does not follow, as it asks only %s's own published port", addr, resp.Status, want, http.StatusText(want), to, s.Container), nil
		}
		return fmt.Sprintf("GET %s answered %s, expected %d %s", addr, resp.Status, want, http.StatusText(want)), nil
	}
	if s.BodyContains != "" && !strings.Contains(string(body), s.BodyContains) {
		return fmt.Sprintf("the page at %s does not contain %s; it starts with %s", addr, quote(s.BodyContains), quoteShort(string(body))), nil
	}
	if s.BodyEqualsFile != "" {
		want, msg := readWorkspace(env.Workspace, s.BodyEqualsFile)
		if msg != "" {
			return msg + ", to compare the page with", nil
		}
		if !bytes.Equal(bytes.TrimSpace(body), bytes.TrimSpace(want)) {
			return fmt.Sprintf("the page at %s is not your %s; it starts with %s", addr, s.BodyEqualsFile, quoteShort(string(body))), nil
		}
	}
	return "", nil
}

// pagePath is the path and query of an http_get, "/" when none is given.
// It must start with one slash and name nothing but a page: a path that
// names a host ("@other:80/x", "//other/x", "http://other/") would send
// the learner's machine to ask someone else.
func pagePath(p string) (*url.URL, error) {
	if p == "" {
		return &url.URL{Path: "/"}, nil
	}
	u, err := url.ParseRequestURI(p)
	spaced := strings.IndexFunc(p, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.Contains(p, "#") || spaced || err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return nil, fmt.Errorf("path %q: write the page's path on the container's server, starting with one /, like /index.html or /api?q=1 (no host, port, # or space: write a space as %%20)", p)
	}
	return u, nil
}

// get asks page. While the container is younger than Warmup, a server that
// does not answer yet (the connection is refused, or cut by the engine's
// port proxy) is asked again, until the container is Warmup old or stops.
// A redirect is followed only on the same host and port: the check asks
// the container's own binding and nothing else.
func (s *HTTPGet) get(ctx context.Context, env Env, ct sandbox.Container, page *url.URL) (*http.Response, string, error) {
	client := &http.Client{Timeout: 5 * time.Second}
	if env.HTTP != nil {
		*client = *env.HTTP
	}
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != page.Scheme || req.URL.Host != page.Host || len(via) >= 10 {
			return http.ErrUseLastResponse
		}
		return nil
	}
	addr := page.String()
	// An engine whose clock runs ahead makes the container look younger:
	// keep asking Warmup at most from now.
	until := ct.StartedAt.Add(Warmup)
	if latest := time.Now().Add(Warmup); until.After(latest) {
		until = latest
	}
	pause := 100 * time.Millisecond
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, addr, nil)
		if err != nil {
			return nil, "", err
		}
		resp, err := client.Do(req)
		if err == nil {
			return resp, "", nil
		}
		if ctx.Err() != nil {
			return nil, "", ctx.Err()
		}
		left := time.Until(until)
		if !notListening(err) || left <= 0 {
			return nil, fmt.Sprintf("nothing answered at %s (%v); is the server inside %s listening on port %s?", addr, rootCause(err), s.Container, normPort(s.Port)), nil
		}
		// The pause between two tries is a wait for the container to stop.
		if err := waitStopped(ctx, env, ct.Name, min(pause, left)); err != nil {
			return nil, "", err
		}
		pause = min(2*pause, time.Second)
		again, err := env.Target.InspectContainer(ctx, ct.Name)
		if errors.Is(err, sandbox.ErrNotFound) || (err == nil && !again.Running) {
			return nil, fmt.Sprintf("container %s stopped before it answered at %s: it is %s%s", s.Container, addr, orGone(again, err), exitNote(again)), nil
		}
		if err != nil {
			return nil, "", err
		}
	}
}

// notListening reports whether a request failed because nothing listens
// yet: refused, or accepted by the engine's port proxy and cut. net/http
// reports a connection cut before it sent the request as "server closed
// idle connection", an error it does not export.
func notListening(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		strings.Contains(err.Error(), "server closed idle connection")
}

// orGone is a container's state, or "gone" when it no longer exists.
func orGone(ct sandbox.Container, err error) string {
	if err != nil {
		return "gone"
	}
	return ct.State
}

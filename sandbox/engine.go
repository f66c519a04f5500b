package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/jsonmessage"
	"github.com/docker/go-connections/tlsconfig"
)

// pingTimeout bounds how long Connect waits for the engine to answer, so an
// unreachable engine is reported, process start included, within the two
// seconds README promises.
const pingTimeout = 1500 * time.Millisecond

// Engine is a connection to one Docker engine. Its methods are safe for
// concurrent use.
type Engine struct {
	cli *client.Client
	ep  Endpoint
	// stuck is set while the engine is found stuck (see deadlines).
	stuck *atomic.Bool
}

// Connect resolves the endpoint (see Resolve), builds a client that negotiates
// the API version (engines from API 1.41 up), honours DOCKER_TLS_VERIFY,
// DOCKER_CERT_PATH and a context's TLS material for tcp hosts, and pings the
// engine within one and a half seconds, so that a command answers within
// two when the engine does not. A failure to reach the engine wraps
// ErrUnreachable and names the endpoint and where it came from; permission
// denied on the socket is reported as such.
func Connect(ctx context.Context, getenv func(string) string, home string) (*Engine, error) {
	ep, err := Resolve(getenv, home)
	if err != nil {
		// No engine can be found (a context that does not exist, a
		// config that cannot be read): the same trouble, with the same
		// exit code, as one that does not answer.
		return nil, fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	where := fmt.Sprintf("%s (found via %s)", ep.Host, ep.Source)

	u, err := client.ParseHostURL(ep.Host)
	if err != nil {
		return nil, fmt.Errorf("%w: invalid docker host %s: %v; use unix:///path, tcp://host:port or npipe:////./pipe/name", ErrUnreachable, where, err)
	}
	if u.Scheme == "ssh" {
		return nil, fmt.Errorf("%w: %s is an ssh:// endpoint, which dockdojo cannot use; forward the socket (ssh -L /tmp/docker.sock:/var/run/docker.sock HOST) and set DOCKER_HOST=unix:///tmp/docker.sock", ErrUnreachable, where)
	}

	var hc *http.Client
	if u.Scheme == "tcp" {
		if hc, err = tlsClient(ep, getenv, home); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrUnreachable, where, err)
		}
	}
	if hc == nil {
		hc = &http.Client{Transport: &http.Transport{}, CheckRedirect: client.CheckRedirect}
	}
	// WithHost comes after WithHTTPClient: it configures that client's transport.
	cli, err := client.NewClientWithOpts(client.WithAPIVersionNegotiation(), client.WithHTTPClient(hc), client.WithHost(ep.Host))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnreachable, where, err)
	}
	// The client sends every request through hc, whose transport it has
	// wrapped by now: each request gets its deadline on top of that.
	stuck := new(atomic.Bool)
	hc.Transport = deadlines{next: hc.Transport, stuck: stuck}

	pctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	ping, err := cli.Ping(pctx)
	if err == nil && ping.APIVersion == "" {
		// Every engine names its API version in the answer to its ping.
		err = errors.New("its answer to the engine's ping names no API version")
	}
	if err != nil {
		_ = cli.Close()
		return nil, unreachable(ctx, where, u, err)
	}
	// Reuse the answer instead of letting the first real call ping again.
	cli.NegotiateAPIVersionPing(ping)
	return &Engine{cli: cli, ep: ep, stuck: stuck}, nil
}

// unreachable explains why a ping failed, in the learner's terms.
func unreachable(ctx context.Context, where string, u *url.URL, err error) error {
	switch {
	case errors.Is(err, fs.ErrPermission) || strings.Contains(err.Error(), "permission denied"):
		return fmt.Errorf("%w: permission denied on %s; add your user to the docker group (sudo usermod -aG docker $USER, then log in again) or use rootless Docker", ErrUnreachable, where)
	case ctx.Err() != nil:
		return fmt.Errorf("%w: %s: %v", ErrUnreachable, where, ctx.Err())
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: %s did not answer within %s", ErrUnreachable, where, pingTimeout)
	case cerrdefs.IsNotFound(err) || strings.Contains(err.Error(), "names no API version"):
		// An engine answers its ping; a web server says it has no such
		// page. That page (HTML, often) is not shown: the status says it.
		said := "it answered the engine's ping with 404, not found"
		if !cerrdefs.IsNotFound(err) {
			said = err.Error()
		}
		return fmt.Errorf("%w: %s answered, but is %w (%s): another program listens there, a web server perhaps; check the address and port (an engine on TCP listens on 2375, or 2376 with TLS, and \"docker -H %s info\" answers), or use the default engine", ErrUnreachable, where, ErrNotAnEngine, said, u.Scheme+"://"+u.Host)
	}
	if u.Scheme == "unix" {
		if _, serr := os.Stat(u.Host); errors.Is(serr, fs.ErrNotExist) {
			if strings.Contains(where, "DOCKER_HOST") {
				return fmt.Errorf("%w: %s: no socket at %s; DOCKER_HOST points there: correct it, or unset it to use the default engine", ErrUnreachable, where, u.Host)
			}
			return fmt.Errorf("%w: %s: no socket at %s; start Docker or set DOCKER_HOST", ErrUnreachable, where, u.Host)
		}
	}
	return fmt.Errorf("%w: %s: %v", ErrUnreachable, where, err)
}

// tlsClient returns an HTTP client with the TLS settings the docker CLI would
// use for a tcp host, or nil when TLS is not asked for.
func tlsClient(ep Endpoint, getenv func(string) string, home string) (*http.Client, error) {
	var dir string
	var verify bool
	switch {
	case ep.TLSDir != "" && exists(ep.TLSDir):
		dir, verify = ep.TLSDir, !ep.SkipTLSVerify
	case getenv("DOCKER_TLS_VERIFY") != "" || getenv("DOCKER_TLS") != "" || getenv("DOCKER_CERT_PATH") != "":
		dir = getenv("DOCKER_CERT_PATH")
		if dir == "" {
			dir = filepath.Join(home, ".docker")
		}
		verify = getenv("DOCKER_TLS_VERIFY") != ""
	default:
		return nil, nil
	}
	opts := tlsconfig.Options{InsecureSkipVerify: !verify}
	if f := filepath.Join(dir, "ca.pem"); exists(f) {
		opts.CAFile = f
	}
	cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if exists(cert) && exists(key) {
		opts.CertFile, opts.KeyFile = cert, key
	}
	cfg, err := tlsconfig.Client(opts)
	if err != nil {
		return nil, fmt.Errorf("load TLS certificates from %s: %w; check DOCKER_CERT_PATH", dir, err)
	}
	return &http.Client{
		Transport: &http.Transport{
			TLSClientConfig: cfg,
			MaxIdleConns:    6,
			IdleConnTimeout: 30 * time.Second,
		},
		CheckRedirect: client.CheckRedirect,
	}, nil
}

// Close releases the connection to the engine.
func (e *Engine) Close() error {
	return e.cli.Close()
}

// Endpoint says where the engine was found and how.
func (e *Engine) Endpoint() Endpoint {
	return e.ep
}

// HostAddress is where published ports are reached from this machine:
// "127.0.0.1" for unix and npipe hosts, the host part of a tcp:// host
// otherwise.
func (e *Engine) HostAddress() string {
	u, err := client.ParseHostURL(e.ep.Host)
	if err != nil || u.Scheme != "tcp" {
		return "127.0.0.1"
	}
	host, _, err := net.SplitHostPort(u.Host)
	if err != nil {
		return u.Host
	}
	return host
}

// EnsureImage inspects ref and, when it is absent, pulls it, streaming
// docker-style progress to out (fd and isTerm describe out, as the caller
// knows whether it is a terminal). It reports whether it pulled.
func (e *Engine) EnsureImage(ctx context.Context, ref string, out io.Writer, fd uintptr, isTerm bool) (pulled bool, err error) {
	_, err = e.InspectImage(ctx, ref)
	if err == nil {
		return false, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return false, err
	}
	rc, err := e.cli.ImagePull(ctx, ref, image.PullOptions{})
	if err != nil {
		return false, e.pullError(ref, false, "", err)
	}
	defer rc.Close()
	if err := jsonmessage.DisplayJSONMessagesStream(rc, out, fd, isTerm, nil); err != nil {
		return false, e.pullError(ref, false, "", err)
	}
	return true, nil
}

// connectionLost reports an error that means the engine went away in the
// middle of a request: the connection was refused, reset or closed early.
func connectionLost(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ENOENT) && strings.Contains(err.Error(), "dial")
}

// wrap gives an SDK error its operation as context and marks connection
// failures and absent objects with the package's sentinel errors.
func (e *Engine) wrap(op string, err error) error {
	var stall *StallError
	switch {
	case errors.As(err, &stall):
		return fmt.Errorf("%s: %w: %s (found via %s) did not answer within %s", op, ErrUnreachable, e.ep.Host, e.ep.Source, stall.Limit)
	case client.IsErrConnectionFailed(err), connectionLost(err):
		return fmt.Errorf("%s: %w at %s (found via %s): %v", op, ErrUnreachable, e.ep.Host, e.ep.Source, err)
	case cerrdefs.IsNotFound(err):
		return fmt.Errorf("%s: %w: %v", op, ErrNotFound, err)
	case cerrdefs.IsConflict(err):
		return fmt.Errorf("%s: %w: %v", op, ErrConflict, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

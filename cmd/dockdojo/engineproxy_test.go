package main

import (
	"bytes"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/dockdojo/dockdojo/sandbox"
)

// engineProxy stands between dockdojo and the real engine on a unix socket
// of its own, so that a test can make the engine vanish at a chosen moment
// (the connection dies, as when dockerd is killed) without touching the
// engine the other tests use.
type engineProxy struct {
	t    *testing.T
	sock string // where dockdojo connects: DOCKER_HOST=unix://sock
	real string // the engine's own socket

	mu      sync.Mutex
	ln      net.Listener
	conns   []net.Conn
	dead    bool
	trigger []byte // when the client sends this for the nth time, the engine dies
	nth     int
	seen    int
	died    chan struct{}
	// stall, when set, holds every request that contains one of them: the
	// engine stops answering (but keeps the connection); stalled is closed
	// then.
	stall   [][]byte
	stalled chan struct{}
	once    sync.Once
	// wedge, when set, is as stall, and holds every request after it too,
	// on every connection, new ones included: a wedged engine.
	wedge  []byte
	wedged bool
}

// newEngineProxy starts a proxy to the engine this process uses. It dies
// on the nth request whose bytes contain trigger (0: never by itself).
func newEngineProxy(t *testing.T, trigger string, nth int) *engineProxy {
	t.Helper()
	home, _ := os.UserHomeDir()
	ep, err := sandbox.Resolve(os.Getenv, home)
	if err != nil {
		t.Fatal(err)
	}
	real := sandbox.SocketPath(ep)
	if real == "" {
		t.Skipf("the engine is not on a unix socket (%s): no proxy", ep.Host)
	}
	p := &engineProxy{t: t, sock: filepath.Join(t.TempDir(), "engine.sock"), real: real, trigger: []byte(trigger), nth: nth, died: make(chan struct{}), stalled: make(chan struct{})}
	if p.ln, err = net.Listen("unix", p.sock); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.kill)
	go p.serve()
	return p
}

func (p *engineProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		e, err := net.Dial("unix", p.real)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		if p.dead {
			p.mu.Unlock()
			c.Close()
			e.Close()
			return
		}
		p.conns = append(p.conns, c, e)
		p.mu.Unlock()
		go func() { _, _ = io.Copy(c, e); c.Close() }()
		go p.forward(c, e)
	}
}

// forward copies what dockdojo sends to the engine, watching for the
// trigger; on it, the engine dies before the request reaches it.
func (p *engineProxy) forward(c, e net.Conn) {
	defer e.Close()
	b := make([]byte, 32<<10)
	for {
		n, err := c.Read(b)
		if n > 0 {
			p.mu.Lock()
			if len(p.wedge) > 0 && bytes.Contains(b[:n], p.wedge) {
				p.wedged = true
			}
			wedged := p.wedged
			p.mu.Unlock()
			if wedged || slices.ContainsFunc(p.stall, func(s []byte) bool { return bytes.Contains(b[:n], s) }) {
				p.once.Do(func() { close(p.stalled) })
				<-p.died // never sent; the connection ends when the proxy does
				return
			}
			if len(p.trigger) > 0 && bytes.Contains(b[:n], p.trigger) {
				p.mu.Lock()
				p.seen++
				hit := p.seen == p.nth
				p.mu.Unlock()
				if hit {
					p.kill()
					return
				}
			}
			if _, werr := e.Write(b[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// kill makes the engine vanish: the socket stops accepting and every open
// connection is cut.
func (p *engineProxy) kill() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dead {
		return
	}
	p.dead = true
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
	close(p.died)
}

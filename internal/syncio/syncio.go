// Package syncio holds the streams that goroutines share: a writer that
// lets several write to the same stream, a buffer that a process or a
// goroutine writes while another reads it, and a reader that tells when
// no read of it is under way.
package syncio

import (
	"bytes"
	"io"
	"sync"
	"time"
)

// Writer writes to its stream one Write at a time.
type Writer struct {
	mu sync.Mutex
	w  io.Writer
}

// NewWriter returns a Writer to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

func (l *Writer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// Buffer is a bytes.Buffer that one goroutine may write while another
// reads what it holds so far. The zero Buffer is empty and ready to use.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String is what has been written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Reader reads from its stream one Read at a time, so that Idle can tell
// when no Read is under way: a reader that another goroutine copies from
// may be closed only then.
type Reader struct {
	mu sync.Mutex
	r  io.Reader
}

// NewReader returns a Reader of r.
func NewReader(r io.Reader) *Reader { return &Reader{r: r} }

func (g *Reader) Read(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.r.Read(p)
}

// Idle waits until no Read is under way, at most d, and reports whether
// none was by then.
func (g *Reader) Idle(d time.Duration) bool {
	done := make(chan struct{})
	go func() {
		g.mu.Lock()
		g.mu.Unlock() // nothing to do inside: only waiting for the Read under way
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}

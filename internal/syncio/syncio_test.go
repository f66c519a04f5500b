package syncio

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestConcurrentWrites: lines written from many goroutines at once arrive
// whole, and the buffer can be read while they are written (run with
// -race to see that it is safe).
func TestConcurrentWrites(t *testing.T) {
	var b Buffer
	w := NewWriter(&b)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				fmt.Fprintf(w, "line %02d-%02d\n", i, j)
				_ = b.String()
			}
		}()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 20*50 {
		t.Fatalf("got %d lines, want %d", len(lines), 20*50)
	}
	for _, l := range lines {
		if len(l) != len("line 00-00") || !strings.HasPrefix(l, "line ") {
			t.Fatalf("a line was torn: %q", l)
		}
	}
}

// TestReaderIdle: Idle says at once when no Read is under way, waits out
// its limit while one is blocked, and answers as soon as that Read returns.
func TestReaderIdle(t *testing.T) {
	pr, pw := io.Pipe()
	r := NewReader(pr)
	if !r.Idle(time.Second) {
		t.Fatal("Idle with no Read under way: false")
	}
	read := make(chan error, 1)
	go func() {
		_, err := r.Read(make([]byte, 1))
		read <- err
	}()
	// Wait, within a deadline, until the Read holds the reader.
	for deadline := time.Now().Add(5 * time.Second); r.mu.TryLock(); {
		r.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatal("the Read never started")
		}
		time.Sleep(time.Millisecond)
	}
	if r.Idle(50 * time.Millisecond) {
		t.Fatal("Idle while a Read is blocked: true")
	}
	if _, err := pw.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := <-read; err != nil {
		t.Fatal(err)
	}
	if !r.Idle(time.Second) {
		t.Fatal("Idle after the Read returned: false")
	}
}

package syncio

import (
	"fmt"
	"strings"
	"sync"
	"testing"
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

package selftest

import (
	"errors"
	"strings"
	"testing"
)

// TestLockIsOneRunAtATime: a second self-test of the same engine is
// refused at once and told who holds it; another engine is free, and the
// lock is free again once released.
func TestLockIsOneRunAtATime(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	release, err := Lock("unix:///test/docker.sock", "dockdojo selftest first-run")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Lock("unix:///test/docker.sock", "dockdojo selftest")
	var busy *BusyError
	if !errors.As(err, &busy) {
		t.Fatalf("second self-test of the engine: err = %v; want a BusyError", err)
	}
	for _, want := range []string{"pid ", "dockdojo selftest first-run", "wait for it to end"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q does not say %q", err, want)
		}
	}
	other, err := Lock("tcp://10.0.0.2:2376", "dockdojo selftest")
	if err != nil {
		t.Fatalf("a self-test of another engine was refused: %v", err)
	}
	other()
	release()
	again, err := Lock("unix:///test/docker.sock", "dockdojo selftest")
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	again()
}

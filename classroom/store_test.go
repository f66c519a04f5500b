package classroom

import (
	"errors"
	"strings"
	"testing"
)

// TestOneServerPerDataFolder: a second server on a data folder in use is
// refused with the folder's name, a reader is not, and the folder is free
// again once the first server closes it.
func TestOneServerPerDataFolder(t *testing.T) {
	dir := t.TempDir()
	first, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := first.AddLearner("Ada", "h", testNow); err != nil {
		t.Fatal(err)
	}
	second, err := OpenStore(dir)
	if err == nil {
		second.Close()
		t.Fatal("a second server opened the data folder in use")
	}
	if !errors.Is(err, ErrDataInUse) || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "another `dockdojo classroom serve`") {
		t.Errorf("second server: %v; want ErrDataInUse naming %s and the other serve", err, dir)
	}
	reader, err := ReadStore(dir)
	if err != nil {
		t.Fatalf("a reader beside the server: %v", err)
	}
	if ls, err := reader.Learners(); err != nil || len(ls) != 1 || ls[0].Name != "Ada" {
		t.Errorf("the reader's learners: %+v, %v", ls, err)
	}
	reader.Close()
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := OpenStore(dir)
	if err != nil {
		t.Fatalf("a server after the first closed: %v", err)
	}
	again.Close()
}

//go:build !windows

package regfile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestPipeIsRefusedAtOnce: a named pipe where a file is expected is
// refused at once, by every way of opening, where a plain open waits for
// a writer forever. A regular file is read and written as ever.
func TestPipeIsRefusedAtOnce(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "out.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ok.txt"), []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	for name, open := range map[string]func() error{
		"Open":     func() error { _, err := Open(filepath.Join(dir, "out.txt")); return err },
		"OpenIn":   func() error { _, err := OpenIn(root, "out.txt"); return err },
		"ReadIn":   func() error { _, err := ReadIn(root, "out.txt"); return err },
		"CreateIn": func() error { _, err := CreateIn(root, "out.txt", 0o644); return err },
		"Create":   func() error { _, err := Create(filepath.Join(dir, "out.txt"), 0o644); return err },
		"a folder": func() error { _, err := OpenIn(root, "."); return err },
	} {
		done := make(chan error, 1)
		go func() { done <- open() }()
		select {
		case err := <-done:
			var nr *NotRegularError
			if !errors.As(err, &nr) && !errors.Is(err, syscall.ENXIO) {
				t.Errorf("%s of a named pipe: %v; want a NotRegularError (or ENXIO, a pipe with no reader)", name, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s of a named pipe still waits after 5 s", name)
		}
	}
	if data, err := ReadIn(root, "ok.txt"); err != nil || string(data) != "hello\n" {
		t.Errorf("ReadIn of a file = %q, %v", data, err)
	}
	f, err := CreateIn(root, "ok.txt", 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("bye\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if data, _ := os.ReadFile(filepath.Join(dir, "ok.txt")); string(data) != "bye\n" {
		t.Errorf("after CreateIn, ok.txt = %q", data)
	}
	if _, err := OpenIn(root, "."); err == nil || err.Error() != ". is a folder, not a file" {
		t.Errorf("OpenIn of a folder: %v", err)
	}
}

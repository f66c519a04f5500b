package preparecmd_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdojo/dockdojo/cmd/internal/clitest"
	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
)

// TestPrepareBinaries downloads a release folder, as an instructor does
// before the day, from a copy served on loopback.
func TestPrepareBinaries(t *testing.T) {
	served := t.TempDir()
	archive := []byte("stand-in archive")
	sum := sha256.Sum256(archive)
	files := map[string][]byte{
		"dockdojo_1.2.3_linux_amd64.tar.gz": archive,
		"SHA256SUMS":                        []byte(hex.EncodeToString(sum[:]) + "  dockdojo_1.2.3_linux_amd64.tar.gz\n"),
		"install.sh":                        []byte("#!/bin/sh\n"),
		"install.ps1":                       []byte("# PowerShell\n"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(served, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(served)))
	defer srv.Close()

	env := clitest.Learner(t.TempDir(), "teacher")
	dir := filepath.Join(t.TempDir(), "dockdojo-release")
	env["DOCKDOJO_BASE_URL"] = srv.URL
	code, stdout, stderr, _ := clitest.Run(env, "prepare", "--binaries", dir)
	if code != cmdutil.ExitOK || !strings.Contains(stdout, "dockdojo 1.2.3 for 1 platforms is in "+dir+".") || !strings.Contains(stdout, "classroom serve --addr 0.0.0.0:7077 --binaries "+dir) {
		t.Fatalf("prepare --binaries: exit %d\n%s%s", code, stdout, stderr)
	}
	for name, data := range files {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(got) != string(data) {
			t.Errorf("%s: %v %q", name, err, got)
		}
	}

	delete(env, "DOCKDOJO_BASE_URL")
	code, _, stderr, _ = clitest.Run(env, "prepare", "--binaries", filepath.Join(t.TempDir(), "x"))
	if code != cmdutil.ExitUsage || !strings.Contains(stderr, "this dockdojo (dev) is not a released version") || !strings.Contains(stderr, "go run ./scripts/release") {
		t.Errorf("a development build: exit %d\n%s", code, stderr)
	}
	code, _, stderr, _ = clitest.Run(env, "prepare", "--binaries", dir, "--save", "x.tar")
	if code != cmdutil.ExitUsage || !strings.Contains(stderr, "--binaries downloads dockdojo's binaries only") {
		t.Errorf("--binaries with --save: exit %d\n%s", code, stderr)
	}
}

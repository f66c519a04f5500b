// Package releasetest builds a release set once per test process, for the
// tests that check, serve and install it.
package releasetest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/release"
)

// The stamps of the test set. Every package's tests use the same ones, so
// the Go build cache serves all builds after the first.
const (
	Version = "v0.0.0-test"
	Commit  = "0123456789abcdef0123456789abcdef01234567"
)

// Date is the commit date stamped into the test set.
var Date = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

var host struct {
	once sync.Once
	dir  string
	set  *release.Set
	err  error
}

// HostSet returns a release set holding the archive of this machine's
// platform, built from the module's source by release.Build the first time
// a test of the process asks (it takes a minute or two when the build cache
// is cold). It skips the test where this platform is not a release target.
// Call Main from TestMain so that the set is removed at the end.
func HostSet(t testing.TB) *release.Set {
	t.Helper()
	target, err := release.ParseTarget(runtime.GOOS + "/" + runtime.GOARCH)
	if err != nil {
		t.Skipf("dockdojo is not released for this platform: %v", err)
	}
	host.once.Do(func() {
		var source string
		if source, host.err = ModuleRoot(); host.err != nil {
			return
		}
		if host.dir, host.err = os.MkdirTemp("", "dockdojo-test-release-"); host.err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		host.set, host.err = release.Build(ctx, release.BuildOptions{
			Source: source, Dir: filepath.Join(host.dir, "set"),
			Version: Version, Commit: Commit, Date: Date,
			Targets: []release.Target{target},
		})
	})
	if host.err != nil {
		t.Fatalf("build the test release set: %v", host.err)
	}
	return host.set
}

// Main runs the tests and removes the set HostSet built.
func Main(m *testing.M) {
	code := m.Run()
	if host.dir != "" {
		os.RemoveAll(host.dir)
	}
	os.Exit(code)
}

// ModuleRoot is the folder holding go.mod, above the test's folder.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the test's folder")
		}
		dir = parent
	}
}

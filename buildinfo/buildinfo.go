// Package buildinfo owns what a dockdojo binary knows of its own build: its
// version, the commit it was built from and that commit's date.
//
// A release build stamps them with the linker (see scripts/release):
//
//	-ldflags "-X github.com/dockdojo/dockdojo/buildinfo.version=v1.2.3
//	          -X github.com/dockdojo/dockdojo/buildinfo.commit=COMMIT
//	          -X github.com/dockdojo/dockdojo/buildinfo.date=2026-11-01T20:15:00Z"
//
// Without them, what the Go toolchain recorded is used: `go install
// github.com/dockdojo/dockdojo/cmd/dockdojo@v1.2.3` records the module's
// version, and a build in a git checkout records the commit. Anything else is
// "dev".
package buildinfo

import (
	"fmt"
	"regexp"
	"runtime/debug"
	"strings"
)

// Stamped by the release build with -ldflags -X; empty otherwise. They are
// written by the linker only, never at run time.
var (
	version string
	commit  string
	date    string
)

// Dev is the version of a build that knows none.
const Dev = "dev"

// Info is what a binary knows of its build.
type Info struct {
	Version  string // "v1.2.3", a Go pseudo-version, or Dev
	Commit   string // the full commit hash, or "" when unknown
	Date     string // the commit's time, RFC 3339, or "" when unknown
	Modified bool   // built from a checkout with uncommitted changes
}

// Get returns this binary's build information.
func Get() Info {
	bi, _ := debug.ReadBuildInfo()
	return resolve(version, commit, date, bi)
}

// resolve prefers what the release build stamped, then what the Go toolchain
// recorded in bi (which may be nil).
func resolve(version, commit, date string, bi *debug.BuildInfo) Info {
	if version != "" {
		return Info{Version: version, Commit: commit, Date: date}
	}
	info := Info{Version: Dev}
	if bi == nil {
		return info
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		info.Version = v
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info.Commit = s.Value
		case "vcs.time":
			info.Date = s.Value
		case "vcs.modified":
			info.Modified = s.Value == "true"
		}
	}
	return info
}

// String is the version with what is known of its origin, e.g.
// "v1.2.3 (commit 1e549f7ab2c3, 2026-11-01)" or "dev".
func (i Info) String() string {
	var about []string
	if i.Commit != "" {
		c := "commit " + i.Commit[:min(12, len(i.Commit))]
		if i.Modified {
			c += " with local changes"
		}
		about = append(about, c)
	}
	if d, _, _ := strings.Cut(i.Date, "T"); d != "" {
		about = append(about, d)
	}
	if len(about) == 0 {
		return i.Version
	}
	return fmt.Sprintf("%s (%s)", i.Version, strings.Join(about, ", "))
}

// releasedRE matches release tags (v1.2.3, v1.2.3-rc.1); a Go
// pseudo-version (v0.0.0-20261101201500-1e549f7ab2c3) ends in a timestamp
// and a commit instead.
var (
	releasedRE = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$`)
	pseudoRE   = regexp.MustCompile(`[0-9]{14}-[0-9a-f]{12}$`)
)

// Released reports whether the version names a release, whose files are on
// the project's release page: not a development build, a commit's
// pseudo-version or a build with local changes.
func (i Info) Released() bool {
	return releasedRE.MatchString(i.Version) && !pseudoRE.MatchString(i.Version) && !i.Modified
}

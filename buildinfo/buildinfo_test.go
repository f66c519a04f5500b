package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestResolve(t *testing.T) {
	installed := &debug.BuildInfo{Main: debug.Module{Path: "github.com/dockdojo/dockdojo", Version: "v1.2.3"}}
	checkout := &debug.BuildInfo{
		Main: debug.Module{Path: "github.com/dockdojo/dockdojo", Version: "(devel)"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "1e549f7ab2c3d4e5f60718293a4b5c6d7e8f9012"},
			{Key: "vcs.time", Value: "2026-11-01T20:15:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	tests := []struct {
		name                  string
		version, commit, date string
		bi                    *debug.BuildInfo
		want                  Info
		str                   string
	}{
		{
			name:    "stamped by the release build",
			version: "v1.2.3", commit: "1e549f7ab2c3d4e5f60718293a4b5c6d7e8f9012", date: "2026-11-01T20:15:00Z",
			bi:   checkout,
			want: Info{Version: "v1.2.3", Commit: "1e549f7ab2c3d4e5f60718293a4b5c6d7e8f9012", Date: "2026-11-01T20:15:00Z"},
			str:  "v1.2.3 (commit 1e549f7ab2c3, 2026-11-01)",
		},
		{
			name: "go install of a tagged version",
			bi:   installed,
			want: Info{Version: "v1.2.3"},
			str:  "v1.2.3",
		},
		{
			name: "go build in a checkout with changes",
			bi:   checkout,
			want: Info{Version: Dev, Commit: "1e549f7ab2c3d4e5f60718293a4b5c6d7e8f9012", Date: "2026-11-01T20:15:00Z", Modified: true},
			str:  "dev (commit 1e549f7ab2c3 with local changes, 2026-11-01)",
		},
		{
			name: "go run or go test",
			bi:   &debug.BuildInfo{Main: debug.Module{Path: "github.com/dockdojo/dockdojo"}},
			want: Info{Version: Dev},
			str:  "dev",
		},
		{
			name: "no build information",
			want: Info{Version: Dev},
			str:  "dev",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := resolve(tt.version, tt.commit, tt.date, tt.bi)
			if got != tt.want {
				t.Errorf("resolve = %+v, want %+v", got, tt.want)
			}
			if s := got.String(); s != tt.str {
				t.Errorf("String() = %q, want %q", s, tt.str)
			}
		})
	}
}

func TestReleased(t *testing.T) {
	for _, tt := range []struct {
		info Info
		want bool
	}{
		{Info{Version: "v1.2.3"}, true},
		{Info{Version: "v1.2.3-rc.1"}, true},
		{Info{Version: "v1.2.3", Modified: true}, false},
		{Info{Version: "v0.0.0-20261101201500-1e549f7ab2c3"}, false},
		{Info{Version: "v1.2.4-0.20261101201500-1e549f7ab2c3"}, false},
		{Info{Version: "v0.0.0-20261101201500-1e549f7ab2c3+dirty"}, false},
		{Info{Version: Dev}, false},
	} {
		if got := tt.info.Released(); got != tt.want {
			t.Errorf("%+v.Released() = %v, want %v", tt.info, got, tt.want)
		}
	}
}

package sandbox

import (
	"testing"

	"github.com/docker/docker/api/types/container"
)

func TestWritesInto(t *testing.T) {
	ws := "/home/ada/.local/share/dockdojo/workspaces/l/e"
	for _, tc := range []struct {
		m    container.MountPoint
		want bool
	}{
		{container.MountPoint{Type: "bind", Source: ws, RW: true}, true},
		{container.MountPoint{Type: "bind", Source: ws + "/sub", RW: true}, true},
		{container.MountPoint{Type: "bind", Source: "/home/ada/.local/share/dockdojo", RW: true}, true},
		{container.MountPoint{Type: "bind", Source: ws, RW: false}, false},
		{container.MountPoint{Type: "bind", Source: ws + "-other", RW: true}, false},
		{container.MountPoint{Type: "bind", Source: "/home/ada/.local/share/dockdojo/workspaces/l/e2", RW: true}, false},
		{container.MountPoint{Type: "volume", Name: "v", Source: "/var/lib/docker/volumes/v/_data", RW: true}, false},
	} {
		if got := writesInto([]container.MountPoint{tc.m}, ws); got != tc.want {
			t.Errorf("writesInto(%+v) = %v, want %v", tc.m, got, tc.want)
		}
	}
}

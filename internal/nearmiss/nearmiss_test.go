package nearmiss

import "testing"

func TestClosest(t *testing.T) {
	tests := []struct {
		name       string
		want       string
		candidates []string
		got        string
	}{
		{"underscore for dash", "dojo-web", []string{"busybox", "dojo_web"}, "dojo_web"},
		{"one letter off", "dojo-net-lan", []string{"bridge", "dojo-net-lam", "host"}, "dojo-net-lam"},
		{"two edits", "dojo-web", []string{"dojo-web-2"}, "dojo-web-2"},
		{"three edits is too far", "dojo-web", []string{"dojo-web-22"}, ""},
		{"a part is no near miss", "web", []string{"web-server"}, ""},
		{"short names take one edit", "web", []string{"wab", "db"}, "wab"},
		{"short names, two edits", "web", []string{"db"}, ""},
		{"itself is no near miss", "dojo-web", []string{"dojo-web"}, ""},
		{"the closest wins", "container_runing", []string{"container_exists", "container_running"}, "container_running"},
		{"the first of equals wins", "cat", []string{"bat", "hat"}, "bat"},
		{"a swap is two edits", "dojo-wbe", []string{"dojo-web"}, "dojo-web"},
		{"no candidates", "dojo-web", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Closest(tt.want, tt.candidates); got != tt.got {
				t.Errorf("Closest(%q, %q) = %q, want %q", tt.want, tt.candidates, got, tt.got)
			}
		})
	}
}

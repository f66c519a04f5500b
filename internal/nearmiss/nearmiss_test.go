package nearmiss

import (
	"strings"
	"testing"
)

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
		{"a swap", "dojo-wbe", []string{"dojo-web"}, "dojo-web"},
		{"a swap is one edit, in a short name too", "nmae", []string{"cleanup", "name", "says", "script"}, "name"},
		{"two swaps in a short name are too far", "anem", []string{"name"}, ""},
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

func TestDistance(t *testing.T) {
	// Each case is "A B" and the distance between A and B.
	cases := map[string]int{
		" ": 0, " abc": 3, "name name": 0, "nmae name": 1, "name nmae": 1,
		"nam name": 1, "naem name": 1, "flavor flavour": 1,
		"container_runing container_running": 1, "abc cba": 2,
		"dojo_wbe dojo-web": 2, "žluť žulť": 1,
	}
	for pair, want := range cases {
		a, b, _ := strings.Cut(pair, " ")
		if got := Distance(a, b); got != want {
			t.Errorf("Distance(%q, %q) = %d, want %d", a, b, got, want)
		}
	}
}

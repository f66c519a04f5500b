package shellquote

import (
	"os/exec"
	"strings"
	"testing"
)

func TestJoin(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"plain words", []string{"cat", "/etc/os-release"}, "cat /etc/os-release"},
		{"a script with single quotes", []string{"sh", "-c", "grep ' /scratch ' /proc/mounts"}, `sh -c "grep ' /scratch ' /proc/mounts"`},
		{"a script with spaces", []string{"sh", "-c", "ip addr show lo"}, "sh -c 'ip addr show lo'"},
		{"a script with single quotes and a dollar", []string{"sh", "-c", `echo '$HOME' "$(hostname)"`}, `sh -c 'echo '\''$HOME'\'' "$(hostname)"'`},
		{"an empty argument", []string{"printf", ""}, "printf ''"},
		{"a glob and a tilde", []string{"ls", "*.txt", "~"}, "ls '*.txt' '~'"},
		{"a flag with a value", []string{"--name=dojo-web", "a,b", "1+1@x%"}, "--name=dojo-web a,b 1+1@x%"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Join(tt.args); got != tt.want {
				t.Errorf("Join(%q) = %s, want %s", tt.args, got, tt.want)
			}
		})
	}
}

// TestJoinReadsBack has sh read each line back: the arguments it gets are
// those that were joined.
func TestJoinReadsBack(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on this machine")
	}
	for _, args := range [][]string{
		{"grep ' /scratch ' /proc/mounts"},
		{`it's "$HOME"`, "a\\b", "`x`", "don't!", "tab\there", "", "*"},
	} {
		out, err := exec.Command(sh, "-c", `for a in `+Join(args)+`; do printf '%s\n' "[$a]"; done`).Output()
		if err != nil {
			t.Fatalf("sh on %s: %v", Join(args), err)
		}
		var want strings.Builder
		for _, a := range args {
			want.WriteString("[" + a + "]\n")
		}
		if string(out) != want.String() {
			t.Errorf("sh read %s back as\n%s, want\n%s", Join(args), out, want.String())
		}
	}
}

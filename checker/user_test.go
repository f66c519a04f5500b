package checker

import (
	"context"
	"testing"

	"github.com/dockdojo/dockdojo/sandbox"
)

// TestRootWithAnotherGroup: a container run as 0:1000 or root:staff runs as
// root, so "runs as root" holds and its negation ("any user but root")
// fails; 1000:0 is no root.
func TestRootWithAnotherGroup(t *testing.T) {
	containers := map[string]sandbox.Container{}
	for name, user := range map[string]string{"dojo-a": "0:1000", "dojo-b": "root:staff", "dojo-c": "1000:0", "dojo-d": ""} {
		containers[name] = sandbox.Container{Name: name, User: user, Running: true, State: "running"}
	}
	for _, tt := range []struct {
		container string
		not       bool
		pass      bool
	}{
		{"dojo-a", false, true}, {"dojo-a", true, false},
		{"dojo-b", false, true}, {"dojo-b", true, false},
		{"dojo-c", false, false}, {"dojo-c", true, true},
		{"dojo-d", false, true}, {"dojo-d", true, false},
	} {
		res, err := runAll(context.Background(), Env{Target: fakeTarget{containers: containers}}, []Check{{Spec: &User{Container: tt.container, User: "root"}, Not: tt.not}})
		if err != nil {
			t.Fatal(err)
		}
		if o := res.Outcomes[0]; o.Passed != tt.pass {
			t.Errorf("user root, not %v, of %s (%q): passed %v, want %v (%s)", tt.not, tt.container, containers[tt.container].User, o.Passed, tt.pass, o.Message)
		}
	}
}

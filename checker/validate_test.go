package checker

import "testing"

// TestValuesThatCanNeverPass holds the kinds to refusing values that no
// learner could ever satisfy, where the lesson writes them.
func TestValuesThatCanNeverPass(t *testing.T) {
	zero := 0
	runValidateCases(t, []validateCase{
		{"no Dockerfile instruction", &Dockerfile{Instruction: "FRM"}, []string{`instruction: (did you mean "FROM"?)`}},
		{"an instruction in lowercase, as Run reads it", &Dockerfile{Instruction: "from"}, nil},
		{"no capability", &CapAdded{Container: "a", Capability: "FLY"}, []string{"capability: is not a Linux capability"}},
		{"every capability", &CapAdded{Container: "a", Capability: "cap_all"}, []string{"capability: a container given ALL fails this check"}},
		{"a capability with CAP_, in lowercase, as Run reads it", &CapAdded{Container: "a", Capability: "cap_net_admin"}, nil},
		{"no capability named", &CapAdded{Container: "a"}, []string{`capability: check kind cap_added needs the field "capability"`}},
		{"no capability added at all", &CapAdded{Container: "a", Only: true}, nil},
		{"a relative mount target", &Mount{Container: "a", Type: "volume", Target: "data"}, []string{"target: must be an absolute path"}},
		{"an exit code of a running container", &ContainerState{Container: "a", State: "running", ExitCode: &zero}, []string{"exit_code: ask for state: exited"}},
		{"an exit code of an absent container", &ContainerState{Container: "a", State: "absent", ExitCode: &zero}, []string{"exit_code: ask for state: exited"}},
		{"an exit code of an exited container", &ContainerState{Container: "a", State: "exited", ExitCode: &zero}, nil},
		{"the foreground of an absent container", &ContainerState{Container: "a", State: "absent", Foreground: true}, []string{"foreground: remove foreground, or ask for another state"}},
		{"the foreground of an exited container", &ContainerState{Container: "a", State: "exited", Foreground: true}, nil},
		{"detached, of an absent container", &ContainerState{Container: "a", State: "absent", Detached: true}, []string{"detached: remove detached, or ask for another state"}},
		{"detached and in the foreground", &ContainerState{Container: "a", State: "exited", Foreground: true, Detached: true}, []string{"detached: keep one of foreground and detached"}},
		{"detached, of an exited container", &ContainerState{Container: "a", State: "exited", Detached: true}, nil},
	})
	for _, tt := range []struct {
		name  string
		spec  Spec
		field string
	}{
		{"an empty command", &Exec{Container: "a", Command: []string{}}, "command"},
		{"an empty user", &User{Container: "a"}, "user"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := Lint{Given: map[string]bool{"container": true, tt.field: true}}
			tt.spec.Validate(&l)
			if p := l.Problems(); len(p) != 1 || p[0].Field != tt.field {
				t.Errorf("problems = %+v; want one about %s, given empty", p, tt.field)
			}
		})
	}
}

func TestIsRoot(t *testing.T) {
	for user, want := range map[string]bool{
		"": true, "root": true, "0": true, "0:0": true, "root:root": true, "root:0": true,
		"nobody": false, "1000": false, "0:1000": false, ":0": false, "root:staff": false, "rootless": false,
	} {
		if got := isRoot(user); got != want {
			t.Errorf("isRoot(%q) = %v, want %v", user, got, want)
		}
	}
}

package checker

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdojo/dockdojo/sandbox"
)

// TestCommandsStayInTheExercise: a lesson may claim any container name, a
// container of the learner's own among them (a project's dev container that
// binds the project's folder). A lesson's command runs only in a container
// that can change nothing but the exercise's: no writable bind of a folder
// outside the exercise's workspace, no named volume the exercise does not
// own. Read-only binds, the workspace's own folders, the exercise's volumes
// and a container's anonymous volumes are fine.
func TestCommandsStayInTheExercise(t *testing.T) {
	home := t.TempDir()
	ws := filepath.Join(home, "dockdojo", "lesson", "ex")
	for _, dir := range []string{filepath.Join(home, "code", "myapp"), filepath.Join(ws, "site")} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bind := func(src string, ro bool) sandbox.Mount {
		return sandbox.Mount{Type: "bind", Source: src, Destination: "/app", ReadOnly: ro}
	}
	volume := func(name string) sandbox.Mount {
		return sandbox.Mount{Type: "volume", Name: name, Source: "/var/lib/docker/volumes/" + name + "/_data", Destination: "/data"}
	}
	for _, tt := range []struct {
		name   string
		mounts []sandbox.Mount
		refuse string // "" when the command runs
	}{
		{"a folder of the learner's project", []sandbox.Mount{bind(filepath.Join(home, "code", "myapp"), false)}, "outside this exercise's workspace"},
		{"the workspace's parent", []sandbox.Mount{bind(filepath.Dir(ws), false)}, "outside this exercise's workspace"},
		{"a path of the engine's own machine", []sandbox.Mount{bind("/run/desktop/mnt/host/wsl/no-such-folder", false)}, ""},
		{"the learner's project, read-only", []sandbox.Mount{bind(filepath.Join(home, "code", "myapp"), true)}, ""},
		{"the workspace itself", []sandbox.Mount{bind(ws, false)}, ""},
		{"a folder of the workspace", []sandbox.Mount{bind(filepath.Join(ws, "site"), false)}, ""},
		{"a volume of the learner's", []sandbox.Mount{volume("myapp-db")}, "holds the volume myapp-db, which is not this exercise's"},
		{"the exercise's volume", []sandbox.Mount{volume("dojo-data")}, ""},
		// -v site:/data for -v "$PWD/site":/data: said with the mend.
		{"a volume named as a folder of the workspace", []sandbox.Mount{volume("site")}, "it has a volume named site at /data, not your folder site: `-v site:/data` names a volume, and only a path binds a folder. Remove it (`docker rm -f dojo-dev`) and run it again in your workspace folder with -v \"$PWD/site\":/data"},
		{"an anonymous volume", []sandbox.Mount{volume(strings.Repeat("ab", 32))}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ct := sandbox.Container{Name: "dojo-dev", Running: true, State: "running", Mounts: tt.mounts}
			target := fakeTarget{containers: map[string]sandbox.Container{"dojo-dev": ct}, exec: sandbox.ExecResult{Stdout: "fine\n"}}
			env := Env{Target: target, Workspace: ws, Scope: Scope{Containers: []string{"dojo-dev"}, Volumes: []string{"dojo-data"}}}
			res, err := Run(context.Background(), env, []Check{{Kind: "exec", Spec: &Exec{Container: "dojo-dev", Command: []string{"rm", "-rf", "/app/*"}}}})
			if err != nil {
				t.Fatal(err)
			}
			o := res.Outcomes[0]
			switch {
			case tt.refuse == "" && !o.Passed:
				t.Errorf("the command was not run: %s", o.Message)
			case tt.refuse != "" && (o.Passed || !strings.Contains(o.Message, "dockdojo will not run a lesson's command inside dojo-dev: it") || !strings.Contains(o.Message, tt.refuse)):
				t.Errorf("outcome %+v; want a refusal that says %q", o, tt.refuse)
			}
		})
	}
}

// netTarget is fakeTarget with networks, and probes that say "reached".
type netTarget struct {
	fakeTarget
	networks map[string]sandbox.Network
}

func (n netTarget) InspectNetwork(_ context.Context, name string) (sandbox.Network, error) {
	if nw, ok := n.networks[name]; ok {
		return nw, nil
	}
	return sandbox.Network{}, sandbox.ErrNotFound
}

func (n netTarget) Probe(context.Context, sandbox.ProbeSpec) (sandbox.ExecResult, error) {
	return sandbox.ExecResult{Stdout: "reached\n"}, nil
}

// TestScriptsStayOnTheExercisesNetworks: a lesson may claim a network the
// learner already has, with services of theirs on it; a script runs on a
// network only when every container there is the exercise's or dockdojo's.
func TestScriptsStayOnTheExercisesNetworks(t *testing.T) {
	target := netTarget{fakeTarget: fakeTarget{images: map[string]sandbox.Image{ProbeImage: {ID: "sha256:" + strings.Repeat("c", 64)}}}, networks: map[string]sandbox.Network{
		"dojo-net":    {Name: "dojo-net", Containers: map[string]string{"1": "dojo-web", "2": "dockdojo-probe-ab12"}},
		"learner-net": {Name: "learner-net", Containers: map[string]string{"1": "dojo-web", "3": "myapp-db"}},
	}}
	for _, tt := range []struct {
		network, refuse string
	}{
		{"dojo-net", ""},
		{"learner-net", "dockdojo will not run a lesson's script on network learner-net: it holds myapp-db, not this exercise's"},
	} {
		env := Env{Target: target, Scope: Scope{Containers: []string{"dojo-web"}, Networks: []string{"dojo-net", "learner-net"}}}
		for _, not := range []bool{false, true} {
			res, err := Run(context.Background(), env, []Check{{Kind: "script", Spec: &Script{Network: tt.network, Script: "nc myapp-db 5432"}, Not: not}})
			if err != nil {
				t.Fatal(err)
			}
			o := res.Outcomes[0]
			switch {
			case tt.refuse == "" && o.Passed == not:
				t.Errorf("script on %s, not %v: %+v; want it run", tt.network, not, o)
			case tt.refuse != "" && (o.Passed || !strings.Contains(o.Message, tt.refuse)):
				t.Errorf("script on %s, not %v: %+v; want a refusal saying %q", tt.network, not, o, tt.refuse)
			}
		}
	}
}

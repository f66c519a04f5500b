package checker

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/dockdojo/dockdojo/sandbox"
)

// hostNetTarget is fakeTarget with a volume, the probe image, and probes that
// the engine refuses for the host network, as sandbox does for a probe in
// the network of a container that runs on the host's.
type hostNetTarget struct{ fakeTarget }

func (hostNetTarget) InspectVolume(_ context.Context, name string) (sandbox.Volume, error) {
	return sandbox.Volume{Name: name}, nil
}

func (hostNetTarget) InspectImage(_ context.Context, ref string) (sandbox.Image, error) {
	return sandbox.Image{ID: "sha256:" + ref}, nil
}

func (hostNetTarget) Probe(_ context.Context, spec sandbox.ProbeSpec) (sandbox.ExecResult, error) {
	return sandbox.ExecResult{}, fmt.Errorf("probe: container %s runs on the host network, which a probe may not share: %w", strings.TrimPrefix(spec.NetworkMode, "container:"), sandbox.ErrHostNetwork)
}

// TestRefusedChecksSayOnlyWhatToChange: a check that dockdojo refused to
// run (out of scope, the host's network, a container too powerful to enter)
// fails, negated or not, with its own message and without the lesson's
// explain, which is advice for a learner who is not done yet.
func TestRefusedChecksSayOnlyWhatToChange(t *testing.T) {
	web := sandbox.Container{Name: "dojo-web", Running: true, State: "running"}
	admin := sandbox.Container{Name: "dojo-admin", Running: true, State: "running", CapAdd: []string{"CAP_NET_ADMIN", "CAP_SYS_ADMIN"}}
	home, err := os.UserHomeDir()
	if err != nil {
		t.Fatal(err)
	}
	powerful := map[string]sandbox.Container{
		"dojo-root":    {Mounts: []sandbox.Mount{{Type: "bind", Source: "/", Destination: "/hostroot", ReadOnly: true}}},
		"dojo-run":     {Mounts: []sandbox.Mount{{Type: "bind", Source: "/var/run", Destination: "/hostrun", ReadOnly: true}}},
		"dojo-home":    {Mounts: []sandbox.Mount{{Type: "bind", Source: home, Destination: "/h"}}},
		"dojo-hostnet": {NetworkMode: "host"},
		"dojo-hostpid": {PidMode: "host"},
		"dojo-shocker": {CapAdd: []string{"CAP_DAC_READ_SEARCH"}},
		"dojo-disk":    {Devices: []sandbox.Device{{PathOnHost: "/dev/sda", PathInContainer: "/dev/sda"}}},
		"dojo-bridged": {Networks: map[string]sandbox.NetAttachment{"bridge": {}}},
	}
	containers := map[string]sandbox.Container{"dojo-web": web, "dojo-admin": admin, "learners-db": web}
	scope := []string{"dojo-web", "dojo-admin"}
	for name, ct := range powerful {
		ct.Name, ct.Running, ct.State = name, true, "running"
		containers[name] = ct
		scope = append(scope, name)
	}
	target := hostNetTarget{fakeTarget{containers: containers}}
	env := Env{Target: target, Scope: Scope{Containers: scope, Volumes: []string{"dojo-vol"}, Networks: []string{"dojo-lan"}}}
	cat := func(name string) Spec { return &Exec{Container: name, Command: []string{"cat", "/etc/hostname"}} }
	const explain = "Add the address with `ip addr add 192.0.2.10/32 dev lo`."
	for _, tt := range []struct {
		name string
		spec Spec
		want string
	}{
		{"exec in a container given SYS_ADMIN", &Exec{Container: "dojo-admin", Command: []string{"ip", "addr", "show", "lo"}, Output: Output{OutputContains: "192.0.2.10"}},
			"dockdojo will not run a lesson's command inside dojo-admin: it was given SYS_ADMIN, so a command inside it could reach beyond the container; no exercise needs that: remove it (`docker rm -f dojo-admin`) and run it again without --cap-add SYS_ADMIN"},
		{"a file behind a link in a container given SYS_ADMIN", &ContainerFilesEqual{Container: "dojo-admin", Path: "/a", OtherContainer: "dojo-web"},
			"dockdojo will not run a command inside dojo-admin to read /a: it was given SYS_ADMIN"},
		{"a probe in the network of a container on the host's", &Script{Network: "container:dojo-web", Script: "true"},
			"dockdojo refuses this check: container dojo-web runs on the host network, which a probe may not share, and would reach every port of this machine from there. Run the container without --network host."},
		{"a script that reads a volume on a network", &Script{Volume: "dojo-vol", Network: "dojo-lan", Script: "true"},
			"the check reads a volume and joins a network at once, which dockdojo refuses"},
		{"exec in a container that binds the host's root", cat("dojo-root"), "it holds the Docker socket (it binds /), so a command inside it could control your Docker engine"},
		{"exec in a container that binds the socket's folder", cat("dojo-run"), "it holds the Docker socket (it binds /var/run)"},
		{"exec in a container that binds the home folder", cat("dojo-home"), "which holds your whole home folder, so a command inside it could read all your files"},
		{"exec in a container on the host's network", cat("dojo-hostnet"), "it uses your machine's own network (--network host)"},
		{"exec in a container that sees the host's processes", cat("dojo-hostpid"), "it sees your machine's processes (--pid host)"},
		{"exec in a container given DAC_READ_SEARCH", cat("dojo-shocker"), "it was given DAC_READ_SEARCH"},
		{"exec in a container with a disk of the host", cat("dojo-disk"), "it has your machine's device /dev/sda, so a command inside it could read or change it"},
		{"a script in the network of a container on the default bridge", &Script{Network: "container:dojo-bridged", Script: "true"},
			"container dojo-bridged is on Docker's default network (bridge), where every container of yours may be"},
		{"a container that is not the exercise's", &ContainerRunning{ContainerExists: ContainerExists{Container: "learners-db"}},
			"dockdojo refuses this check: the container learners-db is not the exercise's"},
	} {
		for _, not := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, not %v", tt.name, not), func(t *testing.T) {
				res, err := Run(context.Background(), env, []Check{{Spec: tt.spec, Not: not, Explain: explain}})
				if err != nil {
					t.Fatal(err)
				}
				o := res.Outcomes[0]
				if o.Passed || !strings.Contains(o.Message, tt.want) || strings.Contains(o.Message, explain) {
					t.Errorf("passed=%v, message %q; want a failure saying %q, without the explain", o.Passed, o.Message, tt.want)
				}
			})
		}
	}
}

// TestUnmetChecksLeaveOutTheExplain: a check that cannot do its part
// because its container is not running (an exec, an HTTP request, a name
// lookup from it) says so, without the lesson's explain of its own
// question; negated, it passes, as before.
func TestUnmetChecksLeaveOutTheExplain(t *testing.T) {
	stopped := sandbox.Container{Name: "dojo-site", State: "created"}
	sbx := sandbox.Container{Name: "dockdojo-l-x", State: "exited"}
	env := Env{Target: fakeTarget{containers: map[string]sandbox.Container{"dojo-site": stopped, "dockdojo-l-x": sbx}}, Sandbox: "dockdojo-l-x", Exercise: "l/x", Scope: Scope{Sandbox: "dockdojo-l-x", Containers: []string{"dojo-site", "web"}}}
	const explain = "The folder mounted at htdocs has no index.html."
	for _, spec := range []Spec{
		&Exec{Container: "dojo-site", Command: []string{"ls", "/usr/local/apache2/htdocs/index.html"}},
		&Exec{Command: []string{"cat", "/root/done.txt"}}, // in the sandbox, which is stopped
		&HTTPGet{Container: "dojo-site", Port: "80/tcp", Path: "/"},
		&NameResolves{From: "dojo-site", Name: "web"},
	} {
		for _, not := range []bool{false, true} {
			res, err := Run(context.Background(), env, []Check{{Spec: spec, Not: not, Explain: explain}})
			if err != nil {
				t.Fatal(err)
			}
			o := res.Outcomes[0]
			if not {
				if !o.Passed {
					t.Errorf("%T negated: %q, want a pass", spec, o.Message)
				}
				continue
			}
			if o.Passed || !strings.Contains(o.Message, " is not running, so ") && !strings.Contains(o.Message, "is exited, so nothing can run inside it") || strings.Contains(o.Message, explain) {
				t.Errorf("%T: passed=%v, message %q; want why the container is not running, without the explain", spec, o.Passed, o.Message)
			}
		}
	}
}

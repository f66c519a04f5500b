package checker

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
)

// sneaky is a kind that names no object and reaches one anyway, as a kind
// written carelessly (or on another branch) could: the Target a check runs
// against refuses it all the same.
type sneaky struct{ container string }

func (s *sneaky) Title() string    { return "a kind that names nothing" }
func (s *sneaky) Validate(l *Lint) {}
func (s *sneaky) Run(ctx context.Context, env Env) (string, error) {
	res, err := env.Target.Exec(ctx, s.container, []string{"touch", "/tmp/reached"})
	if err != nil {
		return "", err
	}
	return judgeOutput("touch", res, nil, "", "")
}

// sneakyRead copies a file out of a volume without asking whether the
// volume is there, the way volume_file reads it.
type sneakyRead struct{ volume string }

func (s *sneakyRead) Title() string    { return "a kind that reads a volume's file" }
func (s *sneakyRead) Validate(l *Lint) {}
func (s *sneakyRead) Run(ctx context.Context, env Env) (string, error) {
	read, err := env.Target.ReadFile(ctx, sandbox.ProbeSpec{Image: ProbeImage, NetworkMode: "none", Labels: env.Labels,
		Mounts: []sandbox.MountSpec{{Type: "volume", Source: s.volume, Target: "/volume"}}}, "/volume/secret.txt")
	if err != nil {
		return "", err
	}
	return string(read.Data), nil
}

// TestChecksReachOnlyTheExercise: a check that names, or touches, an
// object the exercise does not own is refused and runs nothing there; a
// probe never gets the host's network through a container that has it.
func TestChecksReachOnlyTheExercise(t *testing.T) {
	eng, labels, ctx := onEngine(t, 2*time.Minute)
	id := suffix()
	mine, theirs, hosted := "dojotest-mine-"+id, "dojotest-theirs-"+id, "dojotest-hosted-"+id
	theirNet, theirVol := "dojotest-theirnet-"+id, "dojotest-theirvol-"+id
	must(t, eng.CreateNetwork(ctx, theirNet, "bridge", labels))
	must(t, eng.CreateVolume(ctx, theirVol, labels))
	// The learner's other work: a container with a secret in its
	// environment and its logs.
	docker(t, labels, "run", "-d", "--name", theirs, "-e", "DB_PASSWORD=hunter2", "busybox:1.36", "sh", "-c", "echo hunter2; sleep 300")
	docker(t, labels, "run", "-d", "--name", mine, "busybox:1.36", "sleep", "300")
	docker(t, labels, "run", "-d", "--name", hosted, "--network", "host", "busybox:1.36", "sleep", "300")

	env := Env{Target: eng, Labels: labels, Scope: Scope{Containers: []string{mine, hosted}}}
	for _, tt := range []struct {
		name string
		spec Spec
		want string
	}{
		{"exec in another container", &Exec{Container: theirs, Command: []string{"touch", "/tmp/reached"}}, "the container " + theirs + " is not the exercise's"},
		{"its logs", &ContainerLogs{Container: theirs, Contains: "hunter2"}, "the container " + theirs + " is not the exercise's"},
		{"its environment", &EnvSet{Container: theirs, Name: "DB_PASSWORD", Value: "x"}, "the container " + theirs + " is not the exercise's"},
		{"a volume of the learner's", &Script{Volume: theirVol, Script: "cat /volume/*"}, "the volume " + theirVol + " is not the exercise's"},
		{"a file in a volume of the learner's", &VolumeFile{Volume: theirVol, Path: "secret.txt"}, "the volume " + theirVol + " is not the exercise's"},
		{"a file copied out of a volume of the learner's", &sneakyRead{volume: theirVol}, "the volume " + theirVol + " is not the exercise's"},
		{"a network of the learner's", &Script{Network: theirNet, Script: "true"}, "the network " + theirNet + " is not the exercise's"},
		{"the network of another container", &Script{Network: "container:" + theirs, Script: "true"}, "the container " + theirs + " is not the exercise's"},
		{"a Compose project of the learner's", &ComposeServices{Project: "dojotest-theirs", Services: []string{"web"}}, "Compose project dojotest-theirs is not the exercise's"},
		{"a kind that names nothing and reaches anyway", &sneaky{container: theirs}, "the container " + theirs + " is not the exercise's"},
		{"the host network through a container that has it", &Script{Network: "container:" + hosted, Script: "true"}, "container " + hosted + " runs on the host network"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Run(ctx, env, []Check{{Kind: "test", Spec: tt.spec}})
			if err != nil {
				t.Fatal(err)
			}
			o := res.Outcomes[0]
			judge(t, o, "dockdojo refuses this check: "+tt.want)
			if strings.Contains(o.Message, "hunter2") {
				t.Errorf("the message quotes what the learner's container holds: %s", o.Message)
			}
		})
	}
	// Nothing ran in the learner's container.
	res, err := eng.Exec(ctx, theirs, []string{"ls", "/tmp/reached"})
	must(t, err)
	if res.ExitCode == 0 {
		t.Errorf("a refused check ran a command in %s", theirs)
	}
	// The same kinds on the exercise's own container run, and say whether
	// they read text out of it.
	docker(t, labels, "exec", mine, "touch", "/tmp/here")
	res2, err := Run(ctx, env, []Check{
		{Spec: &Exec{Container: mine, Command: []string{"ls", "/tmp/here"}}},
		{Spec: &ContainerRunning{ContainerExists: ContainerExists{Container: mine}}},
		{Spec: &EnvSet{Container: mine, Name: "PATH", Value: "/nowhere"}},
		{Spec: &sneaky{container: mine}},
	})
	must(t, err)
	for i, want := range []struct{ passed, quotes bool }{{true, true}, {true, false}, {false, true}, {true, true}} {
		if o := res2.Outcomes[i]; o.Passed != want.passed || o.Quotes != want.quotes {
			t.Errorf("check %d (%s): passed %v, quotes %v; want %v, %v (%s)", i+1, o.Title, o.Passed, o.Quotes, want.passed, want.quotes, o.Message)
		}
	}
}

// The engine refuses a probe on the host network, whatever asks for it.
func TestProbeNeverGetsTheHostNetwork(t *testing.T) {
	eng, labels, ctx := onEngine(t, time.Minute)
	id := suffix()
	hosted, sharing := "dojotest-hosted-"+id, "dojotest-sharing-"+id
	docker(t, labels, "run", "-d", "--name", hosted, "--network", "host", "busybox:1.36", "sleep", "300")
	docker(t, labels, "run", "-d", "--name", sharing, "--network", "container:"+hosted, "busybox:1.36", "sleep", "300")
	for _, mode := range []string{"host", "container:" + hosted, "container:" + sharing} {
		_, err := eng.Probe(ctx, sandbox.ProbeSpec{Image: ProbeImage, Cmd: []string{"true"}, NetworkMode: mode, Labels: labels})
		if err == nil || !strings.Contains(err.Error(), sandbox.ErrHostNetwork.Error()) {
			t.Errorf("probe with network %s: %v; want the host network refused", mode, err)
		}
	}
}

package checker

import (
	"context"
	"strings"
	"testing"

	"github.com/dockdojo/dockdojo/sandbox"
)

// TestAdviceLeadsToThePass: what a failing check tells the learner to do
// must not lead them into the next check's failure. Another tag of the
// same image is another version, not a typo, so it is not to be tagged
// over; an image that is not there may be the learner's to build, not to
// pull; a container Docker Compose made is renamed in compose.yaml, not by
// `docker rename`, which the next `docker compose up` would undo; and a
// question about an image that is not there is not answered, negated or
// not.
func TestAdviceLeadsToThePass(t *testing.T) {
	v1 := sandbox.Image{ID: "sha256:" + strings.Repeat("a", 64)}
	target := fakeTarget{
		images: map[string]sandbox.Image{"dojo-df-site:1.0": v1, "busybox:1.36": {ID: "sha256:" + strings.Repeat("b", 64)}},
		containers: map[string]sandbox.Container{
			"dojo-df-site":  {Name: "dojo-df-site", Image: "dojo-df-site:1.0", ImageID: v1.ID, State: "exited"},
			"dojo_try_site": {Name: "dojo_try_site", State: "exited", Labels: map[string]string{ComposeProjectLabel: "dojo-try-site", composeService: "web"}},
			"dojo-webb":     {Name: "dojo-webb", State: "exited"},
		},
	}
	for _, tt := range []struct {
		name      string
		check     Check
		want, not []string
	}{
		{"another tag of the image", Check{Spec: &ImageExists{Image: "dojo-df-site:2.0"}},
			[]string{"there is no image dojo-df-site:2.0 (dojo-df-site has the tag 1.0, not 2.0; `docker image ls dojo-df-site` lists its tags)"}, []string{"docker tag"}},
		{"a near miss of the name", Check{Spec: &ImageExists{Image: "dojo-df-sit:1.0"}},
			[]string{"did you mean dojo-df-sit:1.0? `docker tag dojo-df-site:1.0 dojo-df-sit:1.0`"}, nil},
		{"a build of its own that is not there", Check{Spec: &SameImage{Image: "dojo-df-site:2.0", As: "dojo-df-site:1.0"}, Not: true, Explain: "Change the page, then build 2.0."},
			[]string{"there is no image dojo-df-site:2.0"}, []string{"Change the page"}},
		{"the same image, one not there", Check{Spec: &SameImage{Image: "dojo-df-site:1.0", As: "dojo-df-site:2.0"}},
			[]string{"there is no image dojo-df-site:2.0"}, nil},
		{"made from an image not there", Check{Spec: &ContainerExists{Container: "dojo-df-site", Image: "dojo-df-site:2.0"}},
			[]string{"container dojo-df-site was made from dojo-df-site:1.0, and there is no image dojo-df-site:2.0 (dojo-df-site has the tag 1.0"}, []string{"docker pull"}},
		{"a near miss Compose made", Check{Spec: &ContainerExists{Container: "dojo-try-site"}},
			[]string{"found dojo_try_site, which Docker Compose made for service web of project dojo-try-site", "set `container_name: dojo-try-site` for that service in its compose.yaml and run `docker compose up -d` again"}, []string{"docker rename"}},
		{"a near miss of the learner's own", Check{Spec: &ContainerExists{Container: "dojo-web"}},
			[]string{"`docker rename dojo-webb dojo-web` renames it"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := runAll(context.Background(), Env{Target: target}, []Check{tt.check})
			if err != nil {
				t.Fatal(err)
			}
			o := res.Outcomes[0]
			if o.Passed {
				t.Fatalf("check passed; want a failure saying %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(o.Message, w) {
					t.Errorf("message = %q; want it to say %q", o.Message, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(o.Message, n) {
					t.Errorf("message = %q; want it not to say %q", o.Message, n)
				}
			}
		})
	}
}

// TestNearMissIsNoNameTheExerciseAsksFor: an exercise that asks for
// dojo-net-ping and dojo-net-pong must not offer to rename one into the
// other; a slip of the missing name is still named.
func TestNearMissIsNoNameTheExerciseAsksFor(t *testing.T) {
	running := sandbox.Container{Running: true, State: "running"}
	for _, tt := range []struct {
		have []string
		want string
	}{
		{[]string{"dojo-net-pong"}, "there is no container named dojo-net-ping (`docker ps -a` lists yours)"},
		{[]string{"dojo-net-pong", "dojo_net_ping"}, "found dojo_net_ping; did you mean dojo-net-ping?"},
	} {
		cts := map[string]sandbox.Container{}
		for _, n := range tt.have {
			ct := running
			ct.Name = n
			cts[n] = ct
		}
		env := Env{Target: fakeTarget{containers: cts}, Scope: Scope{Containers: []string{"dojo-net-ping", "dojo-net-pong"}}}
		res, err := Run(context.Background(), env, []Check{{Kind: "container_running", Spec: &ContainerRunning{ContainerExists: ContainerExists{Container: "dojo-net-ping"}}}})
		if err != nil {
			t.Fatal(err)
		}
		if o := res.Outcomes[0]; o.Passed || !strings.Contains(o.Message, tt.want) {
			t.Errorf("with %v: %+v; want a failure saying %q", tt.have, o, tt.want)
		}
	}
}

// TestWhyNotRunningSaidOnce: three checks of a container that is down
// say why once, with the first; the others point back to it, so that at
// 24 rows the first is not pushed off the screen by two copies of itself.
func TestWhyNotRunningSaidOnce(t *testing.T) {
	stopped := sandbox.Container{Name: "dojo-old", State: "exited", ExitCode: 137}
	target := fakeTarget{containers: map[string]sandbox.Container{"dojo-old": stopped}}
	exec := func() Check {
		return Check{Kind: "exec", Spec: &Exec{Container: "dojo-old", Command: []string{"true"}}}
	}
	res, err := runAll(context.Background(), Env{Target: target}, []Check{
		{Kind: "container_running", Spec: &ContainerRunning{ContainerExists: ContainerExists{Container: "dojo-old"}}}, exec(), exec(),
	})
	if err != nil {
		t.Fatal(err)
	}
	const why = "docker logs dojo-old"
	if o := res.Outcomes[0]; o.Passed || !strings.Contains(o.Message, why) {
		t.Fatalf("first check: %+v; want why it is down, with %q", o, why)
	}
	for _, o := range res.Outcomes[1:] {
		if o.Passed || strings.Contains(o.Message, why) || !strings.Contains(o.Message, "container dojo-old is not running, so nothing can run inside it: see above") {
			t.Errorf("a later check: %q; want it to point back to the first", o.Message)
		}
	}
}

package checker

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestImageKindsOnEngine covers the kinds that judge an image: its
// configuration, its identity, its layers and its size, on images built
// as a learner would, each once passing and once against a near miss.
func TestImageKindsOnEngine(t *testing.T) {
	eng, labels, ctx := onEngine(t, 3*time.Minute)
	id := suffix()
	a, a2, b := "dojotest-img-a-"+id+":1.0", "dojotest-img-a-"+id+":2.0", "dojotest-img-b-"+id+":1.0"
	build := func(tag, dockerfile string) {
		t.Helper()
		dir := t.TempDir()
		must(t, os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644))
		must(t, os.WriteFile(filepath.Join(dir, "x"), []byte("x\n"), 0o644))
		must(t, eng.Build(ctx, dir, ".", "Dockerfile", tag, labels))
	}
	build(a, "FROM busybox:1.36\nENV GREETING=hello\nEXPOSE 8080\nLABEL org.dojo.owner=me\nUSER nobody\nWORKDIR /app\nCOPY x /app/x\nENTRYPOINT [\"echo\"]\nCMD [\"world\"]\n")
	build(b, "FROM busybox:1.36\nCMD echo hi\n")
	if out, err := exec.Command("docker", "tag", a, a2).CombinedOutput(); err != nil {
		t.Fatalf("docker tag: %v\n%s", err, out)
	}
	list := func(s ...string) *[]string { return &s }
	text := func(s string) *string { return &s }
	n := func(i int) *int { return &i }

	tests := []checkCase{
		{"config", &ImageConfig{Image: a, Entrypoint: list("echo"), Cmd: list("world"), Env: []string{"GREETING=hello", "PATH"},
			ExposedPorts: []string{"8080"}, Labels: []string{"org.dojo.owner=me"}, User: text("nobody"), Workdir: text("/app")}, ""},
		{"config of a missing image", &ImageConfig{Image: "busybox:0.0-dojotest", Cmd: list("sh")}, "there is no image busybox:0.0-dojotest"},
		{"entrypoint", &ImageConfig{Image: a, Entrypoint: list("greet")}, `has ENTRYPOINT ["echo"], expected ["greet"]`},
		{"no entrypoint expected", &ImageConfig{Image: a, Entrypoint: list()}, `has ENTRYPOINT ["echo"], expected none`},
		{"no entrypoint found", &ImageConfig{Image: b, Entrypoint: list("echo")}, `has no ENTRYPOINT, expected ["echo"]`},
		{"cmd in shell form", &ImageConfig{Image: b, Cmd: list("echo", "hi")}, `has CMD ["/bin/sh", "-c", "echo hi"] (shell form`},
		{"env value", &ImageConfig{Image: a, Env: []string{"GREETING=bye"}}, "has environment variable GREETING=hello, expected GREETING=bye"},
		{"env missing", &ImageConfig{Image: b, Env: []string{"GREETING"}}, "has no environment variable GREETING (ENV GREETING=...)"},
		{"exposed", &ImageConfig{Image: b, ExposedPorts: []string{"80/tcp"}}, "does not expose 80/tcp (EXPOSE 80/tcp); it exposes no port"},
		{"exposed other", &ImageConfig{Image: a, ExposedPorts: []string{"80"}}, "does not expose 80/tcp (EXPOSE 80); it exposes 8080/tcp"},
		{"label value", &ImageConfig{Image: a, Labels: []string{"org.dojo.owner=you"}}, "has label org.dojo.owner=me, expected org.dojo.owner=you"},
		{"user missing", &ImageConfig{Image: b, User: text("nobody")}, "has no USER (it runs as root), expected USER nobody"},
		{"user expected none", &ImageConfig{Image: a, User: text("")}, "has USER nobody, expected none (it runs as root)"},
		{"workdir", &ImageConfig{Image: a, Workdir: text("/srv")}, "has WORKDIR /app, expected WORKDIR /srv"},
		{"every difference at once", &ImageConfig{Image: b, User: text("nobody"), Workdir: text("/app")}, "expected USER nobody; it has no WORKDIR (it starts in /), expected WORKDIR /app"},
		{"same image", &SameImage{Image: a2, As: a}, ""},
		{"two images", &SameImage{Image: b, As: a}, "are two images"},
		{"same image missing", &SameImage{Image: a, As: "busybox:0.0-dojotest"}, "there is no image busybox:0.0-dojotest"},
		{"built on", &ImageLayers{Image: a, Base: "busybox:1.36"}, ""},
		{"built on another", &ImageLayers{Image: a, Base: "debian:bookworm-slim"}, "is not built on debian:bookworm-slim"},
		{"layers of its own", &ImageLayers{Image: a, Base: "busybox:1.36", Min: n(1), Max: n(2)}, ""},
		{"too few layers of its own", &ImageLayers{Image: b, Base: "busybox:1.36", Min: n(1)}, "has 0 layers of its own, above busybox:1.36, expected at least 1"},
		{"too many layers", &ImageLayers{Image: "busybox:1.36", Max: n(0)}, "has 1 layer, expected at most 0"},
		{"smaller than", &ImageSize{Image: "busybox:1.36", SmallerThan: "debian:bookworm-slim", Max: "20MB"}, ""},
		{"not smaller than", &ImageSize{Image: "debian:bookworm-slim", SmallerThan: "busybox:1.36"}, "not smaller than busybox:1.36 ("},
		{"too big", &ImageSize{Image: a, Max: "1kB"}, "expected at most 1kB"},
		{"too small", &ImageSize{Image: a, Min: "1GB"}, "expected at least 1GB"},
	}
	runCases(t, ctx, Env{Target: eng, Labels: labels}, tests)
}

// validateCase is one spec's validation: want is the problems, as
// "field: message part", in order; none when it is valid.
type validateCase struct {
	name string
	spec Spec
	want []string
}

func runValidateCases(t *testing.T, tests []validateCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l Lint
			tt.spec.Validate(&l)
			got := l.Problems()
			if len(got) != len(tt.want) {
				t.Fatalf("problems = %+v; want %d: %v", got, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				field, part, _ := strings.Cut(w, ": ")
				if got[i].Field != field || !strings.Contains(got[i].Msg, part) {
					t.Errorf("problem %d = %+v; want field %q and a message containing %q", i, got[i], field, part)
				}
			}
		})
	}
}

func TestImageKindsValidate(t *testing.T) {
	n := func(i int) *int { return &i }
	rel := "app"
	runValidateCases(t, []validateCase{
		{"config with nothing to look at", &ImageConfig{Image: "dojo-app:1.0"}, []string{": needs at least one of cmd"}},
		{"config values", &ImageConfig{Image: "dojo-app", Env: []string{"=x"}, Labels: []string{"=y"}, ExposedPorts: []string{"http"}, Workdir: &rel},
			[]string{"image: not pinned", "env: write NAME=value", "labels: write KEY=value", "exposed_ports: write a container port", "workdir: absolute path"}},
		{"same image as itself", &SameImage{Image: "dojo-app:1.0", As: "dojo-app:1.0"}, []string{"as: names the image itself"}},
		{"layers with nothing to count", &ImageLayers{Image: "dojo-app:1.0"}, []string{": needs base"}},
		{"layers min above max", &ImageLayers{Image: "dojo-app:1.0", Min: n(2), Max: n(1)}, []string{"max: less than min"}},
		{"layers below zero", &ImageLayers{Image: "dojo-app:1.0", Min: n(-1)}, []string{"min: 0 or more"}},
		{"size with no bound", &ImageSize{Image: "dojo-app:1.0"}, []string{": needs max, min or smaller_than"}},
		{"size in binary units", &ImageSize{Image: "dojo-app:1.0", Max: "20MiB"}, []string{"max: powers of 1000"}},
		{"size that is no size", &ImageSize{Image: "dojo-app:1.0", Min: "big"}, []string{"min: like 20MB"}},
		{"size min above max", &ImageSize{Image: "dojo-app:1.0", Min: "2MB", Max: "1MB"}, []string{"max: less than min"}},
		{"built from the workspace", &ImageExists{Image: "dojo-app:1.0", BuiltFrom: "."}, nil},
		{"built from out of the workspace", &ImageExists{Image: "dojo-app:1.0", BuiltFrom: "../app"}, []string{"built_from: a relative folder inside the workspace"}},
		{"built from an absolute folder", &ImageExists{Image: "dojo-app:1.0", BuiltFrom: "/app"}, []string{"built_from: a relative folder inside the workspace"}},
	})
}

// TestStaleImage: a failing check of an image the exercise owns, older
// than the workspace's Dockerfile, says to build it again; an image the
// exercise does not own (a base image), or one built after the file's last
// change, gets no such note.
func TestStaleImage(t *testing.T) {
	eng, labels, ctx := onEngine(t, 2*time.Minute)
	image := "dojotest-stale-" + suffix() + ":1.0"
	ws := t.TempDir()
	dockerfile := filepath.Join(ws, "greet", "Dockerfile")
	must(t, os.MkdirAll(filepath.Dir(dockerfile), 0o755))
	must(t, os.WriteFile(dockerfile, []byte("FROM busybox:1.36\nCMD [\"echo\", \"hi\"]\n"), 0o644))
	old := time.Now().Add(-time.Hour)
	must(t, os.Chtimes(dockerfile, old, old))
	docker(t, labels, "build", "-q", "-t", image, filepath.Dir(dockerfile))
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", image).Run() })

	wrongCmd := func(ref string) *ImageConfig { return &ImageConfig{Image: ref, Cmd: &[]string{"echo", "bye"}} }
	env := Env{Target: eng, Labels: labels, Workspace: ws, Scope: Scope{Images: []string{image}}}
	judgeOne := func(name string, env Env, spec Spec, want, wantNot string) {
		t.Helper()
		res, err := runAll(ctx, env, []Check{{Spec: spec}})
		if err != nil {
			t.Fatal(err)
		}
		msg := res.Outcomes[0].Message
		if want != "" && !strings.Contains(msg, want) || wantNot != "" && strings.Contains(msg, wantNot) {
			t.Errorf("%s: message %q; want %q in it and not %q", name, msg, want, wantNot)
		}
	}
	judgeOne("built after the last change", env, wrongCmd(image), `has CMD ["echo", "hi"], expected ["echo", "bye"]`, "build it again")

	now := time.Now().Add(time.Minute)
	must(t, os.Chtimes(dockerfile, now, now))
	judgeOne("changed since", env, wrongCmd(image), "; greet/Dockerfile changed at "+now.Format("15:04:05")+", after image "+image+" was built (", "")
	judgeOne("changed since, image_run", env, &ImageRun{Image: image, Output: Output{OutputContains: "bye"}}, "build it again", "")
	judgeOne("a base image", env, wrongCmd("busybox:1.36"), "has CMD", "build it again")
	behind := env
	behind.Skew = func(context.Context) (time.Duration, error) { return -2 * time.Hour, nil }
	judgeOne("an engine whose clock is behind", behind, wrongCmd(image), "has CMD", "build it again")
	ahead := env
	ahead.Skew = func(context.Context) (time.Duration, error) { return 2 * time.Hour, nil }
	judgeOne("an engine whose clock is ahead", ahead, wrongCmd(image), "build it again", "")
	// Two checks of the stale image in one run ask the engine's clock once.
	asked := 0
	counted := env
	counted.Skew = func(context.Context) (time.Duration, error) { asked++; return 0, nil }
	res, err := runAll(ctx, counted, []Check{{Spec: wrongCmd(image)}, {Spec: &ImageRun{Image: image, Output: Output{OutputContains: "bye"}}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range res.Outcomes {
		if !strings.Contains(o.Message, "build it again") {
			t.Errorf("%s: %q, want the stale note", o.Title, o.Message)
		}
	}
	if asked != 1 {
		t.Errorf("the engine's clock was asked %d times in one run, want once", asked)
	}
	notOwned := env
	notOwned.Scope.Images = nil
	judgeOne("not the exercise's", notOwned, wrongCmd(image), "has CMD", "build it again")

	// A build that changes nothing tags the same image again: it is built.
	docker(t, labels, "build", "-q", "-t", image, filepath.Dir(dockerfile))
	if im, err := eng.InspectImage(ctx, image); err != nil || !im.Built.After(time.Now().Add(-time.Minute)) {
		t.Fatalf("after a build from the cache, image built at %v (%v), want now", im.Built, err)
	}
}

// TestImageExistsBuiltFrom: an image older than a file of the folder it
// is built from (a script its Dockerfile copies in, which the Dockerfile
// note does not look at) fails with the file and both times, until it is
// built again; hidden files (an editor's swap file) do not count, nor does
// a file that only an engine clock behind makes look newer.
func TestImageExistsBuiltFrom(t *testing.T) {
	eng, labels, ctx := onEngine(t, 2*time.Minute)
	image := "dojotest-built-from-" + suffix() + ":1.0"
	ws := t.TempDir()
	dir := filepath.Join(ws, "site", "monitor")
	must(t, os.MkdirAll(dir, 0o755))
	script, swap := filepath.Join(dir, "monitor.sh"), filepath.Join(dir, ".monitor.sh.swp")
	must(t, os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM busybox:1.36\nCOPY monitor.sh /monitor.sh\n"), 0o644))
	must(t, os.WriteFile(script, []byte("echo web is up\n"), 0o644))
	must(t, os.WriteFile(swap, []byte("swap"), 0o644))
	old := time.Now().Add(-time.Hour)
	for _, f := range []string{filepath.Join(dir, "Dockerfile"), script, swap} {
		must(t, os.Chtimes(f, old, old))
	}
	docker(t, labels, "build", "-q", "-t", image, dir)
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", image).Run() })

	env := Env{Target: eng, Labels: labels, Workspace: ws, Scope: Scope{Images: []string{image}}}
	judge := func(name string, env Env, spec *ImageExists, want string) {
		t.Helper()
		res, err := runAll(ctx, env, []Check{{Spec: spec}})
		if err != nil {
			t.Fatal(err)
		}
		if msg := res.Outcomes[0].Message; want == "" && msg != "" || !strings.Contains(msg, want) {
			t.Errorf("%s: message %q; want %q", name, msg, want)
		}
	}
	builtFrom := func(dir string) *ImageExists { return &ImageExists{Image: image, BuiltFrom: dir} }
	judge("built after every change", env, builtFrom("site/monitor"), "")

	now := time.Now().Add(time.Minute)
	must(t, os.Chtimes(swap, now, now))
	judge("only a hidden file changed since", env, builtFrom("site/monitor"), "")
	must(t, os.Chtimes(script, now, now))
	judge("the script changed since", env, builtFrom("site/monitor"), "site/monitor/monitor.sh changed at "+now.Format("15:04:05")+", after image "+image+" was built (")
	judge("the script changed since, the workspace built", env, builtFrom("."), "site/monitor/monitor.sh changed at")
	judge("without built_from", env, &ImageExists{Image: image}, "")
	judge("a folder that is not there", env, builtFrom("site/web"), "there is no folder site/web in your workspace ("+ws+"), which image "+image+" is built from")
	behind := env
	behind.Skew = func(context.Context) (time.Duration, error) { return -2 * time.Hour, nil }
	judge("an engine whose clock is behind", behind, builtFrom("site/monitor"), "")

	// Changed, then built again.
	must(t, os.Chtimes(script, time.Now(), time.Now()))
	docker(t, labels, "build", "-q", "-t", image, dir)
	judge("built again", env, builtFrom("site/monitor"), "")
}

// TestChangedAfterGrace pins the second of grace that docs/authoring.md
// tells authors of: a file saved within a second after the build (by the
// script that built) counts as older, so a wrong attempt that builds and
// then edits must wait 2 seconds for the edit to count.
func TestChangedAfterGrace(t *testing.T) {
	built := time.Date(2025, 3, 1, 10, 2, 11, 0, time.UTC)
	for _, tt := range []struct {
		name    string
		changed time.Time
		want    bool
	}{
		{"before the build", built.Add(-time.Minute), false},
		{"at the build", built, false},
		{"within a second after", built.Add(900 * time.Millisecond), false},
		{"just over a second after", built.Add(1100 * time.Millisecond), true},
		{"after a sleep of 2 seconds", built.Add(2 * time.Second), true},
	} {
		if got := changedAfter(context.Background(), Env{}, tt.changed, built); got != tt.want {
			t.Errorf("%s: changedAfter = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestIsDockerfile(t *testing.T) {
	for name, want := range map[string]bool{"Dockerfile": true, "dockerfile": true, "Containerfile": true, "Dockerfile.dev": true, "app.Dockerfile": true, "compose.yaml": false, "Dockerfiles.md": false} {
		if got := isDockerfile(name); got != want {
			t.Errorf("isDockerfile(%q) = %v, want %v", name, got, want)
		}
	}
}

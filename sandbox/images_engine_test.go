package sandbox_test

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// TestPullThroughMirror fills a registry on loopback with a stand-in image
// under two test names, one as a Docker Hub user image and one as an
// official (library/) image, and pulls both by their lesson names through
// it: each must end up under the lesson's name only.
func TestPullThroughMirror(t *testing.T) {
	e := engine(t)
	registry := sandboxtest.Registry(t)
	sandboxtest.Push(t, registry, testImage, "dojotest/mirror-probe:1.0")
	sandboxtest.Push(t, registry, testImage, "library/dojotest-mirror-official:1.0")

	for _, tt := range []struct{ ref, from string }{
		{"dojotest/mirror-probe:1.0", registry + "/dojotest/mirror-probe:1.0"},
		{"dojotest-mirror-official:1.0", registry + "/library/dojotest-mirror-official:1.0"},
	} {
		t.Run(tt.ref, func(t *testing.T) {
			sandboxtest.OwnImage(t, e, tt.ref)
			var events []sandbox.PullEvent
			res, err := e.Pull(ctxFor(t), tt.ref, sandbox.PullOptions{
				Mirror:   registry,
				Progress: func(ev sandbox.PullEvent) { events = append(events, ev) },
			})
			if err != nil {
				t.Fatalf("Pull through %s: %v", registry, err)
			}
			if res.Ref != tt.ref || res.From != tt.from {
				t.Errorf("Pull = %+v, want Ref %s From %s", res, tt.ref, tt.from)
			}
			if len(events) == 0 || events[len(events)-1].Ref != tt.ref {
				t.Errorf("progress events: %+v", events)
			}
			if _, err := e.InspectImage(ctxFor(t), tt.ref); err != nil {
				t.Errorf("after the pull, the lesson's name is missing: %v", err)
			}
			if _, err := e.InspectImage(ctxFor(t), tt.from); !errors.Is(err, sandbox.ErrNotFound) {
				t.Errorf("the mirror's name %s should be untagged again, got %v", tt.from, err)
			}
		})
	}

	t.Run("absent from the mirror", func(t *testing.T) {
		const ref = "dojotest/not-on-the-mirror:1.0"
		sandboxtest.OwnImage(t, e, ref)
		_, err := e.Pull(ctxFor(t), ref, sandbox.PullOptions{Mirror: registry})
		if err == nil || !strings.Contains(err.Error(), "does not have") {
			t.Errorf("Pull of an image the mirror lacks: err = %v, want one saying the mirror does not have it", err)
		}
	})

	if _, err := e.InspectImage(ctxFor(t), testImage); err != nil {
		t.Errorf("the stand-in %s must be left alone: %v", testImage, err)
	}
}

// TestSaveAndLoad writes two names of one image into a bundle, removes the
// names, loads the bundle and finds them again; the image's one layer is
// stored once.
func TestSaveAndLoad(t *testing.T) {
	e := engine(t)
	refs := []string{"dojotest/bundle-probe:1.0", "dojotest/bundle-probe:2.0"}
	cli := rawClient(t, e)
	for _, ref := range refs {
		sandboxtest.OwnImage(t, e, ref)
		if err := cli.ImageTag(ctxFor(t), testImage, ref); err != nil {
			t.Fatal(err)
		}
	}
	bundle := filepath.Join(t.TempDir(), "bundle.tar")
	f, err := os.Create(bundle)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.SaveImages(ctxFor(t), refs, f); err != nil {
		t.Fatalf("SaveImages: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	layers, tags := readBundle(t, bundle)
	if len(layers) != 1 {
		t.Errorf("bundle holds layers %v; the shared layer should be stored once", layers)
	}
	for _, ref := range refs {
		if !slices.Contains(tags, ref) {
			t.Errorf("bundle names %v, want %s among them", tags, ref)
		}
	}

	for _, ref := range refs {
		if err := e.RemoveImage(ctxFor(t), ref); err != nil {
			t.Fatal(err)
		}
	}
	in, err := os.Open(bundle)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	loaded, err := e.LoadImages(ctxFor(t), in)
	if err != nil {
		t.Fatalf("LoadImages: %v", err)
	}
	for _, ref := range refs {
		if !slices.Contains(loaded, ref) {
			t.Errorf("LoadImages = %v, want %s among them", loaded, ref)
		}
		if _, err := e.InspectImage(ctxFor(t), ref); err != nil {
			t.Errorf("after loading: %v", err)
		}
	}

	if err := e.SaveImages(ctxFor(t), []string{"dojotest/never-made:1.0"}, io.Discard); !errors.Is(err, sandbox.ErrNotFound) {
		t.Errorf("SaveImages of an absent image: err = %v, want ErrNotFound", err)
	}
	if _, err := e.LoadImages(ctxFor(t), strings.NewReader("not a tar")); err == nil {
		t.Error("LoadImages of a file that is no bundle: no error")
	}
}

// readBundle lists the layer files and image names of a docker save tar.
func readBundle(t *testing.T, path string) (layers, tags []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasSuffix(h.Name, "/layer.tar"):
			layers = append(layers, h.Name)
		case h.Name == "manifest.json":
			var manifest []struct{ RepoTags []string }
			if err := json.NewDecoder(tr).Decode(&manifest); err != nil {
				t.Fatal(err)
			}
			for _, m := range manifest {
				tags = append(tags, m.RepoTags...)
			}
		}
	}
	if len(layers) == 0 {
		// Newer engines write OCI layouts: layers are blobs named by digest.
		layers = append(layers, "(oci layout)")
	}
	return layers, tags
}

func TestFacts(t *testing.T) {
	e := engine(t)
	f, err := e.Facts(ctxFor(t))
	if err != nil {
		t.Fatal(err)
	}
	if f.Kind == "" || f.ServerVersion == "" || f.Architecture == "" || f.OSType == "" || f.ServerAPI == "" {
		t.Errorf("Facts left out what every engine says: %+v", f)
	}
	if f.APITooOld() {
		t.Errorf("engine API %s is older than %s, yet the tests run on it", f.ServerAPI, sandbox.MinAPIVersion)
	}
	if f.EngineTime.IsZero() || f.LocalTime.IsZero() {
		t.Errorf("clocks: engine %v, local %v", f.EngineTime, f.LocalTime)
	}
	// The engine runs on this machine: its clock is this machine's.
	if skew, err := e.Skew(ctxFor(t)); err != nil || skew.Abs() > 2*time.Second {
		t.Errorf("Skew = %v, %v; want within 2 s of this machine's clock", skew, err)
	}
	p, err := e.ImagePlatformOf(ctxFor(t), testImage)
	if err != nil {
		t.Fatal(err)
	}
	if p.Architecture == "" || p.OS != "linux" || p.Size <= 0 {
		t.Errorf("ImagePlatformOf(%s) = %+v", testImage, p)
	}
	if _, err := e.ImagePlatformOf(ctxFor(t), "dojotest/never-made:1.0"); !errors.Is(err, sandbox.ErrNotFound) {
		t.Errorf("ImagePlatformOf an absent image: err = %v, want ErrNotFound", err)
	}
}

func TestCheckSocket(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix sockets")
	}
	dir, err := os.MkdirTemp("", "dojo-sock")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "d.sock")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()

	a := sandbox.CheckSocket(path)
	if !a.Exists || !a.Connected || a.Denied || a.Owner == "" || a.Group == "" {
		t.Errorf("CheckSocket of a socket we may use: %+v", a)
	}
	if a := sandbox.CheckSocket(filepath.Join(dir, "none.sock")); a.Exists || a.Connected || a.Denied {
		t.Errorf("CheckSocket of no socket: %+v", a)
	}
	if os.Geteuid() != 0 {
		if err := os.Chmod(path, 0o600&^0o200); err != nil {
			t.Fatal(err)
		}
		if a := sandbox.CheckSocket(path); a.Connected || !a.Denied {
			t.Errorf("CheckSocket of a socket we may not write: %+v", a)
		}
	}
}

// TestRemoveImageKeepsItsBuildCache: removing an image by name (reset of
// an image the exercise owns) leaves the untagged images it was built on.
// They are the build cache another build may be using: the self-test once
// saw a build beside a reset fail with "failed to get digest" for a layer
// the reset had pruned.
func TestRemoveImageKeepsItsBuildCache(t *testing.T) {
	e := engine(t)
	dir := t.TempDir()
	// Content of its own, so that the layer is this test's.
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte(t.Name()+" "+time.Now().String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM "+testImage+"\nCOPY f /f\nRUN true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const ref = "dojotest-keep-cache:1.0"
	sandboxtest.OwnImage(t, e, ref)
	build := exec.Command("docker", "build", "-q", "-t", ref, dir)
	build.Env = append(os.Environ(), "DOCKER_BUILDKIT=0") // the builder that keeps each step as an image
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
	out, err := exec.Command("docker", "image", "inspect", "--format", "{{.Parent}}", ref).Output()
	parent := strings.TrimSpace(string(out))
	if err != nil || parent == "" {
		t.Fatalf("the image's parent: %q, %v; the legacy builder records the step before", parent, err)
	}
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", parent).Run() })

	if err := e.RemoveImage(ctxFor(t), ref); err != nil {
		t.Fatal(err)
	}
	if _, err := e.InspectImage(ctxFor(t), ref); !errors.Is(err, sandbox.ErrNotFound) {
		t.Fatalf("%s after RemoveImage: %v; want it gone", ref, err)
	}
	if err := exec.Command("docker", "image", "inspect", parent).Run(); err != nil {
		t.Errorf("the layer %s was built on went with it (%v): a build using it beside would fail", ref, err)
	}

	// dockdojo's own build of the same folder (a check's), removed with its
	// labels: the steps that added its labels go (clean would otherwise
	// find them), the Dockerfile's steps under them stay.
	labels := sandboxtest.Labels(t)
	const own = "dojotest-keep-cache-own:1.0"
	if err := e.Build(ctxFor(t), dir, ".", "", own, labels); err != nil {
		t.Fatal(err)
	}
	var steps []string // dockdojo's label steps, under the image
	kept := ""         // the Dockerfile's last step
	for id := own; kept == ""; {
		out, err := exec.Command("docker", "image", "inspect", "--format", "{{.Parent}}", id).Output()
		id = strings.TrimSpace(string(out))
		if err != nil || id == "" {
			t.Fatalf("the steps under %s: %q, %v", own, id, err)
		}
		out, err = exec.Command("docker", "image", "inspect", "--format", "{{json .Config.Labels}}", id).Output()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(out), `"io.dockdojo.`) {
			steps = append(steps, id)
		} else {
			kept = id
		}
	}
	if len(steps) == 0 {
		t.Fatalf("no step of dockdojo's labels under %s: the classic builder adds one a label", own)
	}
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", kept).Run() })
	if _, err := e.RemoveLabelled(ctxFor(t), labels); err != nil {
		t.Fatal(err)
	}
	if _, err := e.InspectImage(ctxFor(t), own); !errors.Is(err, sandbox.ErrNotFound) {
		t.Fatalf("%s after RemoveLabelled: %v; want it gone", own, err)
	}
	for _, id := range steps {
		if exec.Command("docker", "image", "inspect", id).Run() == nil {
			t.Errorf("the step %s that added dockdojo's labels to %s was left behind", id, own)
		}
	}
	out, err = exec.Command("docker", "images", "-a", "-q", "--filter", "label="+sandbox.LabelExercise+"="+labels[sandbox.LabelExercise]).Output()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("images with the test's label after RemoveLabelled: %q, %v; want none", out, err)
	}
	for _, id := range []string{kept, parent} {
		if err := exec.Command("docker", "image", "inspect", id).Run(); err != nil {
			t.Errorf("the layer %s that dockdojo's build of %s stood on went with it (%v): a build using it beside would fail", id, own, err)
		}
	}
}

// TestRemoveImageInUse: an image a container uses does not go, and the
// error names the container and what to do, not the engine's "must force".
func TestRemoveImageInUse(t *testing.T) {
	e := engine(t)
	dir := t.TempDir()
	// An image of its own, with no other name, as a learner's build makes.
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM "+testImage+"\nLABEL dojotest.in-use=\""+t.Name()+" "+time.Now().String()+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const ref, user = "dojotest-in-use:1.0", "dojotest-in-use-user"
	sandboxtest.OwnImage(t, e, ref)
	if out, err := exec.Command("docker", "build", "-q", "-t", ref, dir).CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
	if out, err := exec.Command("docker", "create", "--name", user, ref).CombinedOutput(); err != nil {
		t.Fatalf("docker create: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", user).Run() })

	err := e.RemoveImage(ctxFor(t), ref)
	if !errors.Is(err, sandbox.ErrConflict) || !strings.Contains(err.Error(), "the image "+ref+" is used by the container "+user+": remove that container first") || strings.Contains(err.Error(), "name already in use") {
		t.Errorf("RemoveImage of an image in use: %v", err)
	}
	if _, err := e.InspectImage(ctxFor(t), ref); err != nil {
		t.Errorf("the image in use went: %v", err)
	}
}

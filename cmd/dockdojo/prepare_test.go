package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/factory"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/cmd/internal/root"
	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// deadMirror is a loopback port where nothing listens: tests that might
// pull by mistake pull from there, and fail at once, instead of from the
// internet.
const deadMirror = "127.0.0.1:9"

// runInProcess runs dockdojo's command line in this process with env laid
// over the real environment (DOCKDOJO_* variables of the real one are
// ignored), and returns its exit code and output.
func runInProcess(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	streams, _, out, errOut := iostreams.Test()
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		if strings.HasPrefix(k, "DOCKDOJO_") || k == "XDG_STATE_HOME" {
			return ""
		}
		return os.Getenv(k)
	}
	if _, ok := env["XDG_STATE_HOME"]; !ok {
		env["XDG_STATE_HOME"] = t.TempDir()
	}
	home, _ := os.UserHomeDir()
	code = root.Main(args, factory.New(streams, getenv, home))
	return code, out.String(), errOut.String()
}

// lessonFolder writes a lesson with one host exercise whose reference
// solution runs the images given, and returns its folder.
func lessonFolder(t *testing.T, id string, images ...string) string {
	t.Helper()
	var solution strings.Builder
	for _, im := range images {
		fmt.Fprintf(&solution, "  docker run --rm %s true\n", im)
	}
	lesson := fmt.Sprintf(`---
format_version: 1
id: %s
title: Test lesson
summary: A lesson that needs a few test images.
order: 900
minutes: 1
---

# Test lesson

`+"```exercise"+`
id: probe
title: Probe
goal: Run the test images.
flavour: host
checks:
  - kind: container_exists
    container: dojotest-never-made
hints: [There is nothing to do.]
owns:
  containers: [dojotest-never-made]
solution: |
%s`+"```\n", id, solution.String())
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, id+".md"), []byte(lesson), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func docker(t *testing.T, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "docker", args...).CombinedOutput(); err != nil {
		t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func present(t *testing.T, e *sandbox.Engine, ref string) bool {
	t.Helper()
	_, err := e.InspectImage(context.Background(), ref)
	if err != nil && !errors.Is(err, sandbox.ErrNotFound) {
		t.Fatal(err)
	}
	return err == nil
}

// engineWithImage gives a prepare test the engine, holding engineMu until
// the test ends, with the image ref as the test's own (see
// sandboxtest.OwnImage).
func engineWithImage(t *testing.T, ref string) *sandbox.Engine {
	t.Helper()
	e := sandboxtest.Engine(t)
	engineMu.Lock()
	t.Cleanup(engineMu.Unlock)
	sandboxtest.OwnImage(t, e, ref)
	return e
}

// TestPrepareThroughMirror runs `dockdojo prepare` for a lesson whose image
// only a classroom registry on loopback has: the image arrives under the
// lesson's name, first with DOCKDOJO_MIRROR, then with --mirror.
func TestPrepareThroughMirror(t *testing.T) {
	const ref = "dojotest/mirror-probe:1.0"
	e := engineWithImage(t, ref)
	registry := sandboxtest.Registry(t)
	sandboxtest.Push(t, registry, "busybox:1.36", ref)
	dir := lessonFolder(t, "dojotest-mirror", ref)

	code, out, errOut := runInProcess(t, map[string]string{"DOCKDOJO_MIRROR": registry}, "--lessons", dir, "prepare", "dojotest-mirror")
	if code != 0 {
		t.Fatalf("prepare through DOCKDOJO_MIRROR=%s: exit %d\n%s%s", registry, code, out, errOut)
	}
	for _, want := range []string{
		"present  busybox:1.36\n",
		"pulled   " + ref + " (through " + registry + "/" + ref + ")\n",
		"2 images: 1 present, 1 pulled.\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !present(t, e, ref) {
		t.Fatalf("%s is not present under the lesson's name after prepare", ref)
	}
	if present(t, e, registry+"/"+ref) {
		t.Errorf("the mirror's name %s/%s was left behind", registry, ref)
	}

	// Again from scratch, with the flag and JSON.
	if err := e.RemoveImage(context.Background(), ref); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runInProcess(t, map[string]string{"DOCKDOJO_MIRROR": deadMirror}, "--lessons", dir, "prepare", "dojotest-mirror", "--mirror", registry, "--json")
	if code != 0 {
		t.Fatalf("prepare --mirror %s --json: exit %d\n%s%s", registry, code, out, errOut)
	}
	var rep struct {
		Images []struct {
			Image, Status, From string
			NeededBy            []string `json:"needed_by"`
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("prepare --json: %v\n%s", err, out)
	}
	found := false
	for _, im := range rep.Images {
		if im.Image == ref {
			found = true
			if im.Status != "pulled" || im.From != registry+"/"+ref || len(im.NeededBy) != 1 || im.NeededBy[0] != "dojotest-mirror/probe" {
				t.Errorf("JSON for %s: %+v", ref, im)
			}
		}
	}
	if !found || !present(t, e, ref) {
		t.Errorf("%s not pulled: %s", ref, out)
	}
}

// TestPrepareSaveAndLoad writes a bundle of a lesson's images, removes the
// test image, and loads the bundle back, as a classroom with a USB stick
// would.
func TestPrepareSaveAndLoad(t *testing.T) {
	const ref = "dojotest/bundle-probe:1.0"
	e := engineWithImage(t, ref)
	docker(t, "tag", "busybox:1.36", ref)
	dir := lessonFolder(t, "dojotest-bundle", ref)
	bundle := filepath.Join(t.TempDir(), "dojo-images.tar")
	env := map[string]string{"DOCKDOJO_MIRROR": deadMirror}

	code, out, errOut := runInProcess(t, env, "--lessons", dir, "prepare", "dojotest-bundle", "--save", bundle)
	if code != 0 {
		t.Fatalf("prepare --save: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "Saved them to "+bundle) {
		t.Errorf("prepare --save does not say where it saved:\n%s", out)
	}
	if st, err := os.Stat(bundle); err != nil || st.Size() == 0 {
		t.Fatalf("bundle: %v", err)
	} else if st.Mode().Perm() != 0o644 {
		t.Errorf("bundle mode %v, want 0644: it is handed out from a shared folder", st.Mode().Perm())
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(bundle), ".*partial")); len(leftovers) > 0 {
		t.Errorf("temporary files left beside the bundle: %v", leftovers)
	}

	if err := e.RemoveImage(context.Background(), ref); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runInProcess(t, env, "--lessons", dir, "prepare", "dojotest-bundle", "--load", bundle)
	if code != 0 {
		t.Fatalf("prepare --load: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "loaded   "+ref+"\n") {
		t.Errorf("prepare --load does not report %s as loaded:\n%s", ref, out)
	}
	if !present(t, e, ref) {
		t.Errorf("%s is missing after loading the bundle", ref)
	}
	// Loading again: the image was there before, so it is present, not loaded.
	code, out, errOut = runInProcess(t, env, "--lessons", dir, "prepare", "dojotest-bundle", "--load", bundle)
	if code != 0 || !strings.Contains(out, "present  "+ref+"\n") || strings.Contains(out, "loaded   "+ref) {
		t.Errorf("prepare --load of images already here: exit %d, want them reported present:\n%s%s", code, out, errOut)
	}

	code, _, errOut = runInProcess(t, env, "--lessons", dir, "prepare", "--load", filepath.Join(dir, "nope.tar"))
	if code != cmdutil.ExitUsage || !strings.Contains(errOut, "nope.tar") {
		t.Errorf("--load of a missing file: exit %d, %s", code, errOut)
	}
	notBundle := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notBundle, []byte("not a tar"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runInProcess(t, env, "--lessons", dir, "prepare", "--load", notBundle)
	if code != cmdutil.ExitError || !strings.Contains(errOut, "notes.txt") {
		t.Errorf("--load of a file that is no bundle: exit %d, %s", code, errOut)
	}
}

// TestPrepareSaveRefusesPartialBundle: an image that cannot be fetched
// (here through a mirror where nothing listens, so nothing reaches the
// internet) is reported with why, and no bundle is written.
func TestPrepareSaveRefusesPartialBundle(t *testing.T) {
	const ref = "dojotest/nowhere:1.0"
	engineWithImage(t, ref)
	dir := lessonFolder(t, "dojotest-partial", ref)
	bundle := filepath.Join(t.TempDir(), "partial.tar")
	start := time.Now()
	code, out, errOut := runInProcess(t, map[string]string{}, "--lessons", dir, "prepare", "dojotest-partial", "--mirror", deadMirror, "--save", bundle)
	if code != cmdutil.ExitError {
		t.Fatalf("exit %d, want %d\n%s%s", code, cmdutil.ExitError, out, errOut)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("a pull from a dead mirror took %s", took)
	}
	if !strings.Contains(out, "failed   "+ref+": ") || !strings.Contains(out, "cannot reach the mirror "+deadMirror) {
		t.Errorf("the failure does not say why:\n%s", out)
	}
	if !strings.Contains(errOut, "no bundle was written") {
		t.Errorf("stderr: %s", errOut)
	}
	if _, err := os.Stat(bundle); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a partial bundle was written: %v", err)
	}
}

package sandbox_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/image"

	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// buildDir is a folder holding a Dockerfile of these lines.
func buildDir(t *testing.T, lines ...string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// builtOnce is a tag and labels for a build of this test's, whose image
// goes when the test ends with the steps under it that nothing else uses:
// each build here has a step of its own, so that none passes from the
// cache, and none is left behind.
func builtOnce(t *testing.T, e *sandbox.Engine) (string, map[string]string) {
	labels := sandboxtest.Labels(t) // removes the image, but not its steps
	tag := uniqueName("build") + ":1"
	cli := rawClient(t, e)
	t.Cleanup(func() { // before the labels' clean-up
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, _ = cli.ImageRemove(ctx, tag, image.RemoveOptions{Force: true, PruneChildren: true})
	})
	return tag, labels
}

// failedBuild builds dir, which must fail, and returns how.
func failedBuild(t *testing.T, e *sandbox.Engine, dir string) *sandbox.BuildError {
	t.Helper()
	tag, labels := builtOnce(t, e)
	err := e.Build(ctxFor(t), dir, ".", "", tag, labels)
	var be *sandbox.BuildError
	if !errors.As(err, &be) {
		t.Fatalf("Build = %v; want a BuildError", err)
	}
	return be
}

// A build's steps run with a sandbox's memory and CPU, as the kernel sees
// them inside a RUN (the step fails on purpose, to show what it saw).
func TestBuildStepsHaveTheSandboxLimits(t *testing.T) {
	e := engine(t)
	be := failedBuild(t, e, buildDir(t, "FROM "+testImage,
		`RUN cg=/sys/fs/cgroup; if [ -f $cg/memory.max ]; then `+
			`echo "mem=$(cat $cg/memory.max) swap=$(cat $cg/memory.swap.max 2>/dev/null) cpu=$(tr ' ' / < $cg/cpu.max)"; else `+
			`echo "mem=$(cat $cg/memory/memory.limit_in_bytes) memsw=$(cat $cg/memory/memory.memsw.limit_in_bytes 2>/dev/null) cpu=$(cat $cg/cpu/cpu.cfs_quota_us)/$(cat $cg/cpu/cpu.cfs_period_us)"; fi; `+
			`exit 3`))
	if strings.Contains(be.Message, "needed more than") {
		t.Errorf("a step that exited 3 is said to need memory: %s", be.Message)
	}
	saw := outputLine(be.Output, "mem=")
	for _, want := range []string{"mem=536870912 ", " cpu=100000/100000"} {
		if !strings.Contains(saw, want) {
			t.Errorf("the step saw no %q:\n%s", want, be.Output)
		}
	}
	// Memory and swap together (cgroup v1), or swap alone (v2), where the
	// kernel counts swap.
	for _, f := range strings.Fields(saw) {
		if f != "memsw=" && f != "swap=" && f != "memsw=1073741824" && f != "swap=536870912" && !strings.HasPrefix(f, "mem=") && !strings.HasPrefix(f, "cpu=") {
			t.Errorf("the step's swap is not a sandbox's: %s", f)
		}
	}
}

// outputLine is the line of a build's output that starts with prefix.
func outputLine(out, prefix string) string {
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, prefix) {
			return line
		}
	}
	return ""
}

// A step that needs more memory than a sandbox may have is stopped, and
// the learner is told which step and what to do; one within builds.
func TestBuildStepOutOfMemory(t *testing.T) {
	e := engine(t)
	step := "RUN echo allocating " + uniqueName("step") + " && dd if=/dev/zero of=/dev/null bs=1500M count=1 && echo allocated"
	be := failedBuild(t, e, buildDir(t, "FROM "+testImage, step))
	for _, want := range []string{
		"the step `" + step + "`",
		"needed more than the 512 MiB of memory a build may use",
		"change that step of the Dockerfile to need less",
	} {
		if !strings.Contains(be.Message, want) {
			t.Errorf("Message = %q; want %q in it", be.Message, want)
		}
	}
	if outputLine(be.Output, "allocating") == "" || outputLine(be.Output, "allocated") != "" {
		t.Errorf("Output = %q; want the step's start and not its end", be.Output)
	}

	// Within the limit.
	tag, labels := builtOnce(t, e)
	dir := buildDir(t, "FROM "+testImage, "RUN echo "+tag+" && dd if=/dev/zero of=/dev/null bs=200M count=1")
	if err := e.Build(ctxFor(t), dir, ".", "", tag, labels); err != nil {
		t.Fatalf("a step within the limit: %v", err)
	}
}

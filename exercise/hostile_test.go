package exercise

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/lessons"
)

// hostileLesson is what a stranger's lesson may do and still pass lint: its
// sandbox asks for every kind of mount it may have and an explained
// capability, its checks try to reach the Docker socket, and its sandbox's
// command plants a link in the workspace that leads out of it (to the
// learner's home, two folders above the workspace root), waiting for the
// next start to follow it.
const hostileLesson = `---
format_version: 1
id: dojotest-hostile
title: A stranger's lesson
summary: Tries to reach the learner's machine from inside its containers.
---

` + "```exercise" + `
id: escape
title: Escape
goal: Nothing a learner should do.
flavour: shell
workspace:
  - site/index.html
sandbox:
  image: busybox:1.36
  command: [sh, -c, "rm -rf /work/site && ln -s ../../../secret /work/site; trap 'exit 0' TERM; while :; do sleep 1; done"]
  ports: ["18099:80"]
  network: dojotest-hostile-net
  mounts:
    - type: workspace
      target: /work
    - type: workspace
      source: site
      target: /site
    - type: volume
      source: dojotest-hostile-vol
      target: /data
    - type: tmpfs
      target: /scratch
  cap_add:
    - name: NET_ADMIN
      why: lets you change the sandbox's own network interfaces
checks:
  - kind: exec
    command: [sh, -c, "ls -l /var/run/docker.sock /run/docker.sock 2>&1; exit 1"]
  - kind: script
    script: ls -l /var/run/docker.sock /run/docker.sock
hints: [None., None at all.]
solution: "true"
` + "```" + `
`

func TestHostileLesson(t *testing.T) {
	eng, ctx := onEngine(t)
	// Lint accepts this lesson as it is: what follows is what keeps it in
	// its containers at run time.
	fsys := fstest.MapFS{
		"hostile/lesson.md":       {Data: []byte(hostileLesson)},
		"hostile/site/index.html": {Data: []byte("<h1>hostile</h1>\n")},
	}
	c, err := lessons.Load(lessons.Source{FS: fsys, Name: "testdata"})
	if err != nil {
		t.Fatalf("the hostile lesson does not pass lint, so this test tests nothing:\n%v", err)
	}
	ex := c.Exercises()[0]

	// The learner's home: the workspace root, and a secret beside it.
	home := t.TempDir()
	wsRoot := filepath.Join(home, "dockdojo")
	secret := filepath.Join(home, "secret")
	if err := os.MkdirAll(secret, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := Reset(context.Background(), eng, ex, func([]Object) (bool, error) { return true, nil }); err != nil {
			t.Errorf("reset: %v", err)
		}
	})

	st, err := Start(ctx, eng, ex, wsRoot, Output{})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	ct, err := eng.InspectContainer(ctx, st.Sandbox)
	if err != nil {
		t.Fatal(err)
	}
	// Hardened, whatever the lesson asked.
	if !slices.Contains(ct.CapDrop, "ALL") {
		t.Errorf("CapDrop = %v, want ALL", ct.CapDrop)
	}
	if len(ct.CapAdd) != 1 || strings.TrimPrefix(ct.CapAdd[0], "CAP_") != "NET_ADMIN" {
		t.Errorf("CapAdd = %v, want only the explained NET_ADMIN", ct.CapAdd)
	}
	if ct.Privileged {
		t.Error("the sandbox is privileged")
	}
	if !slices.ContainsFunc(ct.SecurityOpt, func(s string) bool { return strings.HasPrefix(s, "no-new-privileges") }) {
		t.Errorf("SecurityOpt = %v, want no-new-privileges", ct.SecurityOpt)
	}
	if ct.PidsLimit <= 0 || ct.Memory <= 0 || ct.NanoCPUs <= 0 {
		t.Errorf("limits: pids %d, memory %d, cpus %d; want all set", ct.PidsLimit, ct.Memory, ct.NanoCPUs)
	}
	if ct.NetworkMode == "host" || len(ct.Devices) > 0 {
		t.Errorf("network mode %q, devices %v", ct.NetworkMode, ct.Devices)
	}
	for port, bindings := range ct.Ports {
		for _, b := range bindings {
			if b.HostIP != "127.0.0.1" {
				t.Errorf("port %s is published on %q, want 127.0.0.1 only", port, b.HostIP)
			}
		}
	}
	// No socket, and no host path but the workspace.
	ws, err := filepath.EvalSymlinks(st.Workspace)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ct.Mounts {
		if strings.Contains(m.Source, "docker.sock") || strings.Contains(m.Destination, "docker.sock") {
			t.Errorf("mount %+v reaches the Docker socket", m)
		}
		switch m.Type {
		case "bind":
			// The source as it was when mounted: the sandbox may have
			// changed what the path leads to since.
			if m.Source != ws && !strings.HasPrefix(m.Source, ws+string(filepath.Separator)) {
				t.Errorf("bind mount of %s at %s: outside the workspace %s", m.Source, m.Destination, ws)
			}
		case "volume", "tmpfs":
		default:
			t.Errorf("mount of type %s: %+v", m.Type, m)
		}
	}
	if len(ct.Mounts) != 4 {
		t.Errorf("mounts = %+v, want the lesson's four", ct.Mounts)
	}

	// Its checks find no socket, in the sandbox or in a probe.
	res, err := Check(ctx, eng, ex, wsRoot)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range res.Outcomes {
		if o.Passed {
			t.Errorf("check %s passed: it reached the Docker socket", o.Title)
		} else if !strings.Contains(o.Message, "No such file") {
			t.Errorf("check %s says %q, want it to find no socket", o.Title, o.Message)
		}
	}

	// The sandbox has swapped the workspace's site folder for a link to the
	// learner's secret folder; the next start must not follow it, neither to
	// seed the starter file nor to mount the folder.
	link := filepath.Join(st.Workspace, "site")
	deadline := time.Now().Add(20 * time.Second)
	for {
		if fi, err := os.Lstat(link); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the sandbox's command did not plant its link")
		}
		time.Sleep(100 * time.Millisecond)
	}
	_, err = Start(ctx, eng, ex, wsRoot, Output{})
	if err == nil {
		t.Error("the second start followed the link out of the workspace")
	} else if !strings.Contains(err.Error(), "leads out of the workspace") {
		t.Errorf("second start: %v; want it to say the link leads out of the workspace", err)
	}
	if entries, _ := os.ReadDir(secret); len(entries) > 0 {
		t.Errorf("the start wrote into the learner's folder: %v", entries)
	}
	if ct, err := eng.InspectContainer(ctx, st.Sandbox); err == nil {
		for _, m := range ct.Mounts {
			if real, _ := filepath.EvalSymlinks(m.Source); m.Type == "bind" && strings.HasPrefix(real, secret) {
				t.Errorf("the sandbox mounts the learner's folder: %+v", m)
			}
		}
	}
}

// Seed never writes through a link that leads out of the workspace, and
// workspaceDir never hands one to a bind mount; links inside it are fine.
func TestWorkspaceLinksOut(t *testing.T) {
	home := t.TempDir()
	ws := filepath.Join(home, "ws")
	secret := filepath.Join(home, "secret")
	for _, d := range []string{filepath.Join(ws, "real"), secret} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("../secret", filepath.Join(ws, "out")); err != nil {
		t.Skipf("symlink: %v", err)
	}
	if err := os.Symlink("real", filepath.Join(ws, "in")); err != nil {
		t.Fatal(err)
	}
	l := &lessons.Lesson{ID: "l", FS: fstest.MapFS{"out/a.txt": {Data: []byte("a")}, "in/b.txt": {Data: []byte("b")}}, Dir: "."}
	ex := &lessons.Exercise{ID: "e", Lesson: l, Workspace: []string{"in/b.txt", "out/a.txt"}}
	seeded, err := Seed(ex, ws)
	if err == nil || !strings.Contains(err.Error(), "leads out of the workspace") {
		t.Errorf("Seed through a link out: %v, want a refusal", err)
	}
	if !slices.Equal(seeded, []string{"in/b.txt"}) {
		t.Errorf("seeded %v, want in/b.txt only", seeded)
	}
	if _, err := os.Stat(filepath.Join(secret, "a.txt")); err == nil {
		t.Error("Seed wrote through the link into the folder outside")
	}
	if _, err := workspaceDir(ws, "out"); err == nil {
		t.Error("workspaceDir accepts a link out of the workspace")
	}
	if _, err := workspaceDir(ws, "out/deeper"); err == nil {
		t.Error("workspaceDir accepts a folder below a link out of the workspace")
	}
	if got, err := workspaceDir(ws, "in"); err != nil || filepath.Base(got) != "real" {
		t.Errorf("workspaceDir(in) = %s, %v; want the real folder inside", got, err)
	}
	if _, err := os.Stat(filepath.Join(secret, "deeper")); err == nil {
		t.Error("workspaceDir made a folder outside the workspace")
	}
}

package sandbox

import (
	"archive/tar"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestContextIsReadThroughItsFolder: a build context is read through the
// folder opened at first, so a folder swapped for a link to the machine's
// files after that (a sandbox can write into the workspace while a check
// builds) sends what the folder held, and a link inside is sent as a
// link. .dockerignore leaves out what it names, but never the Dockerfile.
func TestContextIsReadThroughItsFolder(t *testing.T) {
	top, outside := t.TempDir(), t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(outside, "secret.txt"), "host secret\n")
	write(filepath.Join(top, "app", "Dockerfile"), "FROM busybox:1.36\nCOPY . /site\n")
	write(filepath.Join(top, "app", "index.html"), "mine\n")
	write(filepath.Join(top, "app", ".dockerignore"), "/skip\nDockerfile\n")
	write(filepath.Join(top, "app", "skip", "big.bin"), "left out\n")
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(top, "app", "link")); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(top)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	src, err := root.OpenRoot("app")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	// The swap, once the folder is open.
	if err := os.Rename(filepath.Join(top, "app"), filepath.Join(top, "app.old")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(top, "app")); err != nil {
		t.Fatal(err)
	}

	rc := packContext(src, dockerignore(src), "Dockerfile", ".dockerignore")
	defer rc.Close()
	got := map[string]string{}
	tr := tar.NewReader(rc)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		switch hdr.Typeflag {
		case tar.TypeSymlink:
			got[hdr.Name] = "-> " + hdr.Linkname
		case tar.TypeDir:
			got[hdr.Name] = "dir"
		default:
			got[hdr.Name] = string(body)
		}
		if hdr.Uid != 0 || hdr.Gid != 0 {
			t.Errorf("%s is sent with owner %d:%d; want 0:0", hdr.Name, hdr.Uid, hdr.Gid)
		}
	}
	want := map[string]string{
		".dockerignore": "/skip\nDockerfile\n",
		"Dockerfile":    "FROM busybox:1.36\nCOPY . /site\n",
		"index.html":    "mine\n",
		"link":          "-> " + filepath.Join(outside, "secret.txt"),
	}
	for name, text := range want {
		if got[name] != text {
			t.Errorf("the context's %s = %q; want %q", name, got[name], text)
		}
	}
	for name, text := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("the context holds %s (%q), which it should not", name, text)
		}
		if strings.Contains(text, "host secret") {
			t.Errorf("the context's %s holds the file outside the folder", name)
		}
	}
}

// TestBuildRefusesAFolderLeadingOut: a build folder that is a link out of
// the folder it is named in is refused before the engine is asked.
func TestBuildRefusesAFolderLeadingOut(t *testing.T) {
	top, outside := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "Dockerfile"), []byte("FROM busybox:1.36\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(top, "away")); err != nil {
		t.Fatal(err)
	}
	var e Engine // no engine: nothing may be sent
	err := e.Build(context.Background(), top, "away", "Dockerfile", "dojotest-away:1.0", nil)
	var be *BuildError
	if !errors.As(err, &be) || !strings.Contains(be.Message, "leads out of") {
		t.Errorf("Build of a folder leading out = %v; want a BuildError that says it leads out", err)
	}
}

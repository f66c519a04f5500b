package classroom

import (
	"archive/tar"
	"bytes"
	"html"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/release"
	"github.com/dockdojo/dockdojo/release/releasetest"
)

func TestMain(m *testing.M) { releasetest.Main(m) }

// writeBundle writes a stand-in image bundle of about size bytes: a tar
// with a manifest.json and a layer, as `docker save` writes.
func writeBundle(t *testing.T, size int) string {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range []struct {
		name string
		data []byte
	}{
		{"manifest.json", []byte(`[{"Config":"c.json","RepoTags":["busybox:1.36"],"Layers":["l/layer.tar"]}]`)},
		{"l/layer.tar", bytes.Repeat([]byte("layer "), size/6)},
	} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.data))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "dojo-images.tar")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// TestLearnerInstallsFromClassroom is a learner's laptop on the classroom's
// network: it pastes the one-liner, gets dockdojo from the classroom and
// runs it.
func TestLearnerInstallsFromClassroom(t *testing.T) {
	set := releasetest.HostSet(t)
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("no curl")
	}
	d, err := OpenDownloads(set.Dir, []string{writeBundle(t, 1<<10)})
	if err != nil {
		t.Fatal(err)
	}
	r := newRoom(t, Options{Downloads: d})
	base := r.ts.URL

	home := t.TempDir()
	cmd := exec.Command(sh, "-c", "curl -fsSL "+base+"/install.sh | sh")
	cmd.Env = []string{"HOME=" + home, "PATH=/usr/local/bin:/usr/bin:/bin", "SHELL=/bin/sh"}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the one-liner: %v\n%s", err, out)
	}
	if want := "Downloading dockdojo 0.0.0-test for " + set.Archives[0].Target.String() + " from " + base + "/download ..."; !strings.Contains(string(out), want) {
		t.Errorf("the one-liner said:\n%s\nwant %q", out, want)
	}
	version, err := exec.Command(filepath.Join(home, ".local", "bin", "dockdojo"), "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(version), "dockdojo v0.0.0-test (commit 0123456789ab, 2026-01-02)\n") {
		t.Errorf("the installed dockdojo version: %v\n%s", err, version)
	}

	// The page names the one-liners, every archive with its checksum,
	// the bundle and how to join.
	status, page := httpGet(t, base+"/")
	wants := []string{
		"curl -fsSL " + base + "/install.sh | sh",
		"irm " + base + "/install.ps1 | iex",
		"curl -fO " + base + "/download/dojo-images.tar\ndockdojo prepare --load dojo-images.tar",
		d.Bundles[0].SHA256,
		"dockdojo join " + base + " CODE",
	}
	for _, a := range set.Archives {
		wants = append(wants, `<a href="/download/`+a.Name+`">`, a.SHA256)
	}
	for _, want := range wants {
		if status != http.StatusOK || !strings.Contains(page, want) {
			t.Errorf("GET / = %d, lacks %q:\n%s", status, want, page)
		}
	}
	if strings.Contains(page, r.srv.JoinCode()) {
		t.Error("the public page shows the join code")
	}

	// What the scripts and a browser fetch, and nothing else.
	sums, err := os.ReadFile(filepath.Join(set.Dir, release.ChecksumFile))
	if err != nil {
		t.Fatal(err)
	}
	if status, body := httpGet(t, base+"/download/SHA256SUMS"); status != http.StatusOK || body != string(sums) {
		t.Errorf("GET /download/SHA256SUMS = %d %q, want the set's file", status, body)
	}
	status, ps1 := httpGet(t, base+"/install.ps1")
	if want := "$env:DOCKDOJO_BASE_URL = '" + base + "/download'\n"; status != http.StatusOK || !strings.Contains(ps1, want) || !strings.Contains(ps1, "Get-FileHash") {
		t.Errorf("GET /install.ps1 = %d, want the script with %q", status, want)
	}
	for _, path := range []string{"/download/classroom.db", "/download/..%2fgo.mod", "/download/", "/download/%2e%2e"} {
		if status, _ := httpGet(t, base+path); status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, status)
		}
	}
	req, _ := http.NewRequest("GET", base+"/download/"+set.Archives[0].Name, nil)
	req.Header.Set("Range", "bytes=10-19")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || resp.ContentLength != 10 {
		t.Errorf("a range of an archive = %d, %d bytes; want 206 and 10 (curl -C - resumes)", resp.StatusCode, resp.ContentLength)
	}
}

// TestDownloadsPageSteps: the page numbers its steps in order, whichever
// of the binaries and the images the classroom hands out.
func TestDownloadsPageSteps(t *testing.T) {
	set := releasetest.HostSet(t)
	bundle := writeBundle(t, 1<<10)
	install, images, join := "Install dockdojo "+set.Version, "The course's Docker images", "Join the classroom"
	for _, tt := range []struct {
		name     string
		binaries string
		bundles  []string
		want     []string
	}{
		{"binaries", set.Dir, nil, []string{"1. " + install, "2. " + join}},
		{"bundle", "", []string{bundle}, []string{"1. " + images, "2. " + join}},
		{"both", set.Dir, []string{bundle}, []string{"1. " + install, "2. " + images, "3. " + join}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, err := OpenDownloads(tt.binaries, tt.bundles)
			if err != nil {
				t.Fatal(err)
			}
			r := newRoom(t, Options{Downloads: d})
			_, page := httpGet(t, r.ts.URL+"/")
			var got []string
			for _, m := range regexp.MustCompile(`<h2>([^<]*)</h2>`).FindAllStringSubmatch(page, -1) {
				got = append(got, html.UnescapeString(m[1]))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("the page's steps are %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNoDownloads(t *testing.T) {
	r := newRoom(t, Options{})
	if status, body := httpGet(t, r.ts.URL+"/install.sh"); status != http.StatusNotFound || !strings.Contains(body, "hands out no dockdojo binaries") {
		t.Errorf("GET /install.sh = %d %q", status, body)
	}
	if status, body := httpGet(t, r.ts.URL+"/"); status != http.StatusOK || !strings.HasPrefix(body, "This is a dockdojo classroom.") {
		t.Errorf("GET / = %d %q", status, body)
	}
}

func TestOpenDownloadsErrors(t *testing.T) {
	set := releasetest.HostSet(t)
	if _, err := OpenDownloads(t.TempDir(), nil); err == nil || !strings.Contains(err.Error(), "has no SHA256SUMS, so it is not a release folder") {
		t.Errorf("an empty folder: %v", err)
	}
	if _, err := OpenDownloads("", []string{filepath.Join(t.TempDir(), "nope.tar")}); err == nil || !strings.Contains(err.Error(), "make one with `dockdojo prepare --save FILE`") {
		t.Errorf("a missing bundle: %v", err)
	}
	clash := filepath.Join(t.TempDir(), release.ChecksumFile)
	if err := os.WriteFile(clash, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenDownloads(set.Dir, []string{clash}); err == nil || !strings.Contains(err.Error(), "two files to hand out are named SHA256SUMS") {
		t.Errorf("a bundle named like a release file: %v", err)
	}
	for name, data := range map[string]string{
		"README.md":       "# Not images\n",
		"empty.tar":       "",
		"no-manifest.tar": tarOf(t, "layer.tar"),
	} {
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := OpenDownloads("", []string{path}); err == nil || !strings.Contains(err.Error(), path+" is not an image bundle") || !strings.Contains(err.Error(), "prepare --save") {
			t.Errorf("--bundle %s: %v", name, err)
		}
	}
}

// TestSlowDownloadFinishes reads a bundle more slowly than the server's
// WriteTimeout allows for a whole answer: a download that keeps moving is
// not cut off.
func TestSlowDownloadFinishes(t *testing.T) {
	const size = 32 << 20 // more than loopback's socket buffers hold
	d, err := OpenDownloads("", []string{writeBundle(t, size)})
	if err != nil {
		t.Fatal(err)
	}
	r := newRoom(t, Options{Downloads: d})
	const timeout = 300 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: r.srv.Handler(), WriteTimeout: timeout}
	go hs.Serve(ln)
	defer hs.Close()

	resp, err := http.Get("http://" + ln.Addr().String() + "/download/dojo-images.tar")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	first := make([]byte, 1<<20)
	if _, err := io.ReadFull(resp.Body, first); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * timeout) // the whole answer now takes longer than WriteTimeout
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil || int64(len(first))+n != d.Bundles[0].Size {
		t.Errorf("read %d of %d bytes: %v", int64(len(first))+n, d.Bundles[0].Size, err)
	}
}

// tarOf is a tar of empty files with these names.
func tarOf(t *testing.T, names ...string) string {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, n := range names {
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644}); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

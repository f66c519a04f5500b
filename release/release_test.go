package release_test

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/release"
	"github.com/dockdojo/dockdojo/release/releasetest"
)

func TestMain(m *testing.M) { releasetest.Main(m) }

func TestParseChecksums(t *testing.T) {
	const sum = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	tests := []struct {
		name, in string
		want     []release.Checksum
		err      string
	}{
		{name: "text and binary mode, CRLF, blank lines",
			in:   sum + "  a.tar.gz\r\n\n" + strings.ToUpper(sum) + " *b.zip\n",
			want: []release.Checksum{{SHA256: sum, Name: "a.tar.gz"}, {SHA256: sum, Name: "b.zip"}}},
		{name: "short hash", in: "abc  a.tar.gz\n", err: "SUMS:1: not a checksum line"},
		{name: "one space", in: sum + " a.tar.gz\n", err: "SUMS:1: not a checksum line"},
		{name: "a path", in: sum + "  ../a.tar.gz\n", err: `SUMS:1: "../a.tar.gz" is not a plain file name`},
		{name: "twice", in: sum + "  a\n" + sum + "  a\n", err: "SUMS:2: a is listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := release.ParseChecksums(strings.NewReader(tt.in), "SUMS")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("line %d: got %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestArchiveName(t *testing.T) {
	for _, tt := range []struct {
		version string
		target  release.Target
		want    string
	}{
		{"v1.2.3", release.Target{OS: "linux", Arch: "amd64"}, "dockdojo_1.2.3_linux_amd64.tar.gz"},
		{"v0.0.0-20261101201500-1e549f7ab2c3+dirty", release.Target{OS: "darwin", Arch: "arm64"}, "dockdojo_0.0.0-20261101201500-1e549f7ab2c3+dirty_darwin_arm64.tar.gz"},
		{"1.2.3", release.Target{OS: "windows", Arch: "arm64"}, "dockdojo_1.2.3_windows_arm64.zip"},
	} {
		if got := release.ArchiveName(tt.version, tt.target); got != tt.want {
			t.Errorf("ArchiveName(%q, %v) = %q, want %q", tt.version, tt.target, got, tt.want)
		}
	}
	if _, err := release.ParseTarget("plan9/386"); err == nil || !strings.Contains(err.Error(), "linux/amd64, linux/arm64, darwin/amd64") {
		t.Errorf("ParseTarget(plan9/386) = %v, want the list of targets", err)
	}
}

// TestBuildHost builds the set for this machine's platform and checks what
// a learner gets: the archive's files, the stamped version, and a checksum
// file that sha256sum reads.
func TestBuildHost(t *testing.T) {
	set := releasetest.HostSet(t)
	host := release.Target{OS: runtime.GOOS, Arch: runtime.GOARCH}
	a, ok := set.Archive(host)
	if !ok || a.Name != release.ArchiveName(releasetest.Version, host) {
		t.Fatalf("set has %v, want the archive of %s", set.Archives, host)
	}
	if set.Version != "0.0.0-test" || len(set.Missing()) != len(release.Targets())-1 {
		t.Errorf("set version %q, missing %v", set.Version, set.Missing())
	}
	for _, s := range release.Scripts() {
		if _, err := os.Stat(filepath.Join(set.Dir, s)); err != nil {
			t.Errorf("the set lacks %s: %v", s, err)
		}
	}
	if host.OS == "windows" {
		t.Skip("the rest reads a tar.gz")
	}

	// The archive: dockdojo and README.md, owned by root, dated the commit.
	bin := filepath.Join(t.TempDir(), "dockdojo")
	f, err := os.Open(filepath.Join(set.Dir, a.Name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var names []string
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, hdr.Name)
		if !hdr.ModTime.Equal(releasetest.Date) || hdr.Uid != 0 || hdr.Uname != "" {
			t.Errorf("%s: time %v, owner %d %q; want the commit's time and no owner", hdr.Name, hdr.ModTime, hdr.Uid, hdr.Uname)
		}
		if hdr.Name == "dockdojo" {
			if hdr.Mode != 0o755 {
				t.Errorf("dockdojo has mode %o, want 755", hdr.Mode)
			}
			data, _ := io.ReadAll(tr)
			if err := os.WriteFile(bin, data, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	if strings.Join(names, " ") != "dockdojo README.md" {
		t.Errorf("archive holds %v, want dockdojo and README.md", names)
	}

	// The stamped version, from both ways of asking.
	want := "dockdojo v0.0.0-test (commit 0123456789ab, 2026-01-02)\nlesson format "
	for _, args := range [][]string{{"version"}, {"--version"}} {
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err != nil || !strings.HasPrefix(string(out), want) || !strings.Contains(string(out), host.String()) {
			t.Errorf("dockdojo %s: %v\n%s\nwant it to start with %q and name %s", args[0], err, out, want, host)
		}
	}

	// sha256sum -c reads the checksum file.
	if _, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command("sha256sum", "-c", release.ChecksumFile)
		cmd.Dir = set.Dir
		if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), a.Name+": OK") {
			t.Errorf("sha256sum -c: %v\n%s", err, out)
		}
	}
}

// TestBuildReproducible builds the set again into another folder: the same
// bytes come out.
func TestBuildReproducible(t *testing.T) {
	first := releasetest.HostSet(t)
	source, err := releasetest.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	second, err := release.Build(context.Background(), release.BuildOptions{
		Source: source, Dir: filepath.Join(t.TempDir(), "again"),
		Version: releasetest.Version, Commit: releasetest.Commit, Date: releasetest.Date.In(time.FixedZone("CET", 3600)),
		Targets: []release.Target{first.Archives[0].Target},
	})
	if err != nil {
		t.Fatal(err)
	}
	a, b := readFile(t, filepath.Join(first.Dir, release.ChecksumFile)), readFile(t, filepath.Join(second.Dir, release.ChecksumFile))
	if a != b {
		t.Errorf("two builds differ:\n%s\n%s", a, b)
	}
}

func TestBuildRefuses(t *testing.T) {
	source, err := releasetest.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "old.tar.gz"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	ok := release.BuildOptions{Source: source, Dir: t.TempDir(), Version: "v1.2.3", Commit: releasetest.Commit, Date: releasetest.Date}
	for _, tt := range []struct {
		name   string
		change func(*release.BuildOptions)
		err    string
	}{
		{"a folder with files", func(o *release.BuildOptions) { o.Dir = full }, "is not empty; remove it"},
		{"a version with a space", func(o *release.BuildOptions) { o.Version = "v1 beta" }, `release version "v1 beta"`},
		{"a version with _", func(o *release.BuildOptions) { o.Version = "v1_2" }, `release version "v1_2"`},
		{"no commit", func(o *release.BuildOptions) { o.Commit = "" }, "no commit"},
		{"not the module", func(o *release.BuildOptions) { o.Source = t.TempDir() }, "is not the module's root"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			opts := ok
			tt.change(&opts)
			if _, err := release.Build(context.Background(), opts); err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("err = %v, want %q", err, tt.err)
			}
		})
	}
}

// TestOpen checks a set in a folder as `classroom serve` does before it
// hands the set out.
func TestOpen(t *testing.T) {
	set := releasetest.HostSet(t)
	name := set.Archives[0].Name
	tests := []struct {
		name  string
		spoil func(dir string)
		err   string
	}{
		{"as built", func(string) {}, ""},
		{"no checksum file", func(dir string) { os.Remove(filepath.Join(dir, release.ChecksumFile)) }, "has no SHA256SUMS, so it is not a release folder"},
		{"an archive missing", func(dir string) { os.Remove(filepath.Join(dir, name)) }, "lists " + name + ": the file is missing"},
		{"an archive damaged", func(dir string) { appendTo(t, filepath.Join(dir, name), "x") }, "lists " + name + ": its SHA-256 is"},
		{"a script missing", func(dir string) { os.Remove(filepath.Join(dir, "install.ps1")) }, "has no install.ps1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyDir(t, set.Dir)
			tt.spoil(dir)
			got, err := release.Open(dir)
			switch {
			case tt.err == "" && err != nil:
				t.Fatal(err)
			case tt.err == "" && got.Version != set.Version:
				t.Errorf("version %q, want %q", got.Version, set.Version)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Errorf("err = %v, want %q", err, tt.err)
			}
		})
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func appendTo(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

// copyDir copies a flat folder into a new temporary one.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

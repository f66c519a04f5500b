package release_test

// The install scripts, tested end to end: install.sh runs under sh and bash
// against a release set served on loopback, the installed dockdojo runs, a
// download that does not match its checksum installs nothing, and each
// system and processor gets its archive. install.ps1 is parsed (no
// PowerShell runs here).

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/release"
	"github.com/dockdojo/dockdojo/release/releasetest"
)

// needTool returns the path of a program a test needs; without it the test
// is skipped, except in CI (CI=true), where it fails.
func needTool(t *testing.T, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing (CI must have it: %s)", name, install)
		}
		t.Skipf("%s is missing (%s)", name, install)
	}
	return path
}

// installScript is scripts/install.sh of this checkout.
func installScript(t *testing.T) string {
	t.Helper()
	root, err := releasetest.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(root, "scripts", "install.sh")
}

// baseTools are the programs install.sh uses besides a downloader and a
// checksum tool.
var baseTools = []string{"uname", "mktemp", "rm", "tr", "grep", "head", "tar", "gzip", "mkdir", "cp", "chmod", "mv", "cat"}

// toolDir makes a folder of links to the named programs, to be the whole
// PATH of an install: it holds exactly the tools a test gives the script.
func toolDir(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range names {
		path := needTool(t, name, "apt-get install "+name)
		if err := os.Symlink(path, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// fakeTool puts a shell script named name into dir, in place of the link
// to the real program: the link is removed, never written through.
func fakeTool(t *testing.T, dir, name, body string) {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("#!/bin/sh\n" + body + "\n"); err != nil {
		t.Fatal(err)
	}
}

// install runs install.sh with shell and a clean environment: HOME is a new
// folder, PATH is only path, the base URL is base.
func install(t *testing.T, shell, path, base string, args ...string) (home, stdout, stderr string, err error) {
	t.Helper()
	home = t.TempDir()
	tmp := t.TempDir()
	cmd := exec.Command(shell, append([]string{installScript(t)}, args...)...)
	cmd.Env = []string{"HOME=" + home, "PATH=" + path, "TMPDIR=" + tmp, "DOCKDOJO_BASE_URL=" + base, "SHELL=/bin/bash"}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = runWithin(t, cmd, 2*time.Minute)
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("install left %d files in TMPDIR", len(left))
	}
	return home, out.String(), errb.String(), err
}

func runWithin(t *testing.T, cmd *exec.Cmd, limit time.Duration) error {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(limit):
		cmd.Process.Kill()
		t.Fatalf("%s did not finish within %s", cmd.Args, limit)
		return nil
	}
}

func TestInstallSh(t *testing.T) {
	set := releasetest.HostSet(t)
	if runtime.GOOS == "windows" {
		t.Skip("install.sh is for Linux and macOS")
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(set.Dir)))
	defer srv.Close()
	host := set.Archives[0].Target

	for _, tc := range []struct {
		name, shell string
		tools       []string
	}{
		{"sh with curl and sha256sum", "sh", []string{"curl", "sha256sum"}},
		{"bash with wget and shasum", "bash", []string{"wget", "shasum", "perl"}},
		{"sh with curl and openssl", "sh", []string{"curl", "openssl"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := toolDir(t, append(baseTools, tc.tools...)...)
			home, stdout, stderr, err := install(t, needTool(t, tc.shell, "a POSIX shell"), path, srv.URL+"/")
			if err != nil {
				t.Fatalf("install.sh: %v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
			}
			bin := filepath.Join(home, ".local", "bin", "dockdojo")
			for _, want := range []string{
				"Installed dockdojo 0.0.0-test (" + host.String() + ") as " + bin + ".",
				filepath.Dir(bin) + " is not on your PATH. Add this line to ~/.bashrc:",
			} {
				if !strings.Contains(stdout, want) {
					t.Errorf("install.sh said:\n%s\nwant %q", stdout, want)
				}
			}
			out, err := exec.Command(bin, "version").CombinedOutput()
			if err != nil || !strings.HasPrefix(string(out), "dockdojo v0.0.0-test (commit 0123456789ab, 2026-01-02)\n") {
				t.Errorf("installed dockdojo version: %v\n%s", err, out)
			}
		})
	}
}

// TestInstallShWrongChecksum serves an archive that changed on its way: the
// install stops with a clear message and leaves the dockdojo already there
// alone.
func TestInstallShWrongChecksum(t *testing.T) {
	set := releasetest.HostSet(t)
	name := set.Archives[0].Name
	files := http.FileServer(http.Dir(set.Dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/"+name {
			files.ServeHTTP(w, r)
			return
		}
		data, err := os.ReadFile(filepath.Join(set.Dir, name))
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		data[len(data)/2] ^= 0xff
		w.Write(data)
	}))
	defer srv.Close()

	sh := needTool(t, "sh", "a POSIX shell")
	path := toolDir(t, append(baseTools, "curl", "sha256sum")...)
	home := t.TempDir()
	bin := filepath.Join(home, "bin", "dockdojo")
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, []byte("the dockdojo installed before"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, stdout, stderr, err := install(t, sh, path, srv.URL, "--dir", filepath.Dir(bin))
	if err == nil {
		t.Fatalf("install.sh succeeded with a damaged archive:\n%s", stdout)
	}
	for _, want := range []string{
		"dockdojo install: " + name + " is not the file the release lists: its SHA-256 is",
		"where " + srv.URL + "/SHA256SUMS says\n  " + set.Archives[0].SHA256 + ".",
		"Nothing was installed.",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr:\n%s\nwant %q", stderr, want)
		}
	}
	if got := readFile(t, bin); got != "the dockdojo installed before" {
		t.Errorf("the old dockdojo was replaced by %d bytes", len(got))
	}
	if entries, _ := os.ReadDir(filepath.Dir(bin)); len(entries) != 1 {
		t.Errorf("the install folder holds %d files, want only the old dockdojo", len(entries))
	}
}

// TestInstallShPlatforms gives install.sh a fake uname (and sysctl) and a
// set of small stand-in archives: each system and processor gets its own
// archive, and the others a clear refusal.
func TestInstallShPlatforms(t *testing.T) {
	sh := needTool(t, "sh", "a POSIX shell")
	set := t.TempDir()
	date := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var sums []release.Checksum
	for _, target := range release.Targets() {
		content := filepath.Join(t.TempDir(), "content")
		if err := os.WriteFile(content, []byte("stand-in for "+target.String()), 0o755); err != nil {
			t.Fatal(err)
		}
		name := release.ArchiveName("v9.9.9", target)
		sum, _, err := release.WriteArchive(filepath.Join(set, name), target, []release.ArchiveFile{{Name: target.Binary(), Path: content, Mode: 0o755}}, date)
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, release.Checksum{SHA256: sum, Name: name})
	}
	var buf bytes.Buffer
	if err := release.WriteChecksums(&buf, sums); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(set, release.ChecksumFile), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(set)))
	defer srv.Close()

	for _, tc := range []struct {
		name, system, machine, translated string
		want, err                         string
	}{
		{name: "Linux on Intel", system: "Linux", machine: "x86_64", want: "linux/amd64"},
		{name: "Linux on ARM", system: "Linux", machine: "aarch64", want: "linux/arm64"},
		{name: "Intel Mac", system: "Darwin", machine: "x86_64", want: "darwin/amd64"},
		{name: "Apple Silicon", system: "Darwin", machine: "arm64", want: "darwin/arm64"},
		{name: "Apple Silicon under Rosetta", system: "Darwin", machine: "x86_64", translated: "1", want: "darwin/arm64"},
		{name: "32-bit ARM", system: "Linux", machine: "armv7l", err: "dockdojo is not released for armv7l processors (Linux); with Go 1.26 or newer: go install"},
		{name: "FreeBSD", system: "FreeBSD", machine: "amd64", err: "dockdojo is not released for FreeBSD;"},
		{name: "Git Bash on Windows", system: "MINGW64_NT-10.0-19045", machine: "x86_64", err: "this is Windows: run dockdojo inside WSL 2 (and this script there), or install it from PowerShell with: irm " + srv.URL + "/install.ps1 | iex"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := toolDir(t, append(baseTools, "curl", "sha256sum")...)
			fakeTool(t, path, "uname", `case $1 in -s) echo '`+tc.system+`' ;; -m) echo '`+tc.machine+`' ;; esac`)
			if tc.translated != "" {
				fakeTool(t, path, "sysctl", "echo "+tc.translated)
			}
			home, stdout, stderr, err := install(t, sh, path, srv.URL)
			if tc.err != "" {
				if err == nil || !strings.Contains(stderr, "dockdojo install: "+tc.err) {
					t.Errorf("install.sh: %v\n%s%s\nwant the error %q", err, stdout, stderr, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("install.sh: %v\n%s%s", err, stdout, stderr)
			}
			if got := readFile(t, filepath.Join(home, ".local", "bin", "dockdojo")); got != "stand-in for "+tc.want {
				t.Errorf("installed %q, want the binary of %s", got, tc.want)
			}
		})
	}

	t.Run("no archive for this platform", func(t *testing.T) {
		only := t.TempDir()
		line := sums[0].SHA256 + "  " + sums[0].Name + "\n" // linux/amd64
		if err := os.WriteFile(filepath.Join(only, release.ChecksumFile), []byte(line), 0o644); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(http.FileServer(http.Dir(only)))
		defer srv.Close()
		path := toolDir(t, append(baseTools, "curl", "sha256sum")...)
		fakeTool(t, path, "uname", `case $1 in -s) echo Linux ;; -m) echo aarch64 ;; esac`)
		_, _, stderr, err := install(t, sh, path, srv.URL)
		if want := srv.URL + "/SHA256SUMS names no dockdojo archive for linux/arm64"; err == nil || !strings.Contains(stderr, want) {
			t.Errorf("install.sh: %v\n%s\nwant %q", err, stderr, want)
		}
	})

	t.Run("nothing served there", func(t *testing.T) {
		path := toolDir(t, append(baseTools, "curl", "sha256sum")...)
		_, _, stderr, err := install(t, sh, path, srv.URL+"/nowhere")
		if want := "could not download " + srv.URL + "/nowhere/SHA256SUMS; is the address right"; err == nil || !strings.Contains(stderr, want) {
			t.Errorf("install.sh: %v\n%s\nwant %q", err, stderr, want)
		}
	})
}

// TestInstallShShellcheck lints install.sh as a POSIX sh script.
func TestInstallShShellcheck(t *testing.T) {
	sc := needTool(t, "shellcheck", "apt-get install shellcheck")
	if out, err := exec.Command(sc, "-s", "sh", installScript(t)).CombinedOutput(); err != nil {
		t.Errorf("shellcheck: %v\n%s", err, out)
	}
}

// TestInstallPS1 checks install.ps1 without PowerShell, which cannot be
// installed here: it must parse (tree-sitter's PowerShell grammar, run by
// node), and agree with install.sh and this package on names and places.
func TestInstallPS1(t *testing.T) {
	root, err := releasetest.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	ps1 := filepath.Join(root, "scripts", "install.ps1")
	src := readFile(t, ps1)
	sh := readFile(t, installScript(t))

	for i, r := range src {
		// Windows PowerShell 5.1 reads a file without BOM in the ANSI
		// code page: anything but ASCII would be garbled.
		if r > 127 {
			t.Fatalf("install.ps1: a non-ASCII character %q at byte %d", r, i)
		}
	}
	if m := regexp.MustCompile(`(?mi)^\s*(exit\b|param\s*\()`).FindString(src); m != "" {
		t.Errorf("install.ps1 uses %q: under `irm | iex` exit closes the learner's window and param() is not allowed", m)
	}
	for _, want := range []string{
		"https://github.com/dockdojo/dockdojo/releases", // the same releases as install.sh
		"/SHA256SUMS",
		`_windows_$arch\.zip`,
		"Get-FileHash -Algorithm SHA256",
		"DOCKDOJO_BASE_URL", "DOCKDOJO_VERSION", "DOCKDOJO_INSTALL_DIR",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("install.ps1 lacks %q", want)
		}
	}
	for _, shared := range []string{"https://github.com/dockdojo/dockdojo/releases", "[A-Za-z0-9.+-]+", "latest/download", "download/"} {
		if !strings.Contains(sh, shared) || !strings.Contains(src, shared) {
			t.Errorf("install.sh and install.ps1 must both use %q", shared)
		}
	}
	// The archive pattern the scripts use is the one this package names.
	if !strings.Contains(release.ArchivePattern, "[A-Za-z0-9.+-]+") {
		t.Errorf("archive names are %s; update the scripts' patterns too", release.ArchivePattern)
	}

	node := needTool(t, "node", "apt-get install nodejs")
	npm := needTool(t, "npm", "apt-get install npm")
	out, err := exec.Command(npm, "root", "-g").Output()
	if err != nil {
		t.Fatalf("npm root -g: %v", err)
	}
	modules := strings.TrimSpace(string(out))
	for _, pkg := range []string{"web-tree-sitter", "tree-sitter-powershell"} {
		if _, err := os.Stat(filepath.Join(modules, pkg)); err != nil {
			msg := "npm install -g --ignore-scripts --legacy-peer-deps web-tree-sitter@0.27.1 tree-sitter-powershell@0.26.4 (.ci/run does)"
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing: %s", pkg, msg)
			}
			t.Skipf("%s is missing: %s", pkg, msg)
		}
	}
	// --liftoff-only: V8's optimising compiler takes 15 s over the
	// grammar's WebAssembly, for a parse that takes milliseconds.
	cmd := exec.Command(node, "--liftoff-only", filepath.Join("testdata", "parse-ps1.cjs"), ps1)
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("install.ps1 does not parse: %v\n%s", err, out)
	}

	// The parser finds mistakes.
	bad := filepath.Join(t.TempDir(), "bad.ps1")
	if err := os.WriteFile(bad, []byte(strings.Replace(src, "foreach ($line in", "foreach ($line in {", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command(node, "--liftoff-only", filepath.Join("testdata", "parse-ps1.cjs"), bad)
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Errorf("a broken install.ps1 parses:\n%s", out)
	}
}

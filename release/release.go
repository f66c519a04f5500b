// Package release owns dockdojo's release set: one archive of the binary for
// each platform it is released for, the SHA-256 checksum file that lists
// them, and the install scripts that read both. It knows how the files are
// named, builds a set from source (with the Go toolchain) and checks a set
// in a folder before it is handed out.
//
// A set in a folder, as on a GitHub release page:
//
//	SHA256SUMS                            "HASH  NAME" per archive, as sha256sum writes it
//	dockdojo_1.2.3_linux_amd64.tar.gz     dockdojo and README.md
//	dockdojo_1.2.3_windows_arm64.zip      dockdojo.exe and README.md
//	...                                   one archive per Target
//	install.sh, install.ps1               the install scripts (not in SHA256SUMS)
//
// The install scripts find the archive for their machine in SHA256SUMS, so
// they need no version: the latest release's files are enough.
package release

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// ChecksumFile is the name of a set's checksum file.
const ChecksumFile = "SHA256SUMS"

// Scripts returns the names of the install scripts a set carries: POSIX sh
// for Linux and macOS, PowerShell for Windows.
func Scripts() []string { return []string{"install.sh", "install.ps1"} }

// A Target is a platform dockdojo is released for.
type Target struct {
	OS   string // GOOS
	Arch string // GOARCH
}

// Targets returns the platforms dockdojo is released for: those of the
// learners' laptops (Linux, also inside WSL 2; macOS; Windows), on Intel and
// ARM processors.
func Targets() []Target {
	return []Target{
		{"linux", "amd64"}, {"linux", "arm64"},
		{"darwin", "amd64"}, {"darwin", "arm64"},
		{"windows", "amd64"}, {"windows", "arm64"},
	}
}

// ParseTarget reads "os/arch", e.g. "linux/amd64".
func ParseTarget(s string) (Target, error) {
	for _, t := range Targets() {
		if t.String() == s {
			return t, nil
		}
	}
	var names []string
	for _, t := range Targets() {
		names = append(names, t.String())
	}
	return Target{}, fmt.Errorf("no release target %q; the targets are %s", s, strings.Join(names, ", "))
}

func (t Target) String() string { return t.OS + "/" + t.Arch }

// Binary is the name of the executable in the target's archive.
func (t Target) Binary() string {
	if t.OS == "windows" {
		return "dockdojo.exe"
	}
	return "dockdojo"
}

// ext is the archive's extension: zip, which Windows opens by itself, or
// tar.gz, which Linux and macOS do.
func (t Target) ext() string {
	if t.OS == "windows" {
		return ".zip"
	}
	return ".tar.gz"
}

// ArchiveName is the name of the target's archive for version (its leading
// "v" dropped): dockdojo_1.2.3_linux_amd64.tar.gz.
func ArchiveName(version string, t Target) string {
	return fmt.Sprintf("dockdojo_%s_%s_%s%s", strings.TrimPrefix(version, "v"), t.OS, t.Arch, t.ext())
}

// archiveRE matches archive names; the install scripts match them the same
// way. A version is free text without "_" or "/" (e.g. 1.2.3, 0.0.0-20261101-abc+dirty).
var archiveRE = regexp.MustCompile(`^dockdojo_([A-Za-z0-9.+-]+)_([a-z0-9]+)_([a-z0-9]+)\.(tar\.gz|zip)$`)

// parseArchiveName is the inverse of ArchiveName; the version comes back
// without a leading "v".
func parseArchiveName(name string) (version string, t Target, ok bool) {
	m := archiveRE.FindStringSubmatch(name)
	if m == nil {
		return "", Target{}, false
	}
	t = Target{OS: m[2], Arch: m[3]}
	if ArchiveName(m[1], t) != name {
		return "", Target{}, false // a zip for linux, a tar.gz for windows
	}
	return m[1], t, true
}

// A Checksum is one line of a checksum file.
type Checksum struct {
	SHA256 string // lowercase hex
	Name   string
}

var checksumRE = regexp.MustCompile(`^([0-9a-fA-F]{64}) [ *](\S.*)$`)

// ParseChecksums reads a checksum file in the format sha256sum writes and
// `sha256sum -c` reads: "HASH  NAME" (or "HASH *NAME") per line.
func ParseChecksums(r io.Reader, source string) ([]Checksum, error) {
	var sums []Checksum
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		m := checksumRE.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("%s:%d: not a checksum line (want 64 hex digits, two spaces, a file name): %q", source, n, line)
		}
		if strings.ContainsAny(m[2], `/\`) || m[2] == "." || m[2] == ".." {
			return nil, fmt.Errorf("%s:%d: %q is not a plain file name", source, n, m[2])
		}
		if seen[m[2]] {
			return nil, fmt.Errorf("%s:%d: %s is listed twice", source, n, m[2])
		}
		seen[m[2]] = true
		sums = append(sums, Checksum{SHA256: strings.ToLower(m[1]), Name: m[2]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", source, err)
	}
	return sums, nil
}

// WriteChecksums writes sums in the format of sha256sum, sorted by name.
func WriteChecksums(w io.Writer, sums []Checksum) error {
	sorted := slices.Clone(sums)
	slices.SortFunc(sorted, func(a, b Checksum) int { return strings.Compare(a.Name, b.Name) })
	var b strings.Builder
	for _, s := range sorted {
		fmt.Fprintf(&b, "%s  %s\n", s.SHA256, s.Name)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

package release

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// A Set is a release set in a folder whose files were checked against its
// checksum file.
type Set struct {
	Dir      string
	Version  string    // as in the archive names, e.g. 1.2.3
	Archives []Archive // sorted by name
}

// An Archive is one platform's archive in a set.
type Archive struct {
	Name   string
	Target Target
	SHA256 string // lowercase hex
	Size   int64
}

// Open checks the release set in dir: every file its SHA256SUMS lists is
// there with that checksum, the archives are of one version, and the install
// scripts are beside them. Platforms without an archive are allowed (see
// Missing).
func Open(dir string) (*Set, error) {
	sumsPath := filepath.Join(dir, ChecksumFile)
	f, err := os.Open(sumsPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s has no %s, so it is not a release folder: download every file of a release into it, or build one with `go run ./scripts/release %s` in a clone of dockdojo", dir, ChecksumFile, dir)
	}
	if err != nil {
		return nil, err
	}
	sums, err := ParseChecksums(f, sumsPath)
	f.Close()
	if err != nil {
		return nil, err
	}
	set := &Set{Dir: dir}
	for _, c := range sums {
		size, err := checkFile(filepath.Join(dir, c.Name), c.SHA256)
		if err != nil {
			return nil, fmt.Errorf("%s lists %s: %w", sumsPath, c.Name, err)
		}
		version, t, ok := parseArchiveName(c.Name)
		if !ok {
			continue // another file the release carries, checked all the same
		}
		if set.Version != "" && version != set.Version {
			return nil, fmt.Errorf("%s mixes two releases (%s and %s): keep the files of one release in the folder", dir, set.Version, version)
		}
		set.Version = version
		set.Archives = append(set.Archives, Archive{Name: c.Name, Target: t, SHA256: c.SHA256, Size: size})
	}
	if len(set.Archives) == 0 {
		return nil, fmt.Errorf("%s lists no dockdojo archive", sumsPath)
	}
	for _, s := range Scripts() {
		if _, err := os.Stat(filepath.Join(dir, s)); err != nil {
			return nil, fmt.Errorf("%s has no %s: it comes with every release; download it too", dir, s)
		}
	}
	slices.SortFunc(set.Archives, func(a, b Archive) int { return strings.Compare(a.Name, b.Name) })
	return set, nil
}

// checkFile returns the size of the file at path after checking its SHA-256.
func checkFile(path, want string) (int64, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, errors.New("the file is missing; download it again")
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return 0, fmt.Errorf("its SHA-256 is %s, not %s: the file is damaged or from another release; download it again", got, want)
	}
	return n, nil
}

// Archive returns the set's archive for t.
func (s *Set) Archive(t Target) (Archive, bool) {
	for _, a := range s.Archives {
		if a.Target == t {
			return a, true
		}
	}
	return Archive{}, false
}

// Missing returns the release targets the set has no archive for.
func (s *Set) Missing() []Target {
	var missing []Target
	for _, t := range Targets() {
		if _, ok := s.Archive(t); !ok {
			missing = append(missing, t)
		}
	}
	return missing
}

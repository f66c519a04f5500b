package release

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// buildinfoPkg is the package whose variables the linker stamps.
const buildinfoPkg = "github.com/dockdojo/dockdojo/buildinfo"

// BuildOptions say what Build makes.
type BuildOptions struct {
	Source   string    // the module's root folder, holding go.mod
	Dir      string    // where the set goes; created, and must be empty if it exists
	Version  string    // e.g. v1.2.3
	Commit   string    // the full commit hash the source is at
	Date     time.Time // the commit's time: stamped, and the archives' file times
	Targets  []Target  // nil: Targets()
	Parallel int       // builds at once; 0 means 1
	Go       string    // the go command; "" means "go" on PATH
	Log      io.Writer // a line per target; nil: none
}

// Build compiles dockdojo for each target with the Go toolchain, packs each
// binary with README.md into its archive, writes the checksum file and copies
// the install scripts beside them.
//
// The builds are reproducible: the same source, Go version and options give
// the same bytes, wherever the source lies (-trimpath) and whatever the
// checkout's state (-buildvcs=false: the version, commit and date are
// stamped from the options instead; the archives' file times are Date).
func Build(ctx context.Context, opts BuildOptions) (*Set, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	if opts.Targets == nil {
		opts.Targets = Targets()
	}
	if err := emptyDir(opts.Dir); err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp("", "dockdojo-release-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)

	var (
		mu   sync.Mutex
		sums []Checksum
		errs []error
		wg   sync.WaitGroup
		sem  = make(chan struct{}, max(opts.Parallel, 1))
	)
	for _, t := range opts.Targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			sum, err := opts.buildTarget(ctx, t, work)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			sums = append(sums, sum)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := WriteChecksums(&buf, sums); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(opts.Dir, ChecksumFile), buf.Bytes(), 0o644); err != nil {
		return nil, err
	}
	for _, s := range Scripts() {
		data, err := os.ReadFile(filepath.Join(opts.Source, "scripts", s))
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(opts.Dir, s), data, 0o644); err != nil {
			return nil, err
		}
	}
	return Open(opts.Dir)
}

func (opts BuildOptions) check() error {
	switch {
	case opts.Version == "" || !archiveRE.MatchString(ArchiveName(opts.Version, Target{"linux", "amd64"})):
		return fmt.Errorf("release version %q: use letters, digits and . + - only, e.g. v1.2.3", opts.Version)
	case opts.Commit == "":
		return errors.New("release: no commit to stamp")
	case opts.Date.IsZero():
		return errors.New("release: no commit date to stamp")
	case opts.Source == "" || opts.Dir == "":
		return errors.New("release: no source or output folder")
	}
	if _, err := os.Stat(filepath.Join(opts.Source, "go.mod")); err != nil {
		return fmt.Errorf("release: %s is not the module's root: %w", opts.Source, err)
	}
	return nil
}

// emptyDir makes dir, or checks that it is empty: archives of an older
// build must not end up in the new set.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty; remove it or choose another folder", dir)
	}
	return os.MkdirAll(dir, 0o755)
}

// ldflags stamp the build information and leave out the symbol table and
// debug information, which a learner's download does not need (panics still
// print their stack).
func (opts BuildOptions) ldflags() string {
	return strings.Join([]string{
		"-s", "-w",
		"-X", buildinfoPkg + ".version=" + opts.Version,
		"-X", buildinfoPkg + ".commit=" + opts.Commit,
		"-X", buildinfoPkg + ".date=" + opts.Date.UTC().Format(time.RFC3339),
	}, " ")
}

func (opts BuildOptions) buildTarget(ctx context.Context, t Target, work string) (Checksum, error) {
	start := time.Now()
	bin := filepath.Join(work, t.OS+"_"+t.Arch, t.Binary())
	goCmd := opts.Go
	if goCmd == "" {
		goCmd = "go"
	}
	cmd := exec.CommandContext(ctx, goCmd, "build", "-trimpath", "-buildvcs=false", "-ldflags="+opts.ldflags(), "-o", bin, "./cmd/dockdojo")
	cmd.Dir = opts.Source
	// GOFLAGS is set so that the user's own (say -race or -tags) cannot
	// change what is released.
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+t.OS, "GOARCH="+t.Arch, "GOFLAGS=-mod=readonly")
	if out, err := cmd.CombinedOutput(); err != nil {
		return Checksum{}, fmt.Errorf("build %s: %v\n%s", t, err, out)
	}
	if err := checkBinary(bin, t); err != nil {
		return Checksum{}, fmt.Errorf("build %s: %w", t, err)
	}
	name := ArchiveName(opts.Version, t)
	files := []archiveFile{
		{Name: t.Binary(), Path: bin, Mode: 0o755},
		{Name: "README.md", Path: filepath.Join(opts.Source, "README.md"), Mode: 0o644},
	}
	sum, size, err := writeArchive(filepath.Join(opts.Dir, name), t, files, opts.Date)
	if err != nil {
		return Checksum{}, fmt.Errorf("pack %s: %w", t, err)
	}
	if opts.Log != nil {
		fmt.Fprintf(opts.Log, "%-14s built in %s: %s (%.1f MB)\n", t, time.Since(start).Round(time.Second), name, float64(size)/1e6)
	}
	return Checksum{SHA256: sum, Name: name}, nil
}

// archiveFile is a file to put into an archive.
type archiveFile struct {
	Name string // in the archive
	Path string // on disk
	Mode os.FileMode
}

// writeArchive writes the target's archive (zip for Windows, tar.gz
// otherwise) at path and returns its SHA-256 and size. Owners, times and
// compression headers are fixed so that the same files give the same bytes.
func writeArchive(path string, t Target, files []archiveFile, date time.Time) (string, int64, error) {
	out, err := os.Create(path)
	if err != nil {
		return "", 0, err
	}
	defer out.Close()
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(out, h)}
	date = date.UTC().Truncate(time.Second)
	if t.ext() == ".zip" {
		err = writeZip(cw, files, date)
	} else {
		err = writeTarGz(cw, files, date)
	}
	if err == nil {
		err = out.Close()
	}
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), cw.n, nil
}

func writeTarGz(w io.Writer, files []archiveFile, date time.Time) error {
	gz, err := gzip.NewWriterLevel(w, gzip.BestCompression) // no name, no time in its header
	if err != nil {
		return err
	}
	tw := tar.NewWriter(gz)
	for _, f := range files {
		data, err := os.ReadFile(f.Path)
		if err != nil {
			return err
		}
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: f.Name, Mode: int64(f.Mode), Size: int64(len(data)), ModTime: date, Format: tar.FormatUSTAR}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func writeZip(w io.Writer, files []archiveFile, date time.Time) error {
	zw := zip.NewWriter(w)
	for _, f := range files {
		data, err := os.ReadFile(f.Path)
		if err != nil {
			return err
		}
		hdr := &zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: date}
		hdr.SetMode(f.Mode)
		fw, err := zw.CreateHeader(hdr)
		if err != nil {
			return err
		}
		if _, err := fw.Write(data); err != nil {
			return err
		}
	}
	return zw.Close()
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// lcCodeSignature is the Mach-O load command of a code signature.
const lcCodeSignature = 0x1d

// checkBinary checks that the file at path is an executable for t: the
// processor, a static binary on Linux (it must run on any distribution), and
// the code signature macOS requires on Apple Silicon (Go's linker makes an
// ad-hoc one; without it the binary is killed at start).
func checkBinary(path string, t Target) error {
	wrong := func(found any) error {
		return fmt.Errorf("%s is not a %s executable (found %v)", filepath.Base(path), t, found)
	}
	switch t.OS {
	case "linux":
		f, err := elf.Open(path)
		if err != nil {
			return wrong(err)
		}
		defer f.Close()
		want := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[t.Arch]
		if f.Machine != want {
			return wrong(f.Machine)
		}
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				return errors.New("the linux binary is dynamically linked; it must be static (CGO_ENABLED=0)")
			}
		}
	case "darwin":
		f, err := macho.Open(path)
		if err != nil {
			return wrong(err)
		}
		defer f.Close()
		want := map[string]macho.Cpu{"amd64": macho.CpuAmd64, "arm64": macho.CpuArm64}[t.Arch]
		if f.Cpu != want {
			return wrong(f.Cpu)
		}
		if t.Arch == "arm64" && !hasLoadCommand(f, lcCodeSignature) {
			return errors.New("the darwin/arm64 binary has no code signature; macOS would kill it at start")
		}
	case "windows":
		f, err := pe.Open(path)
		if err != nil {
			return wrong(err)
		}
		defer f.Close()
		want := map[string]uint16{"amd64": pe.IMAGE_FILE_MACHINE_AMD64, "arm64": pe.IMAGE_FILE_MACHINE_ARM64}[t.Arch]
		if f.Machine != want {
			return wrong(fmt.Sprintf("machine %#x", f.Machine))
		}
	default:
		return fmt.Errorf("no check for %s binaries", t.OS)
	}
	return nil
}

func hasLoadCommand(f *macho.File, cmd uint32) bool {
	for _, l := range f.Loads {
		raw := l.Raw()
		if len(raw) >= 4 && binary.LittleEndian.Uint32(raw) == cmd {
			return true
		}
	}
	return false
}

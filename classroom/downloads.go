package classroom

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/dockdojo/dockdojo/release"
)

// Downloads are what a classroom hands out besides the dashboard, so that a
// room installs without the internet: dockdojo's release set (an archive
// per platform, SHA256SUMS, the install scripts) and image bundles made by
// `dockdojo prepare --save`. They are served to anyone who reaches the
// server, under /download/NAME, with a page at / and the install scripts at
// /install.sh and /install.ps1, which fetch from this server.
type Downloads struct {
	Release *release.Set // nil: no binaries
	Bundles []Bundle
}

// A Bundle is an image bundle offered for download.
type Bundle struct {
	Name   string // its file name, and its address under /download/
	Path   string
	Size   int64
	SHA256 string
}

// downloadStall is how long a download may go without moving before the
// server drops it. It replaces the server's WriteTimeout for downloads: a
// laptop at the back of a crowded room may take many minutes over an
// archive, and must not be cut off half way.
const downloadStall = time.Minute

// OpenDownloads checks the release set in releaseDir (none when empty) and
// reads the bundles' sizes and checksums.
func OpenDownloads(releaseDir string, bundles []string) (*Downloads, error) {
	d := &Downloads{}
	names := map[string]bool{}
	if releaseDir != "" {
		set, err := release.Open(releaseDir)
		if err != nil {
			return nil, err
		}
		d.Release = set
		for _, n := range d.releaseFiles() {
			names[n] = true
		}
	}
	for _, path := range bundles {
		b := Bundle{Name: filepath.Base(path), Path: path}
		if names[b.Name] {
			return nil, fmt.Errorf("two files to hand out are named %s; rename the bundle", b.Name)
		}
		names[b.Name] = true
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("image bundle: %w; make one with `dockdojo prepare --save FILE`", err)
		}
		h := sha256.New()
		isBundle, err := savedImages(io.TeeReader(f, h))
		if err == nil {
			_, err = io.Copy(h, f) // what follows the tar's last entry
		}
		var st os.FileInfo
		if err == nil {
			st, err = f.Stat()
		}
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("read image bundle %s: %w", path, err)
		}
		if !isBundle {
			return nil, fmt.Errorf("%s is not an image bundle (a `docker save` archive with its manifest.json); make one with `dockdojo prepare --save FILE`", path)
		}
		b.Size, b.SHA256 = st.Size(), hex.EncodeToString(h.Sum(nil))
		d.Bundles = append(d.Bundles, b)
	}
	return d, nil
}

// releaseFiles are the names of the release set's files.
func (d *Downloads) releaseFiles() []string {
	if d.Release == nil {
		return nil
	}
	names := append([]string{release.ChecksumFile}, release.Scripts()...)
	for _, a := range d.Release.Archives {
		names = append(names, a.Name)
	}
	return names
}

// path is the file on disk served as name, if any.
func (d *Downloads) path(name string) (string, bool) {
	for _, n := range d.releaseFiles() {
		if n == name {
			return filepath.Join(d.Release.Dir, n), true
		}
	}
	for _, b := range d.Bundles {
		if b.Name == name {
			return b.Path, true
		}
	}
	return "", false
}

// WriteInstructions tells the instructor what learners type to install
// dockdojo and load the images from the classroom at each of bases
// (http://HOST:PORT).
func (d *Downloads) WriteInstructions(w io.Writer, bases []string) {
	if d.Release != nil {
		fmt.Fprintf(w, "\nLearners install dockdojo %s from here, without the internet:\n", d.Release.Version)
		for _, b := range bases {
			fmt.Fprintf(w, "  curl -fsSL %s/install.sh | sh        (Linux, macOS, WSL)\n", b)
			fmt.Fprintf(w, "  irm %s/install.ps1 | iex            (Windows PowerShell)\n", b)
		}
		if missing := d.Release.Missing(); len(missing) > 0 {
			var m []string
			for _, t := range missing {
				m = append(m, t.String())
			}
			fmt.Fprintf(w, "  (no archive for %s in %s)\n", strings.Join(m, ", "), d.Release.Dir)
		}
	}
	for _, bundle := range d.Bundles {
		fmt.Fprintln(w, "\nThe images, in a bundle:")
		for _, b := range bases {
			fmt.Fprintf(w, "  curl -fO %s/download/%s && dockdojo prepare --load %s\n", b, bundle.Name, bundle.Name)
		}
	}
	for _, b := range bases {
		fmt.Fprintf(w, "All of it on one page: %s/\n", b)
	}
}

// downloadRoutes adds the downloads' routes to mux.
func (s *Server) downloadRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /install.sh", s.handleInstallScript)
	mux.HandleFunc("GET /install.ps1", s.handleInstallScript)
	mux.HandleFunc("GET /download/{name}", s.handleDownload)
	mux.HandleFunc("GET /page.css", func(w http.ResponseWriter, r *http.Request) {
		data, _ := web.ReadFile("web/page.css")
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		_, _ = w.Write(data)
	})
}

// hostRE is what a Host header may hold to be written into a script: a
// name or address and a port, nothing a shell would read as code.
var hostRE = regexp.MustCompile(`^[A-Za-z0-9.\-]+(:[0-9]+)?$|^\[[0-9A-Fa-f:.]+\](:[0-9]+)?$`)

// baseURL is the address the learner reached this server by.
func baseURL(r *http.Request) (string, bool) {
	return "http://" + r.Host, hostRE.MatchString(r.Host)
}

// handleInstallScript serves install.sh or install.ps1 of the release set
// with a first line that points it at this server: the learner's one-liner
// needs no option.
func (s *Server) handleInstallScript(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	if s.downloads == nil || s.downloads.Release == nil {
		http.Error(w, "This classroom hands out no dockdojo binaries; ask the instructor how to install dockdojo.", http.StatusNotFound)
		return
	}
	base, ok := baseURL(r)
	if !ok {
		http.Error(w, "bad Host header", http.StatusBadRequest)
		return
	}
	script, err := os.ReadFile(filepath.Join(s.downloads.Release.Dir, name))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var prelude string
	if name == "install.sh" {
		prelude = fmt.Sprintf("#!/bin/sh\n# Served by the dockdojo classroom at %[1]s: dockdojo comes from there.\nDOCKDOJO_BASE_URL='%[1]s/download'\nexport DOCKDOJO_BASE_URL\nunset DOCKDOJO_VERSION\n", base)
	} else {
		prelude = fmt.Sprintf("# Served by the dockdojo classroom at %[1]s: dockdojo comes from there.\n$env:DOCKDOJO_BASE_URL = '%[1]s/download'\n$env:DOCKDOJO_VERSION = $null\n", base)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, prelude)
	_, _ = w.Write(script)
}

func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	var path string
	ok := s.downloads != nil
	if ok {
		path, ok = s.downloads.path(r.PathValue("name"))
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	if r.PathValue("name") == release.ChecksumFile {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	}
	// ServeContent answers Range requests too: `curl -C -` resumes.
	http.ServeContent(movingWriter{w, http.NewResponseController(w)}, r, fi.Name(), fi.ModTime(), f)
}

// movingWriter gives each write of a download a deadline of its own (see
// downloadStall).
type movingWriter struct {
	http.ResponseWriter
	rc *http.ResponseController
}

func (m movingWriter) Write(p []byte) (int, error) {
	_ = m.rc.SetWriteDeadline(time.Now().Add(downloadStall))
	return m.ResponseWriter.Write(p)
}

var pageTemplate = template.Must(template.ParseFS(web, "web/downloads.html"))

// pageData is what the downloads page shows.
type pageData struct {
	Base    string
	Release *release.Set
	Rows    []pageRow // archives
	Bundles []pageRow
	// Install, Images and Join are the numbers ("2. ") of the page's
	// steps, counted over those it has: install dockdojo (with Release),
	// load the images (with Bundles), join the classroom.
	Install, Images, Join string
}

type pageRow struct {
	Platform, Name, SHA256, MB string
}

func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

// handleDownloadsPage serves the page learners open at the classroom's
// address: how to install dockdojo, load the images and join.
func (s *Server) handleDownloadsPage(w http.ResponseWriter, r *http.Request) {
	base, ok := baseURL(r)
	if !ok {
		http.Error(w, "bad Host header", http.StatusBadRequest)
		return
	}
	data := pageData{Base: base, Release: s.downloads.Release}
	if set := s.downloads.Release; set != nil {
		for _, a := range set.Archives {
			data.Rows = append(data.Rows, pageRow{Platform: a.Target.String(), Name: a.Name, SHA256: a.SHA256, MB: megabytes(a.Size)})
		}
	}
	for _, b := range s.downloads.Bundles {
		data.Bundles = append(data.Bundles, pageRow{Name: b.Name, SHA256: b.SHA256, MB: megabytes(b.Size)})
	}
	var steps []*string
	if data.Release != nil {
		steps = append(steps, &data.Install)
	}
	if len(data.Bundles) > 0 {
		steps = append(steps, &data.Images)
	}
	for i, step := range append(steps, &data.Join) {
		*step = strconv.Itoa(i+1) + ". "
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := pageTemplate.Execute(w, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// savedImages reads r to its end and reports whether it is a tar archive
// as `docker save` writes it: one with a manifest.json at its top. A file
// that is not a tar at all is not one.
func savedImages(r io.Reader) (bool, error) {
	tr := tar.NewReader(r)
	found := false
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return found, nil
		}
		if err != nil {
			// Not a tar: read the rest for the checksum's sake, and say no.
			_, err = io.Copy(io.Discard, r)
			return false, err
		}
		if hdr.Name == "manifest.json" {
			found = true
		}
	}
}

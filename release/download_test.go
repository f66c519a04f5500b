package release_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockdojo/dockdojo/release"
	"github.com/dockdojo/dockdojo/release/releasetest"
)

func TestDownload(t *testing.T) {
	set := releasetest.HostSet(t)
	name := set.Archives[0].Name
	files := http.FileServer(http.Dir(set.Dir))
	damaged := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if damaged && r.URL.Path == "/v/"+name {
			w.Write([]byte("not the archive"))
			return
		}
		http.StripPrefix("/v", files).ServeHTTP(w, r)
	}))
	defer srv.Close()

	dir := filepath.Join(t.TempDir(), "set")
	got, err := release.Download(context.Background(), srv.Client(), srv.URL+"/v/", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != set.Version || len(got.Archives) != 1 || got.Archives[0] != set.Archives[0] {
		t.Errorf("downloaded %+v, want %+v", got, set)
	}
	if _, err := release.Download(context.Background(), srv.Client(), srv.URL+"/v", dir, nil); err == nil || !strings.Contains(err.Error(), "is not empty") {
		t.Errorf("into a full folder: %v", err)
	}

	damaged = true
	dir = filepath.Join(t.TempDir(), "set")
	_, err = release.Download(context.Background(), srv.Client(), srv.URL+"/v", dir, nil)
	if err == nil || !strings.Contains(err.Error(), "download "+srv.URL+"/v/"+name+": its SHA-256 is") {
		t.Errorf("a damaged archive: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 || entries[0].Name() != release.ChecksumFile {
		t.Errorf("after a damaged archive the folder holds %v, want only SHA256SUMS", entries)
	}

	_, err = release.Download(context.Background(), srv.Client(), srv.URL+"/nowhere", filepath.Join(t.TempDir(), "set"), nil)
	if err == nil || !strings.Contains(err.Error(), "download "+srv.URL+"/nowhere/SHA256SUMS: 404 Not Found") {
		t.Errorf("nothing there: %v", err)
	}
}

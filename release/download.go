package release

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// GitHubDownloads is the folder URL of the release of version on GitHub.
func GitHubDownloads(version string) string {
	return "https://github.com/dockdojo/dockdojo/releases/download/" + version
}

// fileTimeout bounds the download of one file of a set.
const fileTimeout = 10 * time.Minute

// Download fetches the release set whose files are at base (a folder URL,
// as GitHubDownloads) into dir, which is created and must be empty: its
// SHA256SUMS, every archive it lists, each checked as it arrives, and the
// install scripts. A file is renamed into place only when it is whole and
// matches its checksum.
func Download(ctx context.Context, client *http.Client, base, dir string, log io.Writer) (*Set, error) {
	base = strings.TrimSuffix(base, "/")
	if err := emptyDir(dir); err != nil {
		return nil, err
	}
	sumsPath := filepath.Join(dir, ChecksumFile)
	if _, err := fetch(ctx, client, base+"/"+ChecksumFile, sumsPath, ""); err != nil {
		return nil, err
	}
	f, err := os.Open(sumsPath)
	if err != nil {
		return nil, err
	}
	sums, err := ParseChecksums(f, base+"/"+ChecksumFile)
	f.Close()
	if err != nil {
		return nil, err
	}
	for _, c := range sums {
		n, err := fetch(ctx, client, base+"/"+c.Name, filepath.Join(dir, c.Name), c.SHA256)
		if err != nil {
			return nil, err
		}
		if log != nil {
			fmt.Fprintf(log, "%s (%.1f MB): checksum ok\n", c.Name, float64(n)/1e6)
		}
	}
	for _, s := range Scripts() {
		if _, err := fetch(ctx, client, base+"/"+s, filepath.Join(dir, s), ""); err != nil {
			return nil, err
		}
	}
	return Open(dir)
}

// fetch downloads url to path and returns its size; when sum is not empty
// the file must have that SHA-256.
func fetch(ctx context.Context, client *http.Client, url, path, sum string) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, fileTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("download %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("download %s: %s", url, resp.Status)
	}
	part := path + ".part"
	out, err := os.Create(part)
	if err != nil {
		return 0, err
	}
	defer os.Remove(part)
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), resp.Body)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("download %s: %w", url, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); sum != "" && got != sum {
		return 0, fmt.Errorf("download %s: its SHA-256 is %s, where %s says %s; nothing was kept: try again", url, got, ChecksumFile, sum)
	}
	return n, os.Rename(part, path)
}

package preparecmd

import (
	"context"
	"fmt"
	"net/http"

	"github.com/dockdojo/dockdojo/buildinfo"
	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/release"
)

// runBinaries downloads a release set (by default this dockdojo's
// own release on GitHub; DOCKDOJO_BASE_URL names another copy) into
// opts.Binaries, for `classroom serve --binaries`.
func runBinaries(ctx context.Context, opts *Options) error {
	f := opts.F
	if len(opts.Lessons) > 0 || len(opts.Images) > 0 || opts.Save != "" || opts.Load != "" || opts.Mirror != "" || opts.JSON {
		return cmdutil.Usagef("--binaries downloads dockdojo's binaries only; run prepare again, without it, for the images")
	}
	base := f.Getenv("DOCKDOJO_BASE_URL")
	if base == "" {
		info := buildinfo.Get()
		if !info.Released() {
			return cmdutil.Usage(fmt.Errorf("this dockdojo (%s) is not a released version, so there is no release of it to download: use a released dockdojo, set DOCKDOJO_BASE_URL to the folder of a release's files (such as %s), or build the set in a clone of dockdojo with `go run ./scripts/release %s`", info.Version, release.GitHubDownloads("v1.2.3"), opts.Binaries))
		}
		base = release.GitHubDownloads(info.Version)
	}
	fmt.Fprintf(f.IOStreams.ErrOut, "Downloading dockdojo for every platform from %s into %s\n", base, opts.Binaries)
	set, err := release.Download(ctx, &http.Client{}, base, opts.Binaries, f.IOStreams.ErrOut)
	if err != nil {
		return err
	}
	fmt.Fprintf(f.IOStreams.Out, "dockdojo %s for %d platforms is in %s. Hand it out in the room with:\n  dockdojo classroom serve --addr 0.0.0.0:7077 --binaries %s\n", set.Version, len(set.Archives), set.Dir, set.Dir)
	return nil
}

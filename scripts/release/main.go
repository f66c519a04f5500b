// Command release builds dockdojo's release set into a folder: an archive of
// the binary for every platform, SHA256SUMS, and the install scripts. Run it
// from a clone of the repository:
//
//	go run ./scripts/release [-version v1.2.3] [-targets linux/amd64,...] DIR
//
// The version, commit and date come from git: the tag at HEAD (v1.2.3), else
// a Go pseudo-version of the commit; "+dirty" is added when tracked files
// have changes. SOURCE_DATE_EPOCH, when set, overrides the date. The same
// commit, Go version and options give the same bytes.
//
// Publishing is left to a person: upload every file of DIR to the GitHub
// release of the tag.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/dockdojo/dockdojo/release"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("release", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: go run ./scripts/release [flags] DIR")
		fs.PrintDefaults()
	}
	version := fs.String("version", "", "version to stamp (default: from git)")
	commit := fs.String("commit", "", "commit to stamp (default: git's HEAD)")
	date := fs.String("date", "", "commit date to stamp, RFC 3339 (default: SOURCE_DATE_EPOCH, else HEAD's commit time)")
	targets := fs.String("targets", "", "comma-separated os/arch list (default: every release target)")
	parallel := fs.Int("parallel", 2, "targets built at once")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("give the folder to write the release set into")
	}
	source, err := moduleRoot()
	if err != nil {
		return err
	}
	opts := release.BuildOptions{Source: source, Dir: fs.Arg(0), Parallel: *parallel, Log: os.Stderr}
	if opts.Commit = *commit; opts.Commit == "" {
		if opts.Commit, err = git(source, "rev-parse", "HEAD"); err != nil {
			return err
		}
	}
	if opts.Date, err = commitDate(source, *date); err != nil {
		return err
	}
	if opts.Version = *version; opts.Version == "" {
		if opts.Version, err = gitVersion(source, opts.Commit, opts.Date); err != nil {
			return err
		}
	}
	if *targets != "" {
		for _, s := range strings.Split(*targets, ",") {
			t, err := release.ParseTarget(strings.TrimSpace(s))
			if err != nil {
				return err
			}
			opts.Targets = append(opts.Targets, t)
		}
	}
	start := time.Now()
	fmt.Fprintf(os.Stderr, "building dockdojo %s (commit %s, %s) into %s\n", opts.Version, opts.Commit, opts.Date.UTC().Format(time.RFC3339), opts.Dir)
	set, err := release.Build(ctx, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%d archives, %s and %s in %s, in %s\n", len(set.Archives), release.ChecksumFile, strings.Join(release.Scripts(), ", "), set.Dir, time.Since(start).Round(time.Second))
	return nil
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		return "", errors.New("run this from a clone of dockdojo (no go.mod found)")
	}
	return filepath.Dir(gomod), nil
}

func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			err = fmt.Errorf("%v: %s", err, strings.TrimSpace(string(ee.Stderr)))
		}
		return "", fmt.Errorf("git %s: %w (or pass -version, -commit and -date)", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out)), nil
}

func commitDate(source, flagValue string) (time.Time, error) {
	if flagValue != "" {
		return time.Parse(time.RFC3339, flagValue)
	}
	if epoch := os.Getenv("SOURCE_DATE_EPOCH"); epoch != "" {
		secs, err := strconv.ParseInt(epoch, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a number of seconds", epoch)
		}
		return time.Unix(secs, 0).UTC(), nil
	}
	s, err := git(source, "show", "-s", "--format=%cI", "HEAD")
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339, s)
	return t.UTC(), err
}

// gitVersion is the tag at HEAD, else the Go pseudo-version of the commit
// (what `go install` of that commit would report); "+dirty" when tracked
// files have changes.
func gitVersion(source, commit string, date time.Time) (string, error) {
	v, err := git(source, "describe", "--tags", "--exact-match", "--match", "v[0-9]*", "HEAD")
	if err != nil {
		v = fmt.Sprintf("v0.0.0-%s-%s", date.UTC().Format("20060102150405"), commit[:min(12, len(commit))])
	}
	status, err := git(source, "status", "--porcelain", "--untracked-files=no")
	if err != nil {
		return "", err
	}
	if status != "" {
		fmt.Fprintln(os.Stderr, "release: the work tree has uncommitted changes; the version says +dirty (a release is built from a clean commit)")
		v += "+dirty"
	}
	return v, nil
}

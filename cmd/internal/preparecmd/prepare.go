// Package preparecmd is `dockdojo prepare`: it shows the prepare package's
// pulls as they go and says what became of each image.
package preparecmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/prepare"
	"github.com/dockdojo/dockdojo/sandbox"
)

// Options are the options of `dockdojo prepare`.
type Options struct {
	F        *cmdutil.Factory
	Lessons  []string // lesson ids; none means the whole course
	Images   []string // --image: more images to fetch
	Mirror   string   // --mirror, else DOCKDOJO_MIRROR
	Save     string   // --save FILE
	Load     string   // --load FILE
	Parallel int
	JSON     bool
	Binaries string // --binaries DIR: download the release set instead
}

// NewCmdPrepare returns `dockdojo prepare`.
func NewCmdPrepare(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f}
	cmd := cmdutil.Cmd(&cobra.Command{
		Use:   "prepare [LESSON...]",
		Short: "Fetch every image the course needs, before the day (bundle, mirror)",
		Long: `Fetch every image the course (or the lessons named) needs, so that nothing has
to be pulled during the workshop: the built-in course plus --lessons folders.

Images already present are left alone; the others are pulled, a few at once.
--mirror HOST[:PORT] (or DOCKDOJO_MIRROR) pulls Docker Hub images through a
classroom registry and gives them back their usual names.
--save FILE writes all of them into one bundle for a USB stick (layers that
images share are stored once); --load FILE loads such a bundle on a machine
without network.
--binaries DIR downloads, instead of images, this dockdojo's release for
every platform into DIR, for "dockdojo classroom serve --binaries DIR".`,
		ValidArgsFunction: cmdutil.CompleteLessons(f),
	}, opts, func(args []string) { opts.Lessons = args }, runF, Run)
	cmd.Flags().StringArrayVar(&opts.Images, "image", nil, "also fetch this image (repeatable), e.g. one a lesson only shows in its text")
	cmd.Flags().StringVar(&opts.Mirror, "mirror", "", "pull Docker Hub images through the registry at HOST[:PORT] (also DOCKDOJO_MIRROR)")
	cmd.Flags().StringVar(&opts.Save, "save", "", "after fetching, write every image into the bundle `FILE`")
	cmd.Flags().StringVar(&opts.Load, "load", "", "load the images of the bundle `FILE` (no network needed)")
	cmd.Flags().IntVar(&opts.Parallel, "parallel", prepare.DefaultParallel, "how many images to pull at once")
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	cmd.Flags().StringVar(&opts.Binaries, "binaries", "", "instead of images, download this dockdojo's release for every platform into `DIR`, for classroom serve --binaries")
	cmd.MarkFlagsMutuallyExclusive("load", "save")
	cmd.MarkFlagsMutuallyExclusive("load", "mirror")
	cmd.MarkFlagsMutuallyExclusive("load", "image")
	return cmd
}

// report is prepare's --json.
type report struct {
	Images []prepare.Report `json:"images"`
	Saved  *prepare.Bundle  `json:"saved,omitempty"`
	Loaded *prepare.Bundle  `json:"loaded,omitempty"`
	Mirror string           `json:"mirror,omitempty"`
	Counts map[string]int   `json:"counts"`
}

// Run fetches (or loads) the images and reports on each.
func Run(ctx context.Context, opts *Options) error {
	f := opts.F
	if opts.Binaries != "" {
		return runBinaries(ctx, opts)
	}
	if opts.Parallel < 1 || opts.Parallel > 16 {
		return cmdutil.Usagef("--parallel %d: give a number from 1 to 16", opts.Parallel)
	}
	mirror := opts.Mirror
	if mirror == "" && opts.Load == "" {
		mirror = f.Getenv("DOCKDOJO_MIRROR")
	}
	if mirror != "" {
		if err := sandbox.ValidateMirror(mirror); err != nil {
			return cmdutil.Usage(err)
		}
	}
	c, err := f.Course()
	if err != nil {
		return err
	}
	images, err := prepare.Plan(c, opts.Lessons, opts.Images)
	var unknown *prepare.UnknownLessonError
	if errors.As(err, &unknown) {
		return cmdutil.Usage(cmdutil.LessonHere(err))
	}
	if err != nil {
		return err
	}
	eng, err := f.Engine(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()

	io := f.IOStreams
	say := func(format string, args ...any) {
		if !opts.JSON {
			fmt.Fprintf(io.Out, format, args...)
		}
	}
	rep := report{Mirror: mirror}
	if opts.Load != "" {
		file, size, err := prepare.Open(opts.Load)
		if err != nil {
			return cmdutil.Usage(err)
		}
		defer file.Close()
		say("loading %s (%s)\n", opts.Load, prepare.HumanBytes(size))
		var counter prepare.Counter
		stop := ticker(ctx, opts, "loading", &counter, size)
		rep.Images, rep.Loaded, err = prepare.Load(ctx, eng, file, opts.Load, size, images, &counter)
		stop()
		if err != nil {
			return err
		}
		for _, r := range rep.Images {
			say("%s\n", r.Line())
		}
	} else {
		view := newPullView(opts)
		rep.Images = prepare.Fetch(ctx, eng, images, prepare.FetchOptions{Mirror: mirror, Parallel: opts.Parallel, Observer: view})
		view.close()
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	bad := prepare.Bad(rep.Images)
	if opts.Save != "" && bad == 0 {
		var refs []string
		for _, r := range rep.Images {
			refs = append(refs, r.Image)
		}
		say("saving %d images to %s\n", len(refs), opts.Save)
		var counter prepare.Counter
		stop := ticker(ctx, opts, "saving", &counter, 0)
		rep.Saved, err = prepare.Save(ctx, eng, refs, opts.Save, &counter)
		stop()
		if err != nil {
			return err
		}
	}
	rep.Counts = map[string]int{}
	for _, r := range rep.Images {
		rep.Counts[r.Status]++
	}
	if opts.JSON {
		if err := cmdutil.WriteJSON(io.Out, rep); err != nil {
			return err
		}
	} else {
		printSummary(io.Out, rep)
	}
	switch {
	case bad > 0 && opts.Save != "":
		return fmt.Errorf("%d of %d images are missing, so no bundle was written to %s; fix them and run prepare --save again", bad, len(rep.Images), opts.Save)
	case bad > 0 && opts.Load != "":
		return fmt.Errorf("%d of %d images the course needs are still missing after loading %s", bad, len(rep.Images), opts.Load)
	case bad > 0:
		return fmt.Errorf("%d of %d images could not be fetched", bad, len(rep.Images))
	}
	return nil
}

func ticker(ctx context.Context, opts *Options, label string, counter *prepare.Counter, total int64) func() {
	if opts.JSON {
		return func() {}
	}
	return opts.F.IOStreams.StartTicker(ctx, label, counter.Count, total, prepare.HumanBytes)
}

func printSummary(w io.Writer, rep report) {
	var parts []string
	for _, s := range prepare.Statuses {
		if n := rep.Counts[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	fmt.Fprintf(w, "\n%d images: %s.\n", len(rep.Images), strings.Join(parts, ", "))
	if rep.Saved != nil {
		fmt.Fprintf(w, "Saved them to %s (%s). On each laptop: dockdojo prepare --load %s\n", rep.Saved.File, prepare.HumanBytes(rep.Saved.Bytes), filepath.Base(rep.Saved.File))
	}
}

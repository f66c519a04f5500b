package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
)

// defaultParallelPulls is how many images prepare pulls at once: enough to
// use a classroom's bandwidth, few enough not to starve each other.
const defaultParallelPulls = 3

type prepareOptions struct {
	f        *Factory
	Lessons  []string // lesson ids; none means the whole course
	Images   []string // --image: more images to fetch
	Mirror   string   // --mirror, else DOCKDOJO_MIRROR
	Save     string   // --save FILE
	Load     string   // --load FILE
	Parallel int
	JSON     bool
	Binaries string // --binaries DIR: download the release set instead
}

func newPrepareCmd(f *Factory) *cobra.Command {
	opts := &prepareOptions{f: f}
	cmd := &cobra.Command{
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
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Lessons = args
			return runPrepare(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.Images, "image", nil, "also fetch this image (repeatable), e.g. one a lesson only shows in its text")
	cmd.Flags().StringVar(&opts.Mirror, "mirror", "", "pull Docker Hub images through the registry at HOST[:PORT] (also DOCKDOJO_MIRROR)")
	cmd.Flags().StringVar(&opts.Save, "save", "", "after fetching, write every image into the bundle `FILE`")
	cmd.Flags().StringVar(&opts.Load, "load", "", "load the images of the bundle `FILE` (no network needed)")
	cmd.Flags().IntVar(&opts.Parallel, "parallel", defaultParallelPulls, "how many images to pull at once")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON for scripts")
	cmd.Flags().StringVar(&opts.Binaries, "binaries", "", "instead of images, download this dockdojo's release for every platform into `DIR`, for classroom serve --binaries")
	return cmd
}

// Statuses of an image in prepare's report.
const (
	imagePresent = "present" // was there already
	imagePulled  = "pulled"
	imageLoaded  = "loaded" // came from the bundle
	imageFailed  = "failed" // could not be pulled
	imageMissing = "missing"
)

// imageReport is one image in prepare's report (and its --json).
type imageReport struct {
	Image     string   `json:"image"`
	Status    string   `json:"status"`
	From      string   `json:"from,omitempty"`  // the name it was pulled as, when through a mirror
	Error     string   `json:"error,omitempty"` // why it failed or is missing
	NeededBy  []string `json:"needed_by"`       // exercises, "checks" for the probe image, "--image"
	courseUse bool     // needed by the selected lessons (not just found in a bundle)
}

// bundleReport says what --save wrote or --load read.
type bundleReport struct {
	File   string   `json:"file"`
	Bytes  int64    `json:"bytes"`
	Images []string `json:"images"`
}

// prepareReport is prepare's --json.
type prepareReport struct {
	Images []imageReport  `json:"images"`
	Saved  *bundleReport  `json:"saved,omitempty"`
	Loaded *bundleReport  `json:"loaded,omitempty"`
	Mirror string         `json:"mirror,omitempty"`
	Counts map[string]int `json:"counts"`
}

// courseImage is an image the selected lessons need.
type courseImage struct {
	Ref      string // normalized, e.g. busybox:1.36
	NeededBy []string
	Err      error // the lesson's reference is not valid
}

// courseImages lists the images the lessons named (all, when none) need,
// with the checker's probe image and the extra images asked for, each once,
// sorted by name.
func courseImages(c *lessons.Course, lessonIDs, extra []string) ([]courseImage, error) {
	for _, id := range lessonIDs {
		if c.Lesson(id) == nil {
			return nil, usageError{fmt.Errorf("no lesson %q; `dockdojo list` shows the course", id)}
		}
	}
	selected := func(exKey string) bool {
		lesson, _, _ := strings.Cut(exKey, "/")
		return len(lessonIDs) == 0 || slices.Contains(lessonIDs, lesson)
	}
	byRef := map[string]*courseImage{}
	var out []*courseImage
	add := func(ref string, by ...string) {
		norm, err := sandbox.NormalizeImage(ref)
		if err != nil {
			norm = ref
		}
		ci := byRef[norm]
		if ci == nil {
			ci = &courseImage{Ref: norm, Err: err}
			byRef[norm] = ci
			out = append(out, ci)
		}
		for _, b := range by {
			if !slices.Contains(ci.NeededBy, b) {
				ci.NeededBy = append(ci.NeededBy, b)
			}
		}
	}
	for _, need := range c.Images() {
		var by []string
		for _, k := range need.Exercises {
			if selected(k) {
				by = append(by, k)
			}
		}
		if len(by) > 0 {
			add(need.Ref, by...)
		}
	}
	add(checker.ProbeImage, "checks")
	for _, ref := range extra {
		add(ref, "--image")
	}
	slices.SortFunc(out, func(a, b *courseImage) int { return strings.Compare(a.Ref, b.Ref) })
	list := make([]courseImage, len(out))
	for i, ci := range out {
		list[i] = *ci
	}
	return list, nil
}

func runPrepare(ctx context.Context, opts *prepareOptions) error {
	if opts.Binaries != "" {
		return runPrepareBinaries(ctx, opts)
	}
	switch {
	case opts.Load != "" && opts.Save != "":
		return usageError{errors.New("--load and --save do not go together: save on a machine with network, load on the others")}
	case opts.Load != "" && (opts.Mirror != "" || len(opts.Images) > 0):
		return usageError{errors.New("--load reads the bundle only; leave out --mirror and --image")}
	case opts.Parallel < 1 || opts.Parallel > 16:
		return usageError{fmt.Errorf("--parallel %d: give a number from 1 to 16", opts.Parallel)}
	}
	mirror := opts.Mirror
	if mirror == "" && opts.Load == "" {
		mirror = opts.f.Getenv("DOCKDOJO_MIRROR")
	}
	if mirror != "" {
		if err := sandbox.ValidateMirror(mirror); err != nil {
			return usageError{err}
		}
	}
	c, err := opts.f.Course()
	if err != nil {
		return err
	}
	images, err := courseImages(c, opts.Lessons, opts.Images)
	if err != nil {
		return err
	}
	eng, err := opts.f.Engine(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()

	rep := prepareReport{Mirror: mirror}
	if opts.Load != "" {
		rep, err = loadBundle(ctx, opts, eng, images)
	} else {
		rep.Images = fetchImages(ctx, opts, eng, images, mirror)
	}
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	bad := countBad(rep.Images)
	if opts.Save != "" && bad == 0 {
		var refs []string
		for _, r := range rep.Images {
			refs = append(refs, r.Image)
		}
		saved, err := saveBundle(ctx, opts, eng, refs)
		if err != nil {
			return err
		}
		rep.Saved = saved
	}
	rep.Counts = map[string]int{}
	for _, r := range rep.Images {
		rep.Counts[r.Status]++
	}
	if opts.JSON {
		if err := writeJSON(opts.f.IO.Out, rep); err != nil {
			return err
		}
	} else {
		printPrepareSummary(opts.f.IO.Out, rep)
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

func countBad(images []imageReport) int {
	n := 0
	for _, r := range images {
		if r.courseUse && (r.Status == imageFailed || r.Status == imageMissing) {
			n++
		}
	}
	return n
}

// fetchImages pulls every absent image, opts.Parallel at a time, showing
// progress, and reports on each image in the order given.
func fetchImages(ctx context.Context, opts *prepareOptions, eng *sandbox.Engine, images []courseImage, mirror string) []imageReport {
	reports := make([]imageReport, len(images))
	var todo []int
	for i, ci := range images {
		reports[i] = imageReport{Image: ci.Ref, NeededBy: ci.NeededBy, courseUse: true}
		switch {
		case ci.Err != nil:
			reports[i].Status, reports[i].Error = imageFailed, ci.Err.Error()+"; fix the reference in the lesson (or --image)"
		default:
			_, err := eng.InspectImage(ctx, ci.Ref)
			switch {
			case err == nil:
				reports[i].Status = imagePresent
			case errors.Is(err, sandbox.ErrNotFound):
				todo = append(todo, i)
			default:
				reports[i].Status, reports[i].Error = imageFailed, err.Error()
			}
		}
	}
	view := newPullView(opts)
	for i := range reports {
		if !slices.Contains(todo, i) {
			view.settled(reports[i])
		}
	}
	for _, i := range todo {
		view.queue(images[i].Ref)
	}
	sem := make(chan struct{}, opts.Parallel)
	var wg sync.WaitGroup
	for _, i := range todo {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				reports[i].Status, reports[i].Error = imageFailed, ctx.Err().Error()
				view.finish(reports[i])
				return
			}
			defer func() { <-sem }()
			ref := images[i].Ref
			view.start(ref)
			res, err := eng.Pull(ctx, ref, sandbox.PullOptions{Mirror: mirror, Progress: view.progress})
			if err != nil {
				reports[i].Status, reports[i].Error = imageFailed, err.Error()
			} else {
				reports[i].Status = imagePulled
				if res.From != ref {
					reports[i].From = res.From
				}
			}
			view.finish(reports[i])
		}()
	}
	wg.Wait()
	view.close()
	return reports
}

// reportLine is an image's line in prepare's output.
func reportLine(r imageReport) string {
	line := fmt.Sprintf("%-8s %s", r.Status, r.Image)
	switch {
	case r.From != "":
		line += " (through " + r.From + ")"
	case r.Error != "":
		line += ": " + r.Error
	}
	return line
}

func printPrepareSummary(w io.Writer, rep prepareReport) {
	var parts []string
	for _, s := range []string{imagePresent, imagePulled, imageLoaded, imageFailed, imageMissing} {
		if n := rep.Counts[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	fmt.Fprintf(w, "\n%d images: %s.\n", len(rep.Images), strings.Join(parts, ", "))
	if rep.Saved != nil {
		fmt.Fprintf(w, "Saved them to %s (%s). On each laptop: dockdojo prepare --load %s\n", rep.Saved.File, humanBytes(rep.Saved.Bytes), filepath.Base(rep.Saved.File))
	}
}

// pullView shows pulls as they go: live lines on a terminal, one line per
// event otherwise, nothing with --json.
type pullView struct {
	w     io.Writer
	live  bool // redraw a block of lines in place
	quiet bool
	width int

	mu       sync.Mutex
	refs     []string             // images in the live block, in order
	lines    map[string]string    // each one's current line
	events   map[string]time.Time // when each one was last drawn for progress
	drawn    int                  // lines of the block on screen
	lastDraw time.Time
}

func newPullView(opts *prepareOptions) *pullView {
	streams := opts.f.IO
	return &pullView{
		w:      streams.Out,
		live:   streams.OutTTY && opts.f.Getenv("TERM") != "dumb",
		quiet:  opts.JSON,
		width:  streams.Width(),
		lines:  map[string]string{},
		events: map[string]time.Time{},
	}
}

// settled prints an image that needs no pull.
func (v *pullView) settled(r imageReport) {
	if v.quiet {
		return
	}
	fmt.Fprintln(v.w, reportLine(r))
}

// queue adds an image that will be pulled.
func (v *pullView) queue(ref string) {
	if v.quiet || !v.live {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.refs = append(v.refs, ref)
	v.lines[ref] = fmt.Sprintf("%-8s %s", "waiting", ref)
	v.redraw()
}

func (v *pullView) start(ref string) {
	if v.quiet {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.live {
		fmt.Fprintf(v.w, "%-8s %s\n", "pulling", ref)
		return
	}
	v.lines[ref] = fmt.Sprintf("%-8s %s", "pulling", ref)
	v.redraw()
}

func (v *pullView) progress(ev sandbox.PullEvent) {
	if v.quiet || !v.live {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	line := fmt.Sprintf("%-8s %s  %s", "pulling", ev.Ref, ev.Status)
	if ev.Layers > 0 {
		line += fmt.Sprintf("  %d/%d layers", ev.Done, ev.Layers)
	}
	if ev.Total > 0 {
		line += "  " + progressBar(ev.Current, ev.Total, 12) + " " + humanBytes(ev.Current) + "/" + humanBytes(ev.Total)
	}
	v.lines[ev.Ref] = line
	// Redraw at most ten times a second: a fast pull sends thousands of events.
	if time.Since(v.lastDraw) >= 100*time.Millisecond {
		v.redraw()
	}
}

func (v *pullView) finish(r imageReport) {
	if v.quiet {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.live {
		fmt.Fprintln(v.w, reportLine(r))
		return
	}
	v.lines[r.Image] = reportLine(r)
	v.redraw()
}

// close draws the block one last time, in full: a failure's reason is
// printed again below it, unshortened.
func (v *pullView) close() {
	if v.quiet || !v.live {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.redraw()
	for _, ref := range v.refs {
		if line := v.lines[ref]; strings.HasPrefix(line, imageFailed) && len(line) >= v.width {
			fmt.Fprintln(v.w, line)
		}
	}
}

// redraw rewrites the block of live lines in place.
func (v *pullView) redraw() {
	var b strings.Builder
	if v.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", v.drawn)
	}
	for _, ref := range v.refs {
		line := v.lines[ref]
		if r := []rune(line); v.width > 1 && len(r) >= v.width {
			line = string(r[:v.width-2]) + "…"
		}
		b.WriteString("\r\x1b[2K" + line + "\n")
	}
	v.drawn = len(v.refs)
	v.lastDraw = time.Now()
	_, _ = io.WriteString(v.w, b.String())
}

func progressBar(cur, total int64, width int) string {
	if total <= 0 {
		return ""
	}
	n := int(cur * int64(width) / total)
	n = max(0, min(n, width))
	return "[" + strings.Repeat("=", n) + strings.Repeat(" ", width-n) + "]"
}

// humanBytes writes a size the way docker does: 2.1MB, 75.3MB, 1.2GB.
func humanBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%dB", n)
	}
	f, suffix := float64(n), "kMGTP"
	i := -1
	for f >= unit && i < len(suffix)-1 {
		f /= unit
		i++
	}
	return fmt.Sprintf("%.1f%cB", f, suffix[i])
}

// countingReader counts what passes through it, for progress.
type countingReader struct {
	r  io.Reader
	mu sync.Mutex
	n  int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.mu.Lock()
	c.n += int64(n)
	c.mu.Unlock()
	return n, err
}

func (c *countingReader) count() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// countingWriter counts what passes through it, for progress.
type countingWriter struct {
	w  io.Writer
	mu sync.Mutex
	n  int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.mu.Lock()
	c.n += int64(n)
	c.mu.Unlock()
	return n, err
}

func (c *countingWriter) count() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// ticker shows a byte count on a terminal while work runs, and returns a
// function that stops it.
func ticker(opts *prepareOptions, label string, count func() int64, total int64) func() {
	streams := opts.f.IO
	if opts.JSON || !streams.OutTTY || opts.f.Getenv("TERM") == "dumb" {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	draw := func() {
		s := label + ": " + humanBytes(count())
		if total > 0 {
			s = label + ": " + progressBar(count(), total, 30) + " " + humanBytes(count()) + "/" + humanBytes(total)
		}
		fmt.Fprintf(streams.Out, "\r\x1b[2K%s", s)
	}
	go func() {
		defer wg.Done()
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				draw()
				fmt.Fprintln(streams.Out)
				return
			case <-t.C:
				draw()
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// saveBundle writes the images into opts.Save, through a temporary file in
// the same folder so that an interrupted save leaves no half bundle under
// the name.
func saveBundle(ctx context.Context, opts *prepareOptions, eng *sandbox.Engine, refs []string) (*bundleReport, error) {
	path := opts.Save
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.partial")
	if err != nil {
		return nil, fmt.Errorf("write bundle %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing left to remove
	cw := &countingWriter{w: tmp}
	if !opts.JSON {
		fmt.Fprintf(opts.f.IO.Out, "saving %d images to %s\n", len(refs), path)
	}
	stop := ticker(opts, "saving", cw.count, 0)
	err = eng.SaveImages(ctx, refs, cw)
	stop()
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("write bundle %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, fmt.Errorf("write bundle %s: %w", path, err)
	}
	return &bundleReport{File: path, Bytes: cw.count(), Images: refs}, nil
}

// loadBundle loads opts.Load and reports, for each image the lessons need,
// whether it came from the bundle, was there already, or is still missing;
// images of the bundle that the lessons do not need are reported as loaded
// too.
func loadBundle(ctx context.Context, opts *prepareOptions, eng *sandbox.Engine, images []courseImage) (prepareReport, error) {
	f, err := os.Open(opts.Load)
	if err != nil {
		return prepareReport{}, usageError{fmt.Errorf("bundle %s: %w; give the file written by `dockdojo prepare --save`", opts.Load, err)}
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	if !opts.JSON {
		fmt.Fprintf(opts.f.IO.Out, "loading %s (%s)\n", opts.Load, humanBytes(size))
	}
	cr := &countingReader{r: f}
	stop := ticker(opts, "loading", cr.count, size)
	loaded, err := eng.LoadImages(ctx, cr)
	stop()
	if err != nil {
		return prepareReport{}, fmt.Errorf("bundle %s: %w", opts.Load, err)
	}
	inBundle := map[string]bool{}
	for _, name := range loaded {
		if norm, err := sandbox.NormalizeImage(name); err == nil {
			name = norm
		}
		inBundle[name] = true
	}
	rep := prepareReport{Loaded: &bundleReport{File: opts.Load, Bytes: size, Images: loaded}}
	for _, ci := range images {
		r := imageReport{Image: ci.Ref, NeededBy: ci.NeededBy, courseUse: true}
		_, err := eng.InspectImage(ctx, ci.Ref)
		switch {
		case err == nil && inBundle[ci.Ref]:
			r.Status = imageLoaded
		case err == nil:
			r.Status = imagePresent
		default:
			r.Status, r.Error = imageMissing, "not in the bundle; fetch it with `dockdojo prepare` where there is network, or ask for a bundle that has it"
		}
		delete(inBundle, ci.Ref)
		rep.Images = append(rep.Images, r)
	}
	for _, name := range loaded {
		norm, err := sandbox.NormalizeImage(name)
		if err != nil {
			norm = name
		}
		if inBundle[norm] {
			rep.Images = append(rep.Images, imageReport{Image: norm, Status: imageLoaded, NeededBy: []string{}})
			delete(inBundle, norm)
		}
	}
	if !opts.JSON {
		for _, r := range rep.Images {
			fmt.Fprintln(opts.f.IO.Out, reportLine(r))
		}
	}
	return rep, nil
}

// Package prepare gets a machine ready for a course before the day: it
// plans which images the course (or some of its lessons) needs, pulls the
// missing ones a few at once (through a classroom mirror when asked), and
// saves them into one bundle or loads such a bundle without network.
//
// It shows nothing itself: an Observer sees the pulls as they go, and a
// byte counter the bundles.
package prepare

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

	"github.com/docker/go-units"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
)

// DefaultParallel is how many images are pulled at once: enough to use a
// classroom's bandwidth, few enough not to starve each other.
const DefaultParallel = 3

// Statuses of an image in a Report.
const (
	Present = "present" // was there already
	Pulled  = "pulled"
	Loaded  = "loaded" // came from the bundle
	Failed  = "failed" // could not be pulled
	Missing = "missing"
)

// Statuses lists the statuses in the order summaries count them.
var Statuses = []string{Present, Pulled, Loaded, Failed, Missing}

// Image is an image the selected lessons need.
type Image struct {
	Ref      string // normalized, e.g. busybox:1.36
	NeededBy []string
	Err      error // the lesson's reference is not valid
}

// UnknownLessonError is a lesson id that is not in the course.
type UnknownLessonError struct {
	ID  string
	err error // says so, with the nearest id
}

func (e *UnknownLessonError) Error() string {
	switch {
	case e == nil:
		return "no such lesson; `dockdojo list` shows the course"
	case e.err == nil:
		return fmt.Sprintf("no lesson %q; `dockdojo list` shows the course", e.ID)
	}
	return e.err.Error()
}

// Unwrap is the course's own error, which says the nearest id.
func (e *UnknownLessonError) Unwrap() error { return e.err }

// Plan lists the images the lessons named (all, when none) need, with the
// checker's probe image and the extra images asked for, each once, sorted
// by name.
func Plan(c *lessons.Course, lessonIDs, extra []string) ([]Image, error) {
	for _, id := range lessonIDs {
		if c.Lesson(id) == nil {
			return nil, &UnknownLessonError{ID: id, err: c.UnknownLesson(id)}
		}
	}
	selected := func(exKey string) bool {
		lesson, _, _ := strings.Cut(exKey, "/")
		return len(lessonIDs) == 0 || slices.Contains(lessonIDs, lesson)
	}
	byRef := map[string]*Image{}
	var out []*Image
	add := func(ref string, by ...string) {
		norm, err := sandbox.NormalizeImage(ref)
		if err != nil {
			norm = ref
		}
		im := byRef[norm]
		if im == nil {
			im = &Image{Ref: norm, Err: err}
			byRef[norm] = im
			out = append(out, im)
		}
		for _, b := range by {
			if !slices.Contains(im.NeededBy, b) {
				im.NeededBy = append(im.NeededBy, b)
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
	slices.SortFunc(out, func(a, b *Image) int { return strings.Compare(a.Ref, b.Ref) })
	list := make([]Image, len(out))
	for i, im := range out {
		list[i] = *im
	}
	return list, nil
}

// Report is what became of one image (and its line in --json).
type Report struct {
	Image    string   `json:"image"`
	Status   string   `json:"status"`
	From     string   `json:"from,omitempty"`  // the name it was pulled as, when through a mirror
	Error    string   `json:"error,omitempty"` // why it failed or is missing
	NeededBy []string `json:"needed_by"`       // exercises, "checks" for the probe image, "--image"
	// CourseUse is true for an image the selected lessons need, false for
	// one that only came in a bundle.
	CourseUse bool `json:"-"`
}

// Line is the image's line in prepare's output.
func (r Report) Line() string {
	line := fmt.Sprintf("%-8s %s", r.Status, r.Image)
	switch {
	case r.From != "":
		line += " (through " + r.From + ")"
	case r.Error != "":
		line += ": " + r.Error
	}
	return line
}

// Bad counts the images the course needs that are not on the machine.
func Bad(reports []Report) int {
	n := 0
	for _, r := range reports {
		if r.CourseUse && (r.Status == Failed || r.Status == Missing) {
			n++
		}
	}
	return n
}

// Observer sees pulls as they go. Its methods are called from several
// goroutines at once.
type Observer interface {
	// Settled is an image that needs no pull, or cannot be pulled.
	Settled(Report)
	// Queued is an image that will be pulled.
	Queued(ref string)
	Started(ref string)
	Progress(sandbox.PullEvent)
	Finished(Report)
}

// FetchOptions say how images are pulled.
type FetchOptions struct {
	Mirror   string // pull Docker Hub images through this registry
	Parallel int    // at most this many at once; DefaultParallel when 0
	Observer Observer
}

// Fetch pulls every absent image, opts.Parallel at a time, and reports on
// each image in the order given.
func Fetch(ctx context.Context, eng *sandbox.Engine, images []Image, opts FetchOptions) []Report {
	if opts.Parallel < 1 {
		opts.Parallel = DefaultParallel
	}
	view := opts.Observer
	reports := make([]Report, len(images))
	var todo []int
	for i, im := range images {
		reports[i] = Report{Image: im.Ref, NeededBy: im.NeededBy, CourseUse: true}
		if im.Err != nil {
			reports[i].Status, reports[i].Error = Failed, im.Err.Error()+"; fix the reference in the lesson (or --image)"
			continue
		}
		_, err := eng.InspectImage(ctx, im.Ref)
		switch {
		case err == nil:
			reports[i].Status = Present
		case errors.Is(err, sandbox.ErrNotFound):
			todo = append(todo, i)
		default:
			reports[i].Status, reports[i].Error = Failed, err.Error()
		}
	}
	for i := range reports {
		if !slices.Contains(todo, i) {
			view.Settled(reports[i])
		}
	}
	for _, i := range todo {
		view.Queued(images[i].Ref)
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
				reports[i].Status, reports[i].Error = Failed, ctx.Err().Error()
				view.Finished(reports[i])
				return
			}
			defer func() { <-sem }()
			ref := images[i].Ref
			view.Started(ref)
			res, err := eng.Pull(ctx, ref, sandbox.PullOptions{Mirror: opts.Mirror, Progress: view.Progress})
			if err != nil {
				reports[i].Status, reports[i].Error = Failed, err.Error()
			} else {
				reports[i].Status = Pulled
				if res.From != ref {
					reports[i].From = res.From
				}
			}
			view.Finished(reports[i])
		}()
	}
	wg.Wait()
	return reports
}

// HumanBytes writes a size the way docker does: 4.19MB, 157MB, 1.2GB.
func HumanBytes(n int64) string { return units.HumanSizeWithPrecision(float64(n), 3) }

// Bundle says what Save wrote or Load read.
type Bundle struct {
	File   string   `json:"file"`
	Bytes  int64    `json:"bytes"`
	Images []string `json:"images"`
}

// Counter counts the bytes written to it (a copy of a stream that passes,
// for progress); its Count may be called while they pass.
type Counter struct {
	mu sync.Mutex
	n  int64
}

// Write counts p; it never fails.
func (c *Counter) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.n += int64(len(p))
	c.mu.Unlock()
	return len(p), nil
}

// Count is how many bytes have passed so far.
func (c *Counter) Count() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// BundleMode is the permission of a bundle file: readable by everyone, so
// that it can be handed out from a shared folder or a USB stick.
const BundleMode = 0o644

// Save writes the images into the bundle at path, through a temporary file
// in the same folder so that an interrupted save leaves no half bundle
// under the name. counter, when not nil, counts the bytes written.
func Save(ctx context.Context, eng *sandbox.Engine, refs []string, path string, counter *Counter) (*Bundle, error) {
	if counter == nil {
		counter = &Counter{}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.partial")
	if err != nil {
		return nil, fmt.Errorf("write bundle %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing left to remove
	err = eng.SaveImages(ctx, refs, io.MultiWriter(tmp, counter))
	if err == nil {
		err = tmp.Chmod(BundleMode)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("write bundle %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, fmt.Errorf("write bundle %s: %w", path, err)
	}
	return &Bundle{File: path, Bytes: counter.Count(), Images: refs}, nil
}

// BundleError is a bundle file that cannot be opened.
type BundleError struct {
	Path string
	Err  error
}

func (e *BundleError) Error() string {
	return fmt.Sprintf("bundle %s: %v; give the file written by `dockdojo prepare --save`", e.Path, e.Err)
}

func (e *BundleError) Unwrap() error { return e.Err }

// Open opens a bundle for Load and says its size.
func Open(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, &BundleError{Path: path, Err: err}
	}
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	return f, size, nil
}

// Load loads the bundle in r (read from path, size bytes long) and
// reports, for each image the lessons need, whether it came from the
// bundle, was there before, or is still missing; images of the bundle that
// the lessons do not need are reported as loaded too. counter, when not
// nil, counts the bytes read.
func Load(ctx context.Context, eng *sandbox.Engine, r io.Reader, path string, size int64, images []Image, counter *Counter) ([]Report, *Bundle, error) {
	if counter == nil {
		counter = &Counter{}
	}
	// What is here before loading is "present", whether the bundle has it
	// or not: the learner is told what the bundle added.
	before := map[string]bool{}
	for _, im := range images {
		if _, err := eng.InspectImage(ctx, im.Ref); err == nil {
			before[im.Ref] = true
		}
	}
	loaded, err := eng.LoadImages(ctx, io.TeeReader(r, counter))
	if err != nil {
		return nil, nil, fmt.Errorf("bundle %s: %w", path, err)
	}
	inBundle := map[string]bool{}
	for _, name := range loaded {
		inBundle[normalize(name)] = true
	}
	var reports []Report
	for _, im := range images {
		rep := Report{Image: im.Ref, NeededBy: im.NeededBy, CourseUse: true}
		_, err := eng.InspectImage(ctx, im.Ref)
		switch {
		case err == nil && before[im.Ref]:
			rep.Status = Present
		case err == nil && inBundle[im.Ref]:
			rep.Status = Loaded
		case err == nil:
			rep.Status = Present
		default:
			rep.Status, rep.Error = Missing, "not in the bundle; fetch it with `dockdojo prepare` where there is network, or ask for a bundle that has it"
		}
		delete(inBundle, im.Ref)
		reports = append(reports, rep)
	}
	for _, name := range loaded {
		if norm := normalize(name); inBundle[norm] {
			reports = append(reports, Report{Image: norm, Status: Loaded, NeededBy: []string{}})
			delete(inBundle, norm)
		}
	}
	return reports, &Bundle{File: path, Bytes: size, Images: loaded}, nil
}

func normalize(ref string) string {
	if norm, err := sandbox.NormalizeImage(ref); err == nil {
		return norm
	}
	return ref
}

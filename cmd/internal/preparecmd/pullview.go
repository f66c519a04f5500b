package preparecmd

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/prepare"
	"github.com/dockdojo/dockdojo/sandbox"
)

// pullView shows pulls as they go: live lines on a terminal, one line per
// event otherwise, nothing with --json.
type pullView struct {
	w     io.Writer
	block *iostreams.Block
	quiet bool

	mu       sync.Mutex
	refs     []string          // images in the live block, in order
	lines    map[string]string // each one's current line
	lastDraw time.Time
}

var _ prepare.Observer = (*pullView)(nil)

func newPullView(opts *Options) *pullView {
	io := opts.F.IOStreams
	return &pullView{w: io.Out, block: io.NewBlock(), quiet: opts.JSON, lines: map[string]string{}}
}

// Settled prints an image that needs no pull.
func (v *pullView) Settled(r prepare.Report) {
	if v.quiet {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.block.Forget() // the line goes above the live block
	fmt.Fprintln(v.w, r.Line())
	v.redraw()
}

// Queued adds an image that will be pulled.
func (v *pullView) Queued(ref string) {
	if v.quiet || !v.block.Live() {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.refs = append(v.refs, ref)
	v.lines[ref] = fmt.Sprintf("%-8s %s", "waiting", ref)
	v.redraw()
}

func (v *pullView) Started(ref string) {
	if v.quiet {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.block.Live() {
		fmt.Fprintf(v.w, "%-8s %s\n", "pulling", ref)
		return
	}
	v.lines[ref] = fmt.Sprintf("%-8s %s", "pulling", ref)
	v.redraw()
}

func (v *pullView) Progress(ev sandbox.PullEvent) {
	if v.quiet || !v.block.Live() {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	line := fmt.Sprintf("%-8s %s  %s", "pulling", ev.Ref, ev.Status)
	if ev.Layers > 0 {
		line += fmt.Sprintf("  %d/%d layers", ev.Done, ev.Layers)
	}
	if ev.Total > 0 {
		line += "  " + iostreams.Bar(ev.Current, ev.Total, 12) + " " + prepare.HumanBytes(ev.Current) + "/" + prepare.HumanBytes(ev.Total)
	}
	v.lines[ev.Ref] = line
	// Redraw at most ten times a second: a fast pull sends thousands of events.
	if time.Since(v.lastDraw) >= 100*time.Millisecond {
		v.redraw()
	}
}

func (v *pullView) Finished(r prepare.Report) {
	if v.quiet {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.block.Live() {
		fmt.Fprintln(v.w, r.Line())
		return
	}
	v.lines[r.Image] = r.Line()
	v.redraw()
}

// close draws the block one last time, in full: a failure's reason is
// printed again below it, unshortened.
func (v *pullView) close() {
	if v.quiet || !v.block.Live() {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.redraw()
	for _, ref := range v.refs {
		if line := v.lines[ref]; strings.HasPrefix(line, prepare.Failed) && len(line) >= v.block.Width() {
			fmt.Fprintln(v.w, line)
		}
	}
}

// redraw rewrites the block of live lines in place; v.mu is held.
func (v *pullView) redraw() {
	if !v.block.Live() || len(v.refs) == 0 {
		return
	}
	var b strings.Builder
	for _, ref := range v.refs {
		b.WriteString(iostreams.Fit(v.lines[ref], v.block.Width()) + "\n")
	}
	v.lastDraw = time.Now()
	v.block.Draw(b.String())
}

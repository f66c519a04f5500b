package exercisecmd

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/session"
)

// WatchOptions are the options of `dockdojo watch`.
type WatchOptions struct {
	Target
	Poll time.Duration
}

// NewCmdWatch returns `dockdojo watch`.
func NewCmdWatch(f *cmdutil.Factory, runF func(context.Context, *WatchOptions) error) *cobra.Command {
	opts := &WatchOptions{Target: Target{F: f}}
	cmd := command(&opts.Target, "watch", "Re-check an exercise live, on Docker events and workspace changes", opts, runF, RunWatch)
	cmd.Long = `Watch an exercise (by default the one you started last) and re-run its checks
whenever something changes: a container starts, stops, dies or is removed, a
network gains or loses a container, a volume or image appears or goes, a file
in the exercise's workspace folder changes. It also re-checks every --poll, for
what no event reports (a file written inside a container).

It shows which checks pass now and the first thing still missing. When they
all pass it records the exercise as done and, on a terminal, offers the next
exercise not done (after the last one, the first not done before it, or
else the quizzes not answered right yet);
otherwise it exits 0. Ctrl-C stops watching (exit 130); nothing you
made is touched.`
	cmd.Flags().DurationVar(&opts.Poll, "poll", 5*time.Second, "also re-check this often (1s or more), for changes no event reports (0: only on events)")
	return cmd
}

// RunWatch watches the exercise until it passes and, on a terminal, offers
// to start and watch the next one.
func RunWatch(ctx context.Context, opts *WatchOptions) error {
	f := opts.F
	if err := checkPoll(opts.Poll); err != nil {
		return err
	}
	s, ex, err := opts.resolve("watch")
	if err != nil {
		return err
	}
	for {
		if err := WatchExercise(ctx, f, s, ex, opts.Poll, false); err != nil {
			return err
		}
		o, err := s.Overview()
		if err != nil {
			return err
		}
		next := o.NextExercise(ex)
		p := f.Prompter()
		if p == nil {
			return nil
		}
		offer := "Start the next exercise, %s (%s), and watch it?"
		if next == nil {
			// The last of the course, with some before it not done: go
			// back to the first of those rather than call the course done.
			if next = o.NextExercise(nil); next != nil {
				fmt.Fprintf(f.IOStreams.Out, "That was the last exercise of the course, but %s not done yet.\n", exercisesLeft(o))
				offer = "Start the first one not done, %s (%s), and watch it?"
			}
		}
		if next == nil {
			if left, how := quizzesLeft(f, o); left != "" {
				fmt.Fprintf(f.IOStreams.Out, "That was the last exercise of the course; %s.\n%s\n", left, how)
				return nil
			}
			fmt.Fprintln(f.IOStreams.Out, "That was the last exercise of the course.")
			return nil
		}
		ok, err := p.Confirm(fmt.Sprintf(offer, next.Key(), next.Title), true)
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintf(f.IOStreams.Out, "Next time: `%s`.\n", cmdutil.Global(f)("start", next.Key()))
			return nil
		}
		if err := RunStart(ctx, &StartOptions{Target: Target{F: f, Args: []string{next.Key()}}}); err != nil {
			return err
		}
		ex = next
	}
}

// MinPoll is the shortest --poll: each re-check asks the engine, and a
// shorter one keeps a core busy for changes a learner makes by hand.
const MinPoll = time.Second

// checkPoll refuses a --poll that is below zero or below MinPoll (0 turns
// the polling off).
func checkPoll(poll time.Duration) error {
	switch {
	case poll < 0:
		return cmdutil.Usagef("--poll %s: give how often to re-check, e.g. 5s, or 0 to re-check only on events", poll)
	case poll > 0 && poll < MinPoll:
		return cmdutil.Usagef("--poll %s: re-checking more often than every %s only keeps the engine busy; give %s or more, or 0 to re-check only on events", poll, MinPoll, MinPoll)
	}
	return nil
}

// WatchExercise watches ex until its checks all pass, showing each verdict;
// the session records the pass. Unless the learner is reading the lesson
// (the guided flow goes on with it), a pass shows the text after the
// exercise.
func WatchExercise(ctx context.Context, f *cmdutil.Factory, s *session.Session, ex *lessons.Exercise, poll time.Duration, reading bool) error {
	ws := s.Workspace(ex)
	d := newWatchDisplay(f.IOStreams, ex)
	d.say = func(s string) string { return cmdutil.Say(f, s) }
	_, err := s.Watch(ctx, ex, session.WatchOptions{
		Poll: poll,
		Show: d.show,
		Ready: func(watchingFiles bool) {
			where := "Docker events"
			if watchingFiles {
				where += " and changes in " + ws
			}
			fmt.Fprintf(f.IOStreams.Out, "Watching %s: re-checking on %s. Ctrl-C stops.\n", ex.Key(), where)
		},
	})
	unsaved, err := notRecorded(err)
	if err != nil {
		return err
	}
	d.celebrate(unsaved == nil)
	if !reading {
		showFollowUp(f, ex)
	}
	warnNotRecorded(f, unsaved)
	return nil
}

// watchDisplay shows verdicts: on a terminal, a block of lines redrawn in
// place; otherwise a plain line each time the verdict changes.
type watchDisplay struct {
	io    *iostreams.Streams
	ex    *lessons.Exercise
	block *iostreams.Block
	last  string // the last verdict shown, for plain output
	say   func(string) string
}

func newWatchDisplay(io *iostreams.Streams, ex *lessons.Exercise) *watchDisplay {
	return &watchDisplay{io: io, ex: ex, block: io.NewBlock(), say: func(s string) string { return s }}
}

func (d *watchDisplay) show(v session.Verdict) {
	n, total := v.Result.NumPassed(), len(v.Result.Outcomes)
	if !d.block.Live() {
		line := fmt.Sprintf("%d/%d checks pass", n, total)
		if ff := v.Result.FirstFailure(); ff != nil {
			line += "; still missing: " + firstLine(d.say(ff.Message))
		}
		if line == d.last {
			return
		}
		d.last = line
		fmt.Fprintf(d.io.Out, "%s %s (after %s)\n", v.At.Format("15:04:05"), line, v.Cause)
		return
	}
	d.block.Draw(d.io.Wrap(d.say(verdictText(d.io.ColorScheme(), d.ex, v)), 4))
}

// verdictText is the block watch shows on a terminal.
func verdictText(cs iostreams.ColorScheme, ex *lessons.Exercise, v session.Verdict) string {
	n, total := v.Result.NumPassed(), len(v.Result.Outcomes)
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", ex.Key(), ex.Goal)
	for _, o := range v.Result.Outcomes {
		mark := cs.SuccessMark()
		if !o.Passed {
			mark = cs.FailureMark()
		}
		fmt.Fprintf(&b, "  %s %s\n", mark, o.Title)
	}
	if ff := v.Result.FirstFailure(); ff != nil {
		fmt.Fprintf(&b, "%d of %d checks pass. Still missing:\n", n, total)
		for _, l := range strings.Split(ff.Message, "\n") {
			fmt.Fprintf(&b, "  %s\n", l)
		}
	} else {
		fmt.Fprintln(&b, allPass(total))
	}
	fmt.Fprintf(&b, "Checked at %s, after %s.\n", v.At.Format("15:04:05"), v.Cause)
	return b.String()
}

// allPass says that every one of total checks passes.
func allPass(total int) string {
	switch total {
	case 1:
		return "The check passes."
	case 2:
		return "Both checks pass."
	}
	return fmt.Sprintf("All %d checks pass.", total)
}

func (d *watchDisplay) celebrate(recorded bool) {
	msg := fmt.Sprintf("Well done: %s is complete! Recorded in your progress.", d.ex.Key())
	if !recorded {
		msg = fmt.Sprintf("Well done: %s is complete!", d.ex.Key())
	}
	cs := d.io.ColorScheme()
	if cs.Enabled() {
		msg = cs.SuccessBold("★ " + msg)
	}
	fmt.Fprintln(d.io.Out, msg)
}

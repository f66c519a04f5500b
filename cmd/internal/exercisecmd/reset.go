package exercisecmd

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/session"
)

// ResetOptions are the options of `dockdojo reset`.
type ResetOptions struct {
	Target
	Yes            bool
	ResetWorkspace bool
}

// NewCmdReset returns `dockdojo reset`.
func NewCmdReset(f *cmdutil.Factory, runF func(context.Context, *ResetOptions) error) *cobra.Command {
	opts := &ResetOptions{Target: Target{F: f}}
	cmd := command(&opts.Target, "reset", "Remove an exercise's sandbox and, after asking, what you made under its names", opts, runF, RunReset)
	cmd.Long = `Remove everything dockdojo made for an exercise. Objects the exercise asked
you to create (by exact name, e.g. the container dojo-web) are removed too, but
only after you confirm or pass --yes. Your workspace files are kept, unless
you pass --reset-workspace or say yes when asked (--yes asks nothing): then the
starter files are written back, after the whole folder is copied to
FOLDER.bak-TIMESTAMP.`
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "also remove your objects under the exercise's names, and ask nothing (starter files are restored only with --reset-workspace)")
	cmd.Flags().BoolVar(&opts.ResetWorkspace, "reset-workspace", false, "also restore the workspace's starter files, after copying the folder to FOLDER.bak-TIMESTAMP")
	return cmd
}

// RunReset removes what was made for the exercise, asking about the
// learner's own objects and starter files.
func RunReset(ctx context.Context, opts *ResetOptions) error {
	f := opts.F
	s, ex, err := opts.resolve("reset")
	if err != nil {
		if gone, gerr := resetGone(ctx, f, s, opts.Args); gone {
			return gerr
		}
		return err
	}
	w := f.IOStreams.Out
	asked := false
	// Another dockdojo user's sandbox is theirs: it goes only when the
	// learner says so, knowing whose it is.
	replace := func(other exercise.Found) (bool, error) {
		err := replaceOther(f, ex, &other, opts.Yes, "reset")
		return err == nil, err
	}
	removed, kept, err := s.Reset(ctx, ex, replace, func(objs []exercise.Object) (bool, error) {
		if opts.Yes {
			return true, nil
		}
		p := f.Prompter()
		if p == nil {
			return false, nil
		}
		asked = true
		return p.Confirm("Also remove your "+describeObjects(objs)+"?", false)
	})
	if err != nil {
		// What went before the failure is gone: the learner must not look
		// for it.
		if len(removed) > 0 {
			fmt.Fprintf(w, "Removed %s.\n", strings.Join(removed, ", "))
		}
		return err
	}
	switch {
	case len(removed) == 0 && len(kept) == 0:
		fmt.Fprintf(w, "Nothing to remove for %s.\n", ex.Key())
	case len(removed) > 0:
		fmt.Fprintf(w, "Removed %s.\n", strings.Join(removed, ", "))
	}
	switch {
	case len(kept) > 0 && asked:
		fmt.Fprintf(w, "Kept your %s, as you asked.\n", describeObjects(kept))
	case len(kept) > 0:
		fmt.Fprintf(w, "Kept your %s: not on a terminal, so not asking; pass --yes to remove them.\n", describeObjects(kept))
	}
	return resetWorkspace(f, s.Workspace(ex), ex, opts.ResetWorkspace, opts.Yes)
}

// resetGone resets an exercise the course does not have (any more): a
// learner who started mine/old-id before the lesson renamed it would find
// no way to remove its sandbox but `dockdojo clean`. When dockdojo made
// objects for that LESSON/EXERCISE, they are removed and it reports true;
// otherwise (nothing there, the engine away) the error of the unknown
// exercise stands.
func resetGone(ctx context.Context, f *cmdutil.Factory, s *session.Session, args []string) (bool, error) {
	if s == nil || len(args) != 1 || !strings.Contains(args[0], "/") {
		return false, nil
	}
	if _, err := s.Exercise(args[0]); err == nil {
		return false, nil // not a lookup that failed
	}
	removed, err := s.ResetGone(ctx, args[0])
	if len(removed) == 0 {
		return false, nil
	}
	fmt.Fprintf(f.IOStreams.Out, "%s is no exercise of the course now (its lesson changed, or its folder is not loaded), but dockdojo had made these for it: removed %s.\n", args[0], strings.Join(removed, ", "))
	if err != nil {
		return true, fmt.Errorf("%w; `dockdojo clean` removes everything dockdojo made", err)
	}
	return true, nil
}

func describeObjects(objs []exercise.Object) string {
	parts := make([]string, len(objs))
	for i, o := range objs {
		parts[i] = o.Kind + " " + o.Name
	}
	return strings.Join(parts, ", ")
}

// resetWorkspace ends a reset: when starter files of the exercise were
// changed or removed, it restores them if restore is set
// (--reset-workspace) or the learner says yes on a terminal, copying the
// whole workspace folder to FOLDER.bak-TIMESTAMP first. Otherwise the
// learner's files are kept as they are. With noQuestions (--yes, which a
// script passes so that nothing waits for an answer) it does not ask:
// files are restored only when restore says so.
func resetWorkspace(f *cmdutil.Factory, dir string, ex *lessons.Exercise, restore, noQuestions bool) error {
	w := f.IOStreams.Out
	for _, warn := range exercise.UnfinishedBackups(dir) {
		fmt.Fprintf(f.IOStreams.ErrOut, "warning: %s\n", warn)
	}
	changed, err := exercise.StarterChanged(ex, dir)
	if err != nil {
		return err
	}
	if len(changed) == 0 {
		if len(ex.Workspace) > 0 && restore {
			fmt.Fprintf(w, "The starter files in %s are as they came; nothing to restore.\n", dir)
		}
		keptIn(f, dir)
		return nil
	}
	p := f.Prompter()
	asking := !restore && p != nil && !noQuestions
	if asking {
		fmt.Fprintf(w, "You changed starter files of the exercise: %s. Restoring them copies your folder to %s.bak-TIMESTAMP first.\n", strings.Join(changed, ", "), filepath.Base(dir))
		restore, err = p.Confirm("Also restore the starter files?", false)
		if err != nil {
			return err
		}
	}
	if !restore {
		keptIn(f, dir)
		if !asking {
			fmt.Fprintf(w, "To get the starter files back, pass --reset-workspace (a copy of your folder is kept first).\n")
		}
		return nil
	}
	backup, restored, err := exercise.RestoreStarter(ex, dir, time.Now())
	if backup != "" {
		fmt.Fprintf(w, "Your files were copied to %s.\n", backup)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Restored the starter files in %s: %s.\n", dir, strings.Join(restored, ", "))
	return nil
}

// keptIn says where the learner's files are kept, the folder whole, as a
// command is: a space in it (a HOME such as /Users/Jo Smith) is no place
// to break the line.
func keptIn(f *cmdutil.Factory, dir string) {
	fmt.Fprintln(iostreams.Unwrapped(f.IOStreams.Out), f.IOStreams.WrapCommand("Your workspace files are kept in ", dir+".", 0))
}

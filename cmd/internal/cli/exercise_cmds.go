package cli

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/buildinfo"
	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/classroom"
	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/progress"
	"github.com/dockdojo/dockdojo/sandbox"
)

// exerciseArgs is the single LESSON/EXERCISE argument of the exercise verbs.
var exerciseArgs = cobra.ExactArgs(1)

type startOptions struct {
	f   *Factory
	Key string
}

func newStartCmd(f *Factory) *cobra.Command {
	opts := &startOptions{f: f}
	return &cobra.Command{
		Use:   "start LESSON/EXERCISE",
		Short: "Prepare an exercise: its workspace folder and its sandbox container",
		Args:  exerciseArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Key = args[0]
			return runStart(cmd.Context(), opts)
		},
	}
}

func runStart(ctx context.Context, opts *startOptions) error {
	ex, err := opts.f.Exercise(opts.Key)
	if err != nil {
		return err
	}
	eng, err := opts.f.Engine(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	w := opts.f.IO.Out
	if sb := ex.Sandbox; sb != nil && len(sb.CapAdd) > 0 {
		fmt.Fprintf(w, "This exercise's container is granted, besides the usual nothing:\n")
		for _, c := range sb.CapAdd {
			fmt.Fprintf(w, "  %s: %s\n", c.Name, c.Why)
		}
	}
	out := exercise.Output{W: opts.f.IO.ErrOut, Fd: opts.f.IO.OutFd, IsTerm: opts.f.IO.OutTTY}
	var sp *spinner
	if ex.Sandbox != nil {
		sp = startSpinner(opts.f.IO.ErrOut, fmt.Sprintf("Preparing the sandbox of %s (%s)", ex.Key(), ex.Sandbox.Image))
		out.W = sp.Writer()
	}
	st, err := exercise.Start(ctx, eng, ex, opts.f.Workspace(), out)
	sp.Stop()
	if err != nil {
		return err
	}
	for _, warn := range st.Warnings {
		fmt.Fprintf(opts.f.IO.ErrOut, "warning: %s\n", warn)
	}
	if err := opts.f.UpdateProgress(func(s *progress.State) {
		e := s.Exercise(ex.Key())
		e.Started, e.Run = time.Now().UTC(), st.Run
	}); err != nil {
		return err
	}
	opts.f.Event(classroom.Event{Kind: classroom.KindStarted, Exercise: ex.Key()})
	fmt.Fprintf(w, "Started %s: %s\n", ex.Key(), ex.Title)
	fmt.Fprintf(w, "Goal: %s\n", ex.Goal)
	fmt.Fprintf(w, "Workspace: %s\n", st.Workspace)
	for _, s := range st.Seeded {
		fmt.Fprintf(w, "  seeded %s\n", s)
	}
	if st.Sandbox != "" {
		fmt.Fprintf(w, "Sandbox container: %s\n", st.Sandbox)
	}
	fmt.Fprintln(w)
	if ex.Flavour == lessons.FlavourShell {
		fmt.Fprintf(w, "Open its shell with `dockdojo shell %s`.\n", ex.Key())
	} else {
		fmt.Fprintf(w, "Work in the workspace folder: cd %s\n", st.Workspace)
	}
	fmt.Fprintf(w, "Check your work with `dockdojo check %s`; `dockdojo hint %s` helps.\n", ex.Key(), ex.Key())
	return nil
}

type checkOptions struct {
	f    *Factory
	Key  string
	JSON bool
}

func newCheckCmd(f *Factory) *cobra.Command {
	opts := &checkOptions{f: f}
	cmd := &cobra.Command{
		Use:   "check LESSON/EXERCISE",
		Short: "Check an exercise on the engine (exit 0 when done, 3 when not yet)",
		Args:  exerciseArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Key = args[0]
			return runCheck(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON for scripts")
	return cmd
}

// checkedOutcome is one check in `check --json`.
type checkedOutcome struct {
	Check   string `json:"check"`
	Kind    string `json:"kind"`
	Passed  bool   `json:"passed"`
	Message string `json:"message,omitempty"`
}

func runCheck(ctx context.Context, opts *checkOptions) error {
	ex, err := opts.f.Exercise(opts.Key)
	if err != nil {
		return err
	}
	eng, err := opts.f.Engine(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	res, err := exercise.Check(ctx, eng, ex, opts.f.Workspace())
	if err != nil {
		return err
	}
	if err := opts.f.UpdateProgress(func(s *progress.State) {
		e := s.Exercise(ex.Key())
		e.Checks++
		if res.Passed() && e.Passed.IsZero() {
			e.Passed = time.Now().UTC()
		}
	}); err != nil {
		return err
	}
	opts.f.Event(checkEvent(ex.Key(), res))
	w := opts.f.IO.Out
	if opts.JSON {
		out := struct {
			Exercise string           `json:"exercise"`
			Passed   bool             `json:"passed"`
			Checks   []checkedOutcome `json:"checks"`
		}{Exercise: ex.Key(), Passed: res.Passed()}
		for _, o := range res.Outcomes {
			out.Checks = append(out.Checks, checkedOutcome{o.Title, o.Kind, o.Passed, o.Message})
		}
		if err := writeJSON(w, out); err != nil {
			return err
		}
	} else {
		printResult(opts.f, ex, res)
	}
	if !res.Passed() {
		return errNotDone
	}
	return nil
}

func printResult(f *Factory, ex *lessons.Exercise, res checker.Result) {
	w := f.IO.Out
	ok, bad := "ok  ", "FAIL"
	if f.IO.Color {
		ok, bad = "\x1b[32m✓\x1b[0m", "\x1b[31m✗\x1b[0m"
	}
	for _, o := range res.Outcomes {
		if o.Passed {
			fmt.Fprintf(w, "%s %s\n", ok, o.Title)
			continue
		}
		fmt.Fprintf(w, "%s %s\n", bad, o.Title)
		for _, line := range strings.Split(o.Message, "\n") {
			fmt.Fprintf(w, "     %s\n", line)
		}
	}
	if res.Passed() {
		fmt.Fprintf(w, "\nWell done: %s is complete.\n", ex.Key())
		return
	}
	passed := 0
	for _, o := range res.Outcomes {
		if o.Passed {
			passed++
		}
	}
	fmt.Fprintf(w, "\n%d of %d checks pass. Next: %s\n", passed, len(res.Outcomes), strings.SplitN(res.FirstFailure().Message, "\n", 2)[0])
	fmt.Fprintf(w, "Stuck? `dockdojo hint %s`\n", ex.Key())
}

type hintOptions struct {
	f   *Factory
	Key string
}

func newHintCmd(f *Factory) *cobra.Command {
	opts := &hintOptions{f: f}
	return &cobra.Command{
		Use:   "hint LESSON/EXERCISE",
		Short: "Show the next hint of an exercise (one more each time)",
		Args:  exerciseArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Key = args[0]
			return runHint(opts)
		},
	}
}

func runHint(opts *hintOptions) error {
	ex, err := opts.f.Exercise(opts.Key)
	if err != nil {
		return err
	}
	shown := 0
	if err := opts.f.UpdateProgress(func(s *progress.State) {
		e := s.Exercise(ex.Key())
		if e.Hints < len(ex.Hints) {
			e.Hints++
		}
		shown = e.Hints
	}); err != nil {
		return err
	}
	opts.f.Event(classroom.Event{Kind: classroom.KindHint, Exercise: ex.Key(), Hint: shown})
	w := opts.f.IO.Out
	for i := 0; i < shown; i++ {
		fmt.Fprintf(w, "Hint %d of %d: %s\n", i+1, len(ex.Hints), strings.TrimSpace(ex.Hints[i]))
	}
	if shown == len(ex.Hints) {
		fmt.Fprintf(w, "\nThat was the last hint. `dockdojo solution %s` shows the answer.\n", ex.Key())
	}
	return nil
}

type solutionOptions struct {
	f   *Factory
	Key string
	Yes bool
}

func newSolutionCmd(f *Factory) *cobra.Command {
	opts := &solutionOptions{f: f}
	cmd := &cobra.Command{
		Use:   "solution LESSON/EXERCISE",
		Short: "Show the reference solution of an exercise (after asking)",
		Long:  "Show the reference solution of an exercise. It is only shown, never run: type it yourself.",
		Args:  exerciseArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Key = args[0]
			return runSolution(opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "show it without asking")
	return cmd
}

func runSolution(opts *solutionOptions) error {
	ex, err := opts.f.Exercise(opts.Key)
	if err != nil {
		return err
	}
	if !opts.Yes {
		p := opts.f.Prompter()
		if p == nil {
			return usageError{fmt.Errorf("not on a terminal, so not asking: pass --yes to see the solution of %s", ex.Key())}
		}
		ok, err := p.Confirm("See the solution? Trying with hints teaches more", false)
		if err != nil || !ok {
			return err
		}
	}
	if err := opts.f.UpdateProgress(func(s *progress.State) { s.Exercise(ex.Key()).SolutionSeen = true }); err != nil {
		return err
	}
	opts.f.Event(classroom.Event{Kind: classroom.KindSolution, Exercise: ex.Key()})
	fmt.Fprintf(opts.f.IO.Out, "Solution of %s (type it yourself; dockdojo does not run it):\n\n%s\n", ex.Key(), strings.TrimRight(ex.Solution, "\n"))
	return nil
}

type resetOptions struct {
	f              *Factory
	Key            string
	Yes            bool
	ResetWorkspace bool
}

func newResetCmd(f *Factory) *cobra.Command {
	opts := &resetOptions{f: f}
	cmd := &cobra.Command{
		Use:   "reset LESSON/EXERCISE",
		Short: "Remove an exercise's sandbox and, after asking, what you made under its names",
		Long: `Remove everything dockdojo made for an exercise. Objects the exercise asked
you to create (by exact name, e.g. the container dojo-web) are removed too, but
only after you confirm or pass --yes. Your workspace files are kept, unless
you pass --reset-workspace or say yes when asked: then the starter files are
written back, after the whole folder is copied to FOLDER.bak-TIMESTAMP.`,
		Args: exerciseArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Key = args[0]
			return runReset(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "also remove your objects under the exercise's names without asking")
	cmd.Flags().BoolVar(&opts.ResetWorkspace, "reset-workspace", false, "also restore the workspace's starter files, after copying the folder to FOLDER.bak-TIMESTAMP")
	return cmd
}

func runReset(ctx context.Context, opts *resetOptions) error {
	ex, err := opts.f.Exercise(opts.Key)
	if err != nil {
		return err
	}
	eng, err := opts.f.Engine(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	w := opts.f.IO.Out
	var kept []exercise.Object
	removed, err := exercise.Reset(ctx, eng, ex, func(objs []exercise.Object) (bool, error) {
		if opts.Yes {
			return true, nil
		}
		names := describeObjects(objs)
		p := opts.f.Prompter()
		if p == nil {
			kept = objs
			return false, nil
		}
		return p.Confirm("Also remove your "+names+"?", false)
	})
	if err != nil {
		return err
	}
	if len(removed) == 0 {
		fmt.Fprintf(w, "Nothing to remove for %s.\n", ex.Key())
	} else {
		fmt.Fprintf(w, "Removed %s.\n", strings.Join(removed, ", "))
	}
	if len(kept) > 0 {
		fmt.Fprintf(w, "Kept your %s: not on a terminal, so not asking; pass --yes to remove them.\n", describeObjects(kept))
	}
	return resetWorkspace(opts.f, ex, opts.ResetWorkspace)
}

func describeObjects(objs []exercise.Object) string {
	parts := make([]string, len(objs))
	for i, o := range objs {
		parts[i] = o.Kind + " " + o.Name
	}
	return strings.Join(parts, ", ")
}

type cleanOptions struct {
	f *Factory
}

func newCleanCmd(f *Factory) *cobra.Command {
	opts := &cleanOptions{f: f}
	return &cobra.Command{
		Use:   "clean",
		Short: "Remove every container, network, volume and image dockdojo made (nothing else)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return runClean(cmd.Context(), opts) },
	}
}

func runClean(ctx context.Context, opts *cleanOptions) error {
	eng, err := opts.f.Engine(ctx)
	if err != nil {
		return err
	}
	defer eng.Close()
	r, err := eng.RemoveLabelled(ctx, nil)
	if err != nil {
		return err
	}
	w := opts.f.IO.Out
	n := len(r.Containers) + len(r.Networks) + len(r.Volumes) + len(r.Images)
	if n == 0 {
		fmt.Fprintln(w, "Nothing to clean: no dockdojo containers, networks, volumes or images.")
		return nil
	}
	for _, group := range []struct {
		kind  string
		names []string
	}{{"containers", r.Containers}, {"networks", r.Networks}, {"volumes", r.Volumes}, {"images", r.Images}} {
		if len(group.names) > 0 {
			fmt.Fprintf(w, "Removed %s: %s\n", group.kind, strings.Join(group.names, ", "))
		}
	}
	fmt.Fprintln(w, "Your own containers, networks and volumes were not touched.")
	return nil
}

type versionOptions struct {
	f *Factory
}

func newVersionCmd(f *Factory) *cobra.Command {
	opts := &versionOptions{f: f}
	return &cobra.Command{
		Use:   "version",
		Short: "Print dockdojo's version and the lesson format it reads",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintln(opts.f.IO.Out, versionText())
			return nil
		},
	}
}

// versionText is what `dockdojo version` and `dockdojo --version` print: the
// build (see package buildinfo), the formats this binary reads and writes,
// and its platform, which says which release archive it came from.
func versionText() string {
	return fmt.Sprintf("dockdojo %s\nlesson format %d, progress format %d; %s/%s, %s",
		buildinfo.Get(), lessons.FormatVersion, progress.Version, runtime.GOOS, runtime.GOARCH, runtime.Version())
}

// sandboxOf returns the running sandbox container of an exercise, or an
// error saying how to start it.
func sandboxOf(ctx context.Context, eng *sandbox.Engine, ex *lessons.Exercise) (string, error) {
	if ex.Sandbox == nil {
		return "", usageError{fmt.Errorf("%s has no sandbox container: it is a %s exercise, done in your own terminal", ex.Key(), ex.Flavour)}
	}
	name := exercise.SandboxName(ex)
	ct, err := eng.InspectContainer(ctx, name)
	if err != nil || !ct.Running {
		if err != nil && !isNotFound(err) {
			return "", err
		}
		return "", usageError{fmt.Errorf("the sandbox of %s is not running; start it with `dockdojo start %s`", ex.Key(), ex.Key())}
	}
	return name, nil
}

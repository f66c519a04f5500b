// Package doctorcmd is `dockdojo doctor`: it prints what the doctor
// package found on this machine, one line each with the fix.
package doctorcmd

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/classroom"
	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/doctor"
)

// Options are the options of `dockdojo doctor`.
type Options struct {
	F    *cmdutil.Factory
	JSON bool
}

// NewCmdDoctor returns `dockdojo doctor`.
func NewCmdDoctor(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f}
	cmd := cmdutil.Cmd(&cobra.Command{
		Use:   "doctor",
		Short: "Check that this machine is ready for the course, and say how to fix what is not",
		Long: `Check this machine's Docker setup for the course: which engine is used and how
it was found, its API version, permission on its socket, free disk, CPU
architecture against the images', cgroups, the course's images, the clock,
Windows/WSL notes, and the folders your progress and files are kept in. Each
line says ok, warn or fail, and how to fix it.

Exit code 0 when nothing fails (warnings are fine), 1 when something does.`,
		Args: cmdutil.NoArgs,
	}, opts, nil, runF, Run)
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

// Run diagnoses the machine and prints the report.
func Run(ctx context.Context, opts *Options) error {
	f := opts.F
	rep := Diagnose(ctx, f)
	// A learner in a classroom tells the instructor whether this laptop is
	// ready, so that the dashboard shows who needs help before the day.
	if link := f.Link(); link.Joined() {
		link.Report(classroom.Event{Kind: classroom.KindReadiness, Readiness: Readiness(rep)})
	}
	w := f.IOStreams.Out
	if opts.JSON {
		if err := cmdutil.WriteJSON(w, rep); err != nil {
			return err
		}
	} else {
		printReport(w, rep)
	}
	if rep.Fail > 0 {
		return fmt.Errorf("doctor: %s failed (%s); fix what it says and run dockdojo doctor again", cmdutil.Plural(rep.Fail, "check"), strings.Join(rep.Failed(), ", "))
	}
	return nil
}

func printReport(w io.Writer, rep doctor.Report) {
	said := map[string]string{} // each fix once: later checks point to the first
	for _, c := range rep.Checks {
		line := fmt.Sprintf("%-4s  %-13s %s", c.Status, c.Check, c.Detail)
		switch first, seen := said[c.Fix]; {
		case c.Fix == "":
		case seen:
			line = strings.TrimRight(line, ".") + ". Fix: as for " + first + " above."
		default:
			said[c.Fix] = c.Check
			line = strings.TrimRight(line, ".") + ". Fix: " + c.Fix
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintf(w, "\n%d ok, %s, %d failed", rep.OK, cmdutil.Plural(rep.Warn, "warning"), rep.Fail)
	if rep.Skip > 0 {
		fmt.Fprintf(w, ", %d not checked", rep.Skip)
	}
	fmt.Fprintln(w, ".")
}

// Readiness is what a classroom is told of this laptop: whether the engine
// answers and which version it is, the course's images still missing, the
// checks that failed, and this dockdojo's version.
func Readiness(rep doctor.Report) *classroom.Readiness {
	r := &classroom.Readiness{
		EngineVersion: rep.EngineVersion,
		ImagesMissing: len(rep.MissingImages),
		MissingImages: rep.MissingImages,
		Failed:        rep.Failed(),
		Version:       rep.Version,
	}
	for _, c := range rep.Checks {
		if c.Check == "engine" {
			r.Engine = c.Status == doctor.StatusOK
		}
	}
	return r
}

// Diagnose runs doctor for the course the factory loads, within the
// deadline doctor's own steps keep.
func Diagnose(ctx context.Context, f *cmdutil.Factory) doctor.Report {
	m := doctor.Machine{Getenv: f.Getenv, Home: f.Home, Workspace: f.WorkspaceRoot(), Progress: f.ProgressPath()}
	m.Course, m.CourseErr = f.Course()
	return doctor.Diagnose(ctx, m)
}

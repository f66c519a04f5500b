package classroomcmd

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/classroom"
	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
)

type exportOptions struct {
	F      *cmdutil.Factory
	Data   string
	Events bool
}

func newExportCmd(f *cmdutil.Factory) *cobra.Command {
	opts := &exportOptions{F: f}
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Print the classroom's grid (or every event) as CSV, with or without the server running",
		Args:  cmdutil.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return runExport(opts) },
	}
	cmd.Flags().StringVar(&opts.Data, "data", "", "folder of the classroom's database (default $XDG_STATE_HOME/dockdojo/classroom)")
	cmd.Flags().BoolVar(&opts.Events, "events", false, "every event, one per row, instead of one row per learner and exercise")
	return cmd
}

func runExport(opts *exportOptions) error {
	dir, err := classroomData(opts.F, opts.Data)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dir, "classroom.db")); err != nil {
		return cmdutil.Usage(fmt.Errorf("no classroom data in %s; give the folder `dockdojo classroom serve` used with --data", dir))
	}
	// Export reads beside a server that may be running on the folder, so
	// it does not ask for the server's lock.
	store, err := classroom.ReadStore(dir)
	if err != nil {
		return err
	}
	defer store.Close()
	c, err := opts.F.Course()
	if err != nil {
		return err
	}
	// The course and stuck rule are the ones the classroom was served with,
	// so the export matches the dashboard; this course counts only for data
	// of a dockdojo that did not keep them.
	srv, err := classroom.NewServer(store, classroom.Options{Course: CourseOf(c), Export: true})
	if err != nil {
		return err
	}
	if opts.Events {
		return srv.WriteEventsCSV(iostreams.Unwrapped(opts.F.IOStreams.Out))
	}
	return srv.WriteGridCSV(iostreams.Unwrapped(opts.F.IOStreams.Out))
}

// Package classroomcmd is the command line of the classroom: an
// instructor's serve and export, and a learner's join. The server, its
// store and the learner's link live in the classroom package.
package classroomcmd

import (
	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
)

func NewCmdClassroom(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:                        "classroom",
		Short:                      "For instructors: a dashboard of who is stuck, fed by the learners' dockdojo",
		Args:                       cmdutil.UnknownCommand("instructors run `dockdojo classroom serve` and `dockdojo classroom export`; learners type `dockdojo join URL CODE`"),
		RunE:                       func(cmd *cobra.Command, args []string) error { return cmd.Help() },
		SuggestionsMinimumDistance: 2,
	}
	cmd.AddCommand(newServeCmd(f), newExportCmd(f))
	return cmd
}

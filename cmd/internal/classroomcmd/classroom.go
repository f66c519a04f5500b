// Package classroomcmd is the command line of the classroom: an
// instructor's serve and export, and a learner's join. The server, its
// store and the learner's link live in the classroom package.
package classroomcmd

import (
	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
)

func NewCmdClassroom(f *cmdutil.Factory) *cobra.Command {
	return cmdutil.Group(&cobra.Command{
		Use:   "classroom",
		Short: "For instructors: a dashboard of who is stuck, fed by the learners' dockdojo",
	}, "instructors run `dockdojo classroom serve` and `dockdojo classroom export`; learners type `dockdojo join URL CODE`",
		newServeCmd(f), newExportCmd(f))
}

package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/lessons"
)

// resetWorkspace ends a reset (from `dockdojo reset` or the guided menu):
// when starter files of the exercise were changed or removed, it restores
// them if restore is set (--reset-workspace) or the learner says yes on a
// terminal, copying the whole workspace folder to FOLDER.bak-TIMESTAMP
// first. Otherwise the learner's files are kept as they are.
func resetWorkspace(f *Factory, ex *lessons.Exercise, restore bool) error {
	w := f.IO.Out
	dir := exercise.Workspace(f.Workspace(), ex)
	changed, err := exercise.StarterChanged(ex, dir)
	if err != nil {
		return err
	}
	if len(changed) == 0 {
		if len(ex.Workspace) > 0 && restore {
			fmt.Fprintf(w, "The starter files in %s are as they came; nothing to restore.\n", dir)
		}
		fmt.Fprintf(w, "Your workspace files are kept in %s.\n", dir)
		return nil
	}
	p := f.Prompter()
	if !restore && p != nil {
		restore, err = p.Confirm(fmt.Sprintf("Also restore the starter files (%s changed)? A copy of your folder is kept first", strings.Join(changed, ", ")), false)
		if err != nil {
			return err
		}
	}
	if !restore {
		fmt.Fprintf(w, "Your workspace files are kept in %s.\n", dir)
		if p == nil {
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

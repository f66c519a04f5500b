package cmdutil

import (
	"fmt"
	"path/filepath"
)

// NeedHome refuses to go on when any of paths is relative: the folders
// dockdojo keeps the learner's things in default to places under HOME,
// and without HOME (env -u HOME, a service, some CI runners) they would
// land under whatever folder the command was run from, and the engine
// would later refuse the relative bind mount in its own words.
func NeedHome(f *Factory, paths ...string) error {
	for _, p := range paths {
		if filepath.IsAbs(p) {
			continue
		}
		what := "HOME is not set"
		if f.Home != "" {
			what = fmt.Sprintf("HOME (%s) is not an absolute path", f.Home)
		}
		return Usagef("%s: dockdojo keeps your progress in $XDG_STATE_HOME/dockdojo or ~/.local/state/dockdojo and your files in ~/dockdojo; set HOME (or XDG_STATE_HOME and DOCKDOJO_WORKSPACE) and run again", what)
	}
	return nil
}

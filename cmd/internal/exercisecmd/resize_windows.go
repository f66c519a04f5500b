//go:build windows

package exercisecmd

import "github.com/dockdojo/dockdojo/sandbox"

// watchResize does nothing on Windows, which has no SIGWINCH; the size set
// at the start stays.
func watchResize(size func() sandbox.TermSize) (<-chan sandbox.TermSize, func()) {
	return nil, func() {}
}

//go:build !windows

package exercisecmd

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/dockdojo/dockdojo/sandbox"
)

// watchResize sends the terminal's size each time it changes (SIGWINCH).
func watchResize(size func() sandbox.TermSize) (<-chan sandbox.TermSize, func()) {
	sig := make(chan os.Signal, 1)
	out := make(chan sandbox.TermSize, 1)
	done := make(chan struct{})
	signal.Notify(sig, syscall.SIGWINCH)
	go func() {
		for {
			select {
			case <-sig:
				select {
				case out <- size():
				default:
				}
			case <-done:
				return
			}
		}
	}()
	return out, func() { signal.Stop(sig); close(done) }
}

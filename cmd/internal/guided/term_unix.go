//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package guided

import "golang.org/x/sys/unix"

// termModes switches the terminal between the guided flow's two modes. At
// menus, Ctrl-C must reach the next question as a key (survey reads it as
// "go back"), even when it is pressed while a page is still being drawn and
// no question is reading yet; so between questions the terminal sends no
// signals and echoes nothing. While an action runs (a check, a start, a
// shell) the terminal is as the learner had it, and Ctrl-C interrupts it.
type termModes struct {
	fd   int
	orig *unix.Termios // nil when fd is not a terminal
}

func newTermModes(fd uintptr) *termModes {
	m := &termModes{fd: int(fd)}
	if t, err := unix.IoctlGetTermios(m.fd, ioctlGetTermios); err == nil {
		m.orig = t
	}
	return m
}

// menu stops the terminal from turning Ctrl-C into a signal and from
// echoing keys typed ahead.
func (m *termModes) menu() {
	if m.orig == nil {
		return
	}
	t := *m.orig
	t.Lflag &^= unix.ISIG | unix.ECHO
	_ = unix.IoctlSetTermios(m.fd, ioctlSetTermios, &t)
}

// normal puts the terminal back as it was when the flow began.
func (m *termModes) normal() {
	if m.orig != nil {
		_ = unix.IoctlSetTermios(m.fd, ioctlSetTermios, m.orig)
	}
}

//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package guided

// termModes does nothing where the terminal's modes are not reachable the
// Unix way; Ctrl-C at a menu is still read by survey as a key.
type termModes struct{}

func newTermModes(fd uintptr) *termModes { return &termModes{} }

func (m *termModes) menu()   {}
func (m *termModes) normal() {}

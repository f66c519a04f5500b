//go:build !unix

package sandbox

import (
	"errors"
	"io/fs"
)

// SocketAccess is what this process may do with the engine's unix socket.
type SocketAccess struct {
	Path         string
	Exists       bool
	Mode         fs.FileMode
	Owner, Group string
	InGroup      bool
	Root         bool
	Connected    bool
	Denied       bool
	DialError    string
}

// CheckSocket knows nothing of unix sockets on this system.
func CheckSocket(path string) SocketAccess {
	return SocketAccess{Path: path, DialError: "unix sockets are not checked on this system"}
}

// FreeSpace is not measured on this system.
func FreeSpace(path string) (uint64, error) {
	return 0, errors.New("free space is not measured on this system")
}

//go:build unix

package sandbox

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"os/user"
	"slices"
	"strconv"
	"syscall"
	"time"
)

// SocketAccess is what this process may do with the engine's unix socket.
type SocketAccess struct {
	Path         string
	Exists       bool
	Mode         fs.FileMode
	Owner, Group string // names, or numeric ids when they have none
	InGroup      bool   // this process's groups include the socket's group
	Root         bool   // this process runs as root
	Connected    bool   // a connection was accepted
	Denied       bool   // connecting was refused for lack of permission
	DialError    string // why connecting failed, when it did
}

// CheckSocket looks at the socket file at path and tries to connect to it,
// for at most a second.
func CheckSocket(path string) SocketAccess {
	a := SocketAccess{Path: path, Root: os.Geteuid() == 0}
	st, err := os.Stat(path)
	if err != nil {
		a.Denied = errors.Is(err, fs.ErrPermission)
		a.DialError = err.Error()
		return a
	}
	a.Exists, a.Mode = true, st.Mode()
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		uid, gid := strconv.FormatUint(uint64(sys.Uid), 10), strconv.FormatUint(uint64(sys.Gid), 10)
		a.Owner, a.Group = uid, gid
		if u, err := user.LookupId(uid); err == nil {
			a.Owner = u.Username
		}
		if g, err := user.LookupGroupId(gid); err == nil {
			a.Group = g.Name
		}
		groups, _ := os.Getgroups()
		a.InGroup = int(sys.Gid) == os.Getegid() || slices.Contains(groups, int(sys.Gid))
	}
	conn, err := net.DialTimeout("unix", path, time.Second)
	if err != nil {
		a.Denied = errors.Is(err, fs.ErrPermission)
		a.DialError = err.Error()
		return a
	}
	_ = conn.Close()
	a.Connected = true
	return a
}

// FreeSpace is the space left for an unprivileged user on the file system
// that holds path.
func FreeSpace(path string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return 0, err
	}
	return uint64(st.Bavail) * uint64(st.Bsize), nil
}

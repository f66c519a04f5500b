//go:build !windows

package regfile

import "syscall"

// nonblock opens a named pipe without waiting for its other end.
const nonblock = syscall.O_NONBLOCK

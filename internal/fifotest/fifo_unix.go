//go:build unix

package fifotest

import "syscall"

const hasPipes = true

func mkfifo(path string) error { return syscall.Mkfifo(path, 0o644) }

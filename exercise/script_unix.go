//go:build unix

package exercise

import (
	"os/exec"
	"syscall"
)

// ownGroup puts cmd's process in a process group of its own, and makes
// its cancellation kill the whole group: the commands the script started
// (a `docker run` in the foreground) end with it, and none keeps its
// output open. The returned func kills what is left of the group once the
// script has ended.
func ownGroup(cmd *exec.Cmd) (end func()) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	return func() {
		if cmd.Process != nil {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	}
}

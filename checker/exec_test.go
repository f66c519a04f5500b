package checker

import (
	"testing"

	"github.com/dockdojo/dockdojo/sandbox"
)

func TestExec(t *testing.T) {
	exit1 := 1
	runFakeCases(t, []fakeCase{
		{"exec exit code", &Exec{Container: "dojo-web", Command: []string{"cat", "/x"}}, sandbox.ExecResult{ExitCode: 1, Stderr: "cat: /x: No such file or directory"}, "`cat /x` exited with 1, expected 0; it said: \"cat: /x: No such file or directory\""},
		{"exec shows the command as a shell reads it", &Exec{Container: "dojo-web", Command: []string{"sh", "-c", "grep ' /scratch ' /proc/mounts"}, Output: Output{OutputContains: "tmpfs"}}, sandbox.ExecResult{Stdout: "overlay /scratch overlay rw 0 0\n"}, "`sh -c \"grep ' /scratch ' /proc/mounts\"` printed \"overlay /scratch overlay rw 0 0\"; expected it to contain \"tmpfs\""},
		{"exec expected failure", &Exec{Container: "dojo-web", Command: []string{"false"}, Output: Output{ExitCode: &exit1}}, sandbox.ExecResult{ExitCode: 1}, ""},
		{"exec empty output", &Exec{Container: "dojo-web", Command: []string{"cat", "/x"}, Output: Output{OutputContains: "Debian"}}, sandbox.ExecResult{}, "printed nothing; expected output containing \"Debian\""},
		{"exec wrong output", &Exec{Container: "dojo-web", Command: []string{"cat", "/x"}, Output: Output{OutputMatches: `^Debian`}}, sandbox.ExecResult{Stdout: "Ubuntu\n"}, "printed \"Ubuntu\"; expected output that starts with \"Debian\""},
		{"exec in privileged container", &Exec{Container: "dojo-root", Command: []string{"true"}}, sandbox.ExecResult{}, "will not run a lesson's command inside dojo-root: it is privileged, so a command inside it could reach your whole machine; no exercise needs that: remove it (`docker rm -f dojo-root`) and run it again without --privileged"},
		{"exec in a container given SYS_ADMIN", &Exec{Container: "dojo-admin", Command: []string{"true"}}, sandbox.ExecResult{}, "it was given SYS_ADMIN, so a command inside it could reach beyond the container; no exercise needs that: remove it (`docker rm -f dojo-admin`) and run it again without --cap-add SYS_ADMIN"},
		{"exec in a container whose command ended", &Exec{Container: "dojo-done", Command: []string{"true"}}, sandbox.ExecResult{}, "it is exited with exit code 0 (`docker logs dojo-done` shows what it printed); `docker start dojo-done` starts it again, or remove it with `docker rm dojo-done` before you run a new one. A container runs only as long as its command: if it ended by itself, give the new one a command that keeps running"},
		{"exec in container with the socket", &Exec{Container: "dojo-sock", Command: []string{"true"}}, sandbox.ExecResult{}, "it holds the Docker socket"},
		{"exec in stopped container", &Exec{Container: "dojo-old", Command: []string{"true"}}, sandbox.ExecResult{}, "container dojo-old is not running"},
		{"exec without sandbox running", &Exec{Command: []string{"true"}}, sandbox.ExecResult{}, "start it with `dockdojo start first-run/x`"},
	})
}

func TestExecValidate(t *testing.T) {
	var l Lint
	(&Exec{Command: []string{"true"}}).Validate(&l)
	if p := l.Problems(); len(p) != 1 || p[0].Field != "" || p[0].Msg != `exec check without "container" runs in the sandbox, but the exercise has none: name a container or add a sandbox` {
		t.Errorf("an exec check in an exercise without a sandbox: %+v", p)
	}
	l = Lint{Sandbox: true}
	(&Exec{Command: []string{"true"}, Output: Output{OutputMatches: "("}}).Validate(&l)
	if p := l.Problems(); len(p) != 1 || p[0].Field != "output_matches" {
		t.Errorf("a bad output_matches: %+v", p)
	}
}

package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"
)

// ExecGrace is how long past its limit a command is given to be stopped
// (see Exec): dockdojo hears it was stopped before its own deadline runs
// out.
const ExecGrace = 2 * time.Second

// TimeoutError is a command that did not finish within its limit. It wraps
// context.DeadlineExceeded.
type TimeoutError struct {
	What  string        // what ran, e.g. `exec in "dojo-web"`, "probe", "build"
	Limit time.Duration // how long it was given
	// Stopped says the command was killed. When false, it may still run
	// inside its container: the container has no `sh` to learn its process
	// from, or it could not be killed.
	Stopped bool
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("%s: did not finish within %s", e.What, e.Limit)
}

func (e *TimeoutError) Unwrap() error { return context.DeadlineExceeded }

// saysItsPID is what runs a bounded command inside a container: the
// container's sh writes its process ID on the first line, then becomes
// the command, which keeps that ID, its arguments, exit code and output.
// A command that overruns is killed by that ID. Nothing is left behind: a
// `timeout` command inside the container, which did this before, leaves a
// process of its own in busybox, and a container whose process 1 never
// reaps (`sleep`, most of the course's) kept one more zombie for every
// check.
var saysItsPID = []string{"sh", "-c", `echo "$$" && exec "$@"`, "sh"}

// Exec runs cmd in the running container with exactly this name and returns
// its stdout, stderr and true exit code. The exit code is read only once the
// engine reports the process finished: the output stream can end before the
// engine records the code, and reading it then yields 0 by mistake.
//
// When ctx has a deadline, cmd gets until ExecGrace before it (a whole
// number of seconds, at least one). It runs through saysItsPID; when it
// overruns, a second exec kills it, and Exec returns a *TimeoutError. In a
// container without `sh`, cmd runs as it is and only the wait for it ends;
// the *TimeoutError says it may still run.
func (e *Engine) Exec(ctx context.Context, name string, cmd []string) (ExecResult, error) {
	id, err := e.runningContainer(ctx, name)
	if err != nil {
		return ExecResult{}, fmt.Errorf("exec in %q: %w", name, err)
	}
	deadline, bounded := ctx.Deadline()
	if !bounded {
		return e.exec(ctx, id, name, cmd)
	}
	secs := max(1, int(math.Round(time.Until(deadline.Add(-ExecGrace)).Seconds())))
	limit := time.Duration(secs) * time.Second
	overran := &TimeoutError{What: fmt.Sprintf("exec in %q", name), Limit: limit}
	lctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	res, err := e.exec(lctx, id, name, append(slices.Clone(saysItsPID), cmd...))
	if err == nil && noShell(res) {
		res, err = e.exec(lctx, id, name, cmd)
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			return ExecResult{}, overran
		}
		return res, err
	}
	pid, out, said := strings.Cut(res.Stdout, "\n")
	if !said || !isPID(pid) {
		if err != nil && lctx.Err() == nil {
			return res, err
		}
		// Killed before sh said anything: nothing to stop, or nothing
		// known to stop it by.
		pid, out = "", res.Stdout
	}
	res.Stdout = out
	if err == nil || lctx.Err() == nil {
		return res, err
	}
	if ctx.Err() != nil {
		// Cancelled (Ctrl-C): the command must not outlive the check,
		// left running in the learner's container; the kill gets a few
		// seconds of its own.
		if pid != "" {
			kctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), killGrace)
			e.kill(kctx, id, name, pid)
			cancel()
		}
		return res, err
	}
	if pid != "" {
		overran.Stopped = e.kill(ctx, id, name, pid)
	}
	return ExecResult{}, overran
}

// killGrace is how long the kill of a cancelled exec's command may take.
const killGrace = 3 * time.Second

// kill stops the process pid in the container, and reports whether it
// no longer runs: killed, or gone meanwhile.
func (e *Engine) kill(ctx context.Context, id, name, pid string) bool {
	res, err := e.exec(ctx, id, name, []string{"sh", "-c", "kill -9 " + pid + " 2>/dev/null || ! kill -0 " + pid + " 2>/dev/null"})
	return err == nil && res.ExitCode == 0
}

// noShell reports an exec that failed because the container has no `sh`
// to run saysItsPID.
func noShell(res ExecResult) bool {
	return (res.ExitCode == 126 || res.ExitCode == 127) && strings.Contains(res.Stdout+res.Stderr, `"sh": executable file not found`)
}

// isPID reports whether s is a process ID, as sh's $$ gives it.
func isPID(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n > 0
}

// exec runs cmd in the container id (named name, for messages) to its end.
// When ctx ends first, the result holds what cmd wrote until then.
func (e *Engine) exec(ctx context.Context, id, name string, cmd []string) (ExecResult, error) {
	created, err := e.cli.ContainerExecCreate(ctx, id, container.ExecOptions{
		Cmd:          cmd,
		AttachStdout: true,
		AttachStderr: true,
	})
	if err != nil {
		return ExecResult{}, e.wrap(fmt.Sprintf("exec in %q", name), err)
	}
	att, err := hijack(ctx, "POST /exec/"+created.ID+"/start", func(ctx context.Context) (types.HijackedResponse, error) {
		return e.cli.ContainerExecAttach(ctx, created.ID, container.ExecAttachOptions{})
	})
	if err != nil {
		return ExecResult{}, e.wrap(fmt.Sprintf("exec in %q", name), err)
	}
	defer att.Close()
	// A hijacked connection ignores the context once established.
	stop := context.AfterFunc(ctx, att.Close)
	defer stop()

	stdout := &capped{max: maxProbeOutput}
	stderr := &capped{max: maxProbeOutput}
	if _, err := stdcopy.StdCopy(stdout, stderr, att.Reader); err != nil {
		if ctx.Err() != nil {
			return ExecResult{Stdout: stdout.String(), Stderr: stderr.String()}, fmt.Errorf("exec in %q: %w", name, ctx.Err())
		}
		return ExecResult{}, fmt.Errorf("exec in %q: read output: %w", name, err)
	}
	if ctx.Err() != nil {
		return ExecResult{Stdout: stdout.String(), Stderr: stderr.String()}, fmt.Errorf("exec in %q: %w", name, ctx.Err())
	}
	code, err := e.waitExec(ctx, created.ID)
	if err != nil {
		return ExecResult{}, fmt.Errorf("exec in %q: %w", name, err)
	}
	return ExecResult{ExitCode: code, Stdout: stdout.String(), Stderr: stderr.String()}, nil
}

// waitExec polls until the engine reports the exec finished, with a short
// backoff (5 ms doubling to 100 ms) bounded by ctx.
func (e *Engine) waitExec(ctx context.Context, execID string) (int, error) {
	delay := 5 * time.Millisecond
	for {
		ins, err := e.cli.ContainerExecInspect(ctx, execID)
		if err != nil {
			return 0, e.wrap("inspect exec", err)
		}
		if !ins.Running {
			return ins.ExitCode, nil
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return 0, fmt.Errorf("waiting for the exit code: %w", ctx.Err())
		case <-t.C:
		}
		delay = min(2*delay, 100*time.Millisecond)
	}
}

// runningContainer resolves a container by exact name and insists it runs.
func (e *Engine) runningContainer(ctx context.Context, name string) (string, error) {
	c, err := e.inspectContainer(ctx, name)
	if err != nil {
		return "", err
	}
	if c.State == nil || !c.State.Running {
		state := "not running"
		if c.State != nil {
			state = string(c.State.Status)
		}
		return "", fmt.Errorf("container %q is %s, not running; start it first", name, state)
	}
	return c.ID, nil
}

// Shell attaches an interactive TTY exec of cmd (for example ["sh"]) in the
// running container with exactly this name to sio.In and sio.Out, sizes the
// remote terminal to sio.Size and to each value on sio.Resize, and returns
// the shell's exit code when it ends. Putting the local terminal in raw mode
// is the caller's job. Shell returns without waiting for a Read on sio.In to
// finish: a caller that reads its terminal afterwards should pass a reader it
// can interrupt, or the next keystroke goes to the finished session.
func (e *Engine) Shell(ctx context.Context, name string, cmd []string, sio ShellIO) (int, error) {
	id, err := e.runningContainer(ctx, name)
	if err != nil {
		return 0, fmt.Errorf("shell in %q: %w", name, err)
	}
	var size *[2]uint
	if sio.Size.Rows > 0 && sio.Size.Cols > 0 {
		size = &[2]uint{sio.Size.Rows, sio.Size.Cols}
	}
	created, err := e.cli.ContainerExecCreate(ctx, id, container.ExecOptions{
		Cmd:          cmd,
		Tty:          true,
		AttachStdin:  true,
		AttachStdout: true,
		AttachStderr: true,
		ConsoleSize:  size, // dropped by the client below API 1.42; the resize below covers those engines
	})
	if err != nil {
		return 0, e.wrap(fmt.Sprintf("shell in %q", name), err)
	}
	att, err := hijack(ctx, "POST /exec/"+created.ID+"/start", func(ctx context.Context) (types.HijackedResponse, error) {
		return e.cli.ContainerExecAttach(ctx, created.ID, container.ExecAttachOptions{Tty: true, ConsoleSize: size})
	})
	if err != nil {
		return 0, e.wrap(fmt.Sprintf("shell in %q", name), err)
	}
	defer att.Close()
	stop := context.AfterFunc(ctx, att.Close)
	defer stop()

	resize := func(s TermSize) error {
		if s.Rows == 0 || s.Cols == 0 {
			return nil
		}
		return e.cli.ContainerExecResize(ctx, created.ID, container.ResizeOptions{Height: s.Rows, Width: s.Cols})
	}
	// The process may not have its TTY yet; retry briefly as the docker CLI does.
	for i := 1; i <= 5; i++ {
		if resize(sio.Size) == nil || ctx.Err() != nil {
			break
		}
		time.Sleep(time.Duration(i) * 10 * time.Millisecond)
	}

	if sio.In != nil {
		go func() {
			_, _ = io.Copy(att.Conn, sio.In)
			_ = att.CloseWrite()
		}()
	}
	out := sio.Out
	if out == nil {
		out = io.Discard
	}
	outDone := make(chan error, 1)
	go func() {
		_, err := io.Copy(out, att.Reader)
		outDone <- err
	}()

	resizes := sio.Resize
	for done := false; !done; {
		select {
		case s, ok := <-resizes:
			if !ok {
				resizes = nil
				continue
			}
			// A failed resize only spoils the layout; the session goes on.
			_ = resize(s)
		case <-outDone:
			done = true
		}
	}
	if ctx.Err() != nil {
		return 0, fmt.Errorf("shell in %q: %w", name, ctx.Err())
	}
	code, err := e.waitExec(ctx, created.ID)
	if err != nil {
		return 0, fmt.Errorf("shell in %q: %w", name, err)
	}
	return code, nil
}

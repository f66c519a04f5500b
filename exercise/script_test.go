//go:build unix

package exercise

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRunScriptEndsWithWhatItStarted: a script whose command runs in the
// foreground forever (an author's `docker run` without -d) ends at its
// timeout or when the self-test is interrupted, within a few seconds,
// although that command holds the script's output open; the command ends
// with it. A script that leaves a command running in the background ends
// when it ends, and so does that command.
func TestRunScriptEndsWithWhatItStarted(t *testing.T) {
	ex := load(t)
	for _, tc := range []struct {
		name    string
		script  string
		timeout time.Duration
		cancel  time.Duration // cancel the context after this long; 0: never
		wantErr string
	}{
		{"timeout", `sleep 600 & echo $! > pid; wait`, 300 * time.Millisecond, 0, "timed out after 300ms"},
		{"interrupted", `sleep 600 & echo $! > pid; wait`, time.Minute, 300 * time.Millisecond, "killed"},
		{"background left", `sleep 600 & echo $! > pid; echo started`, time.Minute, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			ws := Workspace(root, ex)
			if err := os.MkdirAll(ws, 0o755); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.cancel > 0 {
				time.AfterFunc(tc.cancel, cancel)
			}
			began := time.Now()
			_, err := RunScript(ctx, ex, root, "", tc.script, tc.timeout)
			if took := time.Since(began); took > 5*time.Second {
				t.Errorf("RunScript took %s", took)
			}
			if (tc.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("error %v, want %q", err, tc.wantErr)
			}
			b, err := os.ReadFile(filepath.Join(ws, "pid"))
			if err != nil {
				t.Fatal(err)
			}
			pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
			if err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(5 * time.Second)
			for syscall.Kill(pid, 0) == nil {
				if time.Now().After(deadline) {
					_ = syscall.Kill(pid, syscall.SIGKILL)
					t.Fatalf("the script's sleep (pid %d) still runs after it ended", pid)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

// TestRunScriptOutputIsText: what a script printed for a terminal (a
// `docker build` colours its steps' errors) is returned as its text, to be
// shown in a message; any other escape is kept, for the message to show
// escaped.
func TestRunScriptOutputIsText(t *testing.T) {
	ex := load(t)
	root := t.TempDir()
	if err := os.MkdirAll(Workspace(root, ex), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := RunScript(context.Background(), ex, root, "", `printf '\033[91mWARNING: apt does not have a stable CLI interface.\n\033[0m'; printf '\033]0;title\007'; exit 1`, time.Minute)
	if err == nil {
		t.Fatal("the script exited 1, and RunScript says nothing went wrong")
	}
	if want := "WARNING: apt does not have a stable CLI interface.\n\x1b]0;title\x07"; out != want {
		t.Errorf("RunScript printed %q, want %q", out, want)
	}
}

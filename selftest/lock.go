package selftest

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/dockdojo/dockdojo/internal/regfile"
	"github.com/dockdojo/dockdojo/sandbox"
)

// BusyError is a self-test that did not start because another one holds
// the same engine.
type BusyError struct {
	Holder string // what the other run wrote of itself; empty when unknown
}

func (e *BusyError) Error() string {
	who := "another self-test"
	if e.Holder != "" {
		who += " (" + e.Holder + ")"
	}
	return who + " is running on this engine. Two at once reset and remove each other's containers, which carry the same names: wait for it to end, or stop it, then run this one again"
}

// Lock gives one self-test the engine to itself. An exercise's names are
// fixed, so two self-tests of it on one engine (two terminals, a script
// and an instructor) remove each other's containers halfway through and
// both report failures that are not the lessons'. Lock fails at once with
// a BusyError, naming the other run, when one holds the engine at host.
//
// It is a file lock in the temporary folder, one for each engine address,
// so it holds across users' homes on this machine, and a run that crashed
// holds nothing. what (the command, say) is written beside the lock for
// the message of the run that finds it taken. release gives it back.
func Lock(host, what string) (release func(), err error) {
	l := sandbox.EngineLock(host, "selftest")
	path := l.Path()
	ok, err := l.TryLock()
	if err != nil {
		return nil, fmt.Errorf("take the self-test lock %s: %w", path, err)
	}
	if !ok {
		holder, _ := regfile.Read(path + ".by")
		return nil, &BusyError{Holder: strings.TrimSpace(string(holder))}
	}
	// Best effort: the message of a run that finds the lock taken is
	// vaguer without it, and nothing else depends on it. It is in the
	// shared temporary folder, so what is there is never waited on.
	if by, err := regfile.Create(path+".by", 0o666); err == nil {
		_, _ = fmt.Fprintf(by, "pid %d, since %s: %s\n", os.Getpid(), time.Now().Format("15:04:05"), what)
		_ = by.Close()
	}
	return func() {
		_ = os.Remove(path + ".by")
		_ = l.Unlock()
	}, nil
}

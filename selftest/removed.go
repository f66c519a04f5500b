package selftest

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
)

// A script may remove what its exercise owns and what the self-test's
// scripts made; anything else it removes was someone's (a container of the
// author's, an image of another project), and the self-test says so. The
// guard of a run knows what was there when the run began, and each script
// compares the engine's names just before and just after it: what went
// while it ran, was there when the run began, is no exercise's of the run
// and is not dockdojo's (labelled) is a victim, when the script names it
// or removes what it finds (a prune). Something else on the same engine (a
// test, the author at work) may remove what no script names: that is not
// the script's doing. The four lists cost a few milliseconds
// (sandbox.ListUnlabelled), twice per script.

// guard is what the scripts of one self-test run may remove.
type guard struct {
	eng   *sandbox.Engine
	began map[exercise.Object]bool // someone else's objects when the run began
	owned map[exercise.Object]bool // what the exercises of the run own: reset removes it

	mu      sync.Mutex
	running map[*scriptRun]bool
}

// scriptRun is one script under way, and the scripts of other exercises
// that ran at some moment while it ran: one of those may have removed
// what went meanwhile.
type scriptRun struct {
	text   string
	others []*scriptRun
}

// newGuard notes what is on the engine before any script of exercises
// runs.
func newGuard(ctx context.Context, eng *sandbox.Engine, exercises []*lessons.Exercise) (*guard, error) {
	inv, err := eng.ListUnlabelled(ctx)
	if err != nil {
		return nil, err
	}
	g := &guard{eng: eng, began: objects(inv), owned: map[exercise.Object]bool{}, running: map[*scriptRun]bool{}}
	for _, ex := range exercises {
		for _, e := range append(ex.Chain(), ex) {
			for _, kind := range []string{"container", "network", "volume", "image"} {
				for _, n := range e.Owns.Names(kind) {
					g.owned[exercise.Object{Kind: kind, Name: n}] = true
				}
			}
		}
	}
	return g, nil
}

func objects(r sandbox.Removed) map[exercise.Object]bool {
	m := map[exercise.Object]bool{}
	for _, set := range []struct {
		kind  string
		names []string
	}{{"container", r.Containers}, {"network", r.Networks}, {"volume", r.Volumes}, {"image", r.Images}} {
		for _, n := range set.names {
			m[exercise.Object{Kind: set.kind, Name: n}] = true
		}
	}
	return m
}

// watched is what changed on the engine while a script ran.
type watched struct {
	// gone is what went meanwhile that was not the run's to remove; an
	// object another script running at the same time names is left to
	// that script's own report.
	gone []goneObject
	// made is what is there now, not dockdojo's, that was not there
	// before: what the script made (or, rarely, another at the same time).
	made map[exercise.Object]bool
}

// watch calls run, which runs the script text, between two looks at the
// engine, and says what changed. A look that fails (an engine going away,
// which the caller finds out) finds nothing changed.
func (g *guard) watch(ctx context.Context, text string, run func()) (w watched) {
	me := &scriptRun{text: text}
	g.mu.Lock()
	for r := range g.running {
		r.others = append(r.others, me)
		me.others = append(me.others, r)
	}
	g.running[me] = true
	g.mu.Unlock()
	before, lerr := g.eng.ListUnlabelled(ctx)
	run()
	after, aerr := g.eng.ListUnlabelled(ctx)
	g.mu.Lock()
	delete(g.running, me)
	others := slices.Clone(me.others)
	g.mu.Unlock()
	if lerr != nil || aerr != nil {
		return w
	}
	now, was := objects(after), objects(before)
	w.made = map[exercise.Object]bool{}
	for o := range now {
		if !was[o] {
			w.made[o] = true
		}
	}
	for o := range was {
		if now[o] || !g.began[o] || g.owned[o] {
			continue
		}
		line := lineNaming(text, o)
		named := line >= 0
		switch {
		case line >= 0:
		case slices.ContainsFunc(others, func(r *scriptRun) bool { return lineNaming(r.text, o) >= 0 }):
			continue // the script that names it reports it
		default:
			// What went that the script does not name, it removed only
			// if it removes what it finds (a prune); else someone
			// else did, on the same engine.
			if line = sweeping(text); line < 0 {
				continue
			}
		}
		w.gone = append(w.gone, goneObject{Object: o, Line: line, Named: named})
	}
	slices.SortFunc(w.gone, func(a, b goneObject) int {
		return strings.Compare(a.Kind+" "+a.Name, b.Kind+" "+b.Name)
	})
	return w
}

// goneObject is an object a script removed.
type goneObject struct {
	exercise.Object
	Line  int  // the script's line (from 0) that names it, or that removes what it finds
	Named bool // Line names it
}

// sweepRE finds a command that removes what it finds rather than what it
// names: a prune, or a removal of names that a command lists.
var sweepRE = regexp.MustCompile(`docker\b.*\bprune\b|\b(?:rm|rmi|remove)\b.*(?:\$\(|` + "`" + `)|\bxargs\b.*\b(?:rm|rmi|remove)\b`)

// sweeping is the first line of script (from 0) that removes what it
// finds, or -1.
func sweeping(script string) int {
	for i, line := range strings.Split(script, "\n") {
		if sweepRE.MatchString(line) {
			return i
		}
	}
	return -1
}

// lineNaming is the first line of script (from 0) that names o as a word
// of its own (web, not web-2), or -1. An image named NAME:latest is also
// named by NAME alone, as docker reads it.
func lineNaming(script string, o exercise.Object) int {
	names := []string{o.Name}
	if repo, ok := strings.CutSuffix(o.Name, ":latest"); ok && o.Kind == "image" {
		names = append(names, repo)
	}
	for i, line := range strings.Split(script, "\n") {
		for _, n := range names {
			if namesWord(line, n) {
				return i
			}
		}
	}
	return -1
}

// namesWord reports whether line holds name with no character of a name
// on either side.
func namesWord(line, name string) bool {
	for from := 0; ; {
		i := strings.Index(line[from:], name)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(name)
		if (i == 0 || !nameChar(line[i-1])) && (end == len(line) || !nameChar(line[end])) {
			return true
		}
		from = i + 1
	}
}

func nameChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_.-:/", c) >= 0
}

// removed is the problem of an object a script removed that was not its
// to remove: the script is what (the reference solution, say), written at
// lines.
func removed(what string, lines lessons.Lines, g goneObject) string {
	fix := fmt.Sprintf("a script may remove only what its exercise owns and what its own scripts made; take %s out of it (or, if the learner is asked to make it, list it under owns.%ss)", g.Name, g.Kind)
	if !g.Named {
		fix = "a script may remove only what its exercise owns and what its own scripts made; remove those by name (docker rm -f NAME), not all that a prune or a list finds"
	}
	return fmt.Sprintf("%s (%s) removed the %s %s, which was there before the self-test and is not the exercise's: %s", what, lines.At(g.Line), g.Kind, g.Name, fix)
}

package checker

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/dockdojo/dockdojo/sandbox"
)

// Lint is what a spec's Validate reports to: mistakes in its values, each
// about one field, and the engine objects it names. It also carries what
// validation needs to know of the exercise the check belongs to; the lessons
// package fills it and turns each problem into an error at the field's
// place in the file (file:line:col).
//
// Rules that judge a check against its exercise belong here: a spec says
// what it names (Object), and Lint decides whether the exercise may name it.
type Lint struct {
	// Sandbox reports whether the exercise has a sandbox, which checks that
	// run inside "the sandbox" need.
	Sandbox bool
	// Given holds the fields the lesson wrote, even those with an empty
	// value, but not those whose value has the wrong type: that was
	// reported already, and is no empty value.
	Given map[string]bool

	problems []Problem
	objects  []Object
}

// Problem is one mistake in a check's values.
type Problem struct {
	// Field is the field the mistake is about, as the lesson writes it;
	// "" means the check as a whole (reported where its kind is given).
	Field string
	Msg   string
}

// Object is an engine object that a check names.
type Object struct {
	Type  string // container, network, volume, image, or project (of Compose)
	Name  string // exactly as the lesson writes it
	Field string // the field that names it
}

// Errorf reports a mistake about field ("" for the check as a whole).
func (l *Lint) Errorf(field, format string, args ...any) {
	l.problems = append(l.problems, Problem{Field: field, Msg: fmt.Sprintf(format, args...)})
}

// Object records that field names the engine object name of type typ
// (container, network, volume, image or project). An empty name names
// nothing. Every object a check reaches must be recorded here: the
// exercise's scope is judged from these (see Scope), for every kind alike.
func (l *Lint) Object(typ, field, name string) {
	if name == "" {
		return
	}
	l.objects = append(l.objects, Object{Type: typ, Name: name, Field: field})
}

// Problems lists the mistakes reported, in the order they were found.
func (l *Lint) Problems() []Problem { return l.problems }

// Objects lists the engine objects the check names, in the order named.
func (l *Lint) Objects() []Object { return l.objects }

// Objects lists the engine objects the check names.
func (c Check) Objects() []Object {
	if c.Spec == nil {
		return nil
	}
	var l Lint
	c.Spec.Validate(&l)
	return l.Objects()
}

// HostPorts lists the host ports ("8080/tcp") the check needs the learner
// to publish, which `dockdojo start` warns about when they are taken.
func (c Check) HostPorts() []string {
	if hp, ok := c.Spec.(interface{ HostPorts() []string }); ok {
		return hp.HostPorts()
	}
	return nil
}

// Validate reports every mistake in the check's values, given what l
// knows of its exercise.
func (c Check) Validate(l *Lint) {
	if c.Spec != nil {
		c.Spec.Validate(l)
	}
}

// The field checks that several kinds share.

var (
	portRE     = regexp.MustCompile(`^[0-9]{1,5}(/(tcp|udp))?$`)
	hostPortRE = regexp.MustCompile(`^[0-9]{1,5}$`)
)

// port checks a container port field: "80" or "80/tcp".
func (l *Lint) port(field, value string) {
	l.portField(field, value, portRE, "a container port like 80 or 80/tcp")
}

// hostPort checks a host port field: "8080".
func (l *Lint) hostPort(field, value string) {
	l.portField(field, value, hostPortRE, "a port number like 8080")
}

// portField checks a port field written as re matches, and whose number is
// a port; like is how to write it.
func (l *Lint) portField(field, value string, re *regexp.Regexp, like string) {
	num, _, _ := strings.Cut(value, "/")
	switch {
	case value == "":
	case !re.MatchString(value):
		l.Errorf(field, "%s %q: write %s", field, value, like)
	case !PortNumber(num):
		l.Errorf(field, "%s %q: a port is a number from 1 to 65535; write %s", field, value, like)
	}
}

// PortNumber reports whether s, in digits, is a port: 1 to 65535. The
// engine refuses to publish any other, so a check or a sandbox that names
// one could never work.
func PortNumber(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 1 && n <= 65535
}

// regexp checks a field that holds a regular expression.
func (l *Lint) regexp(field, expr string) {
	if expr == "" {
		return
	}
	if _, err := regexp.Compile(expr); err != nil {
		l.Errorf(field, "%s is not a valid regular expression: %v", field, err)
	}
}

// pinnedImage records an image a check runs or looks for, which must be
// pinned to a tag so that every learner gets the same one.
func (l *Lint) pinnedImage(field, ref string) {
	l.Object("image", field, ref)
	if msg := ImageMistake(ref); ref != "" && msg != "" {
		l.Errorf(field, "%s", msg)
	}
}

// ImageMistake says what is wrong with an image reference that a lesson
// gives, and what to write instead, or "" when it is valid and pinned to
// a tag or a digest. A space is named as such: the parser of references
// reads "busybox:1.36 " as no tag at all.
func ImageMistake(ref string) string {
	err := sandbox.PinnedImage(ref)
	trimmed := strings.TrimSpace(ref)
	spaced := func(s string) bool { return strings.ContainsFunc(s, unicode.IsSpace) }
	switch {
	case err == nil:
		return ""
	case trimmed != ref && trimmed != "" && !spaced(trimmed):
		where := "at its end"
		switch {
		case strings.TrimLeftFunc(ref, unicode.IsSpace) == ref:
		case strings.TrimRightFunc(ref, unicode.IsSpace) == ref:
			where = "at its start"
		default:
			where = "at its start and end"
		}
		fix := trimmed
		if errors.Is(sandbox.PinnedImage(trimmed), sandbox.ErrNotPinned) {
			fix += ":TAG"
		}
		return fmt.Sprintf("image %q has a space %s: write %s", ref, where, fix)
	case spaced(ref):
		return fmt.Sprintf("image %q has a space in its name, which no image reference has: write NAME:TAG, e.g. busybox:1.36", ref)
	case errors.Is(err, sandbox.ErrNotPinned):
		return fmt.Sprintf("image %q is not pinned to a tag: write %s:TAG so every learner gets the same image", ref, ref)
	}
	return fmt.Sprintf("image %q is not a valid image reference: write NAME:TAG in lowercase, e.g. busybox:1.36", ref)
}

// localPath reports whether p is a clean relative path that stays inside its
// root.
func localPath(p string) bool {
	return p != "" && fs.ValidPath(p) && p != "."
}

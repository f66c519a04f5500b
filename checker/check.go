package checker

import (
	"context"
	"reflect"
	"slices"
	"strings"
)

// Check is one check of an exercise, as a lesson declares it: a kind and
// that kind's fields.
type Check struct {
	// Kind is the name a lesson gives the kind (see kinds.go).
	Kind string `yaml:"kind"`
	// Spec holds the kind's fields, and knows how to validate and run them.
	// It is nil when the lesson names no kind, or one that does not exist
	// (the lesson then fails to load).
	Spec Spec `yaml:"-"`
	// Explain, when set, is added to the failure message: what to try.
	Explain string `yaml:"explain"`
	// Not negates the check: it passes when the spec's check fails, and
	// fails when it passes (a name must not resolve, a port must not
	// answer). A check that could not look at all (an error) still fails.
	Not bool `yaml:"not"`
	// Title, when set, says what the check looks for in the learner's
	// words, instead of the kind's own title (Spec.Title).
	Title string `yaml:"title"`
	// Pos is where the check is declared, "file:line:col", for messages.
	Pos string `yaml:"-"`
}

// MaxTitleLen is the most characters a check's title may have: it is one
// line of the checklist.
const MaxTitleLen = 120

// Spec is one kind of check: a struct whose fields a lesson sets in YAML,
// one file per kind in this package. Its yaml tags name the fields; a
// check:"required" tag marks those a lesson must give.
type Spec interface {
	// Title says in a few words, for the learner, what the check looks for.
	// It never shows the checker's code (a command, a regular expression),
	// nor gives the answer away: the learner sees it before a first try.
	Title() string
	// Validate reports to l what is wrong with the fields' values, and
	// names the engine objects they refer to.
	Validate(l *Lint)
	// Run looks at the engine and returns "" when the check passes, or what
	// was expected and what was found, in plain words. Its error is kept
	// for an engine that cannot be reached (or a cancelled context).
	Run(ctx context.Context, env Env) (string, error)
}

// Kind is one kind of check: its name in lessons and the type of its spec.
type Kind struct {
	Name string
	typ  reflect.Type // the spec's struct type
}

// kind registers the spec type T under name.
func kind[T any, S interface {
	*T
	Spec
}](name string) Kind {
	return Kind{Name: name, typ: reflect.TypeFor[T]()}
}

// Kinds lists every kind of check, in the order the documentation shows them.
func Kinds() []Kind { return slices.Clone(kinds) }

// KindNamed finds the kind of check with this name.
func KindNamed(name string) (Kind, bool) {
	for _, k := range kinds {
		if k.Name == name {
			return k, true
		}
	}
	return Kind{}, false
}

// KindNames lists the names of every kind of check.
func KindNames() []string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Name
	}
	return names
}

// New returns an empty spec of this kind, for a lesson's fields to be
// decoded into.
func (k Kind) New() Spec { return reflect.New(k.typ).Interface().(Spec) }

// Field is one field of a kind of check.
type Field struct {
	Name     string       // as a lesson writes it, e.g. host_port
	Required bool         // a lesson must give it
	Type     reflect.Type // its Go type, for telling a wrong value from a right one
}

// Fields lists the kind's fields, required ones first, as its spec type
// declares them.
func (k Kind) Fields() []Field {
	fields := specFields(k.typ)
	slices.SortStableFunc(fields, func(a, b Field) int {
		switch {
		case a.Required == b.Required:
			return 0
		case a.Required:
			return -1
		}
		return 1
	})
	return fields
}

// Required lists the names of the fields a lesson must give.
func (k Kind) Required() []string { return k.names(true) }

// Optional lists the names of the fields a lesson may give besides.
func (k Kind) Optional() []string { return k.names(false) }

func (k Kind) names(required bool) []string {
	var out []string
	for _, f := range k.Fields() {
		if f.Required == required {
			out = append(out, f.Name)
		}
	}
	return out
}

// specFields reads the yaml fields of a spec struct, descending into the
// structs it inlines.
func specFields(t reflect.Type) []Field {
	var out []Field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		switch {
		case opts == "inline":
			out = append(out, specFields(f.Type)...)
		case name != "" && name != "-":
			out = append(out, Field{Name: name, Required: f.Tag.Get("check") == "required", Type: f.Type})
		}
	}
	return out
}

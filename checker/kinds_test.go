package checker

import (
	"reflect"
	"slices"
	"testing"
)

// TestKinds holds the registry to what lessons rely on: each kind once,
// each spec a struct whose every field a lesson can set, under a name no
// other field of the kind (nor kind, explain or not) takes.
func TestKinds(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			if seen[k.Name] {
				t.Fatalf("kind %s is registered twice", k.Name)
			}
			seen[k.Name] = true
			a, b := k.New(), k.New()
			if reflect.ValueOf(a).Pointer() == reflect.ValueOf(b).Pointer() {
				t.Errorf("New returns the same spec twice; each check needs its own")
			}
			if got, ok := KindNamed(k.Name); !ok || got.typ != k.typ {
				t.Errorf("KindNamed(%q) = %v, %v", k.Name, got, ok)
			}
			if a.Title() == "" {
				t.Errorf("an empty spec has no title")
			}
			names := []string{"kind", "explain", "not", "title"}
			for _, f := range k.Fields() {
				if slices.Contains(names, f.Name) {
					t.Errorf("field %s is declared twice, or takes the name of a field every check has", f.Name)
				}
				names = append(names, f.Name)
			}
			untagged(t, reflect.TypeOf(a).Elem())
		})
	}
}

// untagged reports the exported fields of a spec that a lesson could not
// set: yaml.v3 would take them under their lower-cased Go name.
func untagged(t *testing.T, typ reflect.Type) {
	t.Helper()
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		if f.IsExported() && f.Tag.Get("yaml") == "" {
			t.Errorf("field %s of %s has no yaml tag", f.Name, typ.Name())
		}
	}
}

func TestKindFields(t *testing.T) {
	k, ok := KindNamed("image_run")
	if !ok {
		t.Fatal("no kind image_run")
	}
	if got, want := k.Optional(), []string{"image", "build", "command", "exit_code", "output_contains", "output_matches", "timeout"}; !slices.Equal(got, want) {
		t.Errorf("image_run takes %v; want %v, the inlined fields in place", got, want)
	}
	k, _ = KindNamed("port_published")
	if got, want := k.Required(), []string{"container", "port"}; !slices.Equal(got, want) {
		t.Errorf("port_published needs %v; want %v", got, want)
	}
}

package selftest

import (
	"testing"

	"github.com/dockdojo/dockdojo/lessons"
)

// A says that is in the message in other capitals does not match, and the
// problem says how the message writes it; one that is not there at all
// gets no such note.
func TestNotSaidNamesOtherCapitals(t *testing.T) {
	w := lessons.Wrong{Name: "exec form", Says: "cmd", Pos: lessons.Pos{File: "l.md", Line: 20, Col: 5}}
	msg := "the image's CMD is [sh -c serve], not [serve]"
	want := `wrong attempt "exec form" (l.md:20:5) is rejected, but the first failing check says "the image's CMD is [sh -c serve], not [serve]", not "cmd": it has "CMD", in other capitals; says must match the message exactly, capitals too, so write it as the message does`
	if got := notSaid(w, msg); got != want {
		t.Errorf("notSaid:\n got %s\nwant %s", got, want)
	}
	w.Says = "entrypoint"
	want = `wrong attempt "exec form" (l.md:20:5) is rejected, but the first failing check says "the image's CMD is [sh -c serve], not [serve]", not "entrypoint"`
	if got := notSaid(w, msg); got != want {
		t.Errorf("notSaid:\n got %s\nwant %s", got, want)
	}
}

package cmdutil

import "testing"

// TestSayKeepsTheLessonFolders: a dockdojo command in a message names the
// --lessons folders this run was given; without them it would not find a
// lesson of theirs.
func TestSayKeepsTheLessonFolders(t *testing.T) {
	const msg = "the exercise's sandbox is not running; start it with `dockdojo start mine/box`"
	f := &Factory{Settings: &Settings{}}
	if got := Say(f, msg); got != msg {
		t.Errorf("without --lessons: %q", got)
	}
	f.Settings.LessonDirs = []string{"/lessons/my course"}
	want := "the exercise's sandbox is not running; start it with `dockdojo --lessons '/lessons/my course' start mine/box`"
	if got := Say(f, msg); got != want {
		t.Errorf("with --lessons:\n got %q\nwant %q", got, want)
	}
	if got := Say(f, want); got != want {
		t.Errorf("a command that names the folders already got them twice: %q", got)
	}
}

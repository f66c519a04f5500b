package mdblock_test

import (
	"reflect"
	"testing"

	"github.com/dockdojo/dockdojo/internal/mdblock"
)

func TestFenced(t *testing.T) {
	src := []byte("# Title\n\n```yaml sandbox\nimage: x\n```\n\ntext\n\n~~~\nplain\n~~~\n\n    indented, not fenced\n\n```dockerfile\nFROM a\nRUN b\n```\n")
	got := mdblock.Fenced(src)
	want := []mdblock.Block{
		{Line: 3, Info: "yaml sandbox", Body: "image: x\n"},
		{Line: 9, Body: "plain\n"},
		{Line: 15, Info: "dockerfile", Body: "FROM a\nRUN b\n"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Fenced =\n%+v\nwant\n%+v", got, want)
	}
	if l := got[0].Language(); l != "yaml" {
		t.Errorf("Language = %q, want yaml", l)
	}
}

package lessons

import (
	"testing"

	"github.com/dockdojo/dockdojo/checker"
)

func TestSuggest(t *testing.T) {
	fields := []string{"checks", "flavour", "goal", "hints", "id", "owns", "sandbox", "solution", "title", "workspace", "wrong"}
	tests := []struct {
		name       string
		word       string
		candidates []string
		want       string
	}{
		{name: "misspelt", word: "flavor", candidates: fields, want: ` (did you mean "flavour"?)`},
		{name: "missing letter", word: "hint", candidates: fields, want: ` (did you mean "hints"?)`},
		{name: "two edits in a long word", word: "soluton_", candidates: fields, want: ` (did you mean "solution"?)`},
		{name: "three edits is too far", word: "slton", candidates: fields, want: ""},
		{name: "short word takes one edit", word: "glao", candidates: fields, want: ""},
		{name: "a swap is one edit", word: "gaol", candidates: fields, want: ` (did you mean "goal"?)`},
		{name: "short word one edit", word: "own", candidates: fields, want: ` (did you mean "owns"?)`},
		{name: "nothing close", word: "entrypoint", candidates: fields, want: ""},
		{name: "check kind", word: "http-get", candidates: checker.KindNames(), want: ` (did you mean "http_get"?)`},
		{name: "closest wins", word: "container_runing", candidates: checker.KindNames(), want: ` (did you mean "container_running"?)`},
		{name: "first of equals wins", word: "cat", candidates: []string{"bat", "hat"}, want: ` (did you mean "bat"?)`},
		{name: "no candidates", word: "x", candidates: nil, want: ""},
		{name: "empty word", word: "", candidates: []string{"id"}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := suggest(tt.word, tt.candidates); got != tt.want {
				t.Errorf("suggest(%q) = %q, want %q", tt.word, got, tt.want)
			}
		})
	}
}

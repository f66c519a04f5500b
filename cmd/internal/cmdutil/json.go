package cmdutil

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
)

// WriteJSON writes v as indented JSON, for scripts.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(iostreams.Unwrapped(w))
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Plural says n things: "1 hint", "3 hints".
func Plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

package cmdutil

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
)

// AddJSONFlag gives cmd the --json flag, which sets on, that the commands
// with a report for scripts share: one name and one help line for all of
// them.
func AddJSONFlag(cmd *cobra.Command, on *bool) {
	cmd.Flags().BoolVar(on, "json", false, "print JSON for scripts")
}

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

package cmdutil

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

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

// JSONError is what a command's --json prints on stdout when it has no
// report to give: what went wrong, and the exit code it ends with. A
// command adds what the error is about (check: the exercise) beside it.
type JSONError struct {
	Error    string `json:"error"`
	ExitCode int    `json:"exit_code"`
}

// NewJSONError is err as --json tells it.
func NewJSONError(err error) JSONError {
	return JSONError{Error: err.Error(), ExitCode: ExitCode(err)}
}

// jsonArgsField is the annotation naming the field of a command's
// JSONError that holds its arguments.
const jsonArgsField = "dockdojo/json-args-field"

// JSONArgsField says that cmd's JSON errors name what they are about in
// field, from the command's arguments (check's "exercise").
func JSONArgsField(cmd *cobra.Command, field string) {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[jsonArgsField] = field
}

// WantsJSON reports whether the command line args asked cmd for JSON
// (--json), read from the words themselves: a mistake on the command line
// may stop cobra before it parses the flag.
func WantsJSON(cmd *cobra.Command, args []string) bool {
	if cmd == nil || cmd.Flags().Lookup("json") == nil {
		return false
	}
	for _, a := range args {
		switch {
		case a == "--":
			return false
		case a == "--json":
			return true
		case strings.HasPrefix(a, "--json="):
			// Asked for, unless plainly not: a value cobra refuses
			// (--json=maybe) is a mistake made in asking for JSON.
			off, err := strconv.ParseBool(strings.TrimPrefix(a, "--json="))
			return err != nil || off
		}
	}
	return false
}

// WriteCommandLineError writes, as cmd's JSON error, an error that
// stopped cmd before it wrote anything: with --json every outcome is JSON
// on stdout, a bad flag or argument, a lesson folder that is not there or
// an unset HOME too.
func WriteCommandLineError(w io.Writer, cmd *cobra.Command, err error) error {
	e := NewJSONError(err)
	e.Error = plainUsage(strings.TrimRight(e.Error, "\n"))
	field, ok := cmd.Annotations[jsonArgsField]
	if !ok {
		return WriteJSON(w, e)
	}
	var about string
	if a := cmd.Flags().Args(); len(a) == 1 {
		about = a[0] // several are no one thing the error is about
	}
	return WriteJSON(w, map[string]any{field: about, "error": e.Error, "exit_code": e.ExitCode})
}

// Plural says n things: "1 hint", "3 hints".
func Plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

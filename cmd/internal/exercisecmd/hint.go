package exercisecmd

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
)

// HintOptions are the options of `dockdojo hint`.
type HintOptions struct{ Target }

// NewCmdHint returns `dockdojo hint`.
func NewCmdHint(f *cmdutil.Factory, runF func(context.Context, *HintOptions) error) *cobra.Command {
	opts := &HintOptions{Target{F: f}}
	return command(&opts.Target, "hint", "Show the next hint of an exercise (one more each time)", opts, runF, RunHint)
}

// RunHint shows the hints seen so far and one more.
func RunHint(_ context.Context, opts *HintOptions) error {
	f := opts.F
	s, ex, err := opts.resolve("hint")
	if err != nil {
		return err
	}
	shown, err := s.Hint(ex)
	unsaved, err := notRecorded(err)
	if err != nil {
		return err
	}
	defer warnNotRecorded(f, unsaved)
	w := f.IOStreams.Out
	for i := 0; i < shown; i++ {
		label := fmt.Sprintf("Hint %d of %d: ", i+1, len(ex.Hints))
		hint := cmdutil.Say(f, strings.TrimSpace(ex.Hints[i]))
		if isCommand(hint) {
			// Printed whole, past the wrapping of lines: a line break
			// would end the command where it fell (Streams.Wrap).
			fmt.Fprintln(iostreams.Unwrapped(w), f.IOStreams.WrapCommand(label, hint, 2))
			continue
		}
		fmt.Fprintln(w, f.IOStreams.Wrap(label+hint, 2))
	}
	if shown == len(ex.Hints) {
		fmt.Fprintf(w, "\nThat was the last hint. `%s` shows the answer.\n", cmdutil.Global(f)("solution", ex.Key()))
	}
	return nil
}

// dockerfileWords are the instructions a Dockerfile line starts with.
var dockerfileWords = []string{"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"}

// commandNameRE is how a command line's first word is spelled: a program
// (docker, docker-compose, apt-get, cat), never a capitalised word.
var commandNameRE = regexp.MustCompile(`^[a-z][a-z0-9._+-]*$`)

// labelRE is a word that a colon makes a label ("The reader: ...").
var labelRE = regexp.MustCompile(`^[A-Za-z]+$`)

// isCommand reports whether a hint is a line to type (a command, or a line
// of a Dockerfile) rather than a sentence, which may name commands: it
// starts with a program's name or a Dockerfile instruction, and outside
// its quotes it has none of prose's marks: no code span (a sentence quotes
// its commands), no ", " nor a label's ": ", no word that ends a sentence
// with ".", "?" or "!" (a build's context, " .", ends none), no " (", no
// apostrophe, no quote left open.
func isCommand(hint string) bool {
	first, _, _ := strings.Cut(hint, " ")
	if strings.Contains(hint, "\n") || !commandNameRE.MatchString(first) && !slices.Contains(dockerfileWords, first) {
		return false
	}
	var quote byte
	for i := 0; i < len(hint); i++ {
		c := hint[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' {
				i++
			}
		case c == '\'' && i > 0 && i+1 < len(hint) && isLetter(hint[i-1]) && isLetter(hint[i+1]):
			return false // an apostrophe: "web's"
		case c == '\'' || c == '"':
			quote = c
		case c == '\\':
			i++
		case c == '`':
			return false
		case c == '(' && i > 0 && hint[i-1] == ' ':
			return false
		case strings.IndexByte(",:.?!", c) >= 0 && i > 0 && hint[i-1] != ' ' && (i+1 == len(hint) || hint[i+1] == ' '):
			word := hint[strings.LastIndexByte(hint[:i], ' ')+1 : i]
			if c != ':' || labelRE.MatchString(word) { // cut -d: is no label
				return false
			}
		}
	}
	return quote == 0
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

package lessons_test

import (
	"testing"

	"github.com/dockdojo/dockdojo/lessons"
)

// Fences inside a block that do not mean it was left open: the block is
// closed, and nothing of it is a mistake.
func TestFencesInsideClosedBlocks(t *testing.T) {
	const fm = "---\nformat_version: 1\nid: fences\ntitle: T\nsummary: S.\n---\n\n"
	const exercise = "id: run-web\ntitle: Run a web server\ngoal: Run a container named web from nginx:1.27.\nflavour: host\n" +
		"checks:\n  - kind: container_running\n    container: web\nhints:\n  - docker run -d --name web nginx:1.27\n  - -d runs it in the background.\n" +
		"owns:\n  containers: [web]\n"
	for _, tc := range []struct{ name, body string }{
		{"a longer fence shows an exercise", "````markdown\n```exercise\nid: x\n```\n````\n"},
		{"tildes show an exercise", "~~~\n```exercise\nid: x\n```\n~~~\n"},
		{"a fence in a YAML value", "```exercise\n" + exercise + "solution: |\n  cat > notes.md <<'EOF'\n  ```sh\n  EOF\n  docker run -d --name web nginx:1.27\n```\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := lessons.Parse([]byte(fm+tc.body), "lesson.md"); err != nil {
				t.Errorf("%v", err)
			}
		})
	}
}

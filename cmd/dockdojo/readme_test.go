package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestCIRunsTheReadmeTests: README's quick start gives the test command,
// and .ci/run ends by running exactly that command, so that what CI proves
// is what a developer runs.
func TestCIRunsTheReadmeTests(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?m)^(go test [^#\n]*?)\\s*# run the tests").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README's quick start has no line `go test ...  # run the tests`")
	}
	want := string(m[1])
	lines := strings.Split(strings.TrimSpace(string(ci)), "\n")
	if last := lines[len(lines)-1]; last != want {
		t.Errorf(".ci/run ends with %q, not README's test command %q", last, want)
	}
	if !strings.Contains(want, "-count=1") {
		t.Errorf("README's test command %q caches results: a cached pass says nothing of the engine as it is now", want)
	}
}

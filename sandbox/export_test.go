package sandbox

import "time"

// SetBuildQuiet sets how long a build may say nothing before the engine is
// asked whether it answers, until the test ends (see watchBuild).
func SetBuildQuiet(t interface{ Cleanup(func()) }, d time.Duration) {
	old := buildQuiet
	buildQuiet = d
	t.Cleanup(func() { buildQuiet = old })
}

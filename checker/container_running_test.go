package checker

import "testing"

func TestContainerRunning(t *testing.T) {
	runFakeCases(t, []fakeCase{
		{name: "running", spec: &ContainerRunning{ContainerExists{Container: "dojo-web"}}},
		{name: "stopped", spec: &ContainerRunning{ContainerExists{Container: "dojo-old"}}, want: "exists but is not running: it is exited with exit code 137"},
	})
}

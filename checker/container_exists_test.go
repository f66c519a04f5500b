package checker

import "testing"

func TestContainerExists(t *testing.T) {
	runFakeCases(t, []fakeCase{
		{name: "missing container", spec: &ContainerExists{Container: "dojo-web-2"}, want: "there is no container named dojo-web-2"},
		{name: "stopped counts", spec: &ContainerExists{Container: "dojo-old"}},
	})
}

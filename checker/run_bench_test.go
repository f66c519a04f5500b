package checker

import (
	"context"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// BenchmarkRunResolveByName measures one run of the checks of
// networks/resolve-by-name, passing, on the engine: the engine's share of
// `dockdojo check`, without the process's start and the course's loading.
//
//	go test -run '^$' -bench RunResolveByName -benchtime 20x ./checker/
func BenchmarkRunResolveByName(b *testing.B) {
	eng, labels := sandboxtest.Engine(b), sandboxtest.Labels(b)
	ctx := context.Background()
	id := suffix()
	netName, ping, pong := "dojobench-lan-"+id, "dojobench-ping-"+id, "dojobench-pong-"+id
	if err := eng.CreateNetwork(ctx, netName, "bridge", labels); err != nil {
		b.Fatal(err)
	}
	for _, n := range []string{ping, pong} {
		if _, err := eng.RunContainer(ctx, sandbox.ContainerSpec{Name: n, Image: "busybox:1.36", Network: netName, Labels: labels}); err != nil {
			b.Fatal(err)
		}
	}
	ct, err := eng.InspectContainer(ctx, pong)
	if err != nil {
		b.Fatal(err)
	}
	time.Sleep(time.Until(ct.StartedAt.Add(Settle))) // judged as settled containers are
	checks := []Check{
		{Spec: &NetworkExists{Network: netName, Driver: "bridge"}},
		{Spec: &ContainerRunning{ContainerExists: ContainerExists{Container: ping}}},
		{Spec: &ContainerRunning{ContainerExists: ContainerExists{Container: pong}}},
		{Spec: &ContainerOnNetwork{Container: ping, Network: netName}},
		{Spec: &ContainerOnNetwork{Container: pong, Network: netName}},
		{Spec: &NameResolves{From: ping, Name: pong}},
		{Spec: &NameResolves{From: pong, Name: ping}},
	}
	env := Env{Target: eng, Labels: labels}
	b.ResetTimer()
	for range b.N {
		res, err := runAll(context.Background(), env, checks)
		if err != nil {
			b.Fatal(err)
		}
		if !res.Passed() {
			b.Fatalf("the checks fail: %s", res.FirstFailure().Message)
		}
	}
}

// BenchmarkVolumeFile measures one volume_file check, passing, on the
// engine: "copy" reads a file, which the engine copies out of a probe that
// never starts; "probe" reads it through a symbolic link, which a started
// probe follows with cat, as every volume_file did before the copy.
//
//	go test -run '^$' -bench VolumeFile -benchtime 20x ./checker/
func BenchmarkVolumeFile(b *testing.B) {
	eng, labels := sandboxtest.Engine(b), sandboxtest.Labels(b)
	ctx := context.Background()
	vol := "dojobench-vol-" + suffix()
	if err := eng.CreateVolume(ctx, vol, labels); err != nil {
		b.Fatal(err)
	}
	write := []string{"sh", "-c", "echo hello volume > /v/note.txt && ln -s note.txt /v/link.txt"}
	res, err := eng.Probe(ctx, sandbox.ProbeSpec{Image: ProbeImage, Cmd: write, Labels: labels,
		Mounts: []sandbox.MountSpec{{Type: "volume", Source: vol, Target: "/v"}}})
	if err != nil || res.ExitCode != 0 {
		b.Fatalf("writing the volume: %v %+v", err, res)
	}
	env := Env{Target: eng, Labels: labels}
	for _, bb := range []struct{ name, path string }{{"copy", "note.txt"}, {"probe", "link.txt"}} {
		b.Run(bb.name, func(b *testing.B) {
			checks := []Check{{Spec: &VolumeFile{Volume: vol, Path: bb.path, Text: Text{Contains: "hello volume"}}}}
			for range b.N {
				res, err := runAll(ctx, env, checks)
				if err != nil {
					b.Fatal(err)
				}
				if !res.Passed() {
					b.Fatalf("the check fails: %s", res.FirstFailure().Message)
				}
			}
		})
	}
}

package checker

import (
	"net"
	"os/exec"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// dockerMayFail runs the docker CLI as docker does, for a command a
// learner's mistake makes fail (a port that is taken): its failure is the
// point.
func dockerMayFail(t *testing.T, labels map[string]string, args ...string) {
	t.Helper()
	l := []string{args[0], "--label", sandbox.LabelManaged + "=true"}
	for k, v := range labels {
		l = append(l, "--label", k+"="+v)
	}
	_ = exec.Command("docker", append(l, args[1:]...)...).Run()
}

// TestTakenHostPort: a container whose host port is taken exists, created
// and never started. Its checks say which port, who holds it when the
// engine knows (another container), and what to do: free it and start the
// container, not run it again.
func TestTakenHostPort(t *testing.T) {
	eng, labels, ctx := onEngine(t, 2*time.Minute)
	id := suffix()
	holder, victim, victim2 := "dojotest-holder-"+id, "dojotest-victim-"+id, "dojotest-victim2-"+id
	byContainer, byProgram := sandboxtest.FreePort(t), sandboxtest.FreePort(t)
	docker(t, labels, "run", "-d", "--name", holder, "-p", byContainer+":80", "busybox:1.36", "sleep", "300")
	dockerMayFail(t, labels, "run", "-d", "--name", victim, "-p", byContainer+":80", "busybox:1.36", "sleep", "300")
	ln, err := net.Listen("tcp", ":"+byProgram)
	must(t, err)
	defer ln.Close()
	dockerMayFail(t, labels, "run", "-d", "--name", victim2, "-p", byProgram+":80", "busybox:1.36", "sleep", "300")

	env := Env{Target: eng, Labels: labels}
	runCases(t, ctx, env, []checkCase{
		{"running, port held by a container", &ContainerRunning{ContainerExists: ContainerExists{Container: victim}},
			"exists but is not running: it could not start: host port " + byContainer + " is already in use by container " + holder + "; stop it (`docker stop " + holder + "`) or free the port; then `docker start " + victim + "` starts it"},
		{"published, port held by a container", &PortPublished{Container: victim, Port: "80", HostPort: byContainer},
			"could not start with port 80/tcp published: host port " + byContainer + " is already in use by container " + holder},
		{"published elsewhere, read from its configuration", &PortPublished{Container: victim, Port: "80", HostPort: "1"},
			"is published on host port " + byContainer + ", expected 1"},
		{"running, port held by a program", &ContainerRunning{ContainerExists: ContainerExists{Container: victim2}},
			"host port " + byProgram + " is already in use by another program on this machine; stop it or free the port; then `docker start " + victim2 + "`"},
		{"http, port held", &HTTPGet{Container: victim2, Port: "80"}, "is not running, so it cannot answer: it could not start: host port " + byProgram},
	})
}

// TestStoppedContainerKeepsItsPorts: a stopped container's published ports
// are read from how it was made, and the advice for it is to start it.
func TestStoppedContainerKeepsItsPorts(t *testing.T) {
	eng, labels, ctx := onEngine(t, 2*time.Minute)
	id := suffix()
	stopped, made := "dojotest-stopped-"+id, "dojotest-made-"+id
	port := sandboxtest.FreePort(t)
	docker(t, labels, "run", "-d", "--name", stopped, "-p", port+":80", "busybox:1.36", "sleep", "300")
	docker(t, labels, "stop", "-t", "0", stopped)
	docker(t, labels, "create", "--name", made, "-p", "80", "busybox:1.36", "sleep", "300")
	runCases(t, ctx, Env{Target: eng, Labels: labels}, []checkCase{
		{"published", &PortPublished{Container: stopped, Port: "80/tcp", HostPort: port}, ""},
		{"published elsewhere", &PortPublished{Container: stopped, Port: "80/tcp", HostPort: "1"}, "is published on host port " + port + ", expected 1"},
		{"not published", &PortPublished{Container: stopped, Port: "443"}, "port 443/tcp of " + stopped + " is not published; it publishes port 80/tcp on host port " + port + " (`-p " + port + ":80`)"},
		{"exited: start it", &ContainerRunning{ContainerExists: ContainerExists{Container: stopped}},
			"it is exited with exit code 137 (`docker logs " + stopped + "` says why); `docker start " + stopped + "` starts it again, or remove it with `docker rm " + stopped + "` before you run a new one"},
		{"never started", &ContainerRunning{ContainerExists: ContainerExists{Container: made}}, "it was created but never started; `docker start " + made + "` starts it"},
		{"a port the engine chooses", &PortPublished{Container: made, Port: "80", HostPort: "8080"}, "is published on a host port the engine chooses, expected 8080"},
	})
}

// TestDetached tells a container run in the background from one run in
// the foreground, which Ctrl-C in its terminal stops.
func TestDetached(t *testing.T) {
	eng, labels, ctx := onEngine(t, 2*time.Minute)
	id := suffix()
	bg, fg, made := "dojotest-bg-"+id, "dojotest-fg-"+id, "dojotest-made-"+id
	docker(t, labels, "run", "-d", "--name", bg, "busybox:1.36", "sleep", "300")
	docker(t, labels, "create", "-it", "--name", made, "busybox:1.36")
	// As Compose v2 makes every container, `up -d` too: attached.
	composed := "dojotest-cmp-" + id
	docker(t, labels, "create", "--label", ComposeProjectLabel+"=dojotest", "--name", composed, "busybox:1.36", "sleep", "300")
	docker(t, labels, "start", composed)
	args := []string{"run", "--name", fg, "--label", sandbox.LabelManaged + "=true"}
	for k, v := range labels {
		args = append(args, "--label", k+"="+v)
	}
	foreground := exec.Command("docker", append(args, "busybox:1.36", "sleep", "300")...)
	must(t, foreground.Start())
	t.Cleanup(func() { _ = foreground.Process.Kill(); _ = foreground.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		if ct, err := eng.InspectContainer(ctx, fg); err == nil && ct.Running {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not start within 30 s", fg)
		}
		time.Sleep(50 * time.Millisecond)
	}
	runCases(t, ctx, Env{Target: eng, Labels: labels}, []checkCase{
		{"detached", &ContainerRunning{ContainerExists: ContainerExists{Container: bg}, Detached: true}, ""},
		{"in the foreground", &ContainerRunning{ContainerExists: ContainerExists{Container: fg}, Detached: true},
			"runs in the foreground (`docker run` without -d, or made with `docker create`)"},
		{"in the foreground, detached not asked", &ContainerRunning{ContainerExists: ContainerExists{Container: fg}}, ""},
		{"made for the foreground, never started", &ContainerRunning{ContainerExists: ContainerExists{Container: made}, Detached: true},
			"exists but is not running (it is created), and it was made to run in the foreground (`docker run` without -d, or `docker create`); remove it (`docker rm -f " + made + "`) and run it again with -d"},
		{"made by Compose, which makes every container attached", &ContainerRunning{ContainerExists: ContainerExists{Container: composed}, Detached: true}, ""},
		{"never started, detached not asked", &ContainerRunning{ContainerExists: ContainerExists{Container: made}}, "`docker start " + made + "` starts it"},
	})
}

// TestForeground tells a container that ran in the foreground and exited
// from one run with -d, whose output never reached the terminal.
func TestForeground(t *testing.T) {
	eng, labels, ctx := onEngine(t, 2*time.Minute)
	id := suffix()
	fg, bg := "dojotest-fgx-"+id, "dojotest-bgx-"+id
	docker(t, labels, "run", "--name", fg, "busybox:1.36", "echo", "hi")
	docker(t, labels, "run", "-d", "--name", bg, "busybox:1.36", "echo", "hi")
	composed := "dojotest-cmpx-" + id
	docker(t, labels, "create", "--label", ComposeProjectLabel+"=dojotest", "--name", composed, "busybox:1.36", "echo", "hi")
	docker(t, labels, "start", "-a", composed)
	deadline := time.Now().Add(30 * time.Second)
	for {
		if ct, err := eng.InspectContainer(ctx, bg); err == nil && ct.State == "exited" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not exit within 30 s", bg)
		}
		time.Sleep(50 * time.Millisecond)
	}
	zero := 0
	runCases(t, ctx, Env{Target: eng, Labels: labels}, []checkCase{
		{"in the foreground", &ContainerState{Container: fg, State: "exited", ExitCode: &zero, Foreground: true}, ""},
		{"with -d", &ContainerState{Container: bg, State: "exited", ExitCode: &zero, Foreground: true},
			"container " + bg + " was run in the background (with -d), and this exercise asks for the foreground, where what it prints shows in your terminal; remove it (`docker rm -f " + bg + "`) and run it again without -d"},
		{"made by Compose", &ContainerState{Container: composed, State: "exited", ExitCode: &zero, Foreground: true},
			"container " + composed + " was made by Docker Compose, and this exercise asks for `docker run` in the foreground"},
		{"with -d, foreground not asked", &ContainerState{Container: bg, State: "exited", ExitCode: &zero}, ""},
		{"with -d, detached asked", &ContainerState{Container: bg, State: "exited", Detached: true}, ""},
		{"in the foreground, detached asked", &ContainerState{Container: fg, State: "exited", Detached: true},
			"container " + fg + " was run in the foreground (`docker run` without -d, or made with `docker create`), and this exercise asks for one run in the background with -d; remove it (`docker rm -f " + fg + "`) and run it again with -d"},
		// How it was run comes first: in any state, only a new run mends it.
		{"in the foreground, detached asked, in another state", &ContainerState{Container: fg, State: "running", Detached: true}, "was run in the foreground"},
		{"made by Compose, detached asked", &ContainerState{Container: composed, State: "exited", Detached: true}, ""},
	})
}

// TestNearMisses: a name nearly the one asked for is named, never taken
// for it.
func TestNearMisses(t *testing.T) {
	eng, labels, ctx := onEngine(t, 2*time.Minute)
	id := suffix()
	docker(t, labels, "run", "-d", "--name", "dojotest_web_"+id, "busybox:1.36", "sleep", "300")
	// As Compose labels what it makes: a rename would not last.
	docker(t, labels, "run", "-d", "--name", "dojotest_cmp_"+id, "--label", ComposeProjectLabel+"=dojotest-p-"+id,
		"--label", composeService+"=web", "busybox:1.36", "sleep", "300")
	must(t, eng.CreateNetwork(ctx, "dojotest-net-lam-"+id, "bridge", labels))
	must(t, eng.CreateVolume(ctx, "dojotest-vol-dat-"+id, labels))
	image := "dojotest-site-" + id
	docker(t, labels, "tag", "busybox:1.36", image+":latest")
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", image+":latest").Run() })
	runCases(t, ctx, Env{Target: eng, Labels: labels}, []checkCase{
		{"container", &ContainerExists{Container: "dojotest-web-" + id},
			"there is no container named dojotest-web-" + id + " (found dojotest_web_" + id + "; did you mean dojotest-web-" + id + "? `docker rename dojotest_web_" + id + " dojotest-web-" + id + "` renames it)"},
		{"network", &NetworkExists{Network: "dojotest-net-lan-" + id},
			"there is no network named dojotest-net-lan-" + id + " (found dojotest-net-lam-" + id + "; did you mean dojotest-net-lan-" + id + "?)"},
		{"volume", &VolumeExists{Volume: "dojotest-vol-data-" + id},
			"there is no volume named dojotest-vol-data-" + id + " (found dojotest-vol-dat-" + id + "; did you mean dojotest-vol-data-" + id + "?)"},
		{"made by Compose", &ContainerExists{Container: "dojotest-cmp-" + id},
			"there is no container named dojotest-cmp-" + id + " (found dojotest_cmp_" + id + ", which Docker Compose made for service web of project dojotest-p-" + id + "; did you mean dojotest-cmp-" + id + "? set `container_name: dojotest-cmp-" + id + "` for that service in its compose.yaml and run `docker compose up -d` again)"},
		{"image tag", &ImageExists{Image: image + ":1.0"},
			"there is no image " + image + ":1.0 (" + image + " has the tag latest, not 1.0; `docker image ls " + image + "` lists its tags)"},
		{"image name", &ImageExists{Image: image + "x:latest"},
			"there is no image " + image + "x:latest (found " + image + ":latest; did you mean " + image + "x:latest? `docker tag " + image + ":latest " + image + "x:latest` gives it that name too)"},
		{"no near miss", &ContainerExists{Container: "dojotest-elsewhere-" + id + "-x"}, "there is no container named dojotest-elsewhere-" + id + "-x (`docker ps -a` lists yours)"},
	})
}

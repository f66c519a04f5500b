package checker

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// docker runs the docker CLI as a learner would, putting the test's labels
// on what it creates so the test's clean-up finds it.
func docker(t *testing.T, labels map[string]string, args ...string) {
	t.Helper()
	if len(args) > 0 && (args[0] == "run" || args[0] == "create") {
		var l []string
		for k, v := range labels {
			l = append(l, "--label", k+"="+v)
		}
		l = append(l, "--label", sandbox.LabelManaged+"=true")
		args = append(append([]string{args[0]}, l...), args[1:]...)
	}
	out, err := exec.Command("docker", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestMoreChecksOnEngine covers the kinds that look at how a container was
// configured, what it printed, builds, Dockerfiles, Compose projects and
// probe scripts, each once passing and once against a near miss.
func TestMoreChecksOnEngine(t *testing.T) {
	eng, labels, ctx := onEngine(t, 3*time.Minute)
	if _, err := exec.LookPath("docker"); err != nil {
		t.Fatalf("the docker CLI is needed to create what a learner would: %v", err)
	}
	id := suffix()
	a, b, proj := "dojotest-more-a-"+id, "dojotest-more-b-"+id, "dojotest-proj-"+id
	netName := "dojotest-more-net-" + id
	must(t, eng.CreateNetwork(ctx, netName, "bridge", labels))
	docker(t, labels, "run", "-d", "--name", a, "--network", netName, "-e", "GREETING=hello", "--cap-add", "NET_ADMIN",
		"--restart", "unless-stopped", "--user", "nobody", "--tmpfs", "/scratch", "--device", "/dev/null:/dev/dojo-null",
		"--device", "/dev/zero:/dev/dojo-zero", "busybox:1.36", "sh", "-c", "echo ready; exec sleep 300")
	docker(t, labels, "create", "--name", b, "busybox:1.36", "sh", "-c", "echo bye; exit 3")
	docker(t, labels, "start", b)
	docker(t, labels, "wait", b) // it exits 3: a failure the checks must see
	docker(t, labels, "run", "-d", "--name", "dojotest-proj-web-"+id, "--label", "com.docker.compose.project="+proj,
		"--label", "com.docker.compose.service=web", "busybox:1.36", "sleep", "300")
	docker(t, labels, "create", "--name", "dojotest-proj-db-"+id, "--label", "com.docker.compose.project="+proj,
		"--label", "com.docker.compose.service=db", "busybox:1.36", "sleep", "300")
	// A service whose host port another container holds: it cannot start,
	// and its logs are empty.
	port := sandboxtest.FreePort(t)
	holder, site := "dojotest-more-holder-"+id, "dojotest-proj-site-"+id
	docker(t, labels, "run", "-d", "--name", holder, "-p", "127.0.0.1:"+port+":80", "busybox:1.36", "sleep", "300")
	docker(t, labels, "create", "--name", site, "--label", "com.docker.compose.project="+proj,
		"--label", "com.docker.compose.service=site", "-p", "127.0.0.1:"+port+":80", "busybox:1.36", "sleep", "300")
	_ = exec.Command("docker", "start", site).Run() // fails: the port is taken
	aInfo, err := eng.InspectContainer(ctx, a)
	must(t, err)

	ws := t.TempDir()
	write := func(name, data string) {
		must(t, os.MkdirAll(filepath.Dir(filepath.Join(ws, name)), 0o755))
		must(t, os.WriteFile(filepath.Join(ws, name), []byte(data), 0o644))
	}
	write("Dockerfile", "FROM busybox:1.36\n# a comment\nCMD [\"echo\", \"built by me\"]\n")
	write("broken/Dockerfile", "FROM busybox:1.36\nRUN exit 7\n")
	write("online/Dockerfile", "FROM busybox:1.36\nRUN wget -q -T 3 -O /dev/null http://127.0.0.1:9/ || (ip route | grep -q default && exit 0; echo offline; exit 9)\n")
	write("apt/Dockerfile", "FROM debian:bookworm-slim\nRUN apt install -y curl\n")

	exit3 := 3
	tests := []checkCase{
		{"state exited", &ContainerState{Container: b, State: "exited", ExitCode: &exit3}, ""},
		{"state wrong", &ContainerState{Container: a, State: "exited"}, "is running, expected exited"},
		{"state exit code", &ContainerState{Container: b, State: "exited", ExitCode: new(int)}, "exited with code 3, expected 0"},
		{"tmpfs flag is a mount", &Mount{Container: a, Type: "tmpfs", Target: "/scratch"}, ""},
		{"absent", &ContainerState{Container: b + "-gone", State: "absent"}, ""},
		{"not absent", &ContainerState{Container: b, State: "absent"}, "still exists (it is exited)"},
		{"logs", &ContainerLogs{Container: b, Contains: "bye"}, ""},
		{"logs missing", &ContainerLogs{Container: b, Contains: "hello"}, "printed \"bye\"; expected \"hello\""},
		{"logs equal", &ContainerLogs{Container: b, Equals: new("bye")}, ""},
		{"logs hold more than asked", &ContainerLogs{Container: b, Equals: new("by")}, `printed "bye"; expected "by" and nothing else`},
		{"env", &EnvSet{Container: a, Name: "GREETING", Value: "hello"}, ""},
		{"env value", &EnvSet{Container: a, Name: "GREETING", Value: "bye"}, "has GREETING=hello, expected GREETING=bye"},
		{"env missing", &EnvSet{Container: b, Name: "GREETING"}, "has no environment variable GREETING"},
		{"cap", &CapAdded{Container: a, Capability: "NET_ADMIN"}, ""},
		{"cap ALL is too much", &CapAdded{Container: b, Capability: "NET_ADMIN"}, "was not given NET_ADMIN (--cap-add NET_ADMIN); it was given none"},
		{"cap missing", &CapAdded{Container: b, Capability: "cap_net_admin"}, "was not given NET_ADMIN"},
		{"cap only it", &CapAdded{Container: a, Capability: "NET_ADMIN", Only: true}, ""},
		{"cap only another", &CapAdded{Container: a, Capability: "NET_RAW", Only: true}, "was not given NET_RAW (--cap-add NET_RAW); it was given NET_ADMIN"},
		{"cap only none, given none", &CapAdded{Container: b, Only: true}, ""},
		{"cap only none, given one", &CapAdded{Container: a, Only: true}, "container " + a + " was given NET_ADMIN, expected no added capability: devices and the rest of this exercise need none; remove it (`docker rm -f " + a + "`) and run it again without --cap-add NET_ADMIN"},
		{"restart", &RestartPolicy{Container: a, Policy: "unless-stopped"}, ""},
		{"restart no", &RestartPolicy{Container: b, Policy: "always"}, "has restart policy no, expected always"},
		{"user", &User{Container: a, User: "nobody"}, ""},
		{"user default", &User{Container: b, User: "nobody"}, "runs as root (no --user, and its image sets no USER), expected nobody"},
		{"user root, not set", &User{Container: b, User: "root"}, ""},
		{"user 0:0, not set", &User{Container: b, User: "0:0"}, ""},
		{"user root, another set", &User{Container: a, User: "root"}, "runs as nobody, expected root"},
		{"device", &DeviceMapped{Container: a, Path: "/dev/dojo-null", Host: "/dev/null"}, ""},
		{"device missing", &DeviceMapped{Container: b, Path: "/dev/dojo-null"}, "has no device at /dev/dojo-null"},
		{"device only, with another", &DeviceMapped{Container: a, Path: "/dev/dojo-null", Only: true}, "container " + a + " has /dev/dojo-null, and also /dev/zero at /dev/dojo-zero; expected that device alone"},
		{"image run", &ImageRun{Image: "busybox:1.36", Command: []string{"echo", "hi"}, Output: Output{OutputContains: "hi"}}, ""},
		{"image run bad command", &ImageRun{Image: "busybox:1.36", Command: []string{"Alice"}}, "could not start: exec: \"Alice\": executable file not found"},
		{"image run shows its command as a shell reads it", &ImageRun{Image: "busybox:1.36", Command: []string{"sh", "-c", "echo 'it is' here"}, Output: Output{OutputContains: "gone"}}, "image busybox:1.36 run with `sh -c \"echo 'it is' here\"` printed \"it is here\""},
		{"image run missing image", &ImageRun{Image: "busybox:0.0-dojotest"}, "there is no image busybox:0.0-dojotest"},
		{"build runs", &ImageRun{Build: ".", Output: Output{OutputContains: "built by me"}}, ""},
		{"build wrong output", &ImageRun{Build: ".", Output: Output{OutputContains: "someone else"}}, "your image run printed \"built by me\""},
		{"build fails", &ImageRun{Build: "broken"}, "your Dockerfile in broken does not build"},
		{"build is offline", &ImageRun{Build: "online"}, "returned a non-zero code: 9"},
		{"dockerfile", &Dockerfile{Instruction: "cmd", Matches: "built"}, ""},
		{"dockerfile missing", &Dockerfile{Instruction: "ENTRYPOINT"}, "Dockerfile has no ENTRYPOINT instruction"},
		{"dockerfile absent", &Dockerfile{File: "apt/Dockerfile", Instruction: "RUN", Matches: `\bapt\s+install`, Absent: true}, "apt/Dockerfile line 2: `RUN apt install -y curl` should not be there"},
		{"dockerfile absent ok", &Dockerfile{Instruction: "RUN", Matches: `\bapt\s`, Absent: true}, ""},
		{"compose", &ComposeServices{Project: proj, Services: []string{"web"}}, ""},
		{"compose stopped", &ComposeServices{Project: proj, Services: []string{"web", "db"}}, "db is not running (container dojotest-proj-db-" + id + "): it is created; Docker Compose made it: change compose.yaml if it needs it, then run `docker compose up -d` again"},
		{"compose service whose port is taken", &ComposeServices{Project: proj, Services: []string{"site"}}, "site is not running (container " + site + "): it could not start: host port " + port + " is already in use by container " + holder},
		{"a container Compose made, not running", &ContainerRunning{ContainerExists: ContainerExists{Container: "dojotest-proj-db-" + id}}, "Docker Compose made it: change compose.yaml if it needs it, then run `docker compose up -d` again"},
		{"compose missing service", &ComposeServices{Project: proj, Services: []string{"cache"}}, "has no service cache"},
		{"compose no project", &ComposeServices{Project: proj + "x", Services: []string{"web"}}, "has no containers"},
		{"script in network", &Script{Network: netName, Script: "nslookup " + a + " >/dev/null && echo found", OutputContains: "found"}, ""},
		{"script fails", &Script{Script: "echo nope; exit 2"}, "the check's script exited with 2, expected 0"},
		{"script no network", &Script{Network: netName + "x", Script: "true"}, "there is no network named"},
		{"resolves to address", &NameResolves{From: a, Name: a, Address: aInfo.Networks[netName].IP}, ""},
		{"resolves to other address", &NameResolves{From: a, Name: a, Address: "10.1.2.3"}, "expected 10.1.2.3"},
	}
	env := Env{Target: eng, Workspace: ws, Labels: labels, Exercise: "test/more-" + id, Scope: Scope{Containers: []string{a, b}}}
	runCases(t, ctx, env, tests)
	left, err := eng.ListLabelled(ctx, labels)
	must(t, err)
	if len(left.Images) != 1 || left.Images[0] != BuildTag(env.Exercise) {
		t.Errorf("built images = %v; want exactly %s, labelled for clean-up", left.Images, BuildTag(env.Exercise))
	}
}

// TestComposeFileChangedSinceTheContainer: a failing check of a container
// Compose made from the workspace's compose.yaml, which changed after it,
// says to run up -d again; a file changed before it, or outside the
// workspace, is not named.
func TestComposeFileChangedSinceTheContainer(t *testing.T) {
	eng, labels, ctx := onEngine(t, 2*time.Minute)
	id := suffix()
	ws, elsewhere := t.TempDir(), t.TempDir()
	for _, dir := range []string{ws, elsewhere} {
		must(t, os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte("services: {web: {image: busybox:1.36}}\n"), 0o644))
	}
	made := func(name, file string) {
		docker(t, labels, "run", "-d", "--name", name, "--label", ComposeProjectLabel+"=dojotest",
			"--label", composeConfigLabel+"="+file, "busybox:1.36", "sleep", "300")
	}
	fresh, mine, theirs, v1 := "dojotest-cmp-fresh-"+id, "dojotest-cmp-mine-"+id, "dojotest-cmp-theirs-"+id, "dojotest-cmp-v1-"+id
	made(fresh, filepath.Join(ws, "compose.yaml"))
	made(mine, filepath.Join(ws, "compose.yaml"))
	made(theirs, filepath.Join(elsewhere, "compose.yaml"))
	// docker-compose v1 names the file as given, relative to the folder it
	// ran in.
	docker(t, labels, "run", "-d", "--name", v1, "--label", ComposeProjectLabel+"=dojotest",
		"--label", composeConfigLabel+"=compose.yaml", "--label", composeWorkingDirLabel+"="+ws, "busybox:1.36", "sleep", "300")
	env := Env{Target: eng, Labels: labels, Workspace: ws}
	edited := time.Now().Add(10 * time.Second)
	must(t, os.Chtimes(filepath.Join(ws, "compose.yaml"), edited, edited))
	must(t, os.Chtimes(filepath.Join(elsewhere, "compose.yaml"), edited, edited))
	runCases(t, ctx, env, []checkCase{
		{"edited after the container was made", &RestartPolicy{Container: mine, Policy: "unless-stopped"},
			"; compose.yaml changed at " + edited.Format("15:04:05") + ", after container " + mine + " was made"},
		{"a file outside the workspace is not named", &RestartPolicy{Container: theirs, Policy: "unless-stopped"}, "has restart policy no, expected unless-stopped"},
		{"docker-compose v1's file, named relative to its folder", &RestartPolicy{Container: v1, Policy: "unless-stopped"},
			"; compose.yaml changed at " + edited.Format("15:04:05") + ", after container " + v1 + " was made"},
	})
	res, err := runAll(ctx, env, []Check{{Spec: &RestartPolicy{Container: theirs, Policy: "unless-stopped"}}})
	must(t, err)
	if strings.Contains(res.Outcomes[0].Message, "compose.yaml changed") {
		t.Errorf("a compose file outside the workspace was named: %q", res.Outcomes[0].Message)
	}
	before := time.Now().Add(-time.Hour)
	must(t, os.Chtimes(filepath.Join(ws, "compose.yaml"), before, before))
	res, err = runAll(ctx, env, []Check{{Spec: &RestartPolicy{Container: fresh, Policy: "unless-stopped"}}})
	must(t, err)
	if strings.Contains(res.Outcomes[0].Message, "compose.yaml changed") {
		t.Errorf("a compose file older than the container was named: %q", res.Outcomes[0].Message)
	}
}

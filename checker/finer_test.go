package checker

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// TestFinerFieldsOnEngine covers the fields that look closer at what a
// kind already finds: what a volume's file holds, the host address of a
// published port, a read-only mount, where an environment variable came
// from, and a container on one network only. Each is set up with the docker
// CLI, as a learner would, and judged once passing and once against a near
// miss.
func TestFinerFieldsOnEngine(t *testing.T) {
	eng, labels, ctx := onEngine(t, 3*time.Minute)
	if _, err := exec.LookPath("docker"); err != nil {
		t.Fatalf("the docker CLI is needed to create what a learner would: %v", err)
	}
	id := suffix()
	name := func(s string) string { return "dojotest-finer-" + s + "-" + id }
	vol, lan, other := name("vol"), name("lan"), name("other")
	lo, all, only, both := name("lo"), name("all"), name("only"), name("both")
	must(t, eng.CreateVolume(ctx, vol, labels))
	must(t, eng.CreateNetwork(ctx, lan, "bridge", labels))
	must(t, eng.CreateNetwork(ctx, other, "bridge", labels))

	docker(t, labels, "run", "--rm", "-v", vol+":/v", "busybox:1.36", "sh", "-c",
		`printf 'first\nsecond\r\nthird\n' > /v/list.txt; : > /v/empty.txt`)
	loPort, allPort, otherPort := sandboxtest.FreePort(t), sandboxtest.FreePort(t), sandboxtest.FreePort(t)
	docker(t, labels, "run", "-d", "--name", lo, "-p", "127.0.0.1:"+loPort+":80",
		"-v", vol+":/data:ro", "-v", vol+":/rw", "--tmpfs", "/scratch:ro", "--tmpfs", "/tmp",
		"-e", "GREETING=hello", "-e", "PATH=/bin",
		"--network", lan, "busybox:1.36", "sleep", "300")
	docker(t, labels, "run", "-d", "--name", all, "-p", allPort+":80", "-p", "127.0.0.1:"+otherPort+":81",
		"busybox:1.36", "sleep", "300")
	docker(t, labels, "run", "-d", "--name", only, "--network", lan, "busybox:1.36", "sleep", "300")
	docker(t, labels, "run", "-d", "--name", both, "--network", lan, "busybox:1.36", "sleep", "300")
	docker(t, labels, "network", "connect", other, both)

	eq := func(s string) *string { return &s }
	yes, no := true, false
	imagePath := "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	tests := []checkCase{
		{"volume file equals", &VolumeFile{Volume: vol, Path: "list.txt", Text: Text{Equals: eq("first\nsecond\nthird")}}, ""},
		{"volume file differs", &VolumeFile{Volume: vol, Path: "list.txt", Text: Text{Equals: eq("first\nthird\n")}},
			"list.txt in volume " + vol + " is not the expected text: it differs from line 2 on; it holds \"first⏎second⏎third\""},
		{"volume file is empty", &VolumeFile{Volume: vol, Path: "empty.txt", Text: Text{Equals: eq("")}}, ""},
		{"volume file is not empty", &VolumeFile{Volume: vol, Path: "list.txt", Text: Text{Equals: eq("")}}, "differs from line 1 on"},
		{"volume file empty, expected text", &VolumeFile{Volume: vol, Path: "empty.txt", Text: Text{Contains: "first"}}, "does not contain \"first\"; it is empty"},
		{"volume file matches", &VolumeFile{Volume: vol, Path: "list.txt", Text: Text{Matches: `(?m)^second\s*$`}}, ""},
		{"volume file does not match", &VolumeFile{Volume: vol, Path: "list.txt", Text: Text{Matches: `(?m)^fourth$`}}, "list.txt in volume " + vol + ` is not as expected: expected a file with a line that reads "fourth"; it holds`},
		{"volume file lines in order", &VolumeFile{Volume: vol, Path: "list.txt", Text: Text{Lines: []string{"first", "third"}}}, ""},
		{"volume file lines out of order", &VolumeFile{Volume: vol, Path: "list.txt", Text: Text{Lines: []string{"second", "first"}}},
			"has no line \"first\" after line 2 (\"second\"): the lines must come in this order"},
		{"volume file line missing", &VolumeFile{Volume: vol, Path: "list.txt", Text: Text{Lines: []string{"first", "fourth"}}}, "has no line \"fourth\""},
		{"volume file line is whole", &VolumeFile{Volume: vol, Path: "list.txt", Text: Text{Lines: []string{"sec"}}}, "has no line \"sec\""},
		{"volume file line twice", &VolumeFile{Volume: vol, Path: "list.txt", Text: Text{Lines: []string{"first", "first"}}}, "has no line \"first\" after line 1"},

		{"port on loopback", &PortPublished{Container: lo, Port: "80", HostIP: "127.0.0.1"}, ""},
		{"port on loopback and host port", &PortPublished{Container: lo, Port: "80", HostPort: loPort, HostIP: "127.0.0.1"}, ""},
		{"port on loopback, expected all", &PortPublished{Container: lo, Port: "80", HostIP: "0.0.0.0"},
			"port 80/tcp of " + lo + " is published on 127.0.0.1:" + loPort + ", expected on all interfaces. Ports are published when a container is made: remove it (`docker rm -f " + lo + "`) and run it again with `-p " + loPort + ":80`"},
		{"port on all interfaces", &PortPublished{Container: all, Port: "80", HostIP: "0.0.0.0"}, ""},
		{"port on all, expected loopback", &PortPublished{Container: all, Port: "80", HostIP: "127.0.0.1"},
			"port 80/tcp of " + all + " is published on all interfaces (host port " + allPort + "), expected only on 127.0.0.1. Ports are published when a container is made: remove it (`docker rm -f " + all + "`) and run it again with `-p 127.0.0.1:" + allPort + ":80`"},
		{"another port on loopback", &PortPublished{Container: all, Port: "81", HostIP: "127.0.0.1"}, ""},

		{"mount read-only", &Mount{Container: lo, Type: "volume", Source: vol, Target: "/data", ReadOnly: &yes}, ""},
		{"mount writable, expected read-only", &Mount{Container: lo, Type: "volume", Source: vol, Target: "/rw", ReadOnly: &yes},
			lo + " has volume " + vol + " at /rw writable, expected it read-only (-v " + vol + ":/rw:ro)"},
		{"mount read-only, expected writable", &Mount{Container: lo, Type: "volume", Target: "/data", ReadOnly: &no},
			lo + " has volume " + vol + " at /data read-only, expected it writable (leave out :ro)"},
		{"tmpfs read-only", &Mount{Container: lo, Type: "tmpfs", Target: "/scratch", ReadOnly: &yes}, ""},
		{"tmpfs writable, expected read-only", &Mount{Container: lo, Type: "tmpfs", Target: "/tmp", ReadOnly: &yes},
			lo + " has a tmpfs at /tmp writable, expected it read-only (--tmpfs /tmp:ro)"},

		{"env given at run time", &EnvSet{Container: lo, Name: "GREETING", From: "run"}, ""},
		{"env given over the image's", &EnvSet{Container: lo, Name: "PATH", Value: "/bin", From: "run"}, ""},
		{"env from the image, expected given", &EnvSet{Container: all, Name: "PATH", From: "run"},
			"container " + all + " has PATH=" + imagePath + " from its image busybox:1.36 (ENV), expected it given when the container was created (-e PATH=...)"},
		{"env from the image", &EnvSet{Container: all, Name: "PATH", From: "image"}, ""},
		{"env given, expected the image's", &EnvSet{Container: lo, Name: "PATH", From: "image"},
			"container " + lo + " has PATH=/bin given when it was created (-e), over its image's PATH=" + imagePath + "; expected the image's value (leave out -e PATH)"},
		{"env given, the image has none", &EnvSet{Container: lo, Name: "GREETING", From: "image"},
			"container " + lo + " has GREETING=hello given when it was created (-e); its image busybox:1.36 sets no GREETING"},

		{"on one network only", &ContainerOnNetwork{Container: only, Network: lan, Only: true}, ""},
		{"on two networks", &ContainerOnNetwork{Container: both, Network: lan}, ""},
		{"on two networks, expected one", &ContainerOnNetwork{Container: both, Network: lan, Only: true},
			"container " + both + " is on network " + lan + ", and also on " + other + "; expected it on " + lan + " only (`docker network disconnect " + other + " " + both + "`)"},
		{"on the default network only", &ContainerOnNetwork{Container: all, Network: "bridge", Only: true}, ""},
	}
	runCases(t, ctx, Env{Target: eng, Labels: labels}, tests)
}

func TestFinerFields(t *testing.T) {
	web := sandbox.Container{Name: "dojo-web", Running: true, State: "running",
		Ports: map[string][]sandbox.Binding{"80/tcp": {{HostIP: "0.0.0.0", HostPort: "8081"}, {HostIP: "::", HostPort: "8081"}}}}
	lo6 := sandbox.Container{Name: "dojo-lo6", Running: true, State: "running",
		Ports: map[string][]sandbox.Binding{"80/tcp": {{HostIP: "::1", HostPort: "8081"}}}}
	target := fakeTarget{containers: map[string]sandbox.Container{"dojo-web": web, "dojo-lo6": lo6}}
	runCases(t, context.Background(), Env{Target: target}, []checkCase{
		{"all interfaces, IPv4 and IPv6", &PortPublished{Container: "dojo-web", Port: "80", HostIP: "0.0.0.0"}, ""},
		{"all interfaces written as ::", &PortPublished{Container: "dojo-web", Port: "80", HostIP: "::"}, ""},
		{"all interfaces said once", &PortPublished{Container: "dojo-web", Port: "80", HostIP: "127.0.0.1"}, "published on all interfaces (host port 8081), expected"},
		{"IPv6 loopback", &PortPublished{Container: "dojo-lo6", Port: "80", HostIP: "::1"}, ""},
		{"IPv6 loopback, expected IPv4", &PortPublished{Container: "dojo-lo6", Port: "80", HostIP: "127.0.0.1"}, "published on [::1]:8081, expected only on 127.0.0.1"},
		{"host address of another host port", &PortPublished{Container: "dojo-web", Port: "80", HostPort: "8080", HostIP: "127.0.0.1"}, "published on host port 8081, expected 8080"},
	})
	runValidateCases(t, []validateCase{
		{"a host address that is none", &PortPublished{Container: "a", Port: "80", HostIP: "localhost"}, []string{"host_ip: write an IP address"}},
		{"env from nowhere", &EnvSet{Container: "a", Name: "X", From: "build"}, []string{"from: write run"}},
		{"lines that are not lines", &VolumeFile{Volume: "v", Path: "a.txt", Text: Text{Lines: []string{" ", "a\nb"}}}, []string{"lines: an empty entry", "lines: holds a line break"}},
		{"a bad pattern in a volume's file", &VolumeFile{Volume: "v", Path: "a.txt", Text: Text{Matches: "("}}, []string{"matches: not a valid regular expression"}},
	})
}

// TestTitlesKeepTheAnswer holds the titles of kinds that look at how
// something was written to their rule: the learner sees a title before a
// first try, so it names what is looked at, never the instruction, value
// or pattern that the goal asks the learner to find.
func TestTitlesKeepTheAnswer(t *testing.T) {
	cmd, user := []string{"world"}, ""
	for _, tt := range []struct {
		spec   Spec
		want   string
		secret string
	}{
		{&ImageConfig{Image: "dojo-greet:1.0", Cmd: &cmd, User: &user, Env: []string{"GREETING=hi"}}, "image dojo-greet:1.0: its default command, its environment and the user it runs as are as the goal asks", "world"},
		{&ImageConfig{Image: "dojo-greet:1.0", Cmd: &cmd}, "image dojo-greet:1.0: its default command is as the goal asks", "CMD"},
		{&ImageConfig{Image: "dojo-greet:1.0", Entrypoint: &cmd}, "image dojo-greet:1.0: the program it runs is as the goal asks", "world"},
		{&ImageConfig{Image: "dojo-greet:1.0", Env: []string{"GREETING=hi"}}, "image dojo-greet:1.0: its environment is as the goal asks", "GREETING"},
		{&ImageConfig{Image: "dojo-greet:1.0", ExposedPorts: []string{"80"}}, "image dojo-greet:1.0: the ports it exposes are as the goal asks", "80"},
		{&ImageConfig{Image: "dojo-greet:1.0", Labels: []string{"team=web"}}, "image dojo-greet:1.0: its labels are as the goal asks", "team"},
		{&ImageConfig{Image: "dojo-greet:1.0", User: &user}, "image dojo-greet:1.0: the user it runs as is as the goal asks", "USER"},
		{&ImageConfig{Image: "dojo-greet:1.0", Workdir: &user}, "image dojo-greet:1.0: the folder it starts in is as the goal asks", "WORKDIR"},
		{&ImageConfig{Image: "dojo-greet:1.0", Labels: []string{"team=web"}, User: &user}, "image dojo-greet:1.0: its labels and the user it runs as are as the goal asks", "team"},
		{&DockerfileOrder{Steps: []string{"COPY requirements", "RUN pip install"}}, "Dockerfile does its steps in the order the goal asks", "pip"},
		{&VolumeFile{Volume: "v", Path: "a.txt", Text: Text{Matches: "^secret$"}}, "volume v holds a.txt, written as the goal asks", "secret"},
		{&EnvSet{Container: "w", Name: "GREETING", Value: "secret", From: "run"}, "container w has GREETING set as the goal asks, given when it was created", "secret"},
		{&WorkspaceFile{Path: "out.txt", Text: Text{Lines: []string{"secret"}}}, "out.txt in your workspace is written as the goal asks", "secret"},
		{&PortPublished{Container: "w", Port: "80", HostIP: "127.0.0.1"}, "container w publishes port 80, to this machine only", "127.0.0.1"},
		{&Mount{Container: "w", Type: "volume", Target: "/data", ReadOnly: new(bool)}, "container w has a writable volume mount at /data", ":ro"},
		{&ContainerOnNetwork{Container: "w", Network: "lan", Only: true}, "container w is on network lan and no other", "disconnect"},
	} {
		got := tt.spec.Title()
		if got != tt.want || strings.Contains(got, tt.secret) {
			t.Errorf("title = %q; want %q, without %q", got, tt.want, tt.secret)
		}
	}
}

package checker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// TestChecksOnEngine runs every kind of check against real objects, each
// once where it must pass and once where a near miss must fail.
func TestChecksOnEngine(t *testing.T) {
	eng, labels, ctx := onEngine(t, 3*time.Minute)
	id := suffix()
	name := func(s string) string { return "dojotest-" + s + "-" + id }
	netName, volName, otherNet := name("net"), name("vol"), name("other")
	web, web2, client, loner := name("web"), name("web-2"), name("client"), name("loner")
	plain := name("plain") // debian, which has no nslookup

	must(t, eng.CreateNetwork(ctx, netName, "bridge", labels))
	must(t, eng.CreateNetwork(ctx, otherNet, "bridge", labels))
	must(t, eng.CreateVolume(ctx, volName, labels))

	site := t.TempDir()
	page := "<h1>mine</h1>\n"
	must(t, os.WriteFile(filepath.Join(site, "index.html"), []byte(page), 0o644))
	hostPort := sandboxtest.FreePort(t)
	startContainer(t, eng, sandbox.ContainerSpec{
		Name: web, Image: "httpd:2.4", Cmd: []string{"httpd-foreground"}, Network: netName, Labels: labels,
		CapAdd: []string{"NET_BIND_SERVICE"},
		Ports:  map[string]string{"80/tcp": hostPort},
		Mounts: []sandbox.MountSpec{
			{Type: "bind", Source: site, Target: "/usr/local/apache2/htdocs", ReadOnly: true},
			{Type: "volume", Source: volName, Target: "/data"},
		},
	})
	startContainer(t, eng, sandbox.ContainerSpec{Name: web2, Image: "busybox:1.36", Network: otherNet, Labels: labels})
	startContainer(t, eng, sandbox.ContainerSpec{Name: client, Image: "busybox:1.36", Network: netName, Labels: labels})
	startContainer(t, eng, sandbox.ContainerSpec{Name: loner, Image: "busybox:1.36", Network: otherNet, Labels: labels})
	startContainer(t, eng, sandbox.ContainerSpec{Name: plain, Image: "debian:bookworm-slim", Network: netName, Labels: labels})
	if _, err := eng.Exec(ctx, web, []string{"sh", "-c", "echo hello volume > /data/note.txt && mkdir /data/sub /data/folder && echo deep > /data/sub/deep.txt && ln -s note.txt /data/link.txt && ln -s gone.txt /data/dangling.txt"}); err != nil {
		t.Fatal(err)
	}
	waitListening(t, ctx, "127.0.0.1:"+hostPort)

	ws := filepath.Dir(site)
	rel := filepath.Join(filepath.Base(site), "index.html")
	other := filepath.Join(ws, "other.html")
	must(t, os.WriteFile(other, []byte("<h1>not mine</h1>"), 0o644))
	// The same page outside the workspace (every t.TempDir is inside it),
	// and a link in the workspace that leads to it.
	outside, err := os.CreateTemp("", "dojotest-page-*.html")
	must(t, err)
	t.Cleanup(func() { os.Remove(outside.Name()) })
	_, err = outside.WriteString(page)
	must(t, err)
	must(t, outside.Close())
	must(t, os.Symlink(outside.Name(), filepath.Join(ws, "away.html")))

	tests := []checkCase{
		{"exists", &ContainerExists{Container: web}, ""},
		{"exists is exact", &ContainerExists{Container: strings.TrimSuffix(web2, "-"+id)}, "there is no container named"},
		{"running", &ContainerRunning{ContainerExists: ContainerExists{Container: web}}, ""},
		{"running from image", &ContainerRunning{ContainerExists: ContainerExists{Container: web, Image: "httpd:2.4"}}, ""},
		{"running from another image", &ContainerRunning{ContainerExists: ContainerExists{Container: client, Image: "httpd:2.4"}}, "was made from busybox:1.36, expected httpd:2.4"},
		{"exists from missing image", &ContainerExists{Container: client, Image: "busybox:0.0-dojotest"}, "was made from busybox:1.36, and there is no image busybox:0.0-dojotest (busybox has the tag"},
		{"port", &PortPublished{Container: web, Port: "80", HostPort: hostPort}, ""},
		{"port wrong host port", &PortPublished{Container: web, Port: "80", HostPort: "1"}, "published on host port " + hostPort + ", expected 1"},
		{"http page is the file", &HTTPGet{Container: web, Port: "80", BodyEqualsFile: rel}, ""},
		{"http page is not the file", &HTTPGet{Container: web, Port: "80", BodyEqualsFile: "other.html"}, "is not your other.html"},
		{"http page is a file out of the workspace", &HTTPGet{Container: web, Port: "80", BodyEqualsFile: "away.html"}, "away.html in your workspace is a link that leads out of the workspace"},
		{"http contains", &HTTPGet{Container: web, Port: "80", BodyContains: "mine"}, ""},
		{"http status", &HTTPGet{Container: web, Port: "80", Path: "/nope.html"}, "answered 404"},
		{"http unpublished", &HTTPGet{Container: client, Port: "80"}, "not published"},
		{"exec", &Exec{Container: web, Command: []string{"cat", "/data/note.txt"}, Output: Output{OutputContains: "hello volume"}}, ""},
		{"exec exit code", &Exec{Container: web, Command: []string{"sh", "-c", "exit 3"}}, "exited with 3, expected 0"},
		{"network", &NetworkExists{Network: netName, Driver: "bridge"}, ""},
		{"network driver", &NetworkExists{Network: netName, Driver: "macvlan"}, "uses the bridge driver, expected macvlan"},
		{"network missing", &NetworkExists{Network: strings.TrimSuffix(netName, id)}, "there is no network named"},
		{"on network", &ContainerOnNetwork{Container: client, Network: netName}, ""},
		{"not on network", &ContainerOnNetwork{Container: loner, Network: netName}, "is not on network " + netName + "; it is on " + otherNet},
		{"resolves", &NameResolves{From: client, Name: web}, ""},
		{"resolves alias to other container", &NameResolves{From: client, Name: web, To: client}, "which is not container " + client},
		{"does not resolve across networks", &NameResolves{From: loner, Name: web}, "does not resolve"},
		{"resolves from a container without nslookup", &NameResolves{From: plain, Name: web}, ""},
		{"volume", &VolumeExists{Volume: volName}, ""},
		{"volume missing", &VolumeExists{Volume: volName + "x"}, "there is no volume named"},
		{"volume file", &VolumeFile{Volume: volName, Path: "note.txt", Text: Text{Contains: "hello"}}, ""},
		{"volume file missing", &VolumeFile{Volume: volName, Path: "other.txt"}, "holds no file other.txt"},
		{"volume file in a folder", &VolumeFile{Volume: volName, Path: "sub/deep.txt", Text: Text{Contains: "deep"}}, ""},
		{"volume file is a folder", &VolumeFile{Volume: volName, Path: "folder"}, "holds no file folder"},
		{"volume file under a file", &VolumeFile{Volume: volName, Path: "note.txt/x"}, "holds no file note.txt/x"},
		{"volume file by a link", &VolumeFile{Volume: volName, Path: "link.txt", Text: Text{Contains: "hello volume"}}, ""},
		{"volume file by a dangling link", &VolumeFile{Volume: volName, Path: "dangling.txt"}, "holds no file dangling.txt"},
		{"volume file content", &VolumeFile{Volume: volName, Path: "note.txt", Text: Text{Contains: "bye"}}, "note.txt in volume " + volName + " does not contain \"bye\"; it holds \"hello volume\""},
		{"script reads a volume offline", &Script{Volume: volName, Script: "cat /volume/note.txt", OutputContains: "hello volume"}, ""},
		{"script with volume and network", &Script{Volume: volName, Network: netName, Script: "true"}, "dockdojo refuses"},
		{"mount volume", &Mount{Container: web, Type: "volume", Target: "/data", Source: volName}, ""},
		{"mount bind", &Mount{Container: web, Type: "bind", Target: "/usr/local/apache2/htdocs"}, ""},
		{"mount bind source", &Mount{Container: web, Type: "bind", Target: "/usr/local/apache2/htdocs", Source: filepath.Base(site)}, ""},
		{"mount bind other source", &Mount{Container: web, Type: "bind", Target: "/usr/local/apache2/htdocs", Source: "elsewhere"}, "expected your folder"},
		{"mount bind a file expected", &Mount{Container: web, Type: "bind", Target: "/usr/local/apache2/htdocs", Source: "other.html"}, "expected your file " + other},
		{"mount wrong type", &Mount{Container: web, Type: "tmpfs", Target: "/data"}, "has a volume mount at /data, expected a tmpfs mount"},
		{"mount missing", &Mount{Container: client, Type: "volume", Target: "/data"}, "has no mount at /data"},
		{"image", &ImageExists{Image: "busybox:1.36"}, ""},
		{"image missing", &ImageExists{Image: "busybox:0.0-dojotest"}, "there is no image busybox:0.0-dojotest"},
	}
	env := Env{Target: eng, Workspace: ws, Labels: labels, Scope: Scope{Volumes: []string{volName}}}
	runCases(t, ctx, env, tests)

	// A volume's file is copied out of a probe that never starts; only a
	// link is left to a probe that runs cat, which follows it.
	for _, tt := range []struct {
		path   string
		probes int
	}{{"note.txt", 0}, {"sub/deep.txt", 0}, {"other.txt", 0}, {"folder", 0}, {"link.txt", 1}, {"note.txt/x", 1}} {
		counter := &probeCounter{Target: eng}
		res, err := runAll(ctx, Env{Target: counter, Labels: labels}, []Check{{Spec: &VolumeFile{Volume: volName, Path: tt.path}}})
		if err != nil {
			t.Fatal(err)
		}
		if counter.probes != tt.probes {
			t.Errorf("volume_file %s: %d started probes, want %d (%s)", tt.path, counter.probes, tt.probes, res.Outcomes[0].Message)
		}
	}

	// A name is looked up inside the container that asks when it has
	// nslookup, and from a probe sharing its network when it has not.
	for _, tt := range []struct {
		from   string
		probes int
	}{{client, 0}, {plain, 1}} {
		counter := &probeCounter{Target: eng}
		res, err := runAll(ctx, Env{Target: counter, Labels: labels}, []Check{{Spec: &NameResolves{From: tt.from, Name: web}}})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Passed() || counter.probes != tt.probes {
			t.Errorf("name_resolves from %s: passed=%v with %d probes; want a pass with %d", tt.from, res.Passed(), counter.probes, tt.probes)
		}
	}

	// This test's probes: other runs of dockdojo may have theirs going.
	left, err := eng.ListLabelled(ctx, map[string]string{sandbox.LabelRole: "probe", sandbox.LabelRun: labels[sandbox.LabelRun]})
	if err != nil {
		t.Fatal(err)
	}
	if len(left.Containers) > 0 {
		t.Errorf("probe containers left behind: %v", left.Containers)
	}
}

// probeCounter counts the probe containers of the checks it serves.
type probeCounter struct {
	Target
	mu     sync.Mutex
	probes int
}

func (p *probeCounter) Probe(ctx context.Context, spec sandbox.ProbeSpec) (sandbox.ExecResult, error) {
	p.mu.Lock()
	p.probes++
	p.mu.Unlock()
	return p.Target.Probe(ctx, spec)
}

// onEngine gives a test the engine, labels for what it creates (removed
// when it ends) and a context with a deadline.
func onEngine(t *testing.T, d time.Duration) (*sandbox.Engine, map[string]string, context.Context) {
	t.Helper()
	eng := sandboxtest.Engine(t)
	labels := sandboxtest.Labels(t)
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return eng, labels, ctx
}

func startContainer(t *testing.T, eng *sandbox.Engine, spec sandbox.ContainerSpec) {
	t.Helper()
	if _, err := eng.RunContainer(context.Background(), spec); err != nil {
		t.Fatalf("run %s: %v", spec.Name, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func suffix() string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// waitListening waits until addr accepts a connection and answers HTTP, with
// a deadline.
func waitListening(t *testing.T, ctx context.Context, addr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			_, _ = c.Write([]byte("HEAD / HTTP/1.0\r\n\r\n"))
			_ = c.SetReadDeadline(time.Now().Add(time.Second))
			buf := make([]byte, 4)
			n, _ := c.Read(buf)
			c.Close()
			if n > 0 {
				return
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			t.Fatalf("%s did not answer within 20 s: %v", addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkCase is one check run on the engine: want is "" when it must pass, or
// a part of the message it must fail with.
type checkCase struct {
	name string
	spec Spec
	want string
}

func runCases(t *testing.T, ctx context.Context, env Env, tests []checkCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := runAll(ctx, env, []Check{{Spec: tt.spec}})
			if err != nil {
				t.Fatal(err)
			}
			judge(t, res.Outcomes[0], tt.want)
		})
	}
}

// runAll runs the checks as an exercise that owns every object they name,
// besides those env.Scope has: the tests of the kinds are about what each
// kind finds, and scope_test.go about what a check may reach.
func runAll(ctx context.Context, env Env, checks []Check) (Result, error) {
	s := &env.Scope
	for _, c := range checks {
		for _, o := range c.Objects() {
			switch o.Type {
			case "container":
				s.Containers = append(s.Containers, o.Name)
			case "network":
				s.Networks = append(s.Networks, o.Name)
			case "volume":
				s.Volumes = append(s.Volumes, o.Name)
			case "project":
				s.Networks = append(s.Networks, o.Name+"_default")
			}
		}
	}
	s.Sandbox = env.Sandbox
	return Run(ctx, env, checks)
}

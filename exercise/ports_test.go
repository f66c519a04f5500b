package exercise

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dockdojo/dockdojo/sandbox"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// publishLesson asks the learner to publish one port, and its sandbox
// publishes another.
func publishLesson(learnerPort, sandboxPort string) string {
	return fmt.Sprintf("---\nformat_version: 1\nid: ports\ntitle: Ports\nsummary: Taken ports.\n---\n\n```exercise\n"+
		"id: publish\ntitle: Publish\ngoal: Publish dojotest-ports-web on %[1]s.\nflavour: host\n"+
		"sandbox:\n  image: busybox:1.36\n  ports: [\"%[2]s:80\"]\n"+
		"checks:\n  - kind: port_published\n    container: dojotest-ports-web\n    port: \"80\"\n    host_port: \"%[1]s\"\n"+
		"hints: [One., Two.]\nsolution: docker run -d --name dojotest-ports-web -p %[1]s:80 busybox:1.36 sleep 300\n"+
		"owns:\n  containers: [dojotest-ports-web]\n```\n", learnerPort, sandboxPort)
}

// TestStartWarnsAboutTakenPorts: the port a check asks the learner to
// publish is held by a container of someone else's, and the sandbox's by a
// program. start names the container, says a program holds the other
// port, and does not start a sandbox that cannot bind its port.
func TestStartWarnsAboutTakenPorts(t *testing.T) {
	eng, ctx := onEngine(t)
	labels := sandboxtest.Labels(t)
	learnerPort, sandboxPort := sandboxtest.FreePort(t), sandboxtest.FreePort(t)
	holder := "dojotest-ports-holder-" + learnerPort
	dockerRun(t, holder, labels, "--label", sandbox.LabelManaged+"=true", "-p", learnerPort+":80", "busybox:1.36", "sleep", "300")
	ln, err := net.Listen("tcp", ":"+sandboxPort)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()

	ex := firstExercise(t, fstest.MapFS{"ports/ports.md": {Data: []byte(publishLesson(learnerPort, sandboxPort))}})
	resetWhenDone(t, eng, ex)
	st, err := Start(ctx, eng, ex, t.TempDir(), Output{})
	warnings := strings.Join(st.Warnings, "\n")
	for _, want := range []string{
		"host port " + learnerPort + "/tcp, which this exercise uses, is taken by container " + holder,
		"host port " + sandboxPort + "/tcp, which this exercise uses, is in use by another program on this machine",
	} {
		if !strings.Contains(warnings, want) {
			t.Errorf("start warns:\n%s\nwant: %s", warnings, want)
		}
	}
	if err == nil || !strings.Contains(err.Error(), "host port "+sandboxPort+", which it publishes, is already in use") {
		t.Errorf("start with the sandbox's port taken = %v; want an error that says so", err)
	}
}

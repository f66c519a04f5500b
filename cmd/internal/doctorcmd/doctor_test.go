package doctorcmd

import (
	"strings"
	"testing"

	"github.com/dockdojo/dockdojo/doctor"
)

// TestAdviceOnce: two checks with the same fix (no engine: the engine and
// its socket) give it once; the second points to the first.
func TestAdviceOnce(t *testing.T) {
	const fix = `start Docker: open Docker Desktop, or run "sudo systemctl start docker" on Linux.`
	var b strings.Builder
	printReport(&b, doctor.Summarize([]doctor.Check{
		{Check: "engine", Status: doctor.StatusFail, Detail: "no answer", Fix: fix},
		{Check: "socket", Status: doctor.StatusFail, Detail: "there is no socket at /var/run/docker.sock", Fix: fix},
	}))
	out := b.String()
	if n := strings.Count(out, "systemctl start docker"); n != 1 {
		t.Errorf("the same fix is given %d times:\n%s", n, out)
	}
	if !strings.Contains(out, "socket        there is no socket at /var/run/docker.sock. Fix: as for engine above.") {
		t.Errorf("the socket line does not point to the engine's fix:\n%s", out)
	}
}

func TestReadiness(t *testing.T) {
	rep := doctor.Summarize([]doctor.Check{{Check: "engine", Status: doctor.StatusOK}, {Check: "container", Status: doctor.StatusFail, Fix: "x"}})
	rep.EngineVersion, rep.Version, rep.MissingImages = "20.10.24", "v1.0.0", []string{"httpd:2.4"}
	r := Readiness(rep)
	if !r.Engine || r.EngineVersion != "20.10.24" || r.ImagesMissing != 1 || len(r.Failed) != 1 || r.Failed[0] != "container" || r.Ready() {
		t.Errorf("readiness = %+v, want the engine up, one image missing and the container check failed (not ready)", r)
	}
}

package checker

import (
	"testing"
	"time"
)

// TestProbeImageWget holds the probe image to what "must not answer"
// checks rely on: wget -T on a port where nothing listens fails with exit
// code 1, as busybox's own does, never with a crash that a check would
// count as no answer (Debian's busybox, which the local stand-in is made
// of, crashes there unless scripts/standin-images.sh fixed it).
func TestProbeImageWget(t *testing.T) {
	eng, labels, ctx := onEngine(t, time.Minute)
	env := Env{Target: eng, Labels: labels}
	runCases(t, ctx, env, []checkCase{
		{"refused, with -T", &Script{Script: `wget -q -T 2 -O- http://127.0.0.1:9/; echo "exit $?"`, OutputContains: "exit 1"}, ""},
		{"refused, with -T in a cluster", &Script{Script: `wget -qT2 -O- http://127.0.0.1:9/; echo "exit $?"`, OutputContains: "exit 1"}, ""},
	})
}

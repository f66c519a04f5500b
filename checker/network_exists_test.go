package checker

import (
	"strings"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/sandbox"
)

// A network's subnet is read from the network itself: one made with
// --subnet has it, one made without has the engine's choice, and the
// failure says how to make it again.
func TestNetworkSubnet(t *testing.T) {
	eng, labels, ctx := onEngine(t, time.Minute)
	with, without := "dojotest-subnet-"+suffix(), "dojotest-nosubnet-"+suffix()
	// Labelled as dockdojo's, so that a sweep finds them should the test
	// be stopped before its clean-up.
	for _, args := range [][]string{{"--subnet", "10.234.99.0/24", with}, {without}} {
		docker(t, labels, append([]string{"network", "create", "--label", sandbox.LabelManaged + "=true"}, args...)...)
		name := args[len(args)-1]
		t.Cleanup(func() { docker(t, labels, "network", "rm", name) })
	}
	env := Env{Target: eng, Labels: labels}
	for _, tc := range []struct {
		name, network, subnet, want string
	}{
		{"made with it", with, "10.234.99.0/24", ""},
		{"another subnet", with, "10.234.98.0/24", "network " + with + " has the subnet 10.234.99.0/24, expected 10.234.98.0/24 (a network's subnet is fixed when it is made: `docker network create --subnet 10.234.98.0/24 " + with + "`)"},
		{"made without --subnet", without, "10.234.99.0/24", "network " + without + " has the subnet "},
	} {
		res, err := runAll(ctx, env, []Check{{Spec: &NetworkExists{Network: tc.network, Driver: "bridge", Subnet: tc.subnet}}})
		if err != nil {
			t.Fatal(err)
		}
		o := res.Outcomes[0]
		if o.Passed != (tc.want == "") || !strings.Contains(o.Message, tc.want) {
			t.Errorf("%s: passed=%v %q, want %q", tc.name, o.Passed, o.Message, tc.want)
		}
	}
}

func TestNetworkSubnetIsARange(t *testing.T) {
	runValidateCases(t, []validateCase{
		{"a range", &NetworkExists{Network: "n", Subnet: "10.234.53.0/24"}, nil},
		{"an address in it", &NetworkExists{Network: "n", Subnet: "10.234.53.53/24"}, []string{"subnet: write the network's address range as Docker shows it, e.g. 10.234.53.0/24"}},
		{"no prefix length", &NetworkExists{Network: "n", Subnet: "10.234.53.0"}, []string{"subnet: write the network's address range"}},
		{"IPv6", &NetworkExists{Network: "n", Subnet: "fd00:dead:beef::/48"}, nil},
	})
}

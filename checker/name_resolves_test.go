package checker

import (
	"fmt"
	"testing"
)

func TestLookedUp(t *testing.T) {
	tests := []struct {
		name, out string
		want      []string
	}{
		{"new busybox", "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nNon-authoritative answer:\nName:\tdojo-db\nAddress: 172.18.0.3\n", []string{"172.18.0.3"}},
		{"old busybox", "Server:    127.0.0.11\nAddress 1: 127.0.0.11\n\nName:      dojo-db\nAddress 1: 172.18.0.3 dojo-db.dojo-net\n", []string{"172.18.0.3"}},
		{"not found", "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\n** server can't find dojo-db: NXDOMAIN\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lookedUp(tt.out)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("lookedUp = %v; want %v", got, tt.want)
			}
		})
	}
}

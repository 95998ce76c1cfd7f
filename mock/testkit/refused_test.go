package testkit_test

import (
	"errors"
	"net"
	"runtime"
	"syscall"
	"testing"

	"github.com/keaphook/keaphook/mock/testkit"
)

// A refused address refuses (not resets, not times out), and no listener can take its port
// while the test runs.
func TestRefusedAddrRefusesAndKeepsItsPort(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("the port is held only on unix")
	}
	addr := testkit.RefusedAddr(t)
	for range 3 {
		conn, err := net.Dial("tcp", addr)
		if err == nil {
			conn.Close()
			t.Fatalf("a connection to %s was accepted", addr)
		}
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Fatalf("dialing %s: %v; want connection refused", addr, err)
		}
	}
	if ln, err := net.Listen("tcp", addr); err == nil {
		ln.Close()
		t.Fatalf("a listener took %s while it was held", addr)
	}
}

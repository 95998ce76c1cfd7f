//go:build !unix

package testkit

import (
	"net"
	"testing"
)

// RefusedAddr returns a loopback address where nothing listens. Here, without the unix
// socket calls that hold a port without listening, it is a port listened on and closed at
// once, which another test may take again before this one is done with it.
func RefusedAddr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("testkit: a refused address: %v", err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// ListenLater returns an address that refuses connections until listen is called, and
// listen, which returns a listener on that port. Here the port is free in between: another
// test may take it, and listen then fails the test.
func ListenLater(tb testing.TB) (addr string, listen func() net.Listener) {
	tb.Helper()
	addr = RefusedAddr(tb)
	return addr, func() net.Listener {
		tb.Helper()
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			tb.Fatalf("testkit: listening on %s: %v", addr, err)
		}
		tb.Cleanup(func() { ln.Close() })
		return ln
	}
}

//go:build unix

package testkit

import (
	"fmt"
	"syscall"
	"testing"
)

// RefusedAddr returns a loopback address, "127.0.0.1:port", that refuses every connection
// until the test ends: a TCP socket is bound to the port and never listens, so a connection
// attempt is refused (ECONNREFUSED), and the port, held until then, cannot be handed to a
// listener of another test meanwhile.
//
// The usual trick, listening on :0 and closing, frees the port at once for any other test to
// take, and a listener kept open that closes what it accepts gives "connection reset", not
// "refused".
func RefusedAddr(tb testing.TB) string {
	tb.Helper()
	syscall.ForkLock.RLock() // as package net does: no child started meanwhile inherits fd
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err == nil {
		syscall.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		tb.Fatalf("testkit: a socket for a refused address: %v", err)
	}
	tb.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		tb.Fatalf("testkit: binding a refused address: %v", err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		tb.Fatalf("testkit: the port of a refused address: %v", err)
	}
	return fmt.Sprintf("127.0.0.1:%d", sa.(*syscall.SockaddrInet4).Port)
}

//go:build unix

package testkit

import (
	"fmt"
	"net"
	"os"
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
	addr, _ := boundSocket(tb)
	return addr
}

// ListenLater returns an address that refuses connections as RefusedAddr's does until
// listen is called, and listen, which returns a listener on that very port: for a test whose
// client must first find nothing there, then a server. The port is held throughout, so no
// other test can take it in between, as one could after listening on :0 and closing.
// listen may be called once; the listener is closed when the test ends, if not before.
func ListenLater(tb testing.TB) (addr string, listen func() net.Listener) {
	tb.Helper()
	addr, sock := boundSocket(tb)
	return addr, func() net.Listener {
		tb.Helper()
		if err := syscall.Listen(int(sock.Fd()), syscall.SOMAXCONN); err != nil {
			tb.Fatalf("testkit: listening on %s: %v", addr, err)
		}
		ln, err := net.FileListener(sock) // a copy of the socket: sock itself is closed now
		sock.Close()
		if err != nil {
			tb.Fatalf("testkit: a listener on %s: %v", addr, err)
		}
		tb.Cleanup(func() { ln.Close() })
		return ln
	}
}

// boundSocket binds a TCP socket to a free loopback port without listening, and closes it
// when the test ends.
func boundSocket(tb testing.TB) (addr string, sock *os.File) {
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
	sock = os.NewFile(uintptr(fd), "refused address")
	tb.Cleanup(func() { sock.Close() }) // a second Close, after listen's, does nothing
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		tb.Fatalf("testkit: binding a refused address: %v", err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		tb.Fatalf("testkit: the port of a refused address: %v", err)
	}
	return fmt.Sprintf("127.0.0.1:%d", sa.(*syscall.SockaddrInet4).Port), sock
}

//go:build unix

// The port is held, and refused, only where the unix socket calls are (refused.go).

package testkit_test

import (
	"errors"
	"net"
	"syscall"
	"testing"

	"github.com/keaphook/keaphook/mock/testkit"
)

// A refused address refuses (not resets, not times out), and no listener can take its port
// while the test runs.
func TestRefusedAddrRefusesAndKeepsItsPort(t *testing.T) {
	t.Parallel()
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

// ListenLater's address refuses until listen, is held meanwhile, and then serves.
func TestListenLaterRefusesThenListens(t *testing.T) {
	t.Parallel()
	addr, listen := testkit.ListenLater(t)
	if _, err := net.Dial("tcp", addr); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("dialing %s before listen: %v; want connection refused", addr, err)
	}
	if ln, err := net.Listen("tcp", addr); err == nil {
		ln.Close()
		t.Fatalf("a listener took %s while it was held", addr)
	}
	ln := listen()
	if ln.Addr().String() != addr {
		t.Fatalf("listening on %s, want %s", ln.Addr(), addr)
	}
	accepted := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			c.Close()
		}
		accepted <- err
	}()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dialing %s after listen: %v", addr, err)
	}
	conn.Close()
	if err := <-accepted; err != nil {
		t.Fatalf("accept: %v", err)
	}
	ln.Close()
	if _, err := net.Dial("tcp", addr); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("dialing %s after the listener closed: %v; want connection refused", addr, err)
	}
}

// Package tunnel opens the listener the relay serves on: a plain local TCP port, or an ngrok
// endpoint that gives this machine a public URL. Either way the caller gets a net.Listener
// plus the URL the outside world reaches it at, so the relay does not care which it has.
package tunnel

import (
	"fmt"
	"net"
)

// Listener is a net.Listener that knows the URL senders reach it at.
type Listener interface {
	net.Listener
	// PublicURL is the root URL of the listener, without a trailing slash,
	// e.g. http://127.0.0.1:4000 or https://example.ngrok.app.
	PublicURL() string
}

// Local listens on a TCP address of this machine ("127.0.0.1:4000"; port 0 picks a free one).
// Its PublicURL is http://host:port of the address actually bound.
func Local(addr string) (Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	return &local{Listener: ln, url: "http://" + hostPort(ln.Addr())}, nil
}

type local struct {
	net.Listener
	url string
}

func (l *local) PublicURL() string { return l.url }

// hostPort renders a bound address the way a URL needs it. An unspecified host (":4000",
// "0.0.0.0:4000") becomes 127.0.0.1: the socket takes connections there, and a URL with
// 0.0.0.0 in it is not one a client can dial on every system.
func hostPort(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	ip := tcp.IP
	switch {
	case ip == nil || ip.Equal(net.IPv4zero):
		ip = net.IPv4(127, 0, 0, 1)
	case ip.Equal(net.IPv6unspecified):
		ip = net.IPv6loopback
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(tcp.Port))
}

package main

import (
	"errors"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// publicURLFlag is --public-url: the root clients reach the mock by, such as
// http://keaphook:8080 for a CI service or http://localhost:9000 for a container whose port
// 8080 is published as 9000.
type publicURLFlag struct{ root string }

func (p *publicURLFlag) String() string { return p.root }

func (p *publicURLFlag) Set(v string) error {
	u, err := url.Parse(strings.TrimSuffix(strings.TrimSpace(v), "/"))
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return errors.New("want an http:// or https:// URL with a host, such as http://keaphook:8080")
	case u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return errors.New("want only scheme, host and port, such as http://keaphook:8080: Keap's paths are added to it")
	}
	p.root = u.String()
	return nil
}

// mockAddress decides the root the mock puts in apiUrl fields (base) and the one its banner
// shows (shown). --public-url decides both. Otherwise a listener on one address is reached by
// that address. A listener on every interface (0.0.0.0 or ::, as in a container) cannot know
// which of its addresses or names a client uses: base is "", and the mock takes the address
// its first client reached it by; the banner shows loopback, which works on this machine.
func mockAddress(public string, addr net.Addr) (base, shown string) {
	if public != "" {
		return public, public
	}
	local := "http://" + reachableAddr(addr)
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		return "", local
	}
	return local, local
}

// defaultMockURL is where `keaphook mock` would listen with this environment, for the
// commands that talk to a running mock (health, trigger).
func defaultMockURL(getenv func(string) string) string {
	scheme := "http://"
	if tls, err := strconv.ParseBool(getenv("KEAPHOOK_MOCK_TLS")); err == nil && tls {
		scheme = "https://"
	}
	host, port, err := net.SplitHostPort(getenv("KEAPHOOK_MOCK_ADDR"))
	if err != nil || port == "" {
		return scheme + "127.0.0.1:8080"
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return scheme + net.JoinHostPort(host, port)
}

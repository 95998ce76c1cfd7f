package main

import (
	"net"
	"net/url"
	"strings"
	"testing"
)

func TestMockAddress(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ public, addr, base, shown string }{
		{"", "127.0.0.1:8080", "http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"", "[::1]:8080", "http://[::1]:8080", "http://[::1]:8080"},
		// Every interface, as in a container: the first client's address, loopback shown.
		{"", "0.0.0.0:8080", "", "http://127.0.0.1:8080"},
		{"", "[::]:8080", "", "http://127.0.0.1:8080"},
		{"http://keap:8080", "0.0.0.0:8080", "http://keap:8080", "http://keap:8080"},
		{"https://mock.example", "127.0.0.1:8080", "https://mock.example", "https://mock.example"},
	} {
		addr, err := net.ResolveTCPAddr("tcp", c.addr)
		if err != nil {
			t.Fatal(err)
		}
		if base, shown := mockAddress(c.public, addr); base != c.base || shown != c.shown {
			t.Errorf("mockAddress(%q, %s) = %q, %q; want %q, %q", c.public, c.addr, base, shown, c.base, c.shown)
		}
	}
}

func TestMockPublicURL(t *testing.T) {
	t.Parallel()
	m := start(t, map[string]string{"KEAPHOOK_MOCK_PUBLIC_URL": "http://keap:8080/"}, "mock", "--addr", "127.0.0.1:0")
	m.stdout.waitFor(t, `Press Ctrl-C to stop`) // the banner is written line by line: wait for its end
	if !strings.Contains(m.stdout.String(), "listening on http://keap:8080\n") ||
		!strings.Contains(m.stdout.String(), "Keap API base:  http://keap:8080/crm/rest") {
		t.Errorf("the banner should show the public URL:\n%s", m.stdout.String())
	}
	for _, bad := range []string{"keap:8080", "ftp://keap", "http://keap:8080/crm/rest", "http://user:pw@keap"} {
		code, _, errOut := runCmd(t, nil, "mock", "--addr", "127.0.0.1:0", "--public-url", bad)
		if code != exitUsage || !strings.Contains(errOut, "--public-url") {
			t.Errorf("--public-url %s: exit %d, %q; want 2 naming the flag", bad, code, errOut)
		}
	}
}

// --public-url accepts only a root (scheme, host, port), and what it accepts reads back the same.
func FuzzPublicURL(f *testing.F) {
	for _, seed := range []string{"http://keap:8080", "https://mock.example/", "http://[::1]:8080", "keap:8080",
		"http://keap:8080/crm", "http://u:p@keap", "http://keap?x=1", " http://keap ", "http://%zz"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		var p publicURLFlag
		if p.Set(v) != nil {
			return
		}
		u, err := url.Parse(p.root)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.User != nil {
			t.Fatalf("--public-url %q accepted as %q, which is not a bare root", v, p.root)
		}
		var again publicURLFlag
		if err := again.Set(p.root); err != nil || again.root != p.root {
			t.Fatalf("%q reads back as %q, %v", p.root, again.root, err)
		}
	})
}

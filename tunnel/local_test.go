package tunnel

import (
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestLocalServesAtItsPublicURL(t *testing.T) {
	t.Parallel()
	ln, err := Local("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if want := "http://127.0.0.1:" + strconv.Itoa(port); ln.PublicURL() != want {
		t.Fatalf("PublicURL = %q, want %q", ln.PublicURL(), want)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "relay "+r.URL.Path)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })

	resp, err := testClient.Get(ln.PublicURL() + "/hooks/contact.add")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if string(body) != "relay /hooks/contact.add" {
		t.Fatalf("body = %q", body)
	}
}

func TestLocalUnspecifiedHostGivesLoopbackURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv4zero, Port: 4000}, "127.0.0.1:4000"},
		{&net.TCPAddr{IP: nil, Port: 4000}, "127.0.0.1:4000"},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 4000}, "[::1]:4000"},
		{&net.TCPAddr{IP: net.ParseIP("192.168.1.5"), Port: 80}, "192.168.1.5:80"},
	} {
		if got := hostPort(tc.addr); got != tc.want {
			t.Errorf("hostPort(%v) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}

func TestLocalBusyPortIsAnError(t *testing.T) {
	t.Parallel()
	first, err := Local("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	addr := first.Addr().String()
	_, err = Local(addr)
	if err == nil || !strings.Contains(err.Error(), addr) {
		t.Fatalf("second Local(%s) = %v, want an error naming the address", addr, err)
	}
}

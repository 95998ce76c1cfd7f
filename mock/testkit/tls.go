package testkit

import (
	"crypto/tls"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/localca"
)

// HTTPSServer serves handler over TLS on loopback with a leaf of ca for hosts, valid v, and
// is closed when the test ends. A nil handler answers 200 to everything, having read the body.
func HTTPSServer(t testing.TB, ca *localca.CA, v localca.Validity, handler http.Handler, hosts ...string) *httptest.Server {
	t.Helper()
	return ServeTLS(t, &tls.Config{Certificates: []tls.Certificate{TLSCertificate(t, ca, v, hosts...)}}, handler)
}

// ServeTLS serves handler over TLS on loopback with cfg, for a test that needs more than one
// certificate (GetConfigForClient) or a tuned configuration, and is closed when the test ends.
func ServeTLS(t testing.TB, cfg *tls.Config, handler http.Handler) *httptest.Server {
	t.Helper()
	if handler == nil {
		handler = http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { io.Copy(io.Discard, r.Body) })
	}
	srv := httptest.NewUnstartedServer(handler)
	srv.TLS = cfg
	// These servers exist to have handshakes refused; the server's log of them is noise.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// TLSCertificate is a leaf of ca for hosts, valid v, ready to serve.
func TLSCertificate(t testing.TB, ca *localca.CA, v localca.Validity, hosts ...string) tls.Certificate {
	t.Helper()
	leaf, err := ca.Issue(v, hosts...)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := leaf.TLSCertificate()
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// PlainOnTLSPort serves plain HTTP on loopback and returns an https:// URL for its port, as a
// receiver that forgot its TLS looks to a sender; no request ever reaches a handler.
func PlainOnTLSPort(t testing.TB) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	return AsHTTPS(srv.URL)
}

// AsHTTPS is url with its http:// scheme made https://, at the same host and port.
func AsHTTPS(url string) string { return "https://" + strings.TrimPrefix(url, "http://") }

// NewCA makes a fresh local CA valid from now, failing the test (rather than panicking
// later on a nil CA) if it cannot.
func NewCA(t testing.TB, now time.Time) *localca.CA {
	t.Helper()
	ca, err := localca.New(now)
	if err != nil {
		t.Fatalf("a local CA: %v", err)
	}
	return ca
}

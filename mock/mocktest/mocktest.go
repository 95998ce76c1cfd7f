// Package mocktest starts the keaphook mock Keap for other projects' tests, the way
// net/http/httptest starts a server: on a random loopback port, closed by t.Cleanup.
package mocktest

import (
	"context"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/delivery"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/trigger"
)

// DefaultToken is the token Client sends when the mock accepts any token.
const DefaultToken = "mocktest"

// Server is a running mock Keap.
type Server struct {
	// URL is the root of the mock, e.g. http://127.0.0.1:41234.
	URL string
	// APIURL is the base of Keap's REST API on the mock: URL + "/crm/rest". Point a Keap client
	// at it instead of https://api.infusionsoft.com/crm/rest.
	APIURL string
	// Mock is the server behind URL, for options and inspection.
	Mock *mock.Server

	token string
	srv   *httptest.Server
}

// NewServer starts a mock Keap configured by opts and stops it when the test ends.
func NewServer(t testing.TB, opts ...mock.Option) *Server {
	t.Helper()
	s, err := Start(opts...)
	if err != nil {
		t.Fatalf("mocktest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// NewTLSServer is NewServer over HTTPS, as httptest.NewTLSServer is: URL, APIURL and every
// apiUrl use https, and Client trusts the server's certificate (Certificate returns it).
func NewTLSServer(t testing.TB, opts ...mock.Option) *Server {
	t.Helper()
	s, err := StartTLS(opts...)
	if err != nil {
		t.Fatalf("mocktest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Start starts a mock Keap configured by opts; the caller must Close it. NewServer is the
// usual way in a test; Start serves a TestMain or an example, where there is no testing.TB.
func Start(opts ...mock.Option) (*Server, error) { return start(false, opts) }

// StartTLS is Start over HTTPS; see NewTLSServer.
func StartTLS(opts ...mock.Option) (*Server, error) { return start(true, opts) }

func start(useTLS bool, opts []mock.Option) (*Server, error) {
	// Listen first, so the mock knows its own URL for apiUrl before any request arrives.
	srv := httptest.NewUnstartedServer(nil)
	scheme := "http://"
	if useTLS {
		scheme = "https://"
	}
	root := scheme + srv.Listener.Addr().String()
	m, err := mock.New(append([]mock.Option{mock.WithBaseURL(root)}, opts...)...)
	if err != nil {
		srv.Close()
		return nil, err
	}
	srv.Config.Handler = m
	if useTLS {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	s := &Server{URL: srv.URL, APIURL: srv.URL + keap.BasePath, Mock: m, srv: srv, token: DefaultToken}
	if tokens := m.Tokens(); len(tokens) > 0 {
		s.token = tokens[0]
	}
	return s, nil
}

// Certificate is the certificate of a server started by NewTLSServer; nil over plain HTTP.
func (s *Server) Certificate() *x509.Certificate { return s.srv.Certificate() }

// Token returns the token Client authorises with.
func (s *Server) Token() string { return s.token }

// Client returns an HTTP client that sends "Authorization: Bearer <Token>" on every request to
// the mock (and on none to other hosts).
func (s *Server) Client() *http.Client {
	base := s.srv.Client()
	u, _ := url.Parse(s.URL)
	return &http.Client{Transport: &bearer{host: u.Host, token: s.token, next: base.Transport}}
}

// Deliveries returns every delivery the mock has made or is making, newest first, with its
// payload, state and attempts.
func (s *Server) Deliveries() []delivery.Delivery {
	return s.Mock.Engine().List(delivery.Filter{})
}

// Advance moves a virtual-timing mock's clock by d and returns once every attempt that fell
// due has been made. It fails the test on a mock without mock.WithTiming(delivery.TimingVirtual).
func (s *Server) Advance(t testing.TB, d time.Duration) {
	t.Helper()
	if _, err := s.Mock.Engine().Advance(context.Background(), d); err != nil {
		t.Fatalf("mocktest: advance %s: %v", d, err)
	}
}

// Trigger makes key happen n times through the mock's own Keap API, as keaphook trigger
// does, so every apiUrl in the delivery points at an object that exists (a contact.add
// creates the contacts). It fails the test if the mock refuses; the Result says which ids
// the event carries and how many Verified hooks it reached.
func (s *Server) Trigger(t testing.TB, key string, n int) trigger.Result {
	t.Helper()
	tr, err := trigger.New(trigger.Config{MockURL: s.URL, Token: s.token, HTTPClient: s.srv.Client()})
	if err != nil {
		t.Fatalf("mocktest: trigger %s: %v", key, err)
	}
	r := tr.Fire(context.Background(), key, n)
	if r.Err != nil {
		t.Fatalf("mocktest: trigger %s: %v", key, r.Err)
	}
	return r
}

// Close stops the server. It is safe to call more than once.
func (s *Server) Close() {
	s.srv.Close()
	s.Mock.Close()
}

type bearer struct {
	host, token string
	next        http.RoundTripper
}

func (b *bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host == b.host && r.Header.Get("Authorization") == "" {
		r = r.Clone(r.Context())
		r.Header.Set("Authorization", "Bearer "+b.token)
	}
	return b.next.RoundTrip(r)
}

package testkit

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/keaphook/keaphook/mock/keap"
)

// Request is one request an Endpoint received.
type Request struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// Handshake reports whether the request is a handshake: it carries an X-Hook-Secret.
func (r Request) Handshake() bool { return r.Header.Get(keap.HeaderHookSecret) != "" }

// Answer writes the answer to the nth request (counting from 1) an Endpoint received. Its
// body has been read already and is in r.Body again.
type Answer func(n int, w http.ResponseWriter, r *http.Request)

// Endpoint is a hook endpoint on loopback that records every request and answers it with its
// Answer. It is closed when the test ends.
type Endpoint struct {
	*httptest.Server
	answer Answer

	mu   sync.Mutex
	reqs []Request
}

// NewEndpoint starts an Endpoint answering with answer; nil means Echo(200): the handshake
// echoed, every delivery answered 200, as a good receiver does.
func NewEndpoint(t testing.TB, answer Answer) *Endpoint {
	t.Helper()
	if answer == nil {
		answer = Echo(http.StatusOK)
	}
	e := &Endpoint{answer: answer}
	e.Server = httptest.NewServer(http.HandlerFunc(e.serve))
	t.Cleanup(e.Close)
	return e
}

func (e *Endpoint) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	e.mu.Lock()
	e.reqs = append(e.reqs, Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
	n := len(e.reqs)
	e.mu.Unlock()
	e.answer(n, w, r)
}

// Requests returns every request received so far, in order.
func (e *Endpoint) Requests() []Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.reqs)
}

// Deliveries decodes every request that was not a handshake as Keap's event.
func (e *Endpoint) Deliveries(t testing.TB) []keap.Event {
	t.Helper()
	var evs []keap.Event
	for _, r := range e.Requests() {
		if !r.Handshake() {
			evs = append(evs, DecodeEvent(t, r.Body))
		}
	}
	return evs
}

// Secrets returns the X-Hook-Secret of every handshake received, in order.
func (e *Endpoint) Secrets() []string {
	var out []string
	for _, r := range e.Requests() {
		if r.Handshake() {
			out = append(out, r.Header.Get(keap.HeaderHookSecret))
		}
	}
	return out
}

// LastSecret is the secret of the latest handshake, failing the test when none came.
func (e *Endpoint) LastSecret(t testing.TB) string {
	t.Helper()
	s := e.Secrets()
	if len(s) == 0 {
		t.Fatal("testkit: the endpoint was sent no handshake")
	}
	return s[len(s)-1]
}

// Echo answers a handshake 200 with its secret echoed and every delivery with status.
func Echo(status int) Answer {
	return func(_ int, w http.ResponseWriter, r *http.Request) {
		if s := r.Header.Get(keap.HeaderHookSecret); s != "" {
			w.Header().Set(keap.HeaderHookSecret, s)
			return
		}
		w.WriteHeader(status)
	}
}

// NoEcho answers every request 200 without echoing a secret: a platform that cannot set
// response headers, confirming hooks through delayedVerify.
func NoEcho() Answer {
	return func(int, http.ResponseWriter, *http.Request) {}
}

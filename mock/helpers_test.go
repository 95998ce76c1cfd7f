package mock_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/keaphook/keaphook/fixtures/schema"
	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/mocktest"
	"github.com/keaphook/keaphook/mock/testkit"
)

// api calls the mock and checks every JSON body it returns for a Keap path against Keap's
// OpenAPI schemas, so no test can pass on a body Keap would never send.
type api struct {
	t   *testing.T
	srv *mocktest.Server
	c   *http.Client
}

// mocktestServer describes a plain httptest server running a mock, for tests that need to
// build and restart the mock themselves.
func mocktestServer(srv *httptest.Server) *mocktest.Server {
	return &mocktest.Server{URL: srv.URL, APIURL: srv.URL + keap.BasePath}
}

func newAPI(t *testing.T, opts ...mock.Option) *api {
	t.Helper()
	srv := mocktest.NewServer(t, opts...)
	return &api{t: t, srv: srv, c: srv.Client()}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) message(t *testing.T) string {
	t.Helper()
	var m keap.Message
	if err := json.Unmarshal(r.body, &m); err != nil || m.Message == "" {
		t.Fatalf("body %q is not Keap's {\"message\": ...}", r.body)
	}
	return m.Message
}

func (r response) hook(t *testing.T) keap.RestHook {
	t.Helper()
	var h keap.RestHook
	dec := json.NewDecoder(strings.NewReader(string(r.body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		t.Fatalf("body %q is not a RestHook: %v", r.body, err)
	}
	return h
}

// do sends method path (relative to the mock's root) with body and header pairs "K", "V", ...
func (a *api) do(method, path, body string, header ...string) response {
	a.t.Helper()
	return a.doWith(a.c, method, path, body, header...)
}

func (a *api) doWith(c *http.Client, method, path, body string, header ...string) response {
	a.t.Helper()
	r, err := a.try(c, method, path, body, header...)
	if err != nil {
		a.t.Fatal(err)
	}
	return r
}

// try is doWith for goroutines other than the test's own, where t.Fatal must not be called:
// it returns the transport error instead (schema mismatches are still reported).
func (a *api) try(c *http.Client, method, path, body string, header ...string) (response, error) {
	req, err := http.NewRequest(method, a.srv.URL+path, strings.NewReader(body))
	if err != nil {
		return response{}, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		return response{}, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, fmt.Errorf("%s %s: reading the body: %w", method, path, err)
	}
	r := response{status: resp.StatusCode, header: resp.Header, body: b}
	a.checkSchema(method, path, r)
	return r, nil
}

func (a *api) checkSchema(method, path string, r response) {
	a.t.Helper()
	if !strings.HasPrefix(path, keap.BasePath+"/") || len(r.body) == 0 {
		return
	}
	if strings.HasPrefix(path, "/crm/rest/v2/") {
		a.checkV2(method, path, r)
	} else if r.status >= 400 {
		var m keap.Message
		var f keap.Fault
		if json.Unmarshal(r.body, &m) != nil && json.Unmarshal(r.body, &f) != nil {
			a.t.Errorf("%s %s: error body %q is neither {\"message\"} nor a gateway fault", method, path, r.body)
		}
	}
	p := strings.SplitN(path, "?", 2)[0]
	v, err := schema.For(p)
	if err != nil {
		a.t.Fatal(err)
	}
	err = v.ValidateResponse(method, p, r.status, r.header.Get("Content-Type"), r.body)
	unknown := errors.Is(err, schema.ErrUnknownPath) || errors.Is(err, schema.ErrUnknownMethod)
	if unknown && (r.status == http.StatusNotFound || r.status == http.StatusMethodNotAllowed) {
		return // the mock rightly refused a path or method Keap does not have
	}
	if err != nil {
		a.t.Errorf("%s %s answered a body Keap's schema rejects: %v\nbody: %s", method, path, err, r.body)
	}
}

func (a *api) createHook(eventKey, hookURL string) keap.RestHook {
	a.t.Helper()
	r := a.do("POST", "/crm/rest/v1/hooks", `{"eventKey":"`+eventKey+`","hookUrl":"`+hookURL+`"}`)
	if r.status != http.StatusOK {
		a.t.Fatalf("create hook: %d %s", r.status, r.body)
	}
	return r.hook(a.t)
}

// newReceiver is a hook endpoint answering every request with answer and recording them
// all, with the secrets it was sent.
func newReceiver(t *testing.T, answer http.HandlerFunc) *testkit.Endpoint {
	return testkit.NewEndpoint(t, func(_ int, w http.ResponseWriter, r *http.Request) { answer(w, r) })
}

func echo(w http.ResponseWriter, r *http.Request) {
	w.Header().Set(keap.HeaderHookSecret, r.Header.Get(keap.HeaderHookSecret))
	w.WriteHeader(http.StatusOK)
}

func noEcho(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) }

func decodeInto(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
}

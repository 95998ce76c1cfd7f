package receiver

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/signature"
)

// appTransport answers every forward in memory with the status the body asks for, so the
// fuzzer exercises forwarding without sockets.
type appTransport struct{}

func (appTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(r.Body)
	status := http.StatusOK
	if bytes.Contains(body, []byte("fail")) {
		status = http.StatusInternalServerError
	}
	return &http.Response{StatusCode: status, Header: http.Header{"X-App": {"1"}},
		Body: io.NopCloser(bytes.NewReader(body)), Request: r}, nil
}

// FuzzServeHTTP: whatever arrives, the relay answers without panicking; its only 5xx are the
// app's own, the documented 502/504 forward errors and the 503 when recording fails; and it
// answers 2xx (or echoes a secret) only for a request it recorded.
func FuzzServeHTTP(f *testing.F) {
	f.Add("POST", "/hooks/contact.add", "X-Hook-Secret", "abc", []byte("{}"), false, false)
	f.Add("POST", "/", "Content-Type", "application/json", []byte(delivery), false, false)
	f.Add("POST", "/", "X-Hook-Signature", strings.Repeat("0", 64), []byte(delivery), true, false)
	f.Add("POST", "/x", "Connection", "X-Hook-Secret", []byte(`{"fail":1}`), false, false)
	f.Add("GET", "/", "", "", []byte(nil), false, false)
	f.Add("DELETE", "/hooks", "X-Hook-Secret", "", []byte("zz"), true, false)
	f.Add("POST", "/", "Content-Length", "-1", []byte{0xff, '{'}, false, false)
	f.Add("POST", "/", "X-Hook-Secret", " ", bytes.Repeat([]byte("a"), 5000), false, false)
	f.Add("POST", "/hooks/contact.add", "X-Hook-Secret", "abc", []byte("{}"), false, true)
	f.Add("POST", "/", "Content-Type", "application/json", []byte(delivery), false, true)
	f.Fuzz(func(t *testing.T, method, path, hname, hvalue string, body []byte, signed, recordFails bool) {
		rec := &memRecorder{}
		if recordFails {
			rec.fail = errors.New("disk full")
		}
		cfg := Config{
			ForwardTo: "http://app.test/keap", Client: &http.Client{Transport: appTransport{}},
			MaxBody: 4096, Recorder: rec, Now: fixedNow(time.Unix(1_700_000_000, 0)),
			Expand: &fakeKeap{objects: map[string]string{}},
		}
		if signed {
			cfg.Signature = signature.Config{Scheme: signature.HMACHex, Secrets: []string{"k"}}
		}
		rv, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		req := &http.Request{
			Method: method, URL: &url.URL{Path: path}, Header: http.Header{}, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), RemoteAddr: "127.0.0.1:1",
		}
		if hname != "" {
			req.Header[hname] = []string{hvalue}
		}
		w := httptest.NewRecorder()
		rv.ServeHTTP(w, req)
		code := w.Code
		fromApp := w.Header().Get("X-App") == "1"
		unrecorded := recordFails && code == http.StatusServiceUnavailable && !fromApp
		if code >= 500 && !fromApp && code != http.StatusBadGateway && code != http.StatusGatewayTimeout && !unrecorded {
			t.Fatalf("%s %s answered %d: %s", method, path, code, w.Body)
		}
		// A 2xx means "on record", except for the status page, which records nothing.
		statusPage := (method == http.MethodGet || method == http.MethodHead) && path == "/"
		if code/100 == 2 && !statusPage && len(rec.all()) != 1 {
			t.Fatalf("%s %s answered %d with %d records (recording fails: %v)", method, path, code, len(rec.all()), recordFails)
		}
		if w.Header().Get(secretHeader) != "" && len(rec.all()) != 1 {
			t.Fatalf("%s %s echoed X-Hook-Secret for a request not on record", method, path)
		}
		if code < 100 || code > 599 {
			t.Fatalf("status %d", code)
		}
	})
}

package mock_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/keap"
)

// localEcho answers every handshake in-process, so fuzzed hookUrls never reach a network.
type localEcho struct{}

func (localEcho) RoundTrip(r *http.Request) (*http.Response, error) {
	h := http.Header{}
	h.Set(keap.HeaderHookSecret, r.Header.Get(keap.HeaderHookSecret))
	return &http.Response{StatusCode: 200, Status: "200 OK", Header: h, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
}

func fuzzMock(f *testing.F) *mock.Server {
	m, err := mock.New(mock.WithTransport(localEcho{}), mock.WithHandshakeTimeout(time.Second))
	if err != nil {
		f.Fatal(err)
	}
	return m
}

// serveOK sends one request to m and fails unless the answer is a 4xx or 2xx with a JSON body.
func serveOK(t *testing.T, m http.Handler, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	m.ServeHTTP(rec, req)
	if rec.Code >= 500 {
		t.Fatalf("%s %s answered %d: %s", req.Method, req.URL, rec.Code, rec.Body)
	}
	if rec.Body.Len() > 0 && !json.Valid(rec.Body.Bytes()) {
		t.Fatalf("%s %s answered a non-JSON body: %q", req.Method, req.URL, rec.Body)
	}
	return rec
}

func FuzzCreateHook(f *testing.F) {
	f.Add(`{"eventKey":"contact.add","hookUrl":"http://127.0.0.1:1/h"}`, "application/json")
	f.Add(`{"eventKey":"contact.add","hookUrl":"http://127.0.0.1:1/h"} x`, "application/json; charset=utf-8")
	f.Add(`{"eventKey":null}`, "")
	f.Add(`[1,2]`, "text/plain")
	f.Add(`{"eventKey":"\u0000","hookUrl":"http://[::1"}`, "application/json")
	m := fuzzMock(f)
	f.Fuzz(func(t *testing.T, body, ctype string) {
		for _, method := range []string{"POST", "PUT"} {
			path := "/crm/rest/v1/hooks"
			if method == "PUT" {
				path += "/1"
			}
			req := httptest.NewRequest(method, path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer fuzz")
			req.Header.Set("Content-Type", ctype)
			serveOK(t, m, req)
		}
	})
}

func FuzzDelayedVerify(f *testing.F) {
	f.Add("1", "abc")
	f.Add("1", "")
	f.Add("x/../1", "\x00")
	m := fuzzMock(f)
	create := httptest.NewRequest("POST", "/crm/rest/v1/hooks", strings.NewReader(`{"eventKey":"contact.add","hookUrl":"http://127.0.0.1:1/h"}`))
	create.Header.Set("Authorization", "Bearer fuzz")
	m.ServeHTTP(httptest.NewRecorder(), create)
	f.Fuzz(func(t *testing.T, key, secret string) {
		req, err := http.NewRequest("POST", "http://mock/crm/rest/v1/hooks/"+key+"/delayedVerify", nil)
		if err != nil {
			return // not a URL a client could send
		}
		req.Header.Set("Authorization", "Bearer fuzz")
		if !strings.ContainsAny(secret, "\r\n\x00") {
			req.Header.Set(keap.HeaderHookSecret, secret)
		}
		serveOK(t, m, req)
	})
}

func FuzzToken(f *testing.F) {
	f.Add("grant_type=authorization_code&client_id=a&client_secret=b&code=c&redirect_uri=http://x", "")
	f.Add("grant_type=refresh_token&refresh_token=r", "a:b")
	f.Add("%zz", "")
	m := fuzzMock(f)
	f.Fuzz(func(t *testing.T, form, basic string) {
		req := httptest.NewRequest("POST", "/token", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if u, p, ok := strings.Cut(basic, ":"); ok {
			req.SetBasicAuth(u, p)
		}
		serveOK(t, m, req)
	})
}

func FuzzAuthorize(f *testing.F) {
	f.Add("response_type=code&client_id=a&redirect_uri=https://app.example/cb&state=s")
	f.Add("response_type=token")
	f.Add("redirect_uri=%")
	m := fuzzMock(f)
	f.Fuzz(func(t *testing.T, query string) {
		req, err := http.NewRequest("GET", "http://mock/app/oauth/authorize?"+query, nil)
		if err != nil {
			return
		}
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("authorize?%s answered %d", query, rec.Code)
		}
	})
}

func FuzzControls(f *testing.F) {
	f.Add("/_mock/events", `{"eventKey":"contact.add","ids":[1,2]}`)
	f.Add("/_mock/events", `{"eventKey":"contact.add","count":3}`)
	f.Add("/_mock/events", `{"eventKey":"contact.add","ids":[9223372036854775807]}`)
	f.Add("/_mock/clock/advance", `{"by":"5m"}`)
	f.Add("/_mock/clock/advance", `{"by":"9999999h"}`)
	f.Add("/_mock/chaos", `{"duplicate":0.5,"delay":"1s-2s"}`)
	m, err := mock.New(mock.WithTransport(localEcho{}), mock.WithTiming("virtual"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { m.Close() })
	f.Fuzz(func(t *testing.T, path, body string) {
		method := "POST"
		if path == "/_mock/chaos" {
			method = "PUT"
		}
		req, err := http.NewRequest(method, "http://mock"+path, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Authorization", "Bearer fuzz")
		serveOK(t, m, req)
	})
}

package spec

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/keaphook/keaphook/fixtures/schema"
)

// FuzzAnswer sends arbitrary bodies and queries to a stateful and a canned operation of
// each document: never a panic or a 5xx, and every answer is JSON its document accepts
// (call validates each one).
func FuzzAnswer(f *testing.F) {
	f.Add("POST", "/crm/rest/v2/automationCategory", "", `{"name":"a"}`)
	f.Add("PATCH", "/crm/rest/v2/automationCategory/70001", "", `{"name":[1]}`)
	f.Add("GET", "/crm/rest/v2/automationCategory", "page_size=3&page_token=1", ``)
	f.Add("POST", "/crm/rest/v1/files", "", `{"file_name":"a.txt","file_data":"ZQ==","file_association":"CONTACT","is_public":true}`)
	f.Add("GET", "/crm/rest/v1/files", "limit=-1&offset=x", ``)
	f.Add("POST", "/crm/rest/v2/contacts:merge", "", `{"source_contact_id":"1","target_contact_id":"2"}`)
	f.Add("PUT", "/crm/rest/v1/account/profile", "", `{"name":"\u0000","address":{"zip_code":"x"}}`)
	_, mux := server(f)
	f.Fuzz(func(t *testing.T, method, path, query, body string) {
		if !strings.HasPrefix(path, "/crm/rest/") || strings.ContainsAny(path, "?# %") || strings.Contains(path, "//") {
			return
		}
		req := httptest.NewRequest("GET", "/", nil)
		req.Method = method
		req.URL.Path, req.URL.RawQuery = path, query
		req.Body = io.NopCloser(strings.NewReader(body))
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %s?%s %q: %d %s", method, path, query, body, w.Code, w.Body)
		}
		if strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
			return // ServeMux's own 404 or 405 for what it does not route
		}
		if err := schema.ValidateResponse(method, path, w.Code, w.Header().Get("Content-Type"), w.Body.Bytes()); err != nil {
			t.Fatalf("%s %s?%s %q: %v\n%s", method, path, query, body, err, w.Body)
		}
	})
}

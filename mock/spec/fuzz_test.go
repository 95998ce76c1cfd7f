package spec

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/keaphook/keaphook/fixtures/schema"
	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// FuzzAnswer sends arbitrary bodies and queries to a stateful and a canned operation of
// each document, read strictly or leniently (the mock's default, which also takes numbers
// sent as strings): never a panic or a 5xx, and every answer is JSON its document accepts
// (call validates each one).
func FuzzAnswer(f *testing.F) {
	f.Add("POST", "/crm/rest/v2/automationCategory", "", `{"name":"a"}`, false)
	f.Add("PATCH", "/crm/rest/v2/automationCategory/70001", "", `{"name":[1]}`, false)
	f.Add("GET", "/crm/rest/v2/automationCategory", "page_size=3&page_token=1", ``, false)
	f.Add("POST", "/crm/rest/v1/files", "", `{"file_name":"a.txt","file_data":"ZQ==","file_association":"CONTACT","is_public":true}`, false)
	f.Add("GET", "/crm/rest/v1/files", "limit=-1&offset=x", ``, false)
	f.Add("POST", "/crm/rest/v2/contacts:merge", "", `{"source_contact_id":"1","target_contact_id":"2"}`, false)
	f.Add("PUT", "/crm/rest/v1/account/profile", "", `{"name":"\u0000","address":{"zip_code":"x"}}`, false)
	f.Add("POST", "/crm/rest/v1/notes", "", `{"contact_id":"0x1p3"}`, true)
	f.Add("PATCH", "/crm/rest/v2/automationCategory/70001", "", `{"name":"a","Name":" 7 "}`, true)
	_, mux := server(f)
	lenient := &httpapi.FieldPolicy{}
	f.Fuzz(func(t *testing.T, method, path, query, body string, readLeniently bool) {
		if !strings.HasPrefix(path, "/crm/rest/") || strings.ContainsAny(path, "?# %") || strings.Contains(path, "//") {
			return
		}
		req := httptest.NewRequest("GET", "/", nil)
		req.Method = method
		req.URL.Path, req.URL.RawQuery = path, query
		req.Body = io.NopCloser(strings.NewReader(body))
		if readLeniently {
			req = httpapi.WithFieldPolicy(req, lenient, path)
		}
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

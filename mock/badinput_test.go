package mock_test

import (
	"strings"
	"testing"
)

// TestBadRequests: every mistake gets a 4xx with Keap's {"message"} body saying what to fix.
func TestBadRequests(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	rc := newReceiver(t, echo)
	a.createHook("contact.add", rc.URL) // key 1 exists
	huge := `{"eventKey":"contact.add","hookUrl":"` + rc.URL + `","x":"` + strings.Repeat("a", 1<<20) + `"}`
	tests := []struct {
		name, method, path, body string
		header                   []string
		want                     int
		mentions                 string
	}{
		{"malformed JSON", "POST", "/crm/rest/v1/hooks", `{"eventKey":`, nil, 400, "Input could not be converted"},
		{"syntax error", "POST", "/crm/rest/v1/hooks", `{"eventKey" "x"}`, nil, 400, "malformed JSON at byte"},
		{"empty body", "POST", "/crm/rest/v1/hooks", ``, nil, 400, "body is empty"},
		{"array body", "POST", "/crm/rest/v1/hooks", `[]`, nil, 400, "must be a JSON object"},
		{"two values", "POST", "/crm/rest/v1/hooks", `{"eventKey":"contact.add","hookUrl":"http://a.example"} {}`, nil, 400, "more than one JSON value"},
		{"wrong type", "POST", "/crm/rest/v1/hooks", `{"eventKey":7,"hookUrl":"http://a.example"}`, nil, 400, `field "eventKey" must be a string`},
		// Keap ignores a field it does not know, so hookURL leaves hookUrl missing (fields_test.go).
		{"misspelt field", "POST", "/crm/rest/v1/hooks", `{"eventKey":"contact.add","hookURL":"http://a.example"}`, nil, 400, "hookUrl is required"},
		{"wrong content type", "POST", "/crm/rest/v1/hooks", `{}`, []string{"Content-Type", "text/plain"}, 415, "application/json"},
		{"unknown event key", "POST", "/crm/rest/v1/hooks", `{"eventKey":"contact.ad","hookUrl":"http://a.example"}`, nil, 400, "did you mean contact.add"},
		{"missing event key", "POST", "/crm/rest/v1/hooks", `{"hookUrl":"http://a.example"}`, nil, 400, "eventKey is required"},
		{"missing hookUrl", "POST", "/crm/rest/v1/hooks", `{"eventKey":"contact.add"}`, nil, 400, "hookUrl is required"},
		{"relative hookUrl", "POST", "/crm/rest/v1/hooks", `{"eventKey":"contact.add","hookUrl":"/hooks"}`, nil, 400, "not an absolute URL"},
		{"ftp hookUrl", "POST", "/crm/rest/v1/hooks", `{"eventKey":"contact.add","hookUrl":"ftp://a.example/x"}`, nil, 400, "must use http or https"},
		{"body over 1 MiB", "POST", "/crm/rest/v1/hooks", huge, nil, 413, "larger than 1 MiB"},
		{"unknown hook get", "GET", "/crm/rest/v1/hooks/999", ``, nil, 404, `no hook with key "999"`},
		{"unknown hook put", "PUT", "/crm/rest/v1/hooks/999", `{"eventKey":"contact.add","hookUrl":"http://a.example"}`, nil, 404, "no hook"},
		{"unknown hook delete", "DELETE", "/crm/rest/v1/hooks/999", ``, nil, 404, "no hook"},
		{"unknown hook verify", "POST", "/crm/rest/v1/hooks/999/verify", ``, nil, 404, "no hook"},
		{"bad put body", "PUT", "/crm/rest/v1/hooks/1", `{"eventKey":"contact.add","hookUrl":"nope"}`, nil, 400, "not an absolute URL"},
		{"wrong method", "PATCH", "/crm/rest/v1/hooks/1", `{}`, nil, 405, "PATCH is not allowed"},
		{"wrong method on list", "DELETE", "/crm/rest/v1/hooks", ``, nil, 405, "use GET or POST"},
		{"unknown path", "GET", "/crm/rest/v1/nothing", ``, nil, 404, "no such path"},
		{"outside the API", "GET", "/v1/hooks", ``, nil, 404, "lives under /crm/rest/v1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.do(tt.method, tt.path, tt.body, tt.header...)
			if r.status != tt.want {
				t.Fatalf("status = %d, want %d (%s)", r.status, tt.want, r.body)
			}
			if msg := r.message(t); !strings.Contains(msg, tt.mentions) {
				t.Errorf("message %q does not mention %q", msg, tt.mentions)
			}
		})
	}
	if r := a.do("PATCH", "/crm/rest/v1/hooks/1", `{}`); r.header.Get("Allow") != "GET, PUT, DELETE" {
		t.Errorf("405 Allow = %q, want \"GET, PUT, DELETE\"", r.header.Get("Allow"))
	}
	if got := a.do("GET", "/crm/rest/v1/hooks/1", "").hook(t); got.HookURL != rc.URL {
		t.Errorf("a rejected update changed the hook: %+v", got)
	}
}

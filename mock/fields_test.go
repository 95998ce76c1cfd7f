package mock_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/keaphook/keaphook/mock"
)

// Keap ignores JSON fields it does not take; so does the mock, naming each once in its log.
func TestUnknownFieldsAreIgnoredAndLoggedOnce(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	a := newAPI(t, mock.WithSeedData(), loggerTo(&logs))
	// keap-python's contact update repeats the read-only id.
	for range 2 {
		r := a.do("PATCH", "/crm/rest/v1/contacts/2001", `{"id":2001,"given_name":"Ada","shoe_size":44}`)
		if r.status != http.StatusOK || !strings.Contains(string(r.body), `"given_name":"Ada"`) {
			t.Fatalf("PATCH with an id and an unknown field: %d %s", r.status, r.body)
		}
	}
	// A path only the spec answerer serves ignores fields the same way.
	if r := a.do("POST", "/crm/rest/v1/tags/categories", `{"name":"Leads","colour":"red"}`); r.status >= 300 {
		t.Fatalf("POST /v1/tags/categories with an unknown field: %d %s", r.status, r.body)
	}
	out := logs.String()
	for _, field := range []string{"field=id", "field=shoe_size", "field=colour"} {
		if n := strings.Count(out, field+" "); n != 1 {
			t.Errorf("%s logged %d times, want once:\n%s", field, n, out)
		}
	}
	if strings.Contains(out, "=44") || strings.Contains(out, "=red") {
		t.Errorf("the log repeats a value, not only a field name:\n%s", out)
	}
}

// WithStrictFields keeps the 400 for teams that want typos caught.
func TestStrictFieldsRefuseUnknownFields(t *testing.T) {
	t.Parallel()
	a := newAPI(t, mock.WithSeedData(), mock.WithStrictFields())
	tests := []struct{ method, path, body, mentions string }{
		{"POST", "/crm/rest/v1/hooks", `{"eventKey":"contact.add","hookURL":"http://a.example"}`, `unknown field "hookURL"`},
		{"PATCH", "/crm/rest/v1/contacts/2001", `{"id":2001,"given_name":"Ada"}`, `unknown field "id"`},
		{"POST", "/crm/rest/v1/tags/categories", `{"name":"Leads","colour":"red"}`, `unknown field "colour"`},
	}
	for _, tt := range tests {
		r := a.do(tt.method, tt.path, tt.body)
		if r.status != http.StatusBadRequest {
			t.Errorf("%s %s: %d, want 400 (%s)", tt.method, tt.path, r.status, r.body)
			continue
		}
		if msg := r.message(t); !strings.Contains(msg, tt.mentions) {
			t.Errorf("%s %s: message %q does not mention %s", tt.method, tt.path, msg, tt.mentions)
		}
	}
}

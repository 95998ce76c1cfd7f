package mock_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/keap"
)

// checkV2 is checkSchema for v2: an error is v2's Error (or the gateway's fault, for auth).
func (a *api) checkV2(method, path string, r response) {
	a.t.Helper()
	if r.status < 400 {
		if strings.HasPrefix(r.header.Get("Content-Type"), "application/json") && !json.Valid(r.body) {
			a.t.Errorf("%s %s: %d with a body that is not JSON: %s", method, path, r.status, r.body)
		}
		return
	}
	var e struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Status  string `json:"status"`
	}
	var f keap.Fault
	if json.Unmarshal(r.body, &e) == nil && e.Code == r.status && e.Message != "" && e.Status != "" {
		return
	}
	if json.Unmarshal(r.body, &f) == nil && f.Fault.FaultString != "" {
		return
	}
	a.t.Errorf("%s %s: error body %q is neither v2's Error nor a gateway fault", method, path, r.body)
}

// A contact created through v2 emits contact.add, and the delivery's apiUrl (v1) returns
// it; a tag applied through v1 shows in v2's contacts/{id}/tags.
func TestV2WriteDeliversAV1APIURL(t *testing.T) {
	t.Parallel()
	a := newAPI(t, virtual(mock.WithSeedData())...)
	rcv := newApp(t, http.StatusOK)
	a.createHook("contact.add", rcv.URL)
	r := a.do("POST", "/crm/rest/v2/contacts", `{"given_name":"Ava","email_addresses":[{"field":"EMAIL1","email":"ava@example.com"}]}`)
	if r.status != http.StatusCreated {
		t.Fatalf("v2 create: %d %s", r.status, r.body)
	}
	var created struct{ ID string }
	json.Unmarshal(r.body, &created)
	a.advance("61s")
	_, body := rcv.next(t)
	var ev keap.Event
	if err := json.Unmarshal(body, &ev); err != nil || ev.EventKey != "contact.add" || len(ev.ObjectKeys) != 1 {
		t.Fatalf("delivery %s: %v", body, err)
	}
	apiURL := ev.ObjectKeys[0].APIURL
	if want := a.srv.URL + "/crm/rest/v1/contacts/" + created.ID; apiURL != want {
		t.Fatalf("apiUrl %q, want %q", apiURL, want)
	}
	got := a.do("GET", strings.TrimPrefix(apiURL, a.srv.URL), "")
	if got.status != http.StatusOK || !strings.Contains(string(got.body), `"given_name":"Ava"`) {
		t.Fatalf("GET apiUrl: %d %s", got.status, got.body)
	}

	if r := a.do("POST", "/crm/rest/v1/contacts/"+created.ID+"/tags", `{"tagIds":[91]}`); r.status != http.StatusOK {
		t.Fatalf("v1 apply: %d %s", r.status, r.body)
	}
	tags := a.do("GET", "/crm/rest/v2/contacts/"+created.ID+"/tags", "")
	if tags.status != http.StatusOK || !strings.Contains(string(tags.body), `"id":"91"`) {
		t.Errorf("v2 tags after a v1 apply: %d %s", tags.status, tags.body)
	}
}

// The router's own answers under /crm/rest/v2 are v2's Error: a wrong method says which
// methods the path takes; auth is the same as v1's.
func TestV2RouterErrors(t *testing.T) {
	t.Parallel()
	a := newAPI(t, virtual(mock.WithSeedData(), mock.WithTokens("good"))...)
	r := a.do("PUT", "/crm/rest/v2/contacts/2001", `{}`, "Authorization", "Bearer good")
	if r.status != http.StatusMethodNotAllowed || !strings.Contains(r.header.Get("Allow"), "PATCH") || !strings.Contains(string(r.body), `"status":"METHOD_NOT_ALLOWED"`) {
		t.Errorf("PUT on a v2 contact: %d %v %s", r.status, r.header, r.body)
	}
	if r := a.do("GET", "/crm/rest/v2/contacts/2001", "", "Authorization", "Bearer bad"); r.status != http.StatusUnauthorized {
		t.Errorf("a bad token on v2: %d %s", r.status, r.body)
	}
	if r := a.do("GET", "/crm/rest/v2/contacts/2001", "", "Authorization", "Bearer good"); r.status != http.StatusOK {
		t.Errorf("a good token on v2: %d %s", r.status, r.body)
	}
}

// v2 bodies read leniently, as v1's do: a read-only id and an unknown field are ignored;
// with strict fields they are v2's 400.
func TestV2FieldsAreReadLikeV1s(t *testing.T) {
	t.Parallel()
	body := `{"id":"2001","given_name":"Dana","nickname":"D"}`
	lenient := newAPI(t, mock.WithSeedData())
	if r := lenient.do("PATCH", "/crm/rest/v2/contacts/2001", body); r.status != http.StatusOK {
		t.Errorf("lenient: %d %s", r.status, r.body)
	}
	strict := newAPI(t, mock.WithSeedData(), mock.WithStrictFields())
	r := strict.do("PATCH", "/crm/rest/v2/contacts/2001", body)
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), `"status":"INVALID_ARGUMENT"`) {
		t.Errorf("strict: %d %s", r.status, r.body)
	}
}

package spec

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/fixtures/schema"
	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// server mounts every route of an Answerer on a ServeMux, as the mock's router would (Go's
// mux spells variables like the catalog, but cannot hold {id}:verb segments; those are left
// out here and walked by the mock's own test).
func server(t testing.TB) (*Answerer, *http.ServeMux) {
	t.Helper()
	a, err := New(Config{Now: func() time.Time { return time.Date(2024, 3, 14, 16, 21, 37, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	seen := map[string]bool{}
	for _, rt := range a.Routes() {
		pattern := rt.Method + " " + rt.Path
		if strings.Contains(rt.Path, "}:") || strings.Contains(rt.Path, ":") || seen[pattern] {
			continue
		}
		seen[pattern] = true
		func() {
			defer func() { recover() }() // a pattern ServeMux finds ambiguous: the mock's router takes it
			mux.HandleFunc(pattern, rt.Handler)
		}()
	}
	return a, mux
}

func call(t testing.TB, mux *http.ServeMux, method, path, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, req)
	if err := schema.ValidateResponse(method, path, w.Code, w.Header().Get("Content-Type"), w.Body.Bytes()); err != nil {
		t.Errorf("%s %s: %v\n%s", method, path, err, w.Body)
	}
	var out map[string]any
	json.Unmarshal(w.Body.Bytes(), &out)
	return w.Code, out
}

// A v2 collection the mock has no handler for round-trips: create, get, list, update, delete.
func TestStatefulRoundTrip(t *testing.T) {
	_, mux := server(t)
	const coll = "/crm/rest/v2/automationCategory"
	status, created := call(t, mux, "POST", coll, `{"name":"Onboarding"}`)
	if status != http.StatusCreated || created["name"] != "Onboarding" {
		t.Fatalf("create: %d %v", status, created)
	}
	id, _ := created["id"].(string)
	if id == "" {
		t.Fatalf("create gave no string id: %v", created)
	}
	if status, list := call(t, mux, "GET", coll, ""); status != 200 || !strings.Contains(toJSON(list), `"name":"Onboarding"`) {
		t.Errorf("list: %d %v", status, list)
	}
	if status, got := call(t, mux, "PATCH", coll+"/"+id, `{"name":"Renamed"}`); status != 200 || got["name"] != "Renamed" || got["id"] != id {
		t.Errorf("update: %d %v", status, got)
	}
	if status, _ := call(t, mux, "PATCH", coll+"/99999", `{"name":"x"}`); status != http.StatusNotFound {
		t.Errorf("update of an id never created: %d, want 404", status)
	}
}

// A collection the document gives no create has the object the first time it is asked
// for, and keeps what an update changes.
func TestObjectsWithoutCreateExist(t *testing.T) {
	_, mux := server(t)
	const item = "/crm/rest/v2/users/42"
	if status, got := call(t, mux, "GET", item, ""); status != 200 || got["id"] != "42" {
		t.Fatalf("get: %d %v", status, got)
	}
	call(t, mux, "PATCH", item, `{"given_name":"Grace"}`)
	if _, got := call(t, mux, "GET", item, ""); got["given_name"] != "Grace" {
		t.Errorf("get after update: %v", got)
	}
}

// A deleted object stays deleted: v2's 404 Error.
func TestDeletedIsGone(t *testing.T) {
	_, mux := server(t)
	const coll = "/crm/rest/v2/affiliates/redirects"
	_, created := call(t, mux, "POST", coll, `{"name":"Spring sale","code":"spring","website_address":"https://example.com/spring"}`)
	id, _ := created["id"].(string)
	if status, _ := call(t, mux, "DELETE", coll+"/"+id, ""); status != http.StatusNoContent {
		t.Fatalf("delete %s: %d", id, status)
	}
	if status, got := call(t, mux, "GET", coll+"/"+id, ""); status != http.StatusNotFound || got["status"] != "NOT_FOUND" {
		t.Errorf("get after delete: %d %v, want v2's 404 Error", status, got)
	}
}

// Bad input: v2's Error shape with a message that names the field; v1's {"message"}.
func TestBadRequestsSayWhatToFix(t *testing.T) {
	_, mux := server(t)
	tests := []struct{ method, path, body, mentions string }{
		{"POST", "/crm/rest/v2/automationCategory", `{"name":7}`, `"name" must be a string`},
		{"POST", "/crm/rest/v2/automationCategory", `{"name":`, "ends too early"},
		{"GET", "/crm/rest/v2/automationCategory?page_size=1001", "", "page_size must be a whole number from 0 to 1000"},
		{"GET", "/crm/rest/v1/files?limit=0", "", "limit must be a whole number from 1 to 1000"},
		{"GET", "/crm/rest/v1/files?limit=abc", "", "limit must be a whole number"},
		{"GET", "/crm/rest/v1/files/abc", "", `"abc" in the path must be a number`},
	}
	for _, tt := range tests {
		status, got := call(t, mux, tt.method, tt.path, tt.body)
		msg, _ := got["message"].(string)
		if status != http.StatusBadRequest || !strings.Contains(msg, tt.mentions) {
			t.Errorf("%s %s %s: %d %q, want 400 mentioning %q", tt.method, tt.path, tt.body, status, msg, tt.mentions)
		}
		if strings.Contains(tt.path, "/v2/") && got["status"] != "INVALID_ARGUMENT" {
			t.Errorf("%s %s: %v is not v2's Error", tt.method, tt.path, got)
		}
	}
}

// The lenient reading takes a number sent as a string ("2001"), as Keap's Jackson does, but
// only one spelt as JSON spells numbers: strconv's other readings ("0x1p3" is 8 to it) would
// be stored as numbers the answer cannot be written with.
func TestLenientNumbersAreJSONNumbers(t *testing.T) {
	_, mux := server(t)
	lenient := &httpapi.FieldPolicy{}
	post := func(body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/crm/rest/v1/notes", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httpapi.WithFieldPolicy(req, lenient, "/crm/rest/v1/notes"))
		return w
	}
	if w := post(`{"contact_id":" 2001 "}`); w.Code != http.StatusCreated || !strings.Contains(w.Body.String(), `"contact_id":2001`) {
		t.Errorf(`contact_id " 2001 ": %d %s, want 201 with the number 2001`, w.Code, w.Body)
	}
	for _, raw := range []string{"0x1p3", "+5", "1_0", "Inf"} {
		w := post(`{"contact_id":"` + raw + `"}`)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `field \"contact_id\" must be a number`) {
			t.Errorf("contact_id %q: %d %s, want 400 saying it must be a number", raw, w.Code, w.Body)
		}
	}
}

// Lists page: v2 by page_size and next_page_token.
func TestListPages(t *testing.T) {
	_, mux := server(t)
	for i := range 3 {
		call(t, mux, "POST", "/crm/rest/v2/automationCategory", `{"name":"c`+string(rune('0'+i))+`"}`)
	}
	_, page := call(t, mux, "GET", "/crm/rest/v2/automationCategory?page_size=2", "")
	token, _ := page["next_page_token"].(string)
	if token == "" {
		t.Fatalf("first page of 2 of 3 has no next_page_token: %v", page)
	}
	_, rest := call(t, mux, "GET", "/crm/rest/v2/automationCategory?page_size=2&page_token="+token, "")
	if next, _ := rest["next_page_token"].(string); next != "" || !strings.Contains(toJSON(rest), `"c2"`) {
		t.Errorf("second page: %v", rest)
	}
}

// Shadowing tells a router which requests its own /v1/tasks/{taskId} must leave alone.
func TestShadowing(t *testing.T) {
	a, _ := server(t)
	shadowed := a.Shadowing("/crm/rest/v1/tasks/{taskId}")
	if shadowed == nil || !shadowed("/crm/rest/v1/tasks/search") || shadowed("/crm/rest/v1/tasks/12") {
		t.Error("/v1/tasks/{taskId} should yield /v1/tasks/search and only that")
	}
	if a.Shadowing("/crm/rest/v1/hooks") != nil {
		t.Error("a path without variables can be shadowed by nothing")
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// A collection with no path for one object still lists what its POST made: a contact's
// credit cards, per contact.
func TestListAndCreateWithoutItemPath(t *testing.T) {
	_, mux := server(t)
	body, ok := ExampleRequest("POST", "/crm/rest/v1/contacts/{contactId}/creditCards")
	if !ok {
		t.Fatal("no example body for creditCards")
	}
	status, created := call(t, mux, "POST", "/crm/rest/v1/contacts/2001/creditCards", string(body))
	if status != http.StatusCreated || created["id"] == nil {
		t.Fatalf("create: %d %v", status, created)
	}
	want := `"id":` + toJSON(created["id"])
	if list := callRaw(t, mux, "/crm/rest/v1/contacts/2001/creditCards"); !strings.Contains(list, want) {
		t.Errorf("list %s does not hold card %v", list, created["id"])
	}
	if other := callRaw(t, mux, "/crm/rest/v1/contacts/2003/creditCards"); strings.Contains(other, want) {
		t.Errorf("another contact lists the card: %s", other)
	}
}

// callRaw GETs path and returns the body as it came.
func callRaw(t *testing.T, mux *http.ServeMux, path string) string {
	t.Helper()
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
	if err := schema.ValidateResponse("GET", path, w.Code, w.Header().Get("Content-Type"), w.Body.Bytes()); err != nil {
		t.Errorf("GET %s: %v", path, err)
	}
	return w.Body.String()
}

// v2's document allows page_size=0: the default page, as the store's v2 views answer it.
func TestV2PageSizeZeroMeansTheDefault(t *testing.T) {
	_, mux := server(t)
	for _, path := range []string{"/crm/rest/v2/automationCategory?page_size=0", "/crm/rest/v2/automationCategory"} {
		if status, got := call(t, mux, "GET", path, ""); status != http.StatusOK {
			t.Errorf("GET %s: %d %v, want 200 and the first page", path, status, got)
		}
	}
}

// Reads keep nothing: a list or a 404 at a path nothing was written to adds no collection,
// so a caller walking ids cannot grow the store past its bound of objects.
func TestReadsLeaveNoCollections(t *testing.T) {
	a, mux := server(t)
	call(t, mux, "GET", "/crm/rest/v1/contacts/5/creditCards", "")
	if status, _ := call(t, mux, "GET", "/crm/rest/v2/affiliates/redirects/123", ""); status != http.StatusNotFound {
		t.Fatalf("get of a never-created object: %d, want 404", status)
	}
	a.store.mu.Lock()
	defer a.store.mu.Unlock()
	if n := len(a.store.colls); n != 0 {
		t.Errorf("after reads only, the store has %d collections, want 0", n)
	}
}

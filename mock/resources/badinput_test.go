package resources

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// fill puts ids of existing objects into a route's path variables.
func fill(h *harness, path string, ids map[string]string) string {
	for name, id := range ids {
		path = strings.ReplaceAll(path, "{"+name+"}", id)
	}
	return path
}

// existing makes one object of each kind the routes name and returns their ids by path
// variable.
func existing(h *harness) map[string]string {
	note := h.must("POST", "/v1/notes", map[string]any{"contact_id": 2001, "title": "n"}, http.StatusCreated).id()
	task := h.must("POST", "/v1/tasks", map[string]any{"title": "t", "due_date": "2024-03-15T23:00:00Z"}, http.StatusOK).id()
	appt := h.must("POST", "/v1/appointments", appointmentBody(), http.StatusCreated).id()
	plan := h.must("POST", "/v1/products/11/subscriptions", planBody(), http.StatusCreated).id()
	order := newOrder(h)
	item := h.must("POST", fmt.Sprintf("/v1/orders/%d/items", order), map[string]any{"product_id": 13, "quantity": 1}, http.StatusCreated).id()
	h.takeEvents()
	return map[string]string{
		"id": "2001", "contactId": "2001", "userId": "1", "subscriptionId": fmt.Sprint(plan), "email": "dana.whitfield@example.com", "orderItemId": fmt.Sprint(item), "tagId": "91", "companyId": "3001", "noteId": fmt.Sprint(note),
		"taskId": fmt.Sprint(task), "appointmentId": fmt.Sprint(appt), "opportunityId": "301",
		"orderId": fmt.Sprint(order), "productId": "11", "transactionId": "1",
	}
}

// Every route that takes a body refuses bodies Keap would refuse, with a 4xx and a message,
// and changes nothing.
func TestEveryBodyIsReadStrictly(t *testing.T) {
	h := newHarness(t, true)
	ids := existing(h)
	h.takeEvents()
	bodies := []struct {
		name, body string
		want       int
	}{
		{"malformed", `{"given_name": `, http.StatusBadRequest},
		{"not an object", `["a"]`, http.StatusBadRequest},
		{"a string", `"hello"`, http.StatusBadRequest},
		{"unknown field", `{"shoe_size": 44}`, http.StatusBadRequest},
		{"trailing data", `{} {}`, http.StatusBadRequest},
		{"empty", ``, http.StatusBadRequest},
		{"oversized", `{"x": "` + strings.Repeat("a", 70<<10) + `"}`, http.StatusRequestEntityTooLarge},
	}
	for _, rt := range h.store.Routes() {
		if rt.Method == http.MethodGet || rt.Method == http.MethodDelete {
			continue
		}
		path := "/v1" + fill(h, rt.Path, ids)
		for _, b := range bodies {
			if got, raw := h.do(rt.Method, path, b.body); got != b.want {
				t.Errorf("%s %s with %s body: %d, want %d: %s", rt.Method, path, b.name, got, b.want, raw)
			}
		}
		req := httptest.NewRequest(rt.Method, "/crm/rest"+path, strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "text/plain")
		rec := httptest.NewRecorder()
		h.mux.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnsupportedMediaType {
			t.Errorf("%s %s as text/plain: %d, want 415", rt.Method, path, rec.Code)
		}
	}
	wantEvents(t, h.takeEvents())
}

// Every path id that is not an id is a 400 that says so; every id of nothing is a 404. The
// request is otherwise good (a good body, the bulk removals' ids), so neither answer can
// come from anything but the path.
func TestEveryPathIDIsChecked(t *testing.T) {
	h := newHarness(t, true)
	bodies := validBodies()
	for _, rt := range h.store.Routes() {
		if !strings.Contains(rt.Path, "{") || strings.Contains(rt.Path, "{email}") { // an address, not an id
			continue
		}
		body := bodies[rt.Method+" "+rt.Path] // nil for GET and DELETE
		query := ""
		if rt.Method == http.MethodDelete {
			query = "?ids=1"
		}
		for _, v := range []string{"abc", "0", "-4", "1.5"} {
			path := "/v1" + replaceVars(rt.Path, v) + query
			status, raw := h.do(rt.Method, path, body)
			if status != http.StatusBadRequest || !strings.Contains(string(raw), "in the path is not an id") {
				t.Errorf("%s %s: %d, want 400 saying the path holds no id: %s", rt.Method, path, status, raw)
			}
		}
		path := "/v1" + replaceVars(rt.Path, "99999") + query
		if status, raw := h.do(rt.Method, path, body); status != http.StatusNotFound {
			t.Errorf("%s %s: %d, want 404: %s", rt.Method, path, status, raw)
		}
	}
	wantEvents(t, h.takeEvents())
}

func replaceVars(path, v string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, "{") {
			parts[i] = v
		}
	}
	return strings.Join(parts, "/")
}

// unpaged says which GETs take no limit and offset: one object, the bare array of an order's
// payments, the pipeline.
func unpaged(path string) bool {
	return strings.HasSuffix(path, "}") || path == "/orders/{orderId}/payments" || path == "/opportunity/stage_pipeline" ||
		strings.HasSuffix(path, "/model") || strings.HasSuffix(path, "/signature") ||
		path == "/oauth/connect/userinfo" || path == "/setting/application/enabled"
}

// Every list pages, and refuses pages Keap refuses.
func TestEveryListChecksItsPage(t *testing.T) {
	h := newHarness(t, true)
	ids := existing(h)
	for _, rt := range h.store.Routes() {
		if rt.Method != http.MethodGet || unpaged(rt.Path) {
			continue
		}
		path := "/v1" + fill(h, rt.Path, ids)
		if status, raw := h.do("GET", path, nil); status != http.StatusOK || !strings.Contains(string(raw), `"count"`) {
			t.Errorf("GET %s: %d, want a page of Keap's list body: %s", path, status, raw)
			continue
		}
		for _, q := range []string{"limit=1001", "limit=0", "limit=x", "offset=-1", "offset=1e3"} {
			msg := h.fail("GET", path+"?"+q, nil, http.StatusBadRequest)
			if !strings.Contains(msg, strings.Split(q, "=")[0]) {
				t.Errorf("GET %s?%s: message %q does not name the parameter", path, q, msg)
			}
		}
		h.must("GET", path+"?limit=1000&offset=5000", nil, http.StatusOK)
	}
}

// Values that decode but that Keap refuses, one per rule.
func TestBadValues(t *testing.T) {
	h := newHarness(t, true)
	email := func(e any) map[string]any {
		return map[string]any{"email_addresses": []any{map[string]any{"field": "EMAIL1", "email": e}}}
	}
	cases := []struct {
		name, method, path string
		body               any
		want               int
		says               string
	}{
		{"no email or phone", "POST", "/v1/contacts", map[string]any{"given_name": "A"}, 400, "email_addresses or phone_numbers"},
		{"email field enum", "POST", "/v1/contacts", map[string]any{"email_addresses": []any{map[string]any{"field": "EMAIL9", "email": "a@b.co"}}}, 400, "EMAIL1"},
		{"email not an email", "POST", "/v1/contacts", email("nobody"), 400, "email address"},
		{"email is a number", "POST", "/v1/contacts", email(12), 400, "string"},
		{"two EMAIL1", "POST", "/v1/contacts", map[string]any{"email_addresses": []any{
			map[string]any{"field": "EMAIL1", "email": "a@b.co"}, map[string]any{"field": "EMAIL1", "email": "c@b.co"}}}, 400, "twice"},
		{"wrongly cased field", "POST", "/v1/contacts", map[string]any{"Given_Name": "A"}, 400, "case-sensitive"},
		{"region without country", "POST", "/v1/contacts", map[string]any{"phone_numbers": []any{map[string]any{"field": "PHONE1", "number": "1"}},
			"addresses": []any{map[string]any{"field": "BILLING", "region": "Arizona"}}}, 400, "country_code"},
		{"unknown company", "POST", "/v1/contacts", map[string]any{"phone_numbers": []any{map[string]any{"field": "PHONE1", "number": "1"}},
			"company": map[string]any{"id": 1}}, 400, "company 1 does not exist"},
		{"unknown owner", "PATCH", "/v1/contacts/2001", map[string]any{"owner_id": 77}, 400, "user 77"},
		{"birthday not a date", "PATCH", "/v1/contacts/2001", map[string]any{"birthday": "March"}, 400, "birthday"},
		{"source type enum", "PATCH", "/v1/contacts/2001", map[string]any{"source_type": "FAX"}, 400, "source_type"},
		{"id too big", "PATCH", "/v1/contacts/2001", map[string]any{"owner_id": 1e30}, 400, "owner_id"},
		{"negative payment", "POST", "/v1/orders/8801/payments", map[string]any{"payment_amount": "-5"}, 400, "more than 0"},
		{"tagIds not ids", "POST", "/v1/contacts/2001/tags", map[string]any{"tagIds": []any{"91"}}, 400, "tagIds"},
		{"too many tags", "POST", "/v1/contacts/2001/tags", map[string]any{"tagIds": make([]int, 1001)}, 400, "at most 1000"},
		{"negative price", "POST", "/v1/products", map[string]any{"product_name": "x", "product_price": -1}, 400, "negative"},
		{"priority too big", "POST", "/v1/tasks", map[string]any{"title": "x", "due_date": "2024-03-15T23:00:00Z", "priority": 1 << 40}, 400, "priority"},
	}
	newOrder(h)
	h.takeEvents()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			msg := h.fail(c.method, c.path, c.body, c.want)
			if !strings.Contains(msg, c.says) {
				t.Errorf("message %q does not say %q", msg, c.says)
			}
		})
	}
	wantEvents(t, h.takeEvents())
}

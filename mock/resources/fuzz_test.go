package resources

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// fuzzHarness builds one seeded store for a fuzz target; each input swaps in its own T.
func fuzzHarness(f *testing.F) *harness {
	return newHarness(f, true)
}

// checkWrite asserts what every write promises: a 2xx emitted events, a 4xx none.
func checkWrite(t *testing.T, h *harness, status int) {
	t.Helper()
	events := h.takeEvents()
	switch {
	case status < 300 && len(events) == 0:
		t.Errorf("a %d write emitted nothing", status)
	case status >= 400 && len(events) > 0:
		t.Errorf("a refused write (%d) emitted %q", status, events)
	}
}

func FuzzCreateContact(f *testing.F) {
	for _, seed := range []string{
		`{"email_addresses":[{"field":"EMAIL1","email":"a@b.co"}]}`,
		`{"given_name":"A","phone_numbers":[{"field":"PHONE1","number":"555-0100"}],"addresses":[{"field":"BILLING","region":"AZ","country_code":"USA"}]}`,
		`{"email_addresses":[{"field":"EMAIL1","email":"a@b.co"}],"company":{"id":3001},"origin":{"ip_address":"203.0.113.1"},"custom_fields":[{"id":1,"content":{}}]}`,
		`{"email_addresses":[{"field":"EMAIL4"}]}`, `{"owner_id":"1"}`, `{`, `null`, `[]`, `{"birthday":"2024-02-30T00:00:00Z"}`,
	} {
		f.Add(seed)
	}
	h := fuzzHarness(f)
	f.Fuzz(func(t *testing.T, body string) {
		h.t = t
		status, _ := h.do("POST", "/v1/contacts", body)
		checkWrite(t, h, status)
		status, _ = h.do("PATCH", "/v1/contacts/2001", body)
		checkWrite(t, h, status)
		status, _ = h.do("PUT", "/v1/contacts", body)
		checkWrite(t, h, status)
	})
}

// requestQuery reports whether query is one an HTTP request can carry (httptest.NewRequest
// panics on a request line it cannot parse).
func requestQuery(query string) bool {
	_, err := url.ParseRequestURI("/x?" + query)
	return err == nil && !strings.ContainsAny(query, " #")
}

func FuzzListQuery(f *testing.F) {
	for _, seed := range []string{
		"limit=5&offset=10", "limit=1001", "limit=-1", "offset=x", "email=dana.whitfield@example.com",
		"order=email&order_direction=DESCENDING", "since=2024-01-01T00:00:00Z&until=2023-01-01T00:00:00Z",
		"contact_id=2001&completed=true", "paid=yes", "limit=%zz", "ids=1,2,,3", "stage_id=15&search_term=a",
	} {
		f.Add(seed)
	}
	h := fuzzHarness(f)
	lists := []string{"/v1/contacts", "/v1/tags", "/v1/companies", "/v1/notes", "/v1/tasks", "/v1/opportunities",
		"/v1/orders", "/v1/transactions", "/v1/products", "/v1/subscriptions", "/v1/appointments", "/v1/users",
		"/v1/contacts/2001/tags", "/v1/tags/91/contacts"}
	f.Fuzz(func(t *testing.T, query string) {
		h.t = t
		if !requestQuery(query) {
			return
		}
		for _, path := range lists {
			status, raw := h.do("GET", path+"?"+query, nil)
			if status != http.StatusOK && status != http.StatusBadRequest {
				t.Errorf("GET %s?%s: %d %s", path, query, status, raw)
			}
		}
		h.do("DELETE", "/v1/contacts/2001/tags?"+query, nil)
		h.takeEvents()
	})
}

func FuzzCreateOrder(f *testing.F) {
	for _, seed := range []string{
		`{"contact_id":2003,"order_date":"2024-03-14T17:30:05Z","order_title":"T","order_type":"Offline","order_items":[{"product_id":11,"quantity":1}]}`,
		`{"contact_id":2003,"order_date":"2024-03-14T17:30:05Z","order_title":"T","order_type":"Online","order_items":[{"product_id":13,"quantity":3,"price":"1e300"}]}`,
		`{"contact_id":2003,"order_date":"x","order_title":"T","order_type":"Offline","order_items":[]}`,
		`{"contact_id":2003,"order_date":"2024-03-14T17:30:05Z","order_title":"T","order_type":"Offline","order_items":[{"product_id":11,"quantity":2147483647,"price":"99999999"}]}`,
	} {
		f.Add(seed, "12.50")
	}
	h := fuzzHarness(f)
	f.Fuzz(func(t *testing.T, body, amount string) {
		h.t = t
		status, raw := h.do("POST", "/v1/orders", body)
		checkWrite(t, h, status)
		if status != http.StatusCreated {
			return
		}
		o, _ := decodeObject(raw)
		status, _ = h.do("POST", "/v1/orders/"+string(num(o.id()))+"/payments", map[string]any{"payment_amount": amount})
		checkWrite(t, h, status)
	})
}

func FuzzApplyTags(f *testing.F) {
	for _, seed := range []string{`{"tagIds":[89,91,999]}`, `{"tagIds":[]}`, `{"tagIds":[-1]}`, `{"ids":[2001]}`, `{"tagIds":[1e99]}`} {
		f.Add(seed)
	}
	h := fuzzHarness(f)
	f.Fuzz(func(t *testing.T, body string) {
		h.t = t
		status, _ := h.do("POST", "/v1/contacts/2003/tags", body)
		h.takeEvents() // a duplicate application succeeds without an event
		status2, _ := h.do("POST", "/v1/tags/89/contacts", strings.Replace(body, "tagIds", "ids", 1))
		h.takeEvents()
		if status >= 500 || status2 >= 500 {
			t.Errorf("statuses %d %d", status, status2)
		}
	})
}

func FuzzPatchOpportunity(f *testing.F) {
	for _, seed := range []string{
		`{"stage":{"id":19}}`, `{"stage":{"id":12}}`, `{"contact":{"id":2005},"user":{"id":3}}`,
		`{"projected_revenue_low":1e308,"estimated_close_date":"2024-04-01T19:00:00Z"}`, `{"stage":{"details":{"probability":"x"}}}`,
	} {
		f.Add(seed)
	}
	h := fuzzHarness(f)
	f.Fuzz(func(t *testing.T, body string) {
		h.t = t
		status, _ := h.do("PATCH", "/v1/opportunities/301", body)
		checkWrite(t, h, status)
	})
}

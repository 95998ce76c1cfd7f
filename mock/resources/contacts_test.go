package resources

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestContactLifecycle(t *testing.T) {
	h := newHarness(t, false)
	c := h.must("POST", "/v1/contacts", map[string]any{
		"given_name": "Jordan", "family_name": "Blake", "opt_in_reason": "Signed up on the webform",
		"email_addresses": []any{map[string]any{"field": "EMAIL1", "email": "jordan.blake@example.com"}},
		"phone_numbers":   []any{map[string]any{"field": "PHONE1", "number": "(480) 555-0191"}},
		"addresses": []any{map[string]any{"field": "BILLING", "line1": "845 N Gilbert Rd", "locality": "Gilbert",
			"region": "Arizona", "country_code": "USA", "postal_code": "85234"}},
		"origin": map[string]any{"ip_address": "203.0.113.24"},
	}, http.StatusCreated)
	id := c.id()
	wantEvents(t, h.takeEvents(), eventString("contact.add", id))
	if c.str("date_created") != "2024-03-14T16:20:58.000Z" || c.str("email_status") != "SingleOptIn" || !c.boolean("email_opted_in") {
		t.Errorf("created contact: %v", c)
	}
	if c.sub("origin").str("date") != c.str("date_created") {
		t.Errorf("origin %v, want the creation date", c["origin"])
	}

	h.advance(time.Minute)
	h.must("PATCH", fmt.Sprintf("/v1/contacts/%d", id), map[string]any{
		"job_title":       "Owner",
		"email_addresses": []any{map[string]any{"field": "EMAIL2", "email": "jb@example.net"}},
	}, http.StatusOK)
	wantEvents(t, h.takeEvents(), eventString("contact.edit", id))

	got := h.must("GET", fmt.Sprintf("/v1/contacts/%d", id), nil, http.StatusOK)
	if got.str("job_title") != "Owner" || got.str("given_name") != "Jordan" || got.str("last_updated") != "2024-03-14T16:21:58.000Z" {
		t.Errorf("after the patch: %v", got)
	}
	emails := []string{}
	for _, e := range got.list("email_addresses") {
		emails = append(emails, e.str("field")+"="+e.str("email"))
	}
	if diff := cmp.Diff([]string{"EMAIL1=jordan.blake@example.com", "EMAIL2=jb@example.net"}, emails); diff != "" {
		t.Errorf("a patch of EMAIL2 keeps EMAIL1 (-want +got):\n%s", diff)
	}

	h.must("DELETE", fmt.Sprintf("/v1/contacts/%d", id), nil, http.StatusNoContent)
	wantEvents(t, h.takeEvents(), eventString("contact.delete", id))
	h.fail("GET", fmt.Sprintf("/v1/contacts/%d", id), nil, http.StatusNotFound)
	h.fail("DELETE", fmt.Sprintf("/v1/contacts/%d", id), nil, http.StatusNotFound)
	wantEvents(t, h.takeEvents())
}

func TestContactUpdateMaskLimitsThePatch(t *testing.T) {
	h := newHarness(t, true)
	h.must("PATCH", "/v1/contacts/2001?update_mask=job_title", map[string]any{"job_title": "Coach", "given_name": "Ignored"}, http.StatusOK)
	c := h.must("GET", "/v1/contacts/2001", nil, http.StatusOK)
	if c.str("job_title") != "Coach" || c.str("given_name") != "Dana" {
		t.Errorf("update_mask=job_title changed %v / %v", c["job_title"], c["given_name"])
	}
	if msg := h.fail("PATCH", "/v1/contacts/2001?update_mask=shoe_size", map[string]any{}, http.StatusBadRequest); msg == "" {
		t.Error("no message")
	}
}

func TestPutContactsUpsertsByEmail(t *testing.T) {
	h := newHarness(t, true)
	body := map[string]any{"duplicate_option": "Email", "job_title": "Dentist",
		"email_addresses": []any{map[string]any{"field": "EMAIL1", "email": "DANA.WHITFIELD@example.com"}}}
	c := h.must("PUT", "/v1/contacts", body, http.StatusOK)
	if c.id() != 2001 || c.str("job_title") != "Dentist" {
		t.Fatalf("the upsert updated %d: %v", c.id(), c)
	}
	wantEvents(t, h.takeEvents(), "contact.edit:2001")

	body["email_addresses"] = []any{map[string]any{"field": "EMAIL1", "email": "new.person@example.com"}}
	c = h.must("PUT", "/v1/contacts", body, http.StatusOK)
	wantEvents(t, h.takeEvents(), eventString("contact.add", c.id()))

	delete(body, "email_addresses")
	h.fail("PUT", "/v1/contacts", body, http.StatusBadRequest) // a new contact needs an email or phone
	h.fail("POST", "/v1/contacts", map[string]any{"duplicate_option": "Email", "given_name": "X"}, http.StatusBadRequest)
}

func TestContactsListPagesAndFilters(t *testing.T) {
	h := newHarness(t, true)
	page := h.must("GET", "/v1/contacts?limit=5&offset=10", nil, http.StatusOK)
	ids := []int64{}
	for _, c := range page.list("contacts") {
		ids = append(ids, c.id())
		if c["tag_ids"] != nil {
			t.Errorf("list items are partial contacts, without tag_ids: %v", c)
		}
	}
	if diff := cmp.Diff([]int64{2021, 2023, 2025, 2027}, ids); diff != "" {
		t.Errorf("page ids (-want +got):\n%s", diff)
	}
	if n, _ := page.int("count"); n != 14 {
		t.Errorf("count %d, want 14 (all that match)", n)
	}
	if page.str("next") != "http://example.com/crm/rest/v1/contacts?limit=5&offset=15" ||
		page.str("previous") != "http://example.com/crm/rest/v1/contacts?limit=5&offset=5" {
		t.Errorf("next %q previous %q", page.str("next"), page.str("previous"))
	}
	last := h.must("GET", "/v1/contacts?limit=5&offset=9223372036854775807", nil, http.StatusOK)
	if next := last.str("next"); next != "http://example.com/crm/rest/v1/contacts?limit=5&offset=9223372036854775807" {
		t.Errorf("next after the largest offset %q, want the same offset (not one wrapped below zero)", next)
	}
	byEmail := h.must("GET", "/v1/contacts?email=grace.liu@example.net", nil, http.StatusOK)
	if l := byEmail.list("contacts"); len(l) != 1 || l[0].id() != 2013 {
		t.Errorf("email filter: %v", byEmail)
	}
	desc := h.must("GET", "/v1/contacts?order=id&order_direction=DESCENDING&limit=1", nil, http.StatusOK)
	if l := desc.list("contacts"); len(l) != 1 || l[0].id() != 2027 {
		t.Errorf("descending: %v", desc)
	}
	for _, bad := range []string{"limit=0", "limit=1001", "limit=ten", "offset=-1", "order=shoe", "since=yesterday"} {
		if msg := h.fail("GET", "/v1/contacts?"+bad, nil, http.StatusBadRequest); msg == "" {
			t.Errorf("%s: no message", bad)
		}
	}
}

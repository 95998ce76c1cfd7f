package resources

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// A category made through POST /tags/categories is one a new tag can name.
func TestTagCategoryRoundTrip(t *testing.T) {
	h := newHarness(t, true)
	cat := h.must("POST", "/v1/tags/categories", map[string]any{"name": "Leads", "description": "From ads"}, http.StatusOK)
	tag := h.must("POST", "/v1/tags", map[string]any{"name": "Facebook", "category": map[string]any{"id": cat["id"]}}, http.StatusOK)
	if got := tag.sub("category").str("name"); got != "Leads" {
		t.Fatalf("the tag's category is %q, want Leads: %v", got, tag)
	}
	again := h.must("POST", "/v1/tags/categories", map[string]any{"name": "Other"}, http.StatusOK)
	if stringOf(again["id"]) == stringOf(cat["id"]) {
		t.Errorf("two categories share id %v", cat["id"])
	}
	h.fail("POST", "/v1/tags/categories", map[string]any{"description": "no name"}, http.StatusBadRequest)
}

// v1 and v2 make tag categories by one rule: ids follow each other whichever version made
// the last, from 11 without seed data; category and tag names are kept without surrounding
// spaces in both.
func TestTagCategoriesOneRuleInBothVersions(t *testing.T) {
	h := newHarness(t, false)
	v1 := h.must("POST", "/v1/tags/categories", map[string]any{"name": "  Leads "}, http.StatusOK)
	v2 := h.must("POST", "/v2/tags/categories", map[string]any{"name": " Events"}, http.StatusCreated)
	if stringOf(v1["id"]) != "11" || v2.str("id") != "12" {
		t.Errorf("ids %v (v1) and %v (v2), want 11 and 12", v1["id"], v2["id"])
	}
	if v1.str("name") != "Leads" || v2.str("name") != "Events" {
		t.Errorf("names %q and %q, want them without surrounding spaces", v1.str("name"), v2.str("name"))
	}
	if got := h.must("GET", "/v2/tags/categories/11", nil, http.StatusOK).str("name"); got != "Leads" {
		t.Errorf("v2 reads v1's category as %q", got)
	}
	tag1 := h.must("POST", "/v1/tags", map[string]any{"name": " Hot "}, http.StatusOK)
	tag2 := h.must("POST", "/v2/tags", map[string]any{"name": " Cold "}, http.StatusCreated)
	if tag1.str("name") != "Hot" || tag2.str("name") != "Cold" {
		t.Errorf("tag names %q and %q, want them without surrounding spaces in both versions", tag1.str("name"), tag2.str("name"))
	}
}

// A custom field created on a model is listed by that model only.
func TestModelListsItsCustomFields(t *testing.T) {
	h := newHarness(t, false)
	f := h.must("POST", "/v1/contacts/model/customFields", map[string]any{"label": "Shoe size", "field_type": "WholeNumber"}, http.StatusCreated)
	if f.str("field_name") != "Shoesize" || f.id() == 0 {
		t.Errorf("custom field = %v", f)
	}
	model := h.must("GET", "/v1/contacts/model", nil, http.StatusOK)
	if fields, _ := model["custom_fields"].([]any); len(fields) != 1 {
		t.Errorf("contacts model lists %v, want the new field", model["custom_fields"])
	}
	if fields, _ := h.must("GET", "/v1/notes/model", nil, http.StatusOK)["custom_fields"].([]any); len(fields) != 0 {
		t.Errorf("the notes model lists a contact's field: %v", fields)
	}
	msg := h.fail("POST", "/v1/tasks/model/customFields", map[string]any{"label": "x", "field_type": "Number"}, http.StatusBadRequest)
	if !strings.Contains(msg, "field_type") {
		t.Errorf("message %q does not name field_type", msg)
	}
}

// userinfo and a signature come from the account's users.
func TestSignedInUser(t *testing.T) {
	h := newHarness(t, true)
	info := h.must("GET", "/v1/oauth/connect/userinfo", nil, http.StatusOK)
	if info.str("email") == "" || info.str("sub") == "" || info["global_user_id"] == nil {
		t.Errorf("userinfo = %v", info)
	}
	status, raw := h.do("GET", "/v1/users/1/signature", nil)
	if status != http.StatusOK || !strings.Contains(string(raw), info.str("email")) {
		t.Errorf("signature: %d %s", status, raw)
	}
	h.fail("GET", "/v1/users/999/signature", nil, http.StatusNotFound)
	empty := newHarness(t, false)
	if msg := empty.fail("GET", "/v1/oauth/connect/userinfo", nil, http.StatusNotFound); !strings.Contains(msg, "seed data") || !strings.Contains(msg, "POST /crm/rest/v1/users") {
		t.Errorf("userinfo without users: %q does not say how to get one", msg)
	}
}

// tasks/search filters like GET /tasks; tags/{id}/companies knows its tag.
func TestSearchesGoThroughTheStore(t *testing.T) {
	h := newHarness(t, true)
	h.must("POST", "/v1/tasks", map[string]any{"title": "Call", "due_date": "2024-03-15T23:00:00Z", "contact": map[string]any{"id": 2001}}, http.StatusOK)
	h.must("POST", "/v1/tasks", map[string]any{"title": "Mail", "due_date": "2024-03-15T23:00:00Z"}, http.StatusOK)
	if got := h.must("GET", "/v1/tasks/search?contact_id=2001", nil, http.StatusOK); stringOf(got["count"]) != "1" {
		t.Errorf("tasks/search?contact_id=2001 found %v tasks, want 1", got["count"])
	}
	h.must("GET", "/v1/tags/91/companies", nil, http.StatusOK)
	h.fail("GET", "/v1/tags/999/companies", nil, http.StatusNotFound)
	if status, _ := h.do("GET", "/v1/setting/application/enabled", nil); status != http.StatusOK {
		t.Errorf("application/enabled: %d", status)
	}
}

// A plan made through POST /v1/products/{id}/subscriptions is one a subscription can name.
func TestProductPlanRoundTrip(t *testing.T) {
	h := newHarness(t, true)
	plan := h.must("POST", "/v1/products/11/subscriptions", map[string]any{"cycle_type": "MONTH", "plan_price": 29.5}, http.StatusCreated)
	id := stringOf(plan["id"])
	if got := h.must("GET", "/v1/products/11/subscriptions/"+id, nil, http.StatusOK); got.str("cycle_type") != "MONTH" || stringOf(got["id"]) != id {
		t.Errorf("plan = %v", got)
	}
	h.must("POST", "/v1/subscriptions", map[string]any{"contact_id": 2001, "subscription_plan_id": plan["id"]}, http.StatusCreated)
	h.must("DELETE", "/v1/products/11/subscriptions/"+id, nil, http.StatusNoContent)
	h.fail("GET", "/v1/products/11/subscriptions/"+id, nil, http.StatusNotFound)
	h.fail("POST", "/v1/products/11/subscriptions", map[string]any{"cycle_type": "HOUR", "plan_price": 1}, http.StatusBadRequest)
	if events := h.takeEvents(); !slices.Contains(events, "product.edit:11") {
		t.Errorf("events %v, want product.edit 11", events)
	}
}

// An item added to an order moves its total and what is due; removing it moves them back.
func TestOrderItems(t *testing.T) {
	h := newHarness(t, true)
	order := newOrder(h)
	before := h.must("GET", fmt.Sprintf("/v1/orders/%d", order), nil, http.StatusOK)
	item := h.must("POST", fmt.Sprintf("/v1/orders/%d/items", order), map[string]any{"product_id": 13, "quantity": 2, "price": "10.00"}, http.StatusCreated)
	after := h.must("GET", fmt.Sprintf("/v1/orders/%d", order), nil, http.StatusOK)
	if centsOf(after, "total")-centsOf(before, "total") != 2000 || len(after.list("order_items")) != len(before.list("order_items"))+1 {
		t.Errorf("total %v -> %v after adding 2 x 10.00", before["total"], after["total"])
	}
	if events := h.takeEvents(); !slices.Contains(events, fmt.Sprintf("order.edit:%d", order)) {
		t.Errorf("events %v, want order.edit", events)
	}
	h.must("DELETE", fmt.Sprintf("/v1/orders/%d/items/%d", order, item.id()), nil, http.StatusNoContent)
	if again := h.must("GET", fmt.Sprintf("/v1/orders/%d", order), nil, http.StatusOK); centsOf(again, "total") != centsOf(before, "total") {
		t.Errorf("total after removing the item: %v, want %v", again["total"], before["total"])
	}
	h.fail("DELETE", fmt.Sprintf("/v1/orders/%d/items/%d", order, item.id()), nil, http.StatusNotFound)
	h.fail("POST", fmt.Sprintf("/v1/orders/%d/items", order), map[string]any{"product_id": 999, "quantity": 1}, http.StatusBadRequest)
}

// PUT /v1/emailAddresses/{email} opts every contact with the address in or out.
func TestEmailAddressStatus(t *testing.T) {
	h := newHarness(t, true)
	h.takeEvents()
	got := h.must("PUT", "/v1/emailAddresses/Dana.Whitfield@example.com", map[string]any{"opted_in": false, "reason": "Asked"}, http.StatusOK)
	if got.str("status") != "Unengaged NonMarketable" || got["opted_in"] != false {
		t.Errorf("answer = %v", got)
	}
	if c := h.must("GET", "/v1/contacts/2001", nil, http.StatusOK); c["email_opted_in"] != false || c.str("email_status") != "UnengagedNonMarketable" {
		t.Errorf("contact after opting out: %v %v", c["email_opted_in"], c["email_status"])
	}
	if events := h.takeEvents(); !slices.Contains(events, "contact.edit:2001") {
		t.Errorf("events %v, want contact.edit:2001", events)
	}
	h.fail("PUT", "/v1/emailAddresses/nobody@example.com", map[string]any{"opted_in": true, "reason": "x"}, http.StatusNotFound)
	h.fail("PUT", "/v1/emailAddresses/not-an-address", map[string]any{"opted_in": true, "reason": "x"}, http.StatusBadRequest)
	h.fail("PUT", "/v1/emailAddresses/dana.whitfield@example.com", map[string]any{"reason": "x"}, http.StatusBadRequest)
}

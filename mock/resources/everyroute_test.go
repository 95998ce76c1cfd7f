package resources

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// validBodies is one good request body for every route that takes one.
func validBodies() map[string]any {
	task := map[string]any{"title": "Call back", "due_date": "2024-03-15T23:00:00Z"}
	return map[string]any{
		"POST /contacts":                           map[string]any{"email_addresses": []any{map[string]any{"field": "EMAIL1", "email": "x@example.com"}}},
		"PUT /contacts":                            map[string]any{"duplicate_option": "Email", "email_addresses": []any{map[string]any{"field": "EMAIL1", "email": "hannah.k@example.org"}}},
		"PATCH /contacts/{contactId}":              map[string]any{"website": "https://example.com"},
		"POST /tags":                               map[string]any{"name": "New"},
		"POST /tags/{tagId}/contacts":              map[string]any{"ids": []any{2021}},
		"POST /contacts/{contactId}/tags":          map[string]any{"tagIds": []any{107}},
		"POST /companies":                          map[string]any{"company_name": "New Co"},
		"PATCH /companies/{companyId}":             map[string]any{"website": "https://example.com"},
		"POST /notes":                              map[string]any{"contact_id": 2001, "body": "b"},
		"PUT /notes/{noteId}":                      map[string]any{"contact_id": 2001, "title": "t"},
		"PATCH /notes/{noteId}":                    map[string]any{"title": "t2"},
		"POST /tasks":                              task,
		"PUT /tasks/{taskId}":                      task,
		"PATCH /tasks/{taskId}":                    map[string]any{"priority": 2},
		"POST /opportunities":                      map[string]any{"opportunity_title": "o", "contact": map[string]any{"id": 2001}, "stage": map[string]any{"id": 11}},
		"PUT /opportunities":                       map[string]any{"id": 305, "opportunity_title": "o", "contact": map[string]any{"id": 2001}, "stage": map[string]any{"id": 11}},
		"PATCH /opportunities/{opportunityId}":     map[string]any{"include_in_forecast": 0},
		"POST /orders":                             orderBody(),
		"POST /orders/{orderId}/payments":          map[string]any{"payment_amount": "1.00"},
		"POST /products":                           map[string]any{"product_name": "p"},
		"PATCH /products/{productId}":              map[string]any{"sku": "P-1"},
		"POST /subscriptions":                      map[string]any{"contact_id": 2003, "subscription_plan_id": 7},
		"POST /appointments":                       appointmentBody(),
		"PUT /appointments/{appointmentId}":        appointmentBody(),
		"PATCH /appointments/{appointmentId}":      map[string]any{"location": "Office"},
		"POST /users":                              map[string]any{"email": "new.user@example.com", "given_name": "New"},
		"POST /affiliates":                         map[string]any{"code": "NEW", "contact_id": 2003, "password": "pw"},
		"POST /tags/categories":                    map[string]any{"name": "Leads"},
		"POST /products/{productId}/subscriptions": planBody(),
		"PUT /emailAddresses/{email}":              map[string]any{"opted_in": true, "reason": "Signed up"},
		"POST /orders/{orderId}/items":             map[string]any{"product_id": 13, "quantity": 2},
		"POST /contacts/model/customFields":        newCustomFieldBody(),
		"POST /notes/model/customFields":           newCustomFieldBody(),
		"POST /tasks/model/customFields":           newCustomFieldBody(),
		"POST /appointments/model/customFields":    newCustomFieldBody(),
	}
}

// Every route answers a good request with a 2xx whose body Keap's document accepts (the
// harness validates each answer), so no route goes untested against the schema.
func TestEveryRouteAnswersAGoodRequest(t *testing.T) {
	h := newHarness(t, true)
	ids := existing(h)
	// A payment makes transactionId name a real transaction.
	tx := h.must("POST", "/v1/orders/"+ids["orderId"]+"/payments", map[string]any{"payment_amount": "10"}, http.StatusCreated)
	ids["transactionId"] = stringOf(tx["transaction_id"])
	bodies := validBodies()
	// Deletes last: they would take objects other routes need.
	var deletes []Route
	for _, rt := range h.store.Routes() {
		if rt.Method == http.MethodDelete {
			deletes = append(deletes, rt)
			continue
		}
		h.checkGood(rt, ids, bodies)
	}
	// The contact's own delete goes last: the tag removals need it; a product's plan goes
	// before the product.
	slices.SortStableFunc(deletes, func(a, b Route) int {
		if c := boolInt(a.Path == "/contacts/{contactId}") - boolInt(b.Path == "/contacts/{contactId}"); c != 0 {
			return c
		}
		return strings.Count(b.Path, "/") - strings.Count(a.Path, "/")
	})
	for _, rt := range deletes {
		h.checkGood(rt, ids, bodies)
	}
}

func (h *harness) checkGood(rt Route, ids map[string]string, bodies map[string]any) {
	h.t.Helper()
	key := rt.Method + " " + rt.Path
	body, ok := bodies[key]
	if rt.Method != http.MethodGet && rt.Method != http.MethodDelete && !ok {
		h.t.Errorf("%s: no good body to test it with", key)
		return
	}
	path := "/v1" + fill(h, rt.Path, ids)
	if rt.Path == "/tags/{id}" {
		path = "/v1/tags/" + ids["tagId"] // Keap spells both the contact's and the tag's id {id}
	}
	if rt.Method == http.MethodDelete && (rt.Path == "/contacts/{contactId}/tags" || rt.Path == "/tags/{tagId}/contacts") {
		path += "?ids=91,2001"
	}
	if rt.Path == "/affiliates/{id}" {
		path = "/v1/affiliates/" + fmt.Sprint(newAffiliate(h))
	}
	if rt.Method == http.MethodDelete && rt.Path == "/orders/{orderId}" {
		path = "/v1/orders/" + stringOf(newOrderID(h)) // one without a payment
	}
	if status, raw := h.do(rt.Method, path, body); status < 200 || status > 299 {
		h.t.Errorf("%s %s: %d %s", rt.Method, path, status, raw)
	}
}

// newAffiliate makes an affiliate of a new contact (codes are unique) and returns its id.
func newAffiliate(h *harness) int64 {
	contact := h.newContact(fmt.Sprintf("Affiliate%d", len(h.store.db.affiliates.objs)))
	return h.must("POST", "/v1/affiliates", map[string]any{"code": fmt.Sprint("A", contact), "contact_id": contact, "password": "pw"}, http.StatusCreated).id()
}

func newOrderID(h *harness) any { return num(newOrder(h)) }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func newCustomFieldBody() map[string]any {
	return map[string]any{"label": "Shoe size", "field_type": "WholeNumber"}
}

func planBody() map[string]any { return map[string]any{"cycle_type": "MONTH", "plan_price": 29.5} }

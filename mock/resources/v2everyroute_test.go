package resources

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// v2Bodies is one good request body for every v2 route that takes one.
func v2Bodies() map[string]any {
	return map[string]any{
		"POST /contacts":                                   map[string]any{"email_addresses": []any{map[string]any{"field": "EMAIL1", "email": "v2@example.com"}}},
		"PATCH /contacts/{contact_id}":                     map[string]any{"website": "https://example.com"},
		"POST /tags":                                       map[string]any{"name": "New v2 tag"},
		"PATCH /tags/{tag_id}":                             map[string]any{"description": "d"},
		"POST /tags/categories":                            map[string]any{"name": "New category"},
		"PATCH /tags/categories/{tag_category_id}":         map[string]any{"description": "d"},
		"POST /tags/{tag_id}/contacts:applyTags":           map[string]any{"contact_ids": []string{"2001"}},
		"POST /tags/{tag_id}/contacts:removeTags":          map[string]any{"contact_ids": []string{"2001"}},
		"POST /companies":                                  map[string]any{"company_name": "New Co"},
		"PATCH /companies/{company_id}":                    map[string]any{"website": "https://example.com"},
		"POST /contacts/{contact_id}/notes":                map[string]any{"title": "t", "user_id": "1"},
		"PATCH /contacts/{contact_id}/notes/{note_id}":     map[string]any{"text": "x", "user_id": "1"},
		"POST /tasks":                                      map[string]any{"title": "t", "assigned_to_user_id": "1"},
		"PATCH /tasks/{task_id}":                           map[string]any{"priority": "ESSENTIAL"},
		"POST /opportunities":                              map[string]any{"opportunity_title": "o", "contact_id": "2001", "stage_id": "11"},
		"PATCH /opportunities/{opportunity_id}":            map[string]any{"stage_id": "13"},
		"POST /products":                                   map[string]any{"name": "p", "price": 100, "short_description": "s"},
		"PATCH /products/{product_id}":                     map[string]any{"sku": "P-1"},
		"PATCH /users/{user_id}":                           map[string]any{"website": "https://example.com"},
		"POST /subscriptions":                              map[string]any{"contact_id": "2003", "subscription_plan_id": "7", "allow_duplicate": true},
		"PATCH /subscriptions/{subscription_id}":           map[string]any{"quantity": 2},
		"POST /subscriptions/{subscription_id}:deactivate": map[string]any{"reason": "r"},
		"POST /orders": map[string]any{"contact_id": "2001", "order_title": "o", "order_time": "2024-03-14T16:00:00Z", "order_type": "OFFLINE",
			"order_items": []any{map[string]any{"product_id": "11", "quantity": 1}}},
		"PATCH /orders/{order_id}":               map[string]any{"notes": "n", "order_type": "ONLINE"},
		"POST /opportunities/stages":             map[string]any{"name": "Demo", "order": 2, "probability": 30, "target_number_days": 5},
		"PATCH /opportunities/stages/{stage_id}": map[string]any{"probability": 40},
		"POST /orders/{order_id}/payments":       map[string]any{"payment_amount": 1.0, "apply_to_commissions": false},
		"POST /leadSources":                      map[string]any{"name": "ls"},
		"PATCH /leadSources/{lead_source_id}":    map[string]any{"vendor": "v"},
		"POST /affiliates":                       map[string]any{"code": "V2NEW", "contact_id": "2001"},
		"PATCH /affiliates/{id}":                 map[string]any{"name": "n"},
	}
}

// existing2 makes one object of each kind v2's routes name and returns their ids by v2's
// path variable.
func existing2(h *harness) map[string]string {
	note := h.must("POST", "/v2/contacts/2001/notes", map[string]any{"title": "n", "user_id": "1"}, http.StatusCreated).str("id")
	task := h.must("POST", "/v2/tasks", map[string]any{"title": "t", "assigned_to_user_id": "1"}, http.StatusCreated).str("id")
	sub := h.must("POST", "/v2/subscriptions", map[string]any{"contact_id": "2001", "subscription_plan_id": "7"}, http.StatusCreated).str("id")
	ls := h.must("POST", "/v2/leadSources", map[string]any{"name": "ls"}, http.StatusCreated).str("id")
	aff := h.must("POST", "/v2/affiliates", map[string]any{"code": "AFF", "contact_id": "2001"}, http.StatusCreated).str("id")
	opp := h.must("POST", "/v2/opportunities", map[string]any{"opportunity_title": "o", "contact_id": "2001", "stage_id": "11"}, http.StatusCreated).str("id")
	h.must("PATCH", "/v2/opportunities/"+opp, map[string]any{"stage_id": "13"}, http.StatusOK)
	move := h.must("GET", "/v2/opportunities/stageMoves", nil, http.StatusOK).list("stage_moves")[0].str("id")
	order := fmt.Sprint(newOrder(h))
	h.takeEvents()
	return map[string]string{
		"contact_id": "2001", "tag_id": "91", "tag_category_id": "10", "company_id": "3001", "note_id": note,
		"task_id": task, "opportunity_id": opp, "stage_move_id": move, "stage_id": "11", "order_id": order,
		"product_id": "11", "user_id": "1", "subscription_id": sub, "lead_source_id": ls, "id": aff,
	}
}

// Every v2 route answers a good request with a 2xx the harness accepts.
func TestEveryV2RouteAnswersAGoodRequest(t *testing.T) {
	h := newHarness(t, true)
	ids := existing2(h)
	bodies := v2Bodies()
	unpaid := fmt.Sprint(newOrder(h)) // for the DELETE: an order with a payment stays
	routes := slices.Clone(h.store.RoutesV2())
	// Deletes last, the contact's own after every other.
	slices.SortStableFunc(routes, func(a, b Route) int {
		rank := func(rt Route) int {
			switch {
			case rt.Method == http.MethodDelete && rt.Path == "/contacts/{contact_id}":
				return 2
			case rt.Method == http.MethodDelete:
				return 1
			}
			return 0
		}
		return rank(a) - rank(b)
	})
	for _, rt := range routes {
		key := rt.Method + " " + rt.Path
		body, ok := bodies[key]
		if (rt.Method == http.MethodPost || rt.Method == http.MethodPatch) && !ok {
			t.Errorf("%s: no good body to test it with", key)
			continue
		}
		path := "/v2" + fill(h, rt.Path, ids)
		switch key {
		case "DELETE /orders/{order_id}":
			path = "/v2/orders/" + unpaid
		case "DELETE /opportunities/stages/{stage_id}":
			path = "/v2/opportunities/stages/" + h.must("POST", "/v2/opportunities/stages", map[string]any{"name": "empty", "order": 9, "probability": 0, "target_number_days": 0}, http.StatusCreated).str("id")
		case "DELETE /tags/categories/{tag_category_id}":
			path = "/v2/tags/categories/" + h.must("POST", "/v2/tags/categories", map[string]any{"name": "empty"}, http.StatusCreated).str("id")
		}
		if status, raw := h.do(rt.Method, path, body); status < 200 || status > 299 {
			t.Errorf("%s %s: %d %s", rt.Method, path, status, raw)
		}
	}
}

// Every v2 route that takes an id answers a malformed one with v2's 400 and an unknown one
// with v2's 404, never a 5xx.
func TestEveryV2RouteRefusesBadIDs(t *testing.T) {
	h := newHarness(t, true)
	ids := existing2(h)
	bodies := v2Bodies()
	for _, rt := range h.store.RoutesV2() {
		if !strings.Contains(rt.Path, "{") {
			continue
		}
		for bad, want := range map[string]int{"-1": http.StatusBadRequest, "99999": http.StatusNotFound} {
			wrong := map[string]string{}
			for k := range ids {
				wrong[k] = bad
			}
			path := "/v2" + fill(h, rt.Path, wrong)
			if status, raw := h.do(rt.Method, path, bodies[rt.Method+" "+rt.Path]); status != want {
				t.Errorf("%s %s: %d, want %d: %s", rt.Method, path, status, want, raw)
			}
		}
	}
	wantEvents(t, h.takeEvents())
}

package resources

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestV2Companies(t *testing.T) {
	h := newHarness(t, true)
	co := h.must("POST", "/v2/companies", map[string]any{
		"company_name":  "Mesa Plumbing",
		"email_address": map[string]any{"email": "office@mesa.example", "field": "EMAIL1"},
		"phone_number":  map[string]any{"number": "(480) 555-0101", "type": "Work"},
		"address":       map[string]any{"line1": "1 Main St", "locality": "Mesa", "region": "Arizona", "country_code": "USA", "postal_code": "85201"},
	}, http.StatusCreated)
	id := v2id(co)
	wantEvents(t, h.takeEvents(), eventString("company.add", id))
	v1 := h.must("GET", fmt.Sprintf("/v1/companies/%d", id), nil, http.StatusOK)
	if v1.str("email_address") != "office@mesa.example" || v1.sub("address").str("zip_code") != "85201" {
		t.Errorf("v1 view of a v2 company: %v", v1)
	}
	h.must("PATCH", fmt.Sprintf("/v2/companies/%d?update_mask=website", id), map[string]any{"website": "https://mesa.example", "company_name": "Ignored"}, http.StatusOK)
	wantEvents(t, h.takeEvents(), eventString("company.edit", id))
	got := h.must("GET", fmt.Sprintf("/v2/companies/%d?fields=website", id), nil, http.StatusOK)
	if got.str("website") != "https://mesa.example" || got["email_address"] != nil {
		t.Errorf("masked get: %v", got)
	}
	if list := h.must("GET", "/v2/companies?filter=city%3D%3DMes%2A&order_by=name", nil, http.StatusOK).list("companies"); len(list) != 1 || list[0].str("company_name") != "Mesa Plumbing" {
		t.Errorf("companies in Mes*: %v", list)
	}
	h.must("DELETE", fmt.Sprintf("/v2/companies/%d", id), nil, http.StatusNoContent)
	wantEvents(t, h.takeEvents(), eventString("company.delete", id))
	h.fail("GET", fmt.Sprintf("/v1/companies/%d", id), nil, http.StatusNotFound)
	h.fail("POST", "/v2/companies", map[string]any{"website": "x"}, http.StatusBadRequest)
}

func TestV2Notes(t *testing.T) {
	h := newHarness(t, true)
	n := h.must("POST", "/v2/contacts/2001/notes", map[string]any{"title": "Call", "text": "Wants a quote", "type": "Call", "user_id": "1"}, http.StatusCreated)
	id := v2id(n)
	wantEvents(t, h.takeEvents(), eventString("note.add", id))
	if n.str("contact_id") != "2001" || n.sub("assigned_to_user").str("id") != "1" {
		t.Errorf("created note: %v", n)
	}
	if v1 := h.must("GET", fmt.Sprintf("/v1/notes/%d", id), nil, http.StatusOK); v1.str("body") != "Wants a quote" {
		t.Errorf("v1 view: %v", v1)
	}
	h.must("PATCH", fmt.Sprintf("/v2/contacts/2001/notes/%d", id), map[string]any{"text": "Sent the quote", "user_id": "1"}, http.StatusOK)
	wantEvents(t, h.takeEvents(), eventString("note.edit", id))
	h.fail("GET", fmt.Sprintf("/v2/contacts/2003/notes/%d", id), nil, http.StatusNotFound)
	if list := h.must("GET", "/v2/contacts/2001/notes", nil, http.StatusOK).list("notes"); len(list) == 0 {
		t.Errorf("the contact's notes: %v", list)
	}
	if all := h.must("GET", fmt.Sprintf("/v2/notes?filter=id%%3D%%3D%d", id), nil, http.StatusOK).list("notes"); len(all) != 1 || all[0].str("text") != "Sent the quote" {
		t.Errorf("notes with id==%d: %v", id, all)
	}
	h.fail("POST", "/v2/contacts/2001/notes", map[string]any{"title": "No user"}, http.StatusBadRequest)
	h.must("DELETE", fmt.Sprintf("/v2/contacts/2001/notes/%d", id), nil, http.StatusNoContent)
	wantEvents(t, h.takeEvents(), eventString("note.delete", id))
}

func TestV2Tasks(t *testing.T) {
	h := newHarness(t, true)
	tk := h.must("POST", "/v2/tasks", map[string]any{"title": "Send proposal", "assigned_to_user_id": "1", "contact_id": "2001", "priority": "CRITICAL", "remind_time_mins": 30}, http.StatusCreated)
	id := v2id(tk)
	wantEvents(t, h.takeEvents(), eventString("task.add", id))
	if tk.str("priority") != "CRITICAL" || tk.str("contact_id") != "2001" || tk["completed"] != false {
		t.Errorf("created task: %v", tk)
	}
	done := h.must("PATCH", fmt.Sprintf("/v2/tasks/%d", id), map[string]any{"completed": true}, http.StatusOK)
	wantEvents(t, h.takeEvents(), eventString("task.edit", id))
	if done.str("completion_time") == "" {
		t.Errorf("a completed task has a completion time: %v", done)
	}
	if list := h.must("GET", "/v2/tasks?filter=is_completed%3D%3Dtrue%3Bcontact_id%3D%3D2001", nil, http.StatusOK).list("tasks"); len(list) != 1 {
		t.Errorf("completed tasks of 2001: %v", list)
	}
	h.fail("POST", "/v2/tasks", map[string]any{"title": "No user"}, http.StatusBadRequest)
	h.fail("POST", "/v2/tasks", map[string]any{"title": "x", "assigned_to_user_id": "1", "remind_time_mins": 7}, http.StatusBadRequest)
	h.must("DELETE", fmt.Sprintf("/v2/tasks/%d", id), nil, http.StatusNoContent)
	wantEvents(t, h.takeEvents(), eventString("task.delete", id))
}

func TestV2OpportunitiesAndStageMoves(t *testing.T) {
	h := newHarness(t, true)
	op := h.must("POST", "/v2/opportunities", map[string]any{"opportunity_title": "Coaching for Dana", "contact_id": "2001", "stage_id": "11", "include_in_forecast": true}, http.StatusCreated)
	id := v2id(op)
	wantEvents(t, h.takeEvents(), eventString("opportunity.add", id))
	if op.sub("stage").str("id") != "11" || op.sub("contact").str("id") != "2001" || op["include_in_forecast"] != true {
		t.Errorf("created: %v", op)
	}
	moved := h.must("PATCH", fmt.Sprintf("/v2/opportunities/%d", id), map[string]any{"stage_id": "13"}, http.StatusOK)
	wantEvents(t, h.takeEvents(), eventString("opportunity.edit", id), eventString("opportunity.stage_move", id))
	if moved.sub("stage").str("name") != "Qualified" {
		t.Errorf("moved: %v", moved)
	}
	// A move through v1 is a stage move too.
	h.must("PATCH", fmt.Sprintf("/v1/opportunities/%d", id), map[string]any{"stage": map[string]any{"id": 15}}, http.StatusOK)
	h.takeEvents()
	moves := h.must("GET", fmt.Sprintf("/v2/opportunities/stageMoves?filter=opportunity_id%%3D%%3D%d&order_by=id", id), nil, http.StatusOK).list("stage_moves")
	if len(moves) != 2 || moves[0].str("move_to_stage_id") != "13" || moves[1].str("move_from_stage_id") != "13" {
		t.Fatalf("stage moves: %v", moves)
	}
	h.must("GET", "/v2/opportunities/stageMoves/"+moves[0].str("id"), nil, http.StatusOK)
	if stages := h.must("GET", "/v2/opportunities/stages?order_by=order%20desc", nil, http.StatusOK).list("stages"); len(stages) < 3 {
		t.Errorf("stages: %v", stages)
	}
	h.fail("POST", "/v2/opportunities", map[string]any{"opportunity_title": "x", "contact_id": "2001", "stage_id": "999"}, http.StatusBadRequest)
	h.fail("POST", "/v2/opportunities", map[string]any{"contact_id": "2001"}, http.StatusBadRequest)
	h.must("DELETE", fmt.Sprintf("/v2/opportunities/%d", id), nil, http.StatusNoContent)
	wantEvents(t, h.takeEvents(), eventString("opportunity.delete", id))
}

func TestV2Products(t *testing.T) {
	h := newHarness(t, true)
	p := h.must("POST", "/v2/products", map[string]any{"name": "Workshop seat", "price": 14950, "short_description": "One seat", "sku": "SEAT"}, http.StatusCreated)
	id := v2id(p)
	wantEvents(t, h.takeEvents(), eventString("product.add", id))
	if p.sub("price").str("formatted_amount") != "$149.50" {
		t.Errorf("price: %v", p["price"])
	}
	if v1 := h.must("GET", fmt.Sprintf("/v1/products/%d", id), nil, http.StatusOK); v1.float("product_price") != 149.5 {
		t.Errorf("v1 price: %v", v1["product_price"])
	}
	h.must("PATCH", fmt.Sprintf("/v2/products/%d?update_mask=price", id), map[string]any{"price": 120000, "name": "ignored"}, http.StatusOK)
	wantEvents(t, h.takeEvents(), eventString("product.edit", id))
	got := h.must("GET", fmt.Sprintf("/v2/products/%d", id), nil, http.StatusOK)
	if got.sub("price").str("formatted_amount") != "$1,200.00" || got.str("name") != "Workshop seat" {
		t.Errorf("after a masked price change: %v", got)
	}
	if list := h.must("GET", "/v2/products?filter=sku%3D%3DSEA%2A", nil, http.StatusOK).list("products"); len(list) != 1 {
		t.Errorf("sku SEA*: %v", list)
	}
	h.fail("POST", "/v2/products", map[string]any{"name": "No price"}, http.StatusBadRequest)
	h.must("DELETE", fmt.Sprintf("/v2/products/%d", id), nil, http.StatusNoContent)
	wantEvents(t, h.takeEvents(), eventString("product.delete", id))
}

func TestV2Users(t *testing.T) {
	h := newHarness(t, true)
	u := h.must("PATCH", "/v2/users/1?update_mask=given_name", map[string]any{"given_name": "Mariela", "family_name": "ignored"}, http.StatusOK)
	wantEvents(t, h.takeEvents(), eventString("user.edit", 1))
	if u.str("given_name") != "Mariela" || u.str("family_name") != "Alvarez" || u.str("status") != "ACTIVE" {
		t.Errorf("updated user: %v", u)
	}
	if v1 := h.must("GET", "/v1/users", nil, http.StatusOK); !containsText(v1, "Mariela") {
		t.Errorf("v1 users after a v2 update: %v", v1)
	}
	if list := h.must("GET", "/v2/users?filter=include_partners%3D%3Dfalse&order_by=name", nil, http.StatusOK).list("users"); len(list) == 0 {
		t.Errorf("users without partners: %v", list)
	}
	h.fail("PATCH", "/v2/users/1", map[string]any{"email_address": map[string]any{"email": "not an email"}}, http.StatusBadRequest)
}

func TestV2Subscriptions(t *testing.T) {
	h := newHarness(t, true)
	sub := h.must("POST", "/v2/subscriptions", map[string]any{"contact_id": "2001", "subscription_plan_id": "7"}, http.StatusCreated)
	id := v2id(sub)
	wantEvents(t, h.takeEvents(), eventString("subscription.add", id))
	if sub.str("product_id") != "15" || sub.str("billing_cycle") != "MONTH" {
		t.Errorf("created: %v", sub)
	}
	h.must("PATCH", fmt.Sprintf("/v2/subscriptions/%d", id), map[string]any{"quantity": 2}, http.StatusOK)
	wantEvents(t, h.takeEvents(), eventString("subscription.edit", id))
	h.must("POST", fmt.Sprintf("/v2/subscriptions/%d:deactivate", id), map[string]any{"reason": "Moved away"}, http.StatusOK)
	wantEvents(t, h.takeEvents(), eventString("subscription.edit", id))
	got := h.must("GET", fmt.Sprintf("/v2/subscriptions/%d", id), nil, http.StatusOK)
	if got["active"] != false || got.str("reason_stopped") != "Moved away" {
		t.Errorf("cancelled: %v", got)
	}
	if list := h.must("GET", "/v2/subscriptions?filter=status%3D%3DINACTIVE", nil, http.StatusOK).list("subscriptions"); len(list) != 1 {
		t.Errorf("inactive subscriptions: %v", list)
	}
	h.fail("POST", "/v2/subscriptions", map[string]any{"contact_id": "2001"}, http.StatusBadRequest)
}

func containsText(o object, s string) bool {
	return strings.Contains(fmt.Sprint(o), s)
}

func TestV2OrdersPaymentsTransactions(t *testing.T) {
	h := newHarness(t, true)
	o := h.must("POST", "/v2/orders", map[string]any{
		"contact_id": "2001", "order_title": "Workbooks", "order_time": "2024-03-14T16:00:00.000Z", "order_type": "ONLINE",
		"order_items": []any{map[string]any{"product_id": "13", "quantity": 2}},
	}, http.StatusCreated)
	id := v2id(o)
	wantEvents(t, h.takeEvents(), eventString("order.add", id), eventString("invoice.add", id))
	if o.sub("total").str("formatted_amount") != "$78.00" || o.str("order_type") != "ONLINE" || o.sub("contact").str("id") != "2001" {
		t.Errorf("created order: %v", o)
	}
	if v1 := h.must("GET", fmt.Sprintf("/v1/orders/%d", id), nil, http.StatusOK); v1.float("total") != 78 {
		t.Errorf("v1 order: %v", v1)
	}
	pay := h.must("POST", fmt.Sprintf("/v2/orders/%d/payments", id), map[string]any{"payment_amount": 78.0, "apply_to_commissions": false, "payment_method_type": "CASH"}, http.StatusCreated)
	tx := v2id(object{"id": pay.str("transaction_id")})
	wantEvents(t, h.takeEvents(), eventString("invoice.payment.add", tx), eventString("invoice.edit", id), eventString("order.edit", id))
	if got := h.must("GET", fmt.Sprintf("/v2/orders/%d", id), nil, http.StatusOK); got.str("status") != "PAID" {
		t.Errorf("paid order: %v", got)
	}
	if list := h.must("GET", fmt.Sprintf("/v2/orders/%d/payments", id), nil, http.StatusOK).list("invoice_order_payments"); len(list) != 1 {
		t.Errorf("payments: %v", list)
	}
	if list := h.must("GET", fmt.Sprintf("/v2/sales/transactions?filter=order_id%%3D%%3D%d", id), nil, http.StatusOK).list("transactions"); len(list) != 1 || list[0].str("payment_id") != pay.str("transaction_id") {
		t.Errorf("transactions of the order: %v", list)
	}
	h.fail("DELETE", fmt.Sprintf("/v2/orders/%d", id), nil, http.StatusBadRequest) // it has a payment
	h.fail("POST", fmt.Sprintf("/v2/orders/%d/payments", id), map[string]any{"payment_amount": 1.0, "apply_to_commissions": false}, http.StatusBadRequest)
	h.fail("POST", "/v2/orders", map[string]any{"contact_id": "2001"}, http.StatusBadRequest)
	h.fail("POST", "/v2/orders", map[string]any{"contact_id": "2001", "order_title": "o", "order_time": "2024-03-14T16:00:00Z", "order_type": ""}, http.StatusBadRequest)
	h.fail("PATCH", fmt.Sprintf("/v2/orders/%d", id), map[string]any{"order_type": ""}, http.StatusBadRequest)
	wantEvents(t, h.takeEvents())
	if list := h.must("GET", "/v2/orders?filter=product_id%3D%3D13%3Bcontact_id%3D%3D2001", nil, http.StatusOK).list("orders"); len(list) != 1 {
		t.Errorf("orders of product 13 for 2001: %v", list)
	}
}

func TestV2LeadSources(t *testing.T) {
	h := newHarness(t, false)
	ls := h.must("POST", "/v2/leadSources", map[string]any{"name": "Spring Webinar", "medium": "Webinar", "vendor": "Zoom", "start_time": "2024-03-18T00:00:00Z"}, http.StatusCreated)
	id := v2id(ls)
	wantEvents(t, h.takeEvents(), eventString("leadsource.add", id))
	if ls.str("status") != "ACTIVE" || ls.str("start_time") != "2024-03-18T00:00:00.000Z" {
		t.Errorf("created: %v", ls)
	}
	h.must("PATCH", fmt.Sprintf("/v2/leadSources/%d?update_mask=status", id), map[string]any{"status": "INACTIVE", "name": "ignored"}, http.StatusOK)
	wantEvents(t, h.takeEvents(), eventString("leadsource.edit", id))
	if list := h.must("GET", "/v2/leadSources?filter=status%3D%3DINACTIVE%3Bname%3D%3DSpring%2A", nil, http.StatusOK).list("lead_sources"); len(list) != 1 {
		t.Errorf("inactive Spring* lead sources: %v", list)
	}
	h.fail("POST", "/v2/leadSources", map[string]any{"status": "PAUSED", "name": "x"}, http.StatusBadRequest)
	h.must("DELETE", fmt.Sprintf("/v2/leadSources/%d", id), nil, http.StatusNoContent)
	wantEvents(t, h.takeEvents(), eventString("leadsource.delete", id))
	h.fail("GET", fmt.Sprintf("/v2/leadSources/%d", id), nil, http.StatusNotFound)
}

// Affiliates are one table behind v1's list, create and get and v2's whole set; Keap has
// no affiliate events.
func TestAffiliatesInBothVersions(t *testing.T) {
	h := newHarness(t, true)
	a := h.must("POST", "/v1/affiliates", map[string]any{"code": "DANA10", "contact_id": 2001, "password": "secret", "name": "Dana"}, http.StatusCreated)
	if a["password"] != nil || a.str("status") != "active" {
		t.Errorf("v1 created: %v", a)
	}
	v2 := h.must("GET", fmt.Sprintf("/v2/affiliates/%d", a.id()), nil, http.StatusOK)
	if v2.str("code") != "DANA10" || v2.str("status") != "ACTIVE" || v2.str("contact_id") != "2001" || v2["password"] != nil {
		t.Errorf("v2 view: %v", v2)
	}
	b := h.must("POST", "/v2/affiliates", map[string]any{"code": "RAF", "contact_id": "2003", "parent_affiliate_id": v2.str("id")}, http.StatusCreated)
	h.must("PATCH", "/v2/affiliates/"+b.str("id"), map[string]any{"status": "INACTIVE"}, http.StatusOK)
	list := h.must("GET", "/v1/affiliates?status=inactive", nil, http.StatusOK).list("affiliates")
	if len(list) != 1 || list[0].str("code") != "RAF" {
		t.Errorf("v1 inactive affiliates: %v", list)
	}
	h.fail("POST", "/v1/affiliates", map[string]any{"code": "NOPASS", "contact_id": 2001}, http.StatusBadRequest)
	h.fail("POST", "/v2/affiliates", map[string]any{"code": "dana10", "contact_id": "2001"}, http.StatusBadRequest)
	h.must("DELETE", "/v2/affiliates/"+b.str("id"), nil, http.StatusNoContent)
	h.fail("GET", "/v1/affiliates/"+b.str("id"), nil, http.StatusNotFound)
	wantEvents(t, h.takeEvents())
}

// The seed's lead sources and affiliates are there through both views.
func TestSeededLeadSourcesAndAffiliates(t *testing.T) {
	h := newHarness(t, true)
	if ls := h.must("GET", "/v2/leadSources/31", nil, http.StatusOK); ls.str("name") != "Spring Webinar 2024" || ls.str("create_time") == "" {
		t.Errorf("seeded lead source: %v", ls)
	}
	if a := h.must("GET", "/v1/affiliates/53", nil, http.StatusOK); a.str("code") != "PRIYA" {
		t.Errorf("seeded affiliate through v1: %v", a)
	}
	if a := h.must("GET", "/v2/affiliates/53", nil, http.StatusOK); a.str("parent_affiliate_id") != "51" || a.str("contact_id") != "2005" {
		t.Errorf("seeded affiliate through v2: %v", a)
	}
}

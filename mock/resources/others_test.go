package resources

import (
	"fmt"
	"net/http"
	"testing"
)

// PUT replaces every value, PATCH only those sent.
func TestNotePutReplacesPatchMerges(t *testing.T) {
	h := newHarness(t, true)
	n := h.must("POST", "/v1/notes", map[string]any{"contact_id": 2003, "title": "Call", "body": "Wants two seats", "user_id": 1}, http.StatusCreated)
	path := fmt.Sprintf("/v1/notes/%d", n.id())
	if n.sub("last_updated_by").str("given_name") != "Maria" {
		t.Errorf("last_updated_by: %v", n)
	}
	h.must("PATCH", path, map[string]any{"type": "Call"}, http.StatusOK)
	if got := h.must("GET", path, nil, http.StatusOK); got.str("body") != "Wants two seats" || got.str("type") != "Call" {
		t.Errorf("after PATCH: %v", got)
	}
	h.must("PUT", path, map[string]any{"contact_id": 2003, "title": "Replaced"}, http.StatusOK)
	got := h.must("GET", path, nil, http.StatusOK)
	if got.str("body") != "" || got.str("title") != "Replaced" || got.str("date_created") != n.str("date_created") {
		t.Errorf("after PUT: %v", got)
	}
	h.fail("PUT", path, map[string]any{"title": "no contact"}, http.StatusBadRequest)
	h.fail("POST", "/v1/notes", map[string]any{"contact_id": 2003}, http.StatusBadRequest)
	h.fail("POST", "/v1/notes", map[string]any{"contact_id": 1, "title": "x"}, http.StatusBadRequest)
	h.fail("POST", "/v1/notes", map[string]any{"contact_id": 2003, "title": "x", "type": "Telegram"}, http.StatusBadRequest)
}

func TestTaskCompletion(t *testing.T) {
	h := newHarness(t, true)
	task := h.must("POST", "/v1/tasks", map[string]any{"title": "Send proposal", "due_date": "2024-03-15T23:00:00Z",
		"contact": map[string]any{"id": 2003}}, http.StatusOK)
	path := fmt.Sprintf("/v1/tasks/%d", task.id())
	if task.sub("contact").str("first_name") != "Rafael" || task.boolean("completed") || task.str("due_date") != "2024-03-15T23:00:00.000Z" {
		t.Errorf("task: %v", task)
	}
	done := h.must("PATCH", path, map[string]any{"completed": true}, http.StatusOK)
	if done.str("completion_date") != "2024-03-14T16:20:58.000Z" {
		t.Errorf("completing stamps completion_date: %v", done)
	}
	undone := h.must("PATCH", path, map[string]any{"completed": false}, http.StatusOK)
	if undone["completion_date"] != nil {
		t.Errorf("reopening clears completion_date: %v", undone)
	}
	open := h.must("GET", "/v1/tasks?completed=false&contact_id=2003", nil, http.StatusOK)
	if n, _ := open.int("count"); n != 1 {
		t.Errorf("open tasks of 2003: %v", open)
	}
	h.fail("POST", "/v1/tasks", map[string]any{"title": "no due date"}, http.StatusBadRequest)
	h.fail("GET", "/v1/tasks/abc", nil, http.StatusBadRequest)
}

func TestAppointmentDates(t *testing.T) {
	h := newHarness(t, true)
	a := appointmentBody()
	a["end_date"] = "2024-03-18T16:00:00Z"
	h.fail("POST", "/v1/appointments", a, http.StatusBadRequest)
	a = appointmentBody()
	a["start_date"] = "2024-03-18T10:00:00-07:00"
	got := h.must("POST", "/v1/appointments", a, http.StatusCreated)
	if got.str("start_date") != "2024-03-18T17:00:00.000Z" {
		t.Errorf("dates are kept in UTC with a Z: %v", got["start_date"])
	}
	list := h.must("GET", "/v1/appointments?contact_id=2001&since=2024-03-18T00:00:00Z", nil, http.StatusOK)
	if n, _ := list.int("count"); n != 1 {
		t.Errorf("appointments: %v", list)
	}
}

func TestProductsAndSubscriptions(t *testing.T) {
	h := newHarness(t, true)
	list := h.must("GET", "/v1/products?active=true", nil, http.StatusOK)
	for _, p := range list.list("products") {
		if p["status"] == nil || p["active"] != nil {
			t.Errorf("list items say status, not active: %v", p)
		}
	}
	sub := h.must("POST", "/v1/subscriptions", map[string]any{"contact_id": 2001, "subscription_plan_id": 9}, http.StatusCreated)
	if sub.str("billing_cycle") != "YEAR" || sub.float("billing_amount") != 990 || sub.str("next_bill_date") != "2025-03-14" {
		t.Errorf("a subscription follows its plan: %v", sub)
	}
	h.fail("POST", "/v1/subscriptions", map[string]any{"contact_id": 2001, "subscription_plan_id": 9}, http.StatusBadRequest)
	h.must("POST", "/v1/subscriptions", map[string]any{"contact_id": 2001, "subscription_plan_id": 9, "allow_duplicate": true}, http.StatusCreated)
	h.fail("POST", "/v1/subscriptions", map[string]any{"contact_id": 2001, "subscription_plan_id": 404}, http.StatusBadRequest)
	h.fail("POST", "/v1/subscriptions", map[string]any{"contact_id": 2001}, http.StatusBadRequest)
	custom := h.must("POST", "/v1/subscriptions", map[string]any{"contact_id": 2003, "billing_amount": 25}, http.StatusCreated)
	if custom.str("billing_cycle") != "MONTH" || custom.float("billing_amount") != 25 {
		t.Errorf("a subscription without a plan: %v", custom)
	}
	mine := h.must("GET", "/v1/subscriptions?contact_id=2001", nil, http.StatusOK)
	if n, _ := mine.int("count"); n != 2 {
		t.Errorf("subscriptions of 2001: %v", mine)
	}
}

func TestUsersAndCompanies(t *testing.T) {
	h := newHarness(t, true)
	u := h.must("POST", "/v1/users", map[string]any{"email": "jasmine@desertbloom.example", "given_name": "Jasmine"}, http.StatusCreated)
	if u.str("status") != "Invited" {
		t.Errorf("a new user is invited: %v", u)
	}
	h.fail("POST", "/v1/users", map[string]any{"email": "JASMINE@desertbloom.example", "given_name": "J"}, http.StatusBadRequest)
	h.fail("POST", "/v1/users", map[string]any{"email": "not-an-email", "given_name": "J"}, http.StatusBadRequest)
	if users := h.must("GET", "/v1/users", nil, http.StatusOK); len(users.list("users")) != 3 {
		t.Errorf("users: %v", users)
	}

	co := h.must("PATCH", "/v1/companies/3003", map[string]any{"notes": "Two offices"}, http.StatusOK)
	if co.str("company_name") != "Copper State Dental" || co.str("notes") != "Two offices" {
		t.Errorf("company: %v", co)
	}
	h.must("PATCH", "/v1/companies/3001", map[string]any{"company_name": "Saguaro Landscaping Inc"}, http.StatusOK)
	if c := h.must("GET", "/v1/contacts/2003", nil, http.StatusOK); c.sub("company").str("company_name") != "Saguaro Landscaping Inc" {
		t.Errorf("a contact shows its company's current name: %v", c["company"])
	}
	h.fail("PATCH", "/v1/companies/3001", map[string]any{"company_name": ""}, http.StatusBadRequest)
	h.fail("POST", "/v1/companies", map[string]any{"address": map[string]any{"region": "Arizona"}, "company_name": "X"}, http.StatusBadRequest)
}

package resources

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/keaphook/keaphook/fixtures"
)

// write is one Keap v1 write and what it must emit besides its own key.
type write struct {
	key string
	// setup makes what the write needs and returns the write.
	setup func(h *harness) (method, path string, body any)
	// also are the other event keys the same write emits; their ids are checked as the
	// key's own are, and must be the key's own where both name the same kind of object.
	also []string
}

func appointmentBody() map[string]any {
	return map[string]any{"title": "Discovery call", "start_date": "2024-03-18T17:00:00Z",
		"end_date": "2024-03-18T17:30:00Z", "contact_id": 2001, "user": 1}
}

func orderBody() map[string]any {
	return map[string]any{"contact_id": 2003, "order_date": "2024-03-14T17:30:05Z", "order_title": "Coaching",
		"order_type": "Offline", "order_items": []any{map[string]any{"product_id": 11, "quantity": 1}}}
}

func newOrder(h *harness) int64 {
	return h.must("POST", "/v1/orders", orderBody(), http.StatusCreated).id()
}

func payment(h *harness) (string, string, any) {
	return "POST", fmt.Sprintf("/v1/orders/%d/payments", newOrder(h)), map[string]any{"payment_amount": "100.00", "payment_method_type": "CASH"}
}

func created(method, path string, body any, status int) func(h *harness) int64 {
	return func(h *harness) int64 { return h.must(method, path, body, status).id() }
}

var writes = []write{
	{key: "appointment.add", setup: func(h *harness) (string, string, any) { return "POST", "/v1/appointments", appointmentBody() }},
	{key: "appointment.edit", setup: func(h *harness) (string, string, any) {
		id := created("POST", "/v1/appointments", appointmentBody(), 201)(h)
		return "PATCH", fmt.Sprintf("/v1/appointments/%d", id), map[string]any{"location": "Zoom"}
	}},
	{key: "appointment.delete", setup: func(h *harness) (string, string, any) {
		return "DELETE", fmt.Sprintf("/v1/appointments/%d", created("POST", "/v1/appointments", appointmentBody(), 201)(h)), nil
	}},
	{key: "company.add", setup: func(h *harness) (string, string, any) {
		return "POST", "/v1/companies", map[string]any{"company_name": "Mesa Verde Bakery"}
	}},
	{key: "company.edit", setup: func(h *harness) (string, string, any) {
		return "PATCH", "/v1/companies/3001", map[string]any{"website": "https://saguaro.example"}
	}},
	{key: "contact.add", setup: func(h *harness) (string, string, any) {
		return "POST", "/v1/contacts", map[string]any{"phone_numbers": []any{map[string]any{"field": "PHONE1", "number": "555-0100"}}}
	}},
	{key: "contact.edit", setup: func(h *harness) (string, string, any) {
		return "PATCH", "/v1/contacts/2001", map[string]any{"job_title": "Owner"}
	}},
	{key: "contact.delete", setup: func(h *harness) (string, string, any) {
		return "DELETE", fmt.Sprintf("/v1/contacts/%d", h.newContact("Gone")), nil
	}},
	{key: "contactGroup.add", setup: func(h *harness) (string, string, any) {
		return "POST", "/v1/tags", map[string]any{"name": "Spring Workshop", "category": map[string]any{"id": 14}}
	}},
	{key: "contactGroup.applied", setup: func(h *harness) (string, string, any) {
		return "POST", "/v1/contacts/2021/tags", map[string]any{"tagIds": []any{89}}
	}},
	{key: "contactGroup.removed", setup: func(h *harness) (string, string, any) {
		return "DELETE", "/v1/contacts/2001/tags/91", nil
	}},
	{key: "invoice.add", also: []string{"order.add"}, setup: func(h *harness) (string, string, any) {
		return "POST", "/v1/orders", orderBody()
	}},
	{key: "invoice.edit", also: []string{"invoice.payment.add", "order.edit"}, setup: payment},
	{key: "invoice.delete", also: []string{"order.delete"}, setup: func(h *harness) (string, string, any) {
		return "DELETE", fmt.Sprintf("/v1/orders/%d", newOrder(h)), nil
	}},
	{key: "invoice.payment.add", also: []string{"invoice.edit", "order.edit"}, setup: payment},
	{key: "note.add", setup: func(h *harness) (string, string, any) {
		return "POST", "/v1/notes", map[string]any{"contact_id": 2003, "title": "Call", "type": "Call", "user_id": 1}
	}},
	{key: "note.edit", setup: func(h *harness) (string, string, any) {
		id := created("POST", "/v1/notes", map[string]any{"contact_id": 2003, "body": "hello"}, 201)(h)
		return "PATCH", fmt.Sprintf("/v1/notes/%d", id), map[string]any{"title": "Follow-up"}
	}},
	{key: "note.delete", setup: func(h *harness) (string, string, any) {
		id := created("POST", "/v1/notes", map[string]any{"contact_id": 2003, "body": "hello"}, 201)(h)
		return "DELETE", fmt.Sprintf("/v1/notes/%d", id), nil
	}},
	{key: "opportunity.add", setup: func(h *harness) (string, string, any) {
		return "POST", "/v1/opportunities", map[string]any{"opportunity_title": "Bakery coaching",
			"contact": map[string]any{"id": 2005}, "stage": map[string]any{"id": 11}, "user": map[string]any{"id": 1}}
	}},
	{key: "opportunity.edit", setup: func(h *harness) (string, string, any) {
		return "PATCH", "/v1/opportunities/301", map[string]any{"opportunity_notes": "Sent the proposal again."}
	}},
	{key: "opportunity.stage_move", also: []string{"opportunity.edit"}, setup: func(h *harness) (string, string, any) {
		return "PATCH", "/v1/opportunities/301", map[string]any{"stage": map[string]any{"id": 17}}
	}},
	{key: "order.add", also: []string{"invoice.add"}, setup: func(h *harness) (string, string, any) {
		return "POST", "/v1/orders", orderBody()
	}},
	{key: "order.edit", also: []string{"invoice.payment.add", "invoice.edit"}, setup: payment},
	{key: "order.delete", also: []string{"invoice.delete"}, setup: func(h *harness) (string, string, any) {
		return "DELETE", fmt.Sprintf("/v1/orders/%d", newOrder(h)), nil
	}},
	{key: "product.add", setup: func(h *harness) (string, string, any) {
		return "POST", "/v1/products", map[string]any{"product_name": "VIP Day", "product_price": 2500}
	}},
	{key: "product.edit", setup: func(h *harness) (string, string, any) {
		return "PATCH", "/v1/products/13", map[string]any{"product_price": 42.5}
	}},
	{key: "product.delete", setup: func(h *harness) (string, string, any) {
		return "DELETE", fmt.Sprintf("/v1/products/%d", created("POST", "/v1/products", map[string]any{"product_name": "Old"}, 201)(h)), nil
	}},
	{key: "subscription.add", setup: func(h *harness) (string, string, any) {
		return "POST", "/v1/subscriptions", map[string]any{"contact_id": 2001, "subscription_plan_id": 7}
	}},
	{key: "task.add", setup: func(h *harness) (string, string, any) {
		return "POST", "/v1/tasks", map[string]any{"title": "Send proposal", "due_date": "2024-03-15T23:00:00Z", "contact": map[string]any{"id": 2003}}
	}},
	{key: "task.edit", setup: func(h *harness) (string, string, any) {
		id := created("POST", "/v1/tasks", map[string]any{"title": "Call back", "due_date": "2024-03-15T23:00:00Z"}, 200)(h)
		return "PATCH", fmt.Sprintf("/v1/tasks/%d", id), map[string]any{"completed": true}
	}},
	{key: "task.delete", setup: func(h *harness) (string, string, any) {
		id := created("POST", "/v1/tasks", map[string]any{"title": "Call back", "due_date": "2024-03-15T23:00:00Z"}, 200)(h)
		return "DELETE", fmt.Sprintf("/v1/tasks/%d", id), nil
	}},
	{key: "user.add", setup: func(h *harness) (string, string, any) {
		return "POST", "/v1/users", map[string]any{"email": "jasmine@desertbloom.example", "given_name": "Jasmine"}
	}},
}

// Every key Keap's v1 API can cause is caused by the write WritePath names, with the ids
// fixtures.Lookup documents, and the apiUrl of each id answers as Keap would: the object as
// it is now, or 404 once deleted.
func TestEveryWriteEmitsItsEventAndItsAPIURLResolves(t *testing.T) {
	for _, wr := range writes {
		t.Run(wr.key, func(t *testing.T) {
			h := newHarness(t, true)
			method, path, body := wr.setup(h)
			h.takeEvents()
			wm, wp, _ := strings.Cut(WritePath(wr.key), " ")
			if got := method + " " + path; !matchesTemplate(got, wm+" /v1"+wp) {
				t.Fatalf("the write is %s, WritePath says %s", got, WritePath(wr.key))
			}
			status, raw := h.do(method, path, body)
			if status >= 300 {
				t.Fatalf("%s %s: %d %s", method, path, status, raw)
			}
			got := h.takeEvents()
			ids := idsOf(t, got, wr.key)
			if len(got) != 1+len(wr.also) {
				t.Errorf("events %q, want %s and %q only", got, wr.key, wr.also)
			}
			checkAPIURLs(t, h, wr.key, ids)
			for _, other := range wr.also {
				otherIDs := idsOf(t, got, other)
				if sameResource(wr.key, other) && !slices.Equal(ids, otherIDs) {
					t.Errorf("%s carries %v, %s %v: both name the same object", wr.key, ids, other, otherIDs)
				}
				checkAPIURLs(t, h, other, otherIDs)
			}
		})
	}
}

func sameResource(a, b string) bool {
	ia, _ := fixtures.Lookup(a)
	ib, _ := fixtures.Lookup(b)
	return ia.Resource == ib.Resource
}

func idsOf(t *testing.T, events []string, key string) []int64 {
	t.Helper()
	for _, e := range events {
		k, list, _ := strings.Cut(e, ":")
		if k != key {
			continue
		}
		var ids []int64
		for s := range strings.SplitSeq(list, ",") {
			var id int64
			fmt.Sscan(s, &id)
			ids = append(ids, id)
		}
		return ids
	}
	t.Fatalf("events %q lack %s", events, key)
	return nil
}

func checkAPIURLs(t *testing.T, h *harness, key string, ids []int64) {
	t.Helper()
	info, ok := fixtures.Lookup(key)
	if !ok {
		t.Fatalf("fixtures.Lookup does not know %s", key)
	}
	for _, id := range ids {
		p := info.URLPath(id)
		switch {
		case p == "":
			continue // subscriptions and users: Keap's apiUrl is empty
		case info.Verb == "delete":
			if msg := h.fail("GET", p, nil, http.StatusNotFound); !strings.Contains(msg, fmt.Sprint(id)) {
				t.Errorf("GET %s after the delete: message %q does not name the id", p, msg)
			}
		default:
			if o := h.must("GET", p, nil, http.StatusOK); o.id() != id {
				t.Errorf("GET %s returned the object with id %d", p, o.id())
			}
		}
	}
}

// matchesTemplate compares "PATCH /v1/contacts/12" with "PATCH /v1/contacts/{contactId}".
func matchesTemplate(got, template string) bool {
	g, tpl := strings.Split(got, "/"), strings.Split(template, "/")
	if len(g) != len(tpl) {
		return false
	}
	for i := range g {
		if g[i] != tpl[i] && !strings.HasPrefix(tpl[i], "{") {
			return false
		}
	}
	return true
}

// The keys no v1 write causes are exactly those WritePath leaves empty, and the rest have a
// write above.
func TestWritePathCoversEveryEventKey(t *testing.T) {
	tested := map[string]bool{}
	for _, wr := range writes {
		tested[wr.key] = true
	}
	mockOnly := []string{}
	for _, key := range fixtures.EventKeys() {
		if WritePath(key) == "" {
			mockOnly = append(mockOnly, key)
			continue
		}
		if !tested[key] {
			t.Errorf("%s has a write path but no test", key)
		}
	}
	want := "company.delete contact.redact contactGroup.delete contactGroup.edit invoice.payment.delete invoice.payment.edit " +
		"leadsource.add leadsource.delete leadsource.edit opportunity.delete subscription.delete subscription.edit user.activate user.edit"
	slices.Sort(mockOnly)
	if got := strings.Join(mockOnly, " "); got != want {
		t.Errorf("keys without a v1 write:\n got %s\nwant %s", got, want)
	}
	for key := range writePaths {
		if !slices.Contains(fixtures.EventKeys(), key) {
			t.Errorf("WritePath knows %s, which is not an event key", key)
		}
	}
}

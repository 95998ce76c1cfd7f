package mock_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/spec"
	"github.com/keaphook/keaphook/mock/testkit"
)

// TestEveryDocumentedOperationAnswers walks Keap's v1 and v2 documents and calls every
// operation with a body its document accepts: each answers 2xx, and the harness checks the
// body against the operation's schema, required fields included. Stateful collections are
// created first and deleted last, so their gets, lists and updates find the object.
func TestEveryDocumentedOperationAnswers(t *testing.T) {
	ops, err := spec.Operations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 141+399 {
		t.Fatalf("%d operations, want 141 (v1) + 399 (v2)", len(ops))
	}
	w := newWalker(t)
	for _, phase := range []func(spec.Operation) bool{isCreate, isMiddle} {
		for _, op := range ops {
			if phase(op) {
				w.call(op)
			}
		}
	}
	// Deletes go last and deepest first (a contact's tags before the contact), on an order
	// without a payment (Keap deletes no other).
	deletes := slices.DeleteFunc(slices.Clone(ops), func(op spec.Operation) bool { return !isDelete(op) })
	slices.SortStableFunc(deletes, func(a, b spec.Operation) int {
		return strings.Count(b.Path, "/") - strings.Count(a.Path, "/")
	})
	for _, op := range deletes {
		switch op.Path { // an order without a payment, its items gone by now
		case "/crm/rest/v1/orders/{orderId}":
			w.call(spec.Operation{Method: "POST", Path: "/crm/rest/v1/orders", Role: "create", IDField: "id"})
		case "/crm/rest/v2/orders/{order_id}":
			w.call(spec.Operation{Method: "POST", Path: "/crm/rest/v2/orders", Role: "create", IDField: "id"})
		}
		w.call(op)
	}
}

func isCreate(op spec.Operation) bool { return op.Role == "create" }
func isDelete(op spec.Operation) bool { return op.Method == http.MethodDelete }
func isMiddle(op spec.Operation) bool { return !isCreate(op) && !isDelete(op) }

type walker struct {
	*api
	ids     map[string]string // path variable → a value that names a seeded object
	created map[string]string // collection path → the id its create gave
	bodies  map[string]string // "METHOD path" → a body where the document's example will not do
	rc      *testkit.Endpoint
}

// queries are added to paths whose operation needs them.
var queries = map[string]string{
	"DELETE /crm/rest/v1/contacts/{contactId}/tags": "?ids=91",
	"DELETE /crm/rest/v1/tags/{tagId}/contacts":     "?ids=2001",
}

func newWalker(t *testing.T) *walker {
	a := newAPI(t, mock.WithSeedData())
	rc := newReceiver(t, echo)
	hook := a.createHook("contact.add", rc.URL)
	w := &walker{api: a, created: map[string]string{}, ids: map[string]string{
		"id": "2001", "contactId": "2001", "tagId": "91", "companyId": "3001", "opportunityId": "301",
		"productId": "11", "userId": "1", "key": hook.Key, "email": "dana.whitfield@example.com",
	}}
	w.rc = rc
	w.bodies = v1Bodies(rc.URL)
	for k, v := range v2Bodies() {
		w.bodies[k] = v
	}
	// v2's store routes name seeded objects by v2's variables; a stage move exists once an
	// opportunity has moved.
	for name, id := range map[string]string{"contact_id": "2001", "tag_id": "91", "company_id": "3001", "opportunity_id": "301",
		"product_id": "11", "user_id": "1", "stage_id": "11", "tag_category_id": "10", "stage_move_id": "16001"} {
		w.ids[name] = id
	}
	if r := a.do("PATCH", "/crm/rest/v1/opportunities/301", `{"stage":{"id":17}}`); r.status != http.StatusOK {
		t.Fatalf("moving an opportunity: %d %s", r.status, r.body)
	}
	return w
}

// v2Bodies are bodies for the v2 operations mock/resources serves: ids must name objects
// that exist, and enums hold values the store knows.
func v2Bodies() map[string]string {
	const v2 = "/crm/rest/v2"
	return map[string]string{
		"POST /crm/rest/v1/affiliates":                               `{"code":"W1","contact_id":2001,"password":"pw"}`,
		"POST " + v2 + "/contacts":                                   `{"email_addresses":[{"field":"EMAIL1","email":"v2@example.com"}]}`,
		"PATCH " + v2 + "/contacts/{contact_id}":                     `{"website":"https://example.com"}`,
		"POST " + v2 + "/contacts/{contact_id}/notes":                `{"title":"t","user_id":"1"}`,
		"PATCH " + v2 + "/contacts/{contact_id}/notes/{note_id}":     `{"text":"x","user_id":"1"}`,
		"POST " + v2 + "/tags":                                       `{"name":"New v2 tag"}`,
		"PATCH " + v2 + "/tags/{tag_id}":                             `{"description":"d"}`,
		"POST " + v2 + "/tags/categories":                            `{"name":"New v2 category"}`,
		"PATCH " + v2 + "/tags/categories/{tag_category_id}":         `{"description":"d"}`,
		"POST " + v2 + "/tags/{tag_id}/contacts:applyTags":           `{"contact_ids":["2001"]}`,
		"POST " + v2 + "/tags/{tag_id}/contacts:removeTags":          `{"contact_ids":["2001"]}`,
		"POST " + v2 + "/companies":                                  `{"company_name":"New v2 Co"}`,
		"PATCH " + v2 + "/companies/{company_id}":                    `{"website":"https://example.com"}`,
		"POST " + v2 + "/tasks":                                      `{"title":"t","assigned_to_user_id":"1"}`,
		"PATCH " + v2 + "/tasks/{task_id}":                           `{"priority":"ESSENTIAL"}`,
		"POST " + v2 + "/opportunities":                              `{"opportunity_title":"o","contact_id":"2001","stage_id":"11"}`,
		"PATCH " + v2 + "/opportunities/{opportunity_id}":            `{"stage_id":"13"}`,
		"POST " + v2 + "/opportunities/stages":                       `{"name":"Demo","order":2,"probability":30,"target_number_days":5}`,
		"PATCH " + v2 + "/opportunities/stages/{stage_id}":           `{"probability":40}`,
		"POST " + v2 + "/products":                                   `{"name":"p","price":100,"short_description":"s"}`,
		"PATCH " + v2 + "/products/{product_id}":                     `{"sku":"P-2"}`,
		"PATCH " + v2 + "/users/{user_id}":                           `{"website":"https://example.com"}`,
		"POST " + v2 + "/subscriptions":                              `{"contact_id":"2005","subscription_plan_id":"7"}`,
		"PATCH " + v2 + "/subscriptions/{subscription_id}":           `{"quantity":2}`,
		"POST " + v2 + "/subscriptions/{subscription_id}:deactivate": `{"reason":"r"}`,
		"POST " + v2 + "/orders": `{"contact_id":"2001","order_title":"o","order_time":"2024-03-14T16:00:00Z","order_type":"OFFLINE",` +
			`"order_items":[{"product_id":"11","quantity":1}]}`,
		"PATCH " + v2 + "/orders/{order_id}":            `{"notes":"n"}`,
		"POST " + v2 + "/orders/{order_id}/payments":    `{"payment_amount":1.0,"apply_to_commissions":false}`,
		"POST " + v2 + "/leadSources":                   `{"name":"ls"}`,
		"PATCH " + v2 + "/leadSources/{lead_source_id}": `{"vendor":"v"}`,
		"POST " + v2 + "/affiliates":                    `{"code":"W2","contact_id":"2001"}`,
		"PATCH " + v2 + "/affiliates/{id}":              `{"name":"n"}`,
	}
}

// v1Bodies are bodies for the operations mock/resources and the hooks API serve, which
// check more than a schema can say (the contact a note is on must exist, amounts are
// decimal strings, a hookUrl must answer the handshake).
func v1Bodies(hookURL string) map[string]string {
	const task = `{"title":"Call back","due_date":"2024-03-15T23:00:00Z"}`
	const appointment = `{"title":"Discovery call","start_date":"2024-03-18T17:00:00Z","end_date":"2024-03-18T17:30:00Z","contact_id":2001,"user":1}`
	const opportunity = `{"opportunity_title":"o","contact":{"id":2001},"stage":{"id":11}}`
	const v1 = "/crm/rest/v1"
	return map[string]string{
		"POST " + v1 + "/hooks":                          fmt.Sprintf(`{"eventKey":"contact.edit","hookUrl":%q}`, hookURL),
		"PUT " + v1 + "/hooks/{key}":                     fmt.Sprintf(`{"eventKey":"contact.add","hookUrl":%q}`, hookURL),
		"POST " + v1 + "/contacts":                       `{"email_addresses":[{"field":"EMAIL1","email":"x@example.com"}]}`,
		"PUT " + v1 + "/contacts":                        `{"duplicate_option":"Email","email_addresses":[{"field":"EMAIL1","email":"hannah.k@example.org"}]}`,
		"PATCH " + v1 + "/contacts/{contactId}":          `{"website":"https://example.com"}`,
		"POST " + v1 + "/contacts/{contactId}/tags":      `{"tagIds":[107]}`,
		"POST " + v1 + "/tags":                           `{"name":"New"}`,
		"POST " + v1 + "/tags/{tagId}/contacts":          `{"ids":[2021]}`,
		"POST " + v1 + "/companies":                      `{"company_name":"New Co"}`,
		"PATCH " + v1 + "/companies/{companyId}":         `{"website":"https://example.com"}`,
		"POST " + v1 + "/notes":                          `{"contact_id":2001,"body":"b"}`,
		"PUT " + v1 + "/notes/{noteId}":                  `{"contact_id":2001,"title":"t"}`,
		"PATCH " + v1 + "/notes/{noteId}":                `{"title":"t2"}`,
		"POST " + v1 + "/tasks":                          task,
		"PUT " + v1 + "/tasks/{taskId}":                  task,
		"PATCH " + v1 + "/tasks/{taskId}":                `{"priority":2}`,
		"POST " + v1 + "/opportunities":                  opportunity,
		"PUT " + v1 + "/opportunities":                   `{"id":301,"opportunity_title":"o","contact":{"id":2001},"stage":{"id":11}}`,
		"PATCH " + v1 + "/opportunities/{opportunityId}": `{"include_in_forecast":0}`,
		"POST " + v1 + "/orders": `{"contact_id":2003,"order_date":"2024-03-14T17:30:05Z","order_title":"Coaching","order_type":"Offline",` +
			`"order_items":[{"product_id":11,"quantity":1}]}`,
		"POST " + v1 + "/orders/{orderId}/items":        `{"product_id":13,"quantity":2}`,
		"POST " + v1 + "/orders/{orderId}/payments":     `{"payment_amount":"1.00","payment_method_type":"CASH"}`,
		"POST " + v1 + "/products":                      `{"product_name":"p"}`,
		"PATCH " + v1 + "/products/{productId}":         `{"sku":"P-1"}`,
		"POST " + v1 + "/subscriptions":                 `{"contact_id":2003,"subscription_plan_id":7}`,
		"POST " + v1 + "/appointments":                  appointment,
		"PUT " + v1 + "/appointments/{appointmentId}":   appointment,
		"PATCH " + v1 + "/appointments/{appointmentId}": `{"location":"Office"}`,
		"POST " + v1 + "/users":                         `{"email":"new.user@example.com","given_name":"New"}`,
	}
}

func (w *walker) call(op spec.Operation) {
	w.t.Helper()
	path := w.fill(op)
	body, _ := spec.ExampleRequest(op.Method, op.Path)
	if b, ok := w.bodies[op.Method+" "+op.Path]; ok {
		body = []byte(b)
	}
	var header []string
	if strings.HasSuffix(op.Path, "/delayedVerify") {
		header = []string{"X-Hook-Secret", w.rc.LastSecret(w.t)}
	}
	r := w.do(op.Method, path+queries[op.Method+" "+op.Path], string(body), header...)
	if r.status < 200 || r.status > 299 {
		w.t.Errorf("%s %s (%s): %d %s", op.Method, path, op.Path, r.status, r.body)
		return
	}
	if op.Method == http.MethodPost {
		w.remember(op, r.body)
	}
	if op.Method == "POST" && op.Path == "/crm/rest/v1/orders/{orderId}/payments" {
		var p struct {
			TransactionID json.Number `json:"transaction_id"`
		}
		json.Unmarshal(r.body, &p)
		w.ids["transactionId"] = p.TransactionID.String()
	}
}

// fill puts ids into the path: a variable names the object its collection's create made
// (the path up to the variable), else a seeded object, else 1.
func (w *walker) fill(op spec.Operation) string {
	template := strings.Split(op.Path, "/")
	segs := slices.Clone(template)
	for i, seg := range segs {
		if !strings.HasPrefix(seg, "{") {
			continue
		}
		name, suffix, _ := strings.Cut(strings.TrimPrefix(seg, "{"), "}")
		id, ok := w.created[strings.Join(template[:i], "/")]
		if !ok {
			id = cmp.Or(w.ids[name], "1")
		}
		segs[i] = id + suffix
	}
	return strings.Join(segs, "/")
}

func (w *walker) remember(op spec.Operation, body []byte) {
	var o map[string]any
	if json.Unmarshal(body, &o) != nil {
		return
	}
	if id := findID(o, cmp.Or(op.IDField, "id")); id != "" {
		w.created[op.Path] = id
	}
}

// findID reads the id at field (dotted), in o or in an object o wraps ({"custom_field": {...}}).
func findID(o map[string]any, field string) string {
	parts := strings.Split(field, ".")
	inner := o
	for _, p := range parts[:len(parts)-1] {
		inner, _ = inner[p].(map[string]any)
	}
	if id, ok := inner[parts[len(parts)-1]]; ok && id != nil {
		return fmt.Sprint(id)
	}
	for _, v := range o {
		if m, ok := v.(map[string]any); ok {
			if id := findID(m, field); id != "" {
				return id
			}
		}
	}
	return ""
}

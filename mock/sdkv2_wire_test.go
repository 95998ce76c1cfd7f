package mock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/keaphook/keaphook/mock"
)

// sdkCall is one request as Keap's own v2 SDK (infusionsoft/keap-sdk 2.0.21, generated for
// Python, Java, JavaScript, PHP and C#) puts it on the wire, for the objects behind hook
// events. Paths are the SDK's resource paths below its base https://api.keap.com/crm; query
// values are encoded as the SDKs encode them (Python's quote: "==" is %3D%3D, a space %20;
// fields joined by commas, which PHP sends as %2C; update_mask repeated, one value a
// parameter); bodies hold only the properties a caller set (the SDKs drop nulls). {name}
// in a path or body is a value an earlier call's answer gave, at the JSON field save names.
type sdkCall struct {
	sdk    string // the SDK method, for messages
	method string
	path   string
	body   string
	want   int
	save   map[string]string // name → top-level field of the answer
	check  func(t *testing.T, body map[string]any)
}

func sdkCalls() []sdkCall {
	has := func(field, want string) func(t *testing.T, b map[string]any) {
		return func(t *testing.T, b map[string]any) {
			if got := fmt.Sprint(b[field]); got != want {
				t.Errorf("%s = %q, want %q", field, got, want)
			}
		}
	}
	count := func(list string, want int) func(t *testing.T, b map[string]any) {
		return func(t *testing.T, b map[string]any) {
			if items, _ := b[list].([]any); len(items) != want {
				t.Errorf("%s holds %d items, want %d: %v", list, len(items), want, b)
			}
		}
	}
	return []sdkCall{
		// ContactApi
		{sdk: "ContactApi.list_contacts", method: "GET", path: "/rest/v2/contacts?filter=given_name%3D%3DDan%2A&order_by=id%20desc&page_size=10", want: 200, check: count("contacts", 1)},
		{sdk: "ContactApi.create_contact", method: "POST", path: "/rest/v2/contacts?fields=given_name,email_addresses,tag_ids",
			body: `{"given_name":"Ava","family_name":"Reyes","email_addresses":[{"email":"ava@example.com","field":"EMAIL1","opt_in_reason":"Signed up"}],` +
				`"phone_numbers":[{"number":"(480) 555-0144","field":"PHONE1","type":"Mobile"}],"company":{"id":"3001"},"source_type":"API"}`,
			want: 201, save: map[string]string{"contact": "id"}, check: has("given_name", "Ava")},
		{sdk: "ContactApi.get_contact", method: "GET", path: "/rest/v2/contacts/{contact}?fields=given_name%2Cemail_addresses%2Ccompany", want: 200, check: has("given_name", "Ava")},
		{sdk: "ContactApi.update_contact", method: "PATCH", path: "/rest/v2/contacts/{contact}?update_mask=job_title&update_mask=family_name",
			body: `{"job_title":"Owner","family_name":"Reyes-Diaz","given_name":"not in the mask"}`, want: 200, check: has("family_name", "Reyes-Diaz")},
		{sdk: "ContactApi.list_tags_for_contact", method: "GET", path: "/rest/v2/contacts/{contact}/tags?page_size=100", want: 200, check: count("tags", 0)},
		// TagsApi
		{sdk: "TagsApi.list_tag_categories", method: "GET", path: "/rest/v2/tags/categories", want: 200},
		{sdk: "TagsApi.create_tag", method: "POST", path: "/rest/v2/tags", body: `{"name":"SDK tag","description":"From the SDK","category":{"id":"10"}}`,
			want: 201, save: map[string]string{"tag": "id"}},
		{sdk: "TagsApi.apply_tags", method: "POST", path: "/rest/v2/tags/{tag}/contacts:applyTags", body: `{"contact_ids":["{contact}"]}`, want: 200},
		{sdk: "ContactApi.list_tags_for_contact", method: "GET", path: "/rest/v2/contacts/{contact}/tags?order_by=applied_time%20desc", want: 200, check: count("tags", 1)},
		{sdk: "TagsApi.list_contacts_with_tag_id", method: "GET", path: "/rest/v2/tags/{tag}/contacts", want: 200, check: count("contacts", 1)},
		{sdk: "TagsApi.remove_tags", method: "POST", path: "/rest/v2/tags/{tag}/contacts:removeTags", body: `{"contact_ids":["{contact}"]}`, want: 204},
		{sdk: "TagsApi.get_tag", method: "GET", path: "/rest/v2/tags/{tag}", want: 200, check: has("name", "SDK tag")},
		{sdk: "TagsApi.list_tags", method: "GET", path: "/rest/v2/tags?filter=name%3D%3DSDK%20tag&page_size=5", want: 200, check: count("tags", 1)},
		// CompanyApi
		{sdk: "CompanyApi.create_company", method: "POST", path: "/rest/v2/companies",
			body: `{"company_name":"Reyes Plumbing","email_address":{"email":"office@reyes.example","field":"EMAIL1"},"phone_number":{"number":"(480) 555-0199","field":"PHONE1"}}`,
			want: 201, save: map[string]string{"company": "id"}},
		{sdk: "CompanyApi.get_company", method: "GET", path: "/rest/v2/companies/{company}?fields=email_address,phone_number", want: 200},
		{sdk: "CompanyApi.update_company", method: "PATCH", path: "/rest/v2/companies/{company}?update_mask=website", body: `{"website":"https://reyes.example"}`, want: 200},
		{sdk: "CompanyApi.list_companies", method: "GET", path: "/rest/v2/companies?filter=name%3D%3DReyes%2A&order_by=name%20asc", want: 200, check: count("companies", 1)},
		// NoteApi
		{sdk: "NoteApi.create_note", method: "POST", path: "/rest/v2/contacts/{contact}/notes", body: `{"title":"Call","text":"Wants a quote","type":"Call","user_id":"1"}`,
			want: 201, save: map[string]string{"note": "id"}},
		{sdk: "NoteApi.get_note", method: "GET", path: "/rest/v2/contacts/{contact}/notes/{note}", want: 200, check: has("text", "Wants a quote")},
		{sdk: "NoteApi.update_note", method: "PATCH", path: "/rest/v2/contacts/{contact}/notes/{note}?update_mask=text", body: `{"text":"Sent the quote","user_id":"1"}`, want: 200},
		{sdk: "NoteApi.list_notes", method: "GET", path: "/rest/v2/contacts/{contact}/notes?order_by=create_time%20desc", want: 200, check: count("notes", 1)},
		{sdk: "NoteApi.list_all_notes", method: "GET", path: "/rest/v2/notes?filter=contact_id%3D%3D{contact}", want: 200, check: count("notes", 1)},
		// TaskApi
		{sdk: "TaskApi.create_task", method: "POST", path: "/rest/v2/tasks", body: `{"title":"Send the quote","assigned_to_user_id":"1","contact_id":"{contact}","priority":"ESSENTIAL","due_time":"2024-03-20T17:00:00Z"}`,
			want: 201, save: map[string]string{"task": "id"}},
		{sdk: "TaskApi.update_task", method: "PATCH", path: "/rest/v2/tasks/{task}", body: `{"completed":true}`, want: 200, check: has("completed", "true")},
		{sdk: "TaskApi.list_tasks", method: "GET", path: "/rest/v2/tasks?filter=contact_id%3D%3D{contact}%3Bis_completed%3D%3Dtrue", want: 200, check: count("tasks", 1)},
		// OpportunityApi
		{sdk: "OpportunityApi.list_opportunity_stages", method: "GET", path: "/rest/v2/opportunities/stages", want: 200},
		{sdk: "OpportunityApi.create_opportunity", method: "POST", path: "/rest/v2/opportunities",
			body: `{"opportunity_title":"Plumbing contract","contact_id":"{contact}","stage_id":"11","projected_revenue_high":5000.0}`, want: 201, save: map[string]string{"opportunity": "id"}},
		{sdk: "OpportunityApi.update_opportunity", method: "PATCH", path: "/rest/v2/opportunities/{opportunity}?update_mask=stage_id", body: `{"stage_id":"13"}`, want: 200},
		{sdk: "OpportunityApi.list_opportunity_stage_moves", method: "GET", path: "/rest/v2/opportunities/stageMoves?filter=opportunity_id%3D%3D{opportunity}", want: 200, check: count("stage_moves", 1)},
		{sdk: "OpportunityApi.get_opportunity", method: "GET", path: "/rest/v2/opportunities/{opportunity}", want: 200},
		// ProductsApi, OrdersApi, SalesApi
		{sdk: "ProductsApi.create_product", method: "POST", path: "/rest/v2/products", body: `{"name":"Drain service","price":12500,"short_description":"One visit","sku":"DRAIN"}`,
			want: 201, save: map[string]string{"product": "id"}},
		{sdk: "ProductsApi.list_products", method: "GET", path: "/rest/v2/products?filter=sku%3D%3DDRAIN", want: 200, check: count("products", 1)},
		{sdk: "OrdersApi.create_order", method: "POST", path: "/rest/v2/orders",
			body: `{"contact_id":"{contact}","order_title":"Drain service","order_time":"2024-03-14T16:00:00+00:00","order_type":"OFFLINE","order_items":[{"product_id":"{product}","quantity":2}]}`,
			want: 201, save: map[string]string{"order": "id"}},
		{sdk: "OrdersApi.get_order", method: "GET", path: "/rest/v2/orders/{order}", want: 200},
		{sdk: "OrdersApi.create_payment_for_an_order", method: "POST", path: "/rest/v2/orders/{order}/payments",
			body: `{"payment_amount":250.0,"apply_to_commissions":false,"payment_method_type":"CASH","notes":"Paid on site"}`, want: 201},
		{sdk: "OrdersApi.list_order_payments", method: "GET", path: "/rest/v2/orders/{order}/payments", want: 200, check: count("invoice_order_payments", 1)},
		{sdk: "OrdersApi.list_orders", method: "GET", path: "/rest/v2/orders?filter=contact_id%3D%3D{contact}&page_size=50", want: 200, check: count("orders", 1)},
		{sdk: "SalesApi.list_transactions", method: "GET", path: "/rest/v2/sales/transactions?filter=contact_id%3D%3D{contact}", want: 200, check: count("transactions", 1)},
		// SubscriptionsApi, UsersApi
		{sdk: "SubscriptionsApi.create_subscription", method: "POST", path: "/rest/v2/subscriptions", body: `{"contact_id":"{contact}","subscription_plan_id":"7","quantity":1}`,
			want: 201, save: map[string]string{"subscription": "id"}},
		{sdk: "SubscriptionsApi.cancel_subscription", method: "POST", path: "/rest/v2/subscriptions/{subscription}:deactivate", body: `{"reason":"Moved"}`, want: 200},
		{sdk: "SubscriptionsApi.list_subscriptions", method: "GET", path: "/rest/v2/subscriptions?filter=contact_id%3D%3D{contact}", want: 200, check: count("subscriptions", 1)},
		{sdk: "UsersApi.list_paginated_users", method: "GET", path: "/rest/v2/users?order_by=name%20asc", want: 200},
		{sdk: "UsersApi.get_user_by_id", method: "GET", path: "/rest/v2/users/1", want: 200},
		// LeadSourcesApi, AffiliateApi
		{sdk: "LeadSourcesApi.create_lead_source", method: "POST", path: "/rest/v2/leadSources", body: `{"name":"Spring Webinar","medium":"Webinar","status":"ACTIVE"}`,
			want: 201, save: map[string]string{"lead_source": "id"}},
		{sdk: "LeadSourcesApi.list_lead_sources", method: "GET", path: "/rest/v2/leadSources?filter=name%3D%3DSpring%2A", want: 200, check: count("lead_sources", 2)}, // one is the seed's
		{sdk: "AffiliateApi.add_affiliate", method: "POST", path: "/rest/v2/affiliates", body: `{"code":"AVA","contact_id":"{contact}","status":"ACTIVE"}`,
			want: 201, save: map[string]string{"affiliate": "id"}},
		{sdk: "AffiliateApi.list_affiliate", method: "GET", path: "/rest/v2/affiliates?filter=code%3D%3DAVA", want: 200, check: count("affiliates", 1)},
		// Cleanup through the same SDK.
		{sdk: "TaskApi.delete_task", method: "DELETE", path: "/rest/v2/tasks/{task}", want: 204},
		{sdk: "NoteApi.delete_note", method: "DELETE", path: "/rest/v2/contacts/{contact}/notes/{note}", want: 204},
		{sdk: "TagsApi.delete_tag", method: "DELETE", path: "/rest/v2/tags/{tag}", want: 204},
		{sdk: "ContactApi.delete_contact", method: "DELETE", path: "/rest/v2/contacts/{contact}", want: 204},
		{sdk: "ContactApi.get_contact", method: "GET", path: "/rest/v2/contacts/{contact}", want: 404},
	}
}

// TestKeapV2SDKWireCalls replays the v2 SDK's calls for the objects behind hook events
// against `mock --seed`, with the SDK's headers, and checks each answer's status, its body
// against Keap's v2 document (the harness) and what the SDK's caller would read.
func TestKeapV2SDKWireCalls(t *testing.T) {
	t.Parallel()
	a := newAPI(t, mock.WithSeedData(), mock.WithTokens("sdk-token"))
	saved := map[string]string{}
	fill := func(s string) string {
		for k, v := range saved {
			s = strings.ReplaceAll(s, "{"+k+"}", v)
		}
		return s
	}
	for _, c := range sdkCalls() {
		path := fill(c.path)
		r := a.do(c.method, "/crm"+path, fill(c.body), "Authorization", "Bearer sdk-token", "Accept", "application/json",
			"User-Agent", "core-service-v2-python/2.0.21")
		if r.status != c.want {
			t.Fatalf("%s: %s %s: %d, want %d: %s", c.sdk, c.method, path, r.status, c.want, r.body)
		}
		if len(r.body) == 0 || c.want >= 300 {
			continue
		}
		var body map[string]any
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatalf("%s: %s", c.sdk, r.body)
		}
		for name, field := range c.save {
			saved[name] = fmt.Sprint(body[field])
		}
		if c.check != nil {
			t.Run(c.sdk, func(t *testing.T) { c.check(t, body) })
		}
	}
}

// A write through the SDK reaches a hook as the same event key a v1 write would, with a v1
// apiUrl (see TestV2WriteDeliversAV1APIURL for the follow-up fetch).
func TestKeapV2SDKWritesEmitV1Keys(t *testing.T) {
	t.Parallel()
	a := newAPI(t, virtual(mock.WithSeedData())...)
	rcv := newApp(t, http.StatusOK)
	for _, key := range []string{"contactGroup.applied", "opportunity.stage_move", "invoice.payment.add"} {
		a.createHook(key, rcv.URL)
	}
	for _, call := range [][3]string{
		{"POST", "/crm/rest/v2/tags/91/contacts:applyTags", `{"contact_ids":["2003"]}`},
		{"PATCH", "/crm/rest/v2/opportunities/301", `{"stage_id":"17"}`},
	} {
		if r := a.do(call[0], call[1], call[2]); r.status != http.StatusOK {
			t.Fatalf("%s %s: %d %s", call[0], call[1], r.status, r.body)
		}
	}
	a.advance("11m") // tag events come 5-10 minutes late
	seen := map[string]string{}
	for range 2 {
		_, body := rcv.next(t)
		var ev struct {
			EventKey   string `json:"event_key"`
			ObjectKeys []struct {
				APIURL string `json:"apiUrl"`
			} `json:"object_keys"`
		}
		json.Unmarshal(body, &ev)
		if len(ev.ObjectKeys) > 0 {
			seen[ev.EventKey] = strings.TrimPrefix(ev.ObjectKeys[0].APIURL, a.srv.URL)
		}
	}
	for key, want := range map[string]string{"contactGroup.applied": "/crm/rest/v1/tags/91", "opportunity.stage_move": "/crm/rest/v1/opportunities/301"} {
		if seen[key] != want {
			t.Errorf("%s: apiUrl %q, want %q (all: %v)", key, seen[key], want, seen)
		}
	}
}

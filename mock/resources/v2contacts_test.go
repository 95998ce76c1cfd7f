package resources

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// A contact written through v2 is the contact v1 reads, and the other way round; each
// write emits the event key its v1 twin does.
func TestV2ContactIsTheV1Contact(t *testing.T) {
	h := newHarness(t, false)
	c := h.must("POST", "/v2/contacts", map[string]any{
		"given_name": "Jordan", "family_name": "Blake", "birth_date": "1985-03-15", "source_type": "LANDING_PAGE",
		"email_addresses": []any{map[string]any{"field": "EMAIL1", "email": "jordan@example.com", "opt_in_reason": "Webform"}},
		"social_accounts": []any{map[string]any{"type": "LINKED_IN", "name": "jblake"}},
	}, http.StatusCreated)
	id := v2id(c)
	wantEvents(t, h.takeEvents(), eventString("contact.add", id))
	if c.str("create_time") != "2024-03-14T16:20:58.000Z" || c.str("birth_date") != "1985-03-15" || c.str("source_type") != "LANDING_PAGE" {
		t.Errorf("created through v2: %v", c)
	}

	v1 := h.must("GET", fmt.Sprintf("/v1/contacts/%d", id), nil, http.StatusOK)
	if v1.str("given_name") != "Jordan" || v1.str("source_type") != "LANDINGPAGE" || v1.str("email_status") != "SingleOptIn" ||
		v1.list("social_accounts")[0].str("type") != "LinkedIn" {
		t.Errorf("the v1 view of a v2 contact: %v", v1)
	}

	h.must("POST", fmt.Sprintf("/v1/contacts/%d/tags", id), map[string]any{"tagIds": []int64{h.newTag("VIP")}}, http.StatusOK)
	h.takeEvents()
	tags := h.must("GET", fmt.Sprintf("/v2/contacts/%d/tags", id), nil, http.StatusOK).list("tags")
	if len(tags) != 1 || tags[0].sub("tag").str("name") != "VIP" || tags[0].str("applied_time") == "" {
		t.Errorf("a tag applied through v1, seen through v2: %v", tags)
	}
	got := h.must("GET", fmt.Sprintf("/v2/contacts/%d", id), nil, http.StatusOK)
	if diff := cmp.Diff([]any{tags[0].sub("tag").str("id")}, got["tag_ids"]); diff != "" {
		t.Errorf("tag_ids (-want +got):\n%s", diff)
	}

	h.must("DELETE", fmt.Sprintf("/v2/contacts/%d", id), nil, http.StatusNoContent)
	wantEvents(t, h.takeEvents(), eventString("contact.delete", id))
	h.fail("GET", fmt.Sprintf("/v1/contacts/%d", id), nil, http.StatusNotFound)
	h.fail("GET", fmt.Sprintf("/v2/contacts/%d", id), nil, http.StatusNotFound)
}

func TestV2ContactPatch(t *testing.T) {
	h := newHarness(t, true)
	h.advance(time.Hour)
	// update_mask limits the patch to given_name; the SDKs repeat it, a comma list also works.
	got := h.must("PATCH", "/v2/contacts/2001?update_mask=given_name&update_mask=birth_date", map[string]any{
		"given_name": "Danielle", "family_name": "Ignored", "birth_date": "1990-01-02",
	}, http.StatusOK)
	wantEvents(t, h.takeEvents(), eventString("contact.edit", 2001))
	if got.str("given_name") != "Danielle" || got.str("family_name") == "Ignored" || got.str("birth_date") != "1990-01-02" ||
		got.str("update_time") != "2024-03-14T17:20:58.000Z" {
		t.Errorf("masked patch: %v", got)
	}
	// v2 replaces an array it is sent (v1 merges by field).
	got = h.must("PATCH", "/v2/contacts/2001", map[string]any{
		"email_addresses": []any{map[string]any{"field": "EMAIL2", "email": "only@example.com"}},
	}, http.StatusOK)
	if emails := got.list("email_addresses"); len(emails) != 1 || emails[0].str("email") != "only@example.com" {
		t.Errorf("v2 PATCH of email_addresses: %v", got["email_addresses"])
	}
	msg := h.fail("PATCH", "/v2/contacts/2001?update_mask=nickname", map[string]any{"given_name": "X"}, http.StatusBadRequest)
	if !strings.Contains(msg, "nickname") || !strings.Contains(msg, "given_name") {
		t.Errorf("bad update_mask: %q", msg)
	}
	h.fail("PATCH", "/v2/contacts/2001", map[string]any{"owner_id": "me"}, http.StatusBadRequest)
	h.fail("PATCH", "/v2/contacts/99999", map[string]any{"given_name": "X"}, http.StatusNotFound)
	wantEvents(t, h.takeEvents(), eventString("contact.edit", 2001))
}

func TestV2ContactDuplicateOption(t *testing.T) {
	h := newHarness(t, true)
	email := h.must("GET", "/v2/contacts/2001", nil, http.StatusOK).list("email_addresses")[0].str("email")
	got := h.must("POST", "/v2/contacts?duplicate_option=Email", map[string]any{
		"job_title":       "Chef",
		"email_addresses": []any{map[string]any{"field": "EMAIL1", "email": email}},
	}, http.StatusOK)
	if got.str("id") != "2001" || got.str("job_title") != "Chef" {
		t.Errorf("duplicate by email: %v", got)
	}
	wantEvents(t, h.takeEvents(), eventString("contact.edit", 2001))
	h.must("POST", "/v2/contacts?duplicate_option=Email", map[string]any{
		"addresses": []any{map[string]any{"field": "BILLING", "line1": "1 Main St", "country_code": "USA"}},
	}, http.StatusCreated)
	h.fail("POST", "/v2/contacts", map[string]any{"given_name": "Nobody"}, http.StatusBadRequest)
	h.fail("POST", "/v2/contacts?duplicate_option=Phone", map[string]any{"given_name": "X"}, http.StatusBadRequest)
}

// EmailAndNameAndCompany updates the first contact matching all three, even when an earlier
// one matches by email and name alone.
func TestV2ContactDuplicateByCompany(t *testing.T) {
	h := newHarness(t, true)
	twin := func(company map[string]any) map[string]any {
		body := map[string]any{"given_name": "Ana", "family_name": "Ruiz",
			"email_addresses": []any{map[string]any{"field": "EMAIL1", "email": "ana.ruiz@example.com"}}}
		if company != nil {
			body["company"] = company
		}
		return body
	}
	alone, _ := h.must("POST", "/v1/contacts", twin(nil), http.StatusCreated).int("id")
	employed, _ := h.must("POST", "/v1/contacts", twin(map[string]any{"id": 3001}), http.StatusCreated).int("id")
	h.takeEvents()

	got := h.must("POST", "/v2/contacts?duplicate_option=EmailAndNameAndCompany", twin(map[string]any{"id": "3001"}), http.StatusOK)
	if got.str("id") != fmt.Sprint(employed) {
		t.Errorf("with company 3001 the match is %d, got %v", employed, got["id"])
	}
	wantEvents(t, h.takeEvents(), eventString("contact.edit", employed))
	got = h.must("POST", "/v2/contacts?duplicate_option=EmailAndNameAndCompany", twin(nil), http.StatusOK)
	if got.str("id") != fmt.Sprint(alone) {
		t.Errorf("without a company the match is %d, got %v", alone, got["id"])
	}
	wantEvents(t, h.takeEvents(), eventString("contact.edit", alone))
}

func TestV2ContactListing(t *testing.T) {
	h := newHarness(t, true)
	all := h.must("GET", "/v2/contacts", nil, http.StatusOK).list("contacts")
	if len(all) < 5 {
		t.Fatalf("seeded contacts: %d", len(all))
	}
	// Paging: page_size 2 walks every contact once, in the same order.
	var walked []string
	token := ""
	for range len(all) {
		page := h.must("GET", "/v2/contacts?order_by=id%20desc&page_size=2&page_token="+token, nil, http.StatusOK)
		for _, c := range page.list("contacts") {
			walked = append(walked, c.str("id"))
		}
		if token = page.str("next_page_token"); token == "" {
			break
		}
	}
	var want []string
	for i := len(all) - 1; i >= 0; i-- {
		want = append(want, all[i].str("id"))
	}
	if diff := cmp.Diff(want, walked); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}

	dana := h.must("GET", "/v2/contacts?filter=given_name%3D%3DDan%2A&fields=given_name,email_addresses", nil, http.StatusOK).list("contacts")
	if len(dana) != 1 || dana[0].str("id") != "2001" || dana[0]["family_name"] != nil || dana[0]["email_addresses"] == nil {
		t.Errorf("filter given_name==Dan* with a fields mask: %v", dana)
	}
	some := h.must("GET", "/v2/contacts?filter=ids%3D%3D2001,2003%3Bcontact_id%3E2001", nil, http.StatusOK).list("contacts")
	if len(some) != 1 || some[0].str("id") != "2003" {
		t.Errorf("ids==2001,2003;contact_id>2001: %v", some)
	}

	for query, want := range map[string]string{
		"filter=nickname%3D%3DX":                  "nickname",
		"filter=given_name":                       "operator",
		"filter=contact_id%3E%3Done":              "number",
		"filter=given_name%3EA":                   "only ==",
		"order_by=given_name":                     "order_by",
		"order_by=id%20sideways":                  "asc or desc",
		"page_size=1001":                          "page_size",
		"page_token=garbage":                      "page_token",
		"fields=nickname":                         "fields",
		"filter=start_update_time%3D%3Dyesterday": "date-time",
	} {
		if msg := h.fail("GET", "/v2/contacts?"+query, nil, http.StatusBadRequest); !strings.Contains(msg, want) {
			t.Errorf("%s: %q does not mention %q", query, msg, want)
		}
	}
	token = h.must("GET", "/v2/contacts?page_size=1", nil, http.StatusOK).str("next_page_token")
	if msg := h.fail("GET", "/v2/contacts?order_by=email&page_token="+token, nil, http.StatusBadRequest); !strings.Contains(msg, "another filter or order_by") {
		t.Errorf("a token reused with another order: %q", msg)
	}
}

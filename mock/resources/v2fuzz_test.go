package resources

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// isBadRequest reports whether err is the 400 a parser owes a caller.
func isBadRequest(err error) bool {
	var ae *httpapi.Error
	return errors.As(err, &ae) && ae.Status == http.StatusBadRequest && ae.Message != ""
}

// FuzzV2Filter: a filter either parses into terms that name a field, an operator Keap
// documents and a value, or is a 400 with a message; nothing panics.
func FuzzV2Filter(f *testing.F) {
	for _, seed := range []string{"given_name==Mar*", "company_id==123;family_name==Smith", "contact_id>5", "ids==1,2,3",
		"since_create_time==2024-12-22T01:00:00.000Z;until_create_time==2025-01-01T00:00:00.000Z;", "skip_commission=true",
		"a", "==b", "a==", ";;", "a!=b", "a<=>b", "é==1", strings.Repeat("a==1;", 40)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		terms, err := parseFilter(raw)
		if err != nil {
			if !isBadRequest(err) {
				t.Fatalf("%q: %v is not a 400", raw, err)
			}
			return
		}
		for _, term := range terms {
			if !isFieldName(term.field) || !slices.Contains([]string{"==", "!=", ">=", "<=", ">", "<"}, term.op) || term.value == "" {
				t.Fatalf("%q parsed into %+v", raw, term)
			}
		}
		// Every parsed filter can be checked and applied to a contact without a panic.
		p := listParams{filter: terms, size: 10}
		if contactListing2.check(p) == nil {
			contactListing2.page([]object{{"id": "1", "given_name": "Mary"}}, p, url.Values{})
		}
	})
}

// FuzzV2OrderBy: order_by parses into known directions or is a 400.
func FuzzV2OrderBy(f *testing.F) {
	for _, seed := range []string{"create_time desc", "id", "email asc, id desc", "id sideways", "a b c", ",", " "} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		terms, err := parseOrderBy(raw)
		if err != nil {
			if !isBadRequest(err) {
				t.Fatalf("%q: %v is not a 400", raw, err)
			}
			return
		}
		for _, term := range terms {
			if !isFieldName(term.field) {
				t.Fatalf("%q parsed into field %q", raw, term.field)
			}
		}
	})
}

// FuzzV2PageToken: a token decodes only when the server made it for the same query, to the
// offset it was made with; anything else is a 400.
func FuzzV2PageToken(f *testing.F) {
	f.Add(pageToken(2, "a|b"), "a|b")
	f.Add(pageToken(0, ""), "x")
	f.Add("garbage", "")
	f.Add("a2gyLi0xLjAwMDAwMDAw", "")
	f.Fuzz(func(t *testing.T, token, query string) {
		offset, err := parsePageToken(token, query)
		if err != nil {
			if !isBadRequest(err) {
				t.Fatalf("%q: %v is not a 400", token, err)
			}
			return
		}
		if offset < 0 {
			t.Fatalf("%q: negative offset %d", token, offset)
		}
		if token != "" && pageToken(offset, query) != token {
			if again, err := parsePageToken(pageToken(offset, query), query); err != nil || again != offset {
				t.Fatalf("%q: offset %d does not round-trip", token, offset)
			}
		}
	})
}

// FuzzV2UpdateMask: a mask holds only allowed names, or is a 400.
func FuzzV2UpdateMask(f *testing.F) {
	for _, seed := range []string{"given_name", "given_name,family_name", " birth_date , ", ",", "nickname", ""} {
		f.Add(seed, "family_name")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		mask, err := parseMask("update_mask", []string{a, b}, contactMask2)
		if err != nil {
			if !isBadRequest(err) {
				t.Fatalf("%q %q: %v is not a 400", a, b, err)
			}
			return
		}
		for _, name := range mask {
			if !slices.Contains(contactMask2, name) {
				t.Fatalf("%q %q: mask holds %q", a, b, name)
			}
		}
	})
}

// FuzzV2ContactWrites: any body on v2's contact create and patch is a 2xx that emitted its
// event or a 4xx that emitted none, in v2's shape (the harness checks), never a 5xx.
func FuzzV2ContactWrites(f *testing.F) {
	for _, seed := range []string{
		`{"email_addresses":[{"field":"EMAIL1","email":"a@b.co"}]}`,
		`{"given_name":"A","addresses":[{"field":"BILLING","region":"Arizona","country_code":"USA"}],"birth_date":"1990-01-02"}`,
		`{"company":{"id":"3001"},"owner_id":"1","leadsource_id":"x","custom_fields":[{"id":"1","content":"v"}]}`,
		`{"social_accounts":[{"type":"LINKED_IN","name":"n"}],"source_type":"LANDING_PAGE"}`,
		`{"email_addresses":[{"field":"EMAIL_FIELD_UNSPECIFIED"}]}`, `{`, `null`, `[]`, `{"birth_date":"2024-02-30"}`,
	} {
		f.Add(seed)
	}
	h := fuzzHarness(f)
	f.Fuzz(func(t *testing.T, body string) {
		h.t = t
		status, _ := h.do("POST", "/v2/contacts", body)
		checkWrite(t, h, status)
		status, _ = h.do("PATCH", "/v2/contacts/2001?update_mask=given_name,email_addresses", body)
		checkWrite(t, h, status)
	})
}

// FuzzV2ListQuery: any query on v2's lists is a 200 or v2's 400, never a 5xx.
func FuzzV2ListQuery(f *testing.F) {
	for _, seed := range []string{"filter=given_name%3D%3DDan%2A", "order_by=id%20desc&page_size=2", "page_token=x",
		"fields=given_name", "filter=contact_id%3E2001%3Bids%3D%3D2001,2003", "page_size=0", "filter=%zz", "page_size=1 0"} {
		f.Add(seed)
	}
	h := fuzzHarness(f)
	lists := []string{"/v2/contacts", "/v2/tags", "/v2/companies", "/v2/notes", "/v2/tasks", "/v2/opportunities",
		"/v2/orders", "/v2/products", "/v2/subscriptions", "/v2/users", "/v2/leadSources", "/v2/affiliates",
		"/v2/contacts/2001/tags", "/v2/tags/91/contacts", "/v2/sales/transactions", "/v2/opportunities/stageMoves"}
	f.Fuzz(func(t *testing.T, query string) {
		h.t = t
		if !requestQuery(query) {
			return
		}
		for _, list := range lists {
			if status, raw := h.do("GET", list+"?"+query, nil); status != http.StatusOK && status != http.StatusBadRequest {
				t.Errorf("GET %s?%s: %d %s", list, query, status, raw)
			}
		}
	})
}

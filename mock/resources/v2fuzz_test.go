package resources

import (
	"errors"
	"net/http"
	"net/url"
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
			if !isFieldName(term.field) || !contains([]string{"==", "!=", ">=", "<=", ">", "<"}, term.op) || term.value == "" {
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
			if !contains(contactMask2, name) {
				t.Fatalf("%q %q: mask holds %q", a, b, name)
			}
		}
	})
}

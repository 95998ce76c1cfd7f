package resources

import (
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
	"github.com/keaphook/keaphook/mock/internal/paging"
)

// The parsers of v2's query parameters. Each is pure (a string in, a value or a 400 out) so
// it can be fuzzed on its own.

// filterTerm is one condition of a v2 filter: `given_name==Mar*` is {given_name, ==, Mar*}.
type filterTerm struct{ field, op, value string }

// filterOps are the operators v2 documents, longest first so ">=" is not read as ">".
var filterOps = []string{"==", "!=", ">=", "<=", ">", "<", "="}

// maxFilterTerms bounds a filter; Keap's own examples combine two or three.
const maxFilterTerms = 32

const filterHelp = "write field==value, terms joined by ; (e.g. given_name==Mary;family_name==Smith)"

// parseFilter splits a filter into its terms. Terms are joined by ";" (a trailing one is
// allowed, as in Keap's examples); each is a field name, an operator and a value. "=" is
// read as "==", as in one of Keap's own examples.
func parseFilter(raw string) ([]filterTerm, error) {
	var terms []filterTerm
	for part := range strings.SplitSeq(raw, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		t, err := parseTerm(part)
		if err != nil {
			return nil, err
		}
		if len(terms) == maxFilterTerms {
			return nil, httpapi.Errorf(http.StatusBadRequest, "filter: more than %d terms; combine fewer", maxFilterTerms)
		}
		terms = append(terms, t)
	}
	return terms, nil
}

func parseTerm(part string) (filterTerm, error) {
	i := strings.IndexAny(part, "=!<>")
	if i < 0 {
		return filterTerm{}, httpapi.Errorf(http.StatusBadRequest, "filter: %q has no operator; %s", part, filterHelp)
	}
	field := strings.TrimSpace(part[:i])
	if !isFieldName(field) {
		return filterTerm{}, httpapi.Errorf(http.StatusBadRequest, "filter: %q does not start with a field name; %s", part, filterHelp)
	}
	rest := part[i:]
	for _, op := range filterOps {
		if strings.HasPrefix(rest, op) {
			value := strings.TrimSpace(rest[len(op):])
			if value == "" {
				return filterTerm{}, httpapi.Errorf(http.StatusBadRequest, "filter: %q has no value after %s; %s", part, op, filterHelp)
			}
			if op == "=" {
				op = "=="
			}
			return filterTerm{field: field, op: op, value: value}, nil
		}
	}
	return filterTerm{}, httpapi.Errorf(http.StatusBadRequest, "filter: %q has no operator Keap knows (==, !=, >, <, >=, <=); %s", part, filterHelp)
}

func isFieldName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '.' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			return false
		}
	}
	return true
}

// orderTerm is one key of order_by: "create_time desc".
type orderTerm struct {
	field string
	desc  bool
}

// parseOrderBy reads order_by: a field, optionally followed by asc or desc; several may be
// joined by commas, the first deciding first.
func parseOrderBy(raw string) ([]orderTerm, error) {
	var terms []orderTerm
	for part := range strings.SplitSeq(raw, ",") {
		words := strings.Fields(part)
		switch {
		case len(words) == 0:
			continue
		case len(words) > 2 || !isFieldName(words[0]):
			return nil, httpapi.Errorf(http.StatusBadRequest, "order_by: %q is not a field and a direction; write e.g. order_by=create_time desc", strings.TrimSpace(part))
		}
		t := orderTerm{field: words[0]}
		if len(words) == 2 {
			switch strings.ToLower(words[1]) {
			case "asc":
			case "desc":
				t.desc = true
			default:
				return nil, httpapi.Errorf(http.StatusBadRequest, "order_by: direction %q must be asc or desc", words[1])
			}
		}
		if len(terms) == maxFilterTerms {
			return nil, httpapi.Errorf(http.StatusBadRequest, "order_by: more than %d fields", maxFilterTerms)
		}
		terms = append(terms, t)
	}
	return terms, nil
}

// A page token is the offset of the next page and a checksum of the filter and order it was
// made for, so a token replayed with another query is an error rather than a silent skip.
const pageTokenPrefix = "kh2."

func pageToken(offset int, query string) string {
	raw := fmt.Sprintf("%s%d.%08x", pageTokenPrefix, offset, crc32.ChecksumIEEE([]byte(query)))
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// parsePageToken reads a token pageToken made for the same query; "" is the first page.
func parsePageToken(token, query string) (int, error) {
	if token == "" {
		return 0, nil
	}
	bad := httpapi.Errorf(http.StatusBadRequest, "page_token %q is not one this server gave out; pass next_page_token from the previous page unchanged, or leave page_token out for the first page", clip(token))
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || !strings.HasPrefix(string(raw), pageTokenPrefix) {
		return 0, bad
	}
	offsetText, sum, cut := strings.Cut(strings.TrimPrefix(string(raw), pageTokenPrefix), ".")
	offset, ok := paging.Whole(offsetText, 0, idCeiling*10)
	if !cut || !ok {
		return 0, bad
	}
	if sum != fmt.Sprintf("%08x", crc32.ChecksumIEEE([]byte(query))) {
		return 0, httpapi.Errorf(http.StatusBadRequest, "page_token was given out for another filter or order_by; send the same filter and order_by as the first page, or start again without page_token")
	}
	return offset, nil
}

// clip shortens a value quoted back in a message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// parsePageSize reads page_size: 0 to 1000 as Keap documents, 0 or absent meaning a page
// of 1000 (Keap does not say).
func parsePageSize(raw string) (int, error) {
	n, ok := paging.PageSize(raw)
	if !ok {
		return 0, httpapi.Errorf(http.StatusBadRequest, "page_size must be a whole number from 1 to %d (0 or none means %d), got %q", paging.MaxPage, paging.MaxPage, clip(raw))
	}
	return n, nil
}

// parseMask reads a list of property names given as repeated parameters, comma-separated
// values or both (Keap's SDKs send update_mask repeated and fields comma-separated), each of
// which must be in allowed. It returns nil when the parameter is absent.
func parseMask(param string, values []string, allowed []string) ([]string, error) {
	var out []string
	for _, v := range values {
		for name := range strings.SplitSeq(v, ",") {
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			if !slices.Contains(allowed, name) {
				return nil, httpapi.Errorf(http.StatusBadRequest, "%s: %q is not one of %s", param, clip(name), strings.Join(allowed, ", "))
			}
			if !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	if len(values) > 0 && out == nil {
		return nil, httpapi.Errorf(http.StatusBadRequest, "%s is empty; name at least one of %s, or leave it out", param, strings.Join(allowed, ", "))
	}
	return out, nil
}

// listParams are the parsed list parameters of one v2 list request.
type listParams struct {
	filter []filterTerm
	order  []orderTerm
	offset int
	size   int
	fields []string
}

// readListParams parses filter, order_by, page_size, page_token and (when fields is not nil)
// the fields mask.
func readListParams(q url.Values, fields []string) (listParams, error) {
	var p listParams
	var err error
	if p.filter, err = parseFilter(q.Get("filter")); err != nil {
		return p, err
	}
	if p.order, err = parseOrderBy(q.Get("order_by")); err != nil {
		return p, err
	}
	if p.size, err = parsePageSize(q.Get("page_size")); err != nil {
		return p, err
	}
	if p.offset, err = parsePageToken(q.Get("page_token"), q.Get("filter")+"|"+q.Get("order_by")); err != nil {
		return p, err
	}
	if fields != nil {
		p.fields, err = parseMask("fields", q["fields"], fields)
	}
	return p, err
}

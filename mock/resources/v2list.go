package resources

import (
	"cmp"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
	"github.com/keaphook/keaphook/mock/internal/paging"
)

// filterKind says how a v2 filter field compares, following the operation's description.
type filterKind int

const (
	// fText: == (or !=) ignoring case; a trailing * matches a prefix; NONE matches absence.
	fText filterKind = iota
	// fSet: == any of a comma-separated list of values (ids==1,2,3).
	fSet
	// fNumber: every comparison operator, numerically.
	fNumber
	// fSince and fUntil: == a date-time, matching values on or after (before) it.
	fSince
	fUntil
	// fBool: == true or false.
	fBool
)

// v2Filter is one field an operation's filter takes: how it compares and where its values
// are in the rendered v2 object (nil: the top-level property of the same name).
type v2Filter struct {
	kind   filterKind
	values func(o object) []string
}

// v2Listing is what a v2 list operation accepts: its filter fields, its order_by fields
// (each with where its sort value is; nil for the property of the same name) and, when the
// operation documents `fields`, the properties a mask may name.
type v2Listing struct {
	key     string // the array's name in the answer: "contacts"
	filters map[string]v2Filter
	orders  map[string]func(o object) string
	fields  []string
}

// v2List serves a v2 list: collect renders every candidate under the lock; the answer is
// them filtered, ordered, paged and masked, as {key: [...], next_page_token}.
func (s *Store) v2List(l *v2Listing, collect func(d *db, r *http.Request) ([]object, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := readListParams(r.URL.Query(), l.fields)
		if err == nil {
			err = l.check(p)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.read(w, r, func(d *db) (any, error) {
			items, err := collect(d, r)
			if err != nil {
				return nil, err
			}
			return l.page(items, p, r.URL.Query()), nil
		})
	}
}

// check refuses filter and order_by fields the operation does not list, and values a
// field's kind cannot compare.
func (l *v2Listing) check(p listParams) error {
	for _, t := range p.filter {
		f, ok := l.filters[t.field]
		if !ok {
			return httpapi.Errorf(http.StatusBadRequest, "filter: %s is not a field this list filters on; use one of %s", t.field, names(l.filters))
		}
		if err := f.checkTerm(t); err != nil {
			return err
		}
	}
	for _, o := range p.order {
		if _, ok := l.orders[o.field]; !ok {
			return httpapi.Errorf(http.StatusBadRequest, "order_by: %s is not a field this list orders by; use one of %s", o.field, names(l.orders))
		}
	}
	return nil
}

func names[V any](m map[string]V) string {
	return strings.Join(slices.Sorted(maps.Keys(m)), ", ")
}

func (f v2Filter) checkTerm(t filterTerm) error {
	switch {
	case f.kind == fNumber:
		if _, err := strconv.ParseFloat(t.value, 64); err != nil {
			return httpapi.Errorf(http.StatusBadRequest, "filter: %s compares numbers; %q is not one", t.field, clip(t.value))
		}
		return nil
	case t.op != "==" && !(t.op == "!=" && (f.kind == fText || f.kind == fSet)):
		return httpapi.Errorf(http.StatusBadRequest, "filter: %s takes only ==, not %s", t.field, t.op)
	case f.kind == fSince || f.kind == fUntil:
		if _, ok := parseTime(t.value); !ok {
			return httpapi.Errorf(http.StatusBadRequest, "filter: %s needs a date-time such as 2024-12-22T01:00:00.000Z, got %q", t.field, clip(t.value))
		}
	case f.kind == fBool && t.value != "true" && t.value != "false":
		return httpapi.Errorf(http.StatusBadRequest, "filter: %s is true or false, got %q", t.field, clip(t.value))
	}
	return nil
}

func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// page filters, orders, slices and masks the rendered items.
func (l *v2Listing) page(items []object, p listParams, q map[string][]string) object {
	kept := items[:0]
	for _, o := range items {
		if l.matches(o, p.filter) {
			kept = append(kept, o)
		}
	}
	if len(p.order) > 0 {
		slices.SortStableFunc(kept, func(a, b object) int { return l.compare(a, b, p.order) })
	}
	from, to := paging.Window(p.offset, p.size, len(kept))
	out := make([]any, 0, to-from)
	for _, o := range kept[from:to] {
		if p.fields != nil {
			o = o.only(append([]string{"id"}, p.fields...)...)
		}
		out = append(out, o)
	}
	body := object{l.key: out}
	if to < len(kept) {
		body["next_page_token"] = pageToken(to, strings.Join(q["filter"], "")+"|"+strings.Join(q["order_by"], ""))
	}
	return body
}

func (l *v2Listing) matches(o object, terms []filterTerm) bool {
	for _, t := range terms {
		f := l.filters[t.field]
		var values []string
		if f.values != nil {
			values = f.values(o)
		} else {
			values = valuesOf(o[t.field])
		}
		if !f.match(values, t) {
			return false
		}
	}
	return true
}

// match reports whether any of values satisfies the term (none does for an absent field).
func (f v2Filter) match(values []string, t filterTerm) bool {
	if f.kind == fText && t.value == "NONE" {
		return len(values) == 0 == (t.op == "==")
	}
	want := []string{t.value}
	if f.kind == fSet {
		want = strings.Split(t.value, ",")
	}
	found := false
	for _, v := range values {
		for _, w := range want {
			found = found || f.compare(v, strings.TrimSpace(w), t.op)
		}
	}
	if t.op == "!=" {
		return !found
	}
	return found
}

func (f v2Filter) compare(have, want, op string) bool {
	switch f.kind {
	case fNumber:
		h, err1 := strconv.ParseFloat(have, 64)
		w, err2 := strconv.ParseFloat(want, 64)
		return err1 == nil && err2 == nil && compareOp(cmp.Compare(h, w), op)
	case fSince, fUntil:
		h, ok1 := parseTime(have)
		w, ok2 := parseTime(want)
		if !ok1 || !ok2 {
			return false
		}
		return f.kind == fSince && !h.Before(w) || f.kind == fUntil && !h.After(w)
	case fText:
		if prefix, ok := strings.CutSuffix(want, "*"); ok {
			return strings.HasPrefix(strings.ToLower(have), strings.ToLower(prefix))
		}
	}
	return strings.EqualFold(have, want)
}

func compareOp(c int, op string) bool {
	switch op {
	case "==":
		return c == 0
	case "!=":
		return c != 0
	case ">":
		return c > 0
	case "<":
		return c < 0
	case ">=":
		return c >= 0
	}
	return c <= 0
}

// valuesOf is a property's values as text: a string or number is one value, an array of
// them several, anything else none.
func valuesOf(v any) []string {
	switch t := v.(type) {
	case nil:
		return nil
	case string:
		if t == "" {
			return nil
		}
		return []string{t}
	case bool:
		return []string{strconv.FormatBool(t)}
	case []any:
		var out []string
		for _, x := range t {
			out = append(out, valuesOf(x)...)
		}
		return out
	case []string:
		return t
	}
	if s := idString(v); s != "" {
		return []string{s}
	}
	if f, ok := v.(interface{ String() string }); ok {
		return []string{f.String()}
	}
	return nil
}

// compare orders two items by the order_by terms, then by id.
func (l *v2Listing) compare(a, b object, terms []orderTerm) int {
	for _, t := range terms {
		key := l.orders[t.field]
		if key == nil {
			key = func(o object) string { return strings.Join(valuesOf(o[t.field]), ",") }
		}
		c := compareValues(key(a), key(b))
		if t.desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return compareValues(idString(a["id"]), idString(b["id"]))
}

// compareValues compares numbers numerically and anything else as text, ignoring case.
func compareValues(a, b string) int {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 == nil && err2 == nil {
		return cmp.Compare(x, y)
	}
	return cmp.Compare(strings.ToLower(a), strings.ToLower(b))
}

// orderBy makes an orders map from field names, each sorting by its own property.
func orderBy(fields ...string) map[string]func(o object) string {
	m := map[string]func(o object) string{}
	for _, f := range fields {
		m[f] = nil
	}
	return m
}

// v2Get serves the GET of one object: the id in path variable idVar, v2's 404 when table
// lacks it, else render's body, masked by `fields` when the operation documents it.
func (s *Store) v2Get(idVar string, table func(d *db) *table, render func(d *db, o object) object, fields []string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := v2ID(r, idVar)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var mask []string
		if fields != nil {
			if mask, err = parseMask("fields", r.URL.Query()["fields"], fields); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		s.read(w, r, func(d *db) (any, error) {
			o, err := table(d).find(id)
			if err != nil {
				return nil, err
			}
			return masked(render(d, o), mask), nil
		})
	}
}

// masked keeps only the id and the fields a mask names; a nil mask keeps everything.
func masked(o object, mask []string) object {
	if mask == nil {
		return o
	}
	return o.only(append([]string{"id"}, mask...)...)
}

package resources

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// pathID reads the id in a path variable. Keap's ids are positive integers; anything else
// names no object, and saying so beats a bare 404.
func pathID(r *http.Request, name string) (int64, error) {
	raw := r.PathValue(name)
	id, ok := parseID(raw)
	if !ok {
		return 0, httpapi.Errorf(http.StatusBadRequest, "%s %q in the path is not an id: ids are positive whole numbers", name, raw)
	}
	return id, nil
}

// parseID judges an id for v1's and v2's paths, v2's bodies and v1's id lists alike: a
// positive whole number (v2 writes it in a string). Each caller says what is wrong in its
// own words.
func parseID(raw string) (int64, bool) {
	id, err := strconv.ParseInt(raw, 10, 64)
	return id, err == nil && id > 0
}

// query reads the typed query parameters of one request, collecting every mistake.
type query struct {
	v    url.Values
	errs []string
	page page // a list's limit and offset (newListQuery)
}

func newQuery(r *http.Request) *query { return &query{v: r.URL.Query()} }

func (q *query) bad(format string, args ...any) {
	q.errs = append(q.errs, fmt.Sprintf(format, args...))
}

// err is one 400 naming every bad parameter, or nil.
func (q *query) err() error {
	if len(q.errs) == 0 {
		return nil
	}
	return httpapi.Errorf(http.StatusBadRequest, "%s", strings.Join(q.errs, "; "))
}

func (q *query) str(name string) string { return q.v.Get(name) }

// int reads an optional integer parameter; ok is false when it is absent or bad.
func (q *query) int(name string) (int64, bool) {
	raw := q.v.Get(name)
	if raw == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		q.bad("%s must be a whole number, got %q", name, raw)
		return 0, false
	}
	return n, true
}

// boolean reads an optional true/false parameter.
func (q *query) boolean(name string) (bool, bool) {
	raw := q.v.Get(name)
	if raw == "" {
		return false, false
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		q.bad("%s must be true or false, got %q", name, raw)
		return false, false
	}
	return b, true
}

// dateRange is a list's since/until filter on one date field of its items.
type dateRange struct {
	since, until       time.Time
	hasSince, hasUntil bool
}

// dateRange reads since and until.
func (q *query) dateRange() dateRange {
	var d dateRange
	d.since, d.hasSince = q.time("since")
	d.until, d.hasUntil = q.time("until")
	return d
}

// excludes says whether a stored stamp falls outside the range. A missing or unreadable
// stamp is outside any bound, and inside when there is none.
func (d dateRange) excludes(stamp string) bool {
	if !d.hasSince && !d.hasUntil {
		return false
	}
	t, err := time.Parse(time.RFC3339Nano, stamp)
	return err != nil || d.hasSince && t.Before(d.since) || d.hasUntil && t.After(d.until)
}

// time reads an optional date-time parameter (since, until), as Keap's examples spell it.
func (q *query) time(name string) (time.Time, bool) {
	raw := q.v.Get(name)
	if raw == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		q.bad("%s must be a date-time such as 2017-01-01T22:17:59.039Z, got %q", name, raw)
		return time.Time{}, false
	}
	return t, true
}

// oneOf reads an optional parameter that takes one of a few values, in any case:
// infusionsoft-python sends order_direction=descending where Keap documents DESCENDING.
func (q *query) oneOf(name string, allowed ...string) string {
	raw := q.v.Get(name)
	if raw == "" {
		return ""
	}
	for _, a := range allowed {
		if strings.EqualFold(raw, a) {
			return a
		}
	}
	q.bad("%s must be one of %s, got %q", name, strings.Join(allowed, ", "), raw)
	return ""
}

// ids reads a required list of ids, given as repeated parameters (ids=1&ids=2), a
// comma-separated list (ids=1,2) or both.
func (q *query) ids(name string) []int64 {
	var out []int64
	for _, raw := range q.v[name] {
		for part := range strings.SplitSeq(raw, ",") {
			id, ok := parseID(strings.TrimSpace(part))
			if !ok {
				q.bad("%s must be a comma-separated list of ids, got %q", name, raw)
				return nil
			}
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		q.bad("%s is required: the ids to remove, e.g. ?%s=12,14", name, name)
	}
	return out
}

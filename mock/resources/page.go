package resources

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
)

// Keap's list endpoints take limit and offset; limit is capped at 1000.
const (
	maxLimit     = 1000
	defaultLimit = 1000
)

type page struct{ limit, offset int }

// pageOf reads limit and offset, reporting bad values on q.
func pageOf(q *query) page {
	p := page{limit: defaultLimit}
	if raw := q.v.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxLimit {
			q.bad("limit must be a whole number from 1 to %d (Keap's maximum page), got %q", maxLimit, raw)
		} else {
			p.limit = n
		}
	}
	if raw := q.v.Get("offset"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			q.bad("offset must be a whole number, 0 or more, got %q", raw)
		} else {
			p.offset = n
		}
	}
	return p
}

// slice returns the part of items the page covers.
func (p page) slice(n int) (from, to int) {
	from = min(p.offset, n)
	to = min(from+p.limit, n)
	return from, to
}

// newListQuery starts reading the query of a list GET: limit and offset first, then the
// filters the caller reads from it.
func newListQuery(r *http.Request) *query {
	q := newQuery(r)
	q.page = pageOf(q)
	return q
}

// listed answers a list GET: one 400 naming every bad parameter q met, else Keap's list body
// of the items collect finds under the store's lock, cut to q's page.
func (s *Store) listed(w http.ResponseWriter, r *http.Request, q *query, name string, collect func(d *db) ([]object, error)) {
	if err := q.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.read(w, r, func(d *db) (any, error) {
		items, err := collect(d)
		if err != nil {
			return nil, err
		}
		return list(r, name, items, q.page), nil
	})
}

// list builds Keap's list body: the items under their name, the total count and the URLs of
// the next and previous pages. Keap always sends next and previous, even past either end.
func list(r *http.Request, name string, items []object, p page) map[string]any {
	from, to := p.slice(len(items))
	out := make([]object, to-from) // never nil: an empty page is [], not null
	copy(out, items[from:to])
	return map[string]any{
		name:       out,
		"count":    len(items),
		"next":     pageURL(r, p.limit, p.offset+min(p.limit, math.MaxInt-p.offset)), // no wrap past MaxInt
		"previous": pageURL(r, p.limit, max(p.offset-p.limit, 0)),
	}
}

// pageURL is the request's own URL with limit and offset set, as Keap builds next/previous,
// less an access_token query parameter: a token never goes into a body, where it would be
// logged by whoever logs the body.
func pageURL(r *http.Request, limit, offset int) string {
	q := r.URL.Query()
	q.Del("access_token")
	q.Set("limit", strconv.Itoa(limit))
	q.Set("offset", strconv.Itoa(offset))
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u := url.URL{Scheme: scheme, Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}
	return u.String()
}

package resources

import (
	"math"
	"net/http"
	"net/url"
	"strconv"

	"github.com/keaphook/keaphook/mock/internal/paging"
)

// Keap's v1 list endpoints take limit and offset; limit is capped at 1000.
type page struct{ limit, offset int }

// pageOf reads limit and offset, reporting bad values on q. An offset may be any int: the
// page's window and its next URL are computed without overflowing.
func pageOf(q *query) page {
	var p page
	var ok bool
	if p.limit, ok = paging.Limit(q.v.Get("limit")); !ok {
		q.bad("limit must be a whole number from %d to %d (Keap's maximum page), got %q", paging.LeastLimit, paging.MaxPage, q.v.Get("limit"))
	}
	if p.offset, ok = paging.Offset(q.v.Get("offset"), math.MaxInt); !ok {
		q.bad("offset must be a whole number, 0 or more, got %q", q.v.Get("offset"))
	}
	return p
}

// slice returns the part of items the page covers.
func (p page) slice(n int) (from, to int) { return paging.Window(p.offset, p.limit, n) }

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

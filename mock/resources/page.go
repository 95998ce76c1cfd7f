package resources

import (
	"fmt"
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

// list builds Keap's list body: the items under their name, the total count and the URLs of
// the next and previous pages. Keap always sends next and previous, even past either end.
func list[T any](r *http.Request, name string, items []T, p page, extra ...any) map[string]any {
	from, to := p.slice(len(items))
	out := make([]T, to-from)
	copy(out, items[from:to])
	body := map[string]any{
		name:       out,
		"count":    len(items),
		"next":     pageURL(r, p.limit, p.offset+p.limit),
		"previous": pageURL(r, p.limit, max(p.offset-p.limit, 0)),
	}
	for i := 0; i+1 < len(extra); i += 2 {
		body[fmt.Sprint(extra[i])] = extra[i+1]
	}
	return body
}

// pageURL is the request's own URL with limit and offset set, as Keap builds next/previous.
func pageURL(r *http.Request, limit, offset int) string {
	q := r.URL.Query()
	q.Set("limit", strconv.Itoa(limit))
	q.Set("offset", strconv.Itoa(offset))
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u := url.URL{Scheme: scheme, Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}
	return u.String()
}

package spec

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
	"github.com/keaphook/keaphook/mock/internal/paging"
	"github.com/keaphook/keaphook/mock/spec/internal/catalog"
)

// list answers a collection's GET: its objects, in creation order, in the array the list
// schema has, paged by v1's limit and offset or v2's page_size and page_token.
func (a *Answerer) list(r *http.Request, op *catalog.Op) (int, any, error) {
	offset, limit, err := pageWindow(r, op.Version)
	if err != nil {
		return 0, nil, err
	}
	ex := a.examples()
	a.store.mu.Lock()
	all := a.store.lookup(r.URL.Path).list()
	a.store.mu.Unlock()
	items := make([]any, 0, len(all))
	from, to := paging.Window(offset, limit, len(all))
	for _, o := range all[from:to] {
		items = append(items, o)
	}
	s := &a.cat.Schemas[op.Body]
	if s.Type == "array" {
		return op.Status, a.shape(ex, op.Body, items), nil
	}
	body := map[string]any{}
	if name := arrayProperty(a.cat.Schemas, s, op.Item); name != "" {
		body[name] = items
	}
	a.listCounts(s, body, len(all), offset+len(items))
	return op.Status, a.shape(ex, op.Body, body), nil
}

// listCounts fills the fields a list reports about itself, where its schema has them.
func (a *Answerer) listCounts(s *catalog.Schema, body map[string]any, total, next int) {
	if _, ok := s.Props["count"]; ok {
		body["count"] = jsonInt(total)
	}
	if _, ok := s.Props["next_page_token"]; ok {
		token := ""
		if next < total {
			token = strconv.Itoa(next)
		}
		body["next_page_token"] = token
	}
}

// arrayProperty picks the property of a list schema that holds the objects: the array
// whose items are the object's schema, else the first array.
func arrayProperty(schemas []catalog.Schema, s *catalog.Schema, item int) string {
	var names, arrays []string
	for name := range s.Props {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		child := schemas[s.Props[name]]
		if child.Type != "array" {
			continue
		}
		if child.Items == item {
			return name
		}
		arrays = append(arrays, name)
	}
	if len(arrays) == 0 {
		return ""
	}
	return arrays[0]
}

// maxOffset bounds v1's offset and v2's page_token, so that offset plus a page's size cannot
// overflow.
const maxOffset = 1 << 30

// pageWindow reads the window a list asks for, judged by mock/internal/paging as
// mock/resources judges it: v1's limit is 1 to 1000 (Keap is silent on 0; the mock answers
// 400 with the range rather than guess), v2's page_size 0 to 1000, 0 or none meaning the
// whole first 1000. v2's page_token is the offset the previous page's next_page_token gave.
func pageWindow(r *http.Request, version int) (offset, limit int, err error) {
	q := r.URL.Query()
	sizeName, startName := "limit", "offset"
	size, least := paging.Limit, paging.LeastLimit
	if version == 2 {
		sizeName, startName = "page_size", "page_token"
		size, least = paging.PageSize, paging.LeastPageSize
	}
	limit, ok := size(q.Get(sizeName))
	if !ok {
		return 0, 0, outOfRange(sizeName, q.Get(sizeName), least, paging.MaxPage)
	}
	if offset, ok = paging.Offset(q.Get(startName), maxOffset); !ok {
		return 0, 0, outOfRange(startName, q.Get(startName), 0, maxOffset)
	}
	return offset, limit, nil
}

func outOfRange(name, raw string, least, most int) error {
	return httpapi.Errorf(http.StatusBadRequest, "%s must be a whole number from %d to %d, not %q", name, least, most, raw)
}

func jsonInt(n int) any { return json.Number(strconv.Itoa(n)) }

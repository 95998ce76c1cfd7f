package spec

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
	"github.com/keaphook/keaphook/mock/spec/internal/catalog"
)

// list answers a collection's GET: its objects, in creation order, in the array the list
// schema has, paged by v1's limit and offset or v2's page_size and page_token.
func (a *Answerer) list(r *http.Request, op *catalog.Op) (int, any, error) {
	offset, limit, err := paging(r, op.Version)
	if err != nil {
		return 0, nil, err
	}
	ex := a.examples()
	a.store.mu.Lock()
	all := a.store.lookup(r.URL.Path).list()
	a.store.mu.Unlock()
	items := make([]any, 0, len(all))
	for _, o := range all[min(offset, len(all)):min(offset+limit, len(all))] {
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

// Paging defaults: v1's limit defaults to 1000 in Keap's document; v2's page_size allows 1
// to 1000.
const maxPage = 1000

// paging reads the window a list asks for. Keap is silent on a v1 limit of 0; like
// mock/resources, the mock answers 400 with the range (1 to 1000) rather than guess. v2's
// document allows a page_size of 0, which means the default, as an absent one does: the
// whole first 1000 (mock/resources' v2 views read it the same way). v2's page_token is the
// offset the previous page's next_page_token gave.
func paging(r *http.Request, version int) (offset, limit int, err error) {
	q := r.URL.Query()
	sizeName, startName := "limit", "offset"
	if version == 2 {
		sizeName, startName = "page_size", "page_token"
	}
	limit = maxPage
	if raw := q.Get(sizeName); raw != "" {
		least := 1
		if version == 2 {
			least = 0
		}
		if limit, err = count(raw, sizeName, least, maxPage); err != nil {
			return 0, 0, err
		}
		if limit == 0 {
			limit = maxPage
		}
	}
	if raw := q.Get(startName); raw != "" {
		offset, err = count(raw, startName, 0, 1<<30)
	}
	return offset, limit, err
}

func count(raw, name string, least, most int) (int, error) {
	n, err := strconv.Atoi(raw)
	if err != nil || n < least || n > most {
		return 0, httpapi.Errorf(http.StatusBadRequest, "%s must be a whole number from %d to %d, not %q", name, least, most, raw)
	}
	return n, nil
}

func jsonInt(n int) any { return json.Number(strconv.Itoa(n)) }

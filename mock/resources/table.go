package resources

import (
	"maps"
	"net/http"
	"slices"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// table holds the objects of one kind by id. Ids are never reused: after a delete, the id's
// apiUrl answers 404 for good, as in Keap.
type table struct {
	// noun names the kind in messages: "contact", "tag", "order".
	noun string
	objs map[int64]object
	next int64
}

// idCeiling keeps the store's ids below the ids POST /_mock/events invents for "count"
// (100001 and up), so an invented id never names a stored object.
const idCeiling = 100_000

func newTable(noun string, firstID int64) *table {
	return &table{noun: noun, objs: map[int64]object{}, next: firstID}
}

func (t *table) get(id int64) (object, bool) {
	o, ok := t.objs[id]
	return o, ok
}

// find returns the object or Keap's 404.
func (t *table) find(id int64) (object, error) {
	if o, ok := t.objs[id]; ok {
		return o, nil
	}
	return nil, t.notFound(id)
}

func (t *table) notFound(id int64) error {
	return httpapi.Errorf(http.StatusNotFound, "%s %d not found: it does not exist or was deleted", t.noun, id)
}

// insert gives o the next id and stores it.
func (t *table) insert(o object) (int64, error) {
	if t.next >= idCeiling {
		return 0, httpapi.Errorf(http.StatusConflict, "the mock holds at most %d %ss; restart it to start afresh", idCeiling, t.noun)
	}
	id := t.next
	t.next++
	o["id"] = num(id)
	t.objs[id] = o
	return id, nil
}

// put stores o under its own id (seeding) and keeps new ids above it.
func (t *table) put(id int64, o object) {
	t.objs[id] = o
	if id >= t.next {
		t.next = id + 1
	}
}

func (t *table) remove(id int64) { delete(t.objs, id) }

// ids returns every id in ascending order, the order Keap lists objects in by default.
func (t *table) ids() []int64 {
	return slices.Sorted(maps.Keys(t.objs))
}

// all returns the objects in id order.
func (t *table) all() []object {
	ids := t.ids()
	out := make([]object, len(ids))
	for i, id := range ids {
		out[i] = t.objs[id]
	}
	return out
}

package spec

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
	"github.com/keaphook/keaphook/mock/spec/internal/catalog"
)

// create stores a new object: the example of its schema, overlaid with what the body sets
// that fits, under a new id.
func (a *Answerer) create(r *http.Request, op *catalog.Op, body any) (int, any, error) {
	ex := a.examples()
	a.store.mu.Lock()
	defer a.store.mu.Unlock()
	if a.store.full() {
		return 0, nil, errFull
	}
	id := a.store.newID()
	o := a.build(ex, op, nil, body)
	setID(o, op.IDField, a.idValue(op, id))
	a.store.put(a.store.coll(r.URL.Path), id, o)
	return op.Status, a.answerWith(ex, op, o), nil
}

// maxObjects bounds what creates (and gets of objects made on first sight) can pile up in
// the store, deleted ones included, as mock/resources bounds its tables.
const maxObjects = 100_000

var errFull = httpapi.Errorf(http.StatusConflict,
	"the mock holds at most %d objects made from Keap's documents, deleted ones included; POST /_mock/reset or restart it to start afresh", maxObjects)

// item serves get, update, replace and delete of the object the last path segment names.
func (a *Answerer) item(r *http.Request, op *catalog.Op, body any) (int, any, error) {
	key, id := lastSegment(r.URL.Path)
	if err := a.checkID(op, id); err != nil {
		return 0, nil, err
	}
	ex := a.examples()
	a.store.mu.Lock()
	defer a.store.mu.Unlock()
	o, err := a.find(ex, op, key, a.store.lookup(key), id)
	if err != nil {
		return 0, nil, err
	}
	c := a.store.coll(key)
	switch op.Role {
	case catalog.Delete:
		a.store.remove(c, id)
		return op.Status, a.answerWith(ex, op, o), nil
	case catalog.Update:
		o = a.build(ex, op, o, body)
	case catalog.Replace:
		o = a.build(ex, op, nil, body)
	}
	setID(o, op.IDField, a.idValue(op, id))
	a.store.put(c, id, o)
	return op.Status, a.answerWith(ex, op, o), nil
}

// answerWith is the body a write answers with the object o: o itself, or o inside the
// wrapper some v2 answers have ({"custom_field": {...}}).
func (a *Answerer) answerWith(ex examples, op *catalog.Op, o map[string]any) any {
	if op.Body != op.Item {
		for name, child := range a.cat.Schemas[op.Body].Props {
			if child == op.Item {
				return a.shape(ex, op.Body, map[string]any{name: o})
			}
		}
	}
	return a.shape(ex, op.Body, o)
}

// find returns the stored object id. A collection the document gives no create has the
// objects an account would: one is made from the schema the first time it is asked for
// (and stays deleted once deleted). Otherwise an unknown id is Keap's 404.
func (a *Answerer) find(ex examples, op *catalog.Op, key string, c *collection, id string) (map[string]any, error) {
	if o, ok := c.objects[id]; ok {
		return o, nil
	}
	collectionPath, _ := lastSegment(op.Path)
	if c.deleted[id] || a.creates[collectionPath] {
		return nil, httpapi.Errorf(http.StatusNotFound, "no object with id %s at %s; create one with POST %s", id, key, key)
	}
	if a.store.full() {
		return nil, errFull
	}
	o, _ := ex.value(op.Item, "", 0).(map[string]any)
	setID(o, op.IDField, a.idValue(op, id))
	a.store.put(a.store.coll(key), id, o)
	return o, nil
}

// build makes an object from base (nil: the schema's example) and the fields of body that
// fit the object's schema.
func (a *Answerer) build(ex examples, op *catalog.Op, base map[string]any, body any) map[string]any {
	o := map[string]any{}
	if base == nil {
		base, _ = ex.value(op.Item, "", 0).(map[string]any)
	}
	for k, v := range base {
		o[k] = v
	}
	if fitted, ok := ex.fit(op.Item, body, 0); ok {
		if m, ok := fitted.(map[string]any); ok {
			for k := range body.(map[string]any) {
				if v, ok := m[k]; ok {
					o[k] = v
				}
			}
		}
	}
	return o
}

// shape fits a stored object to the schema an answer has (a create may answer less than a
// GET); nil when the answer has no body.
func (a *Answerer) shape(ex examples, schema int, o any) any {
	if schema == 0 {
		return nil
	}
	v, ok := ex.fit(schema, o, 0)
	if !ok {
		return ex.value(schema, "", 0)
	}
	return v
}

// checkID refuses an id the object's schema could not hold: v1's ids are numbers.
func (a *Answerer) checkID(op *catalog.Op, id string) error {
	if a.idType(op) != "integer" {
		return nil
	}
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return httpapi.Errorf(http.StatusBadRequest, "%s: the id %q in the path must be a number", httpapi.KeapMalformed, id)
	}
	return nil
}

func (a *Answerer) idValue(op *catalog.Op, id string) any {
	if a.idType(op) == "integer" {
		return json.Number(id)
	}
	return id
}

// idType is the JSON type of the object's id field.
func (a *Answerer) idType(op *catalog.Op) string {
	s := &a.cat.Schemas[op.Item]
	parts := strings.Split(op.IDField, ".")
	for i, p := range parts {
		child, ok := s.Props[p]
		if !ok {
			return ""
		}
		s = &a.cat.Schemas[child]
		if i == len(parts)-1 {
			return s.Type
		}
	}
	return ""
}

// setID writes id at field, a dotted path ("file_descriptor.id").
func setID(o map[string]any, field string, id any) {
	if o == nil || field == "" {
		return
	}
	parent, name, nested := strings.Cut(field, ".")
	if !nested {
		o[field] = id
		return
	}
	inner, ok := o[parent].(map[string]any)
	if !ok {
		inner = map[string]any{}
		o[parent] = inner
	}
	inner[name] = id
}

package resources

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
)

// v2Body is a v2 request body that becomes the v1 input of the same write, so both versions
// share one validation, one apply and one set of events. Problems in the v2 spelling (an id
// that is not a number, an enum value v1 spells differently) go to c.
type v2Body interface {
	toV1(c *check) input
}

// v2Kind is a kind served through v2: the v1 kind whose apply and events it shares, its v2
// path variable, its v2 rendering and the properties update_mask may name.
type v2Kind struct {
	*kind
	idVar2  string
	render2 func(d *db, o object) object
	newBody func() v2Body
	masks   []string
	// check2 replaces the v1 input's own check where v2 requires other fields than v1
	// (a v2 task needs no due date); nil uses the v1 check.
	check2 func(in input, c *check, m mode)
}

// readV2Body decodes a v2 body (through httpapi, like every body), keeps only the
// properties in mask when one is given, and converts it to the v1 input checked for m.
func (s *Store) readV2Body(w http.ResponseWriter, r *http.Request, k *v2Kind, m mode) (input, error) {
	body := k.newBody()
	if err := s.decode(w, r, body); err != nil {
		return nil, err
	}
	if m == patching && k.masks != nil {
		mask, err := parseMask("update_mask", r.URL.Query()["update_mask"], k.masks)
		if err != nil {
			return nil, err
		}
		if mask != nil {
			body = onlyMasked(body, mask, k.newBody())
		}
	}
	var c check
	in := body.toV1(&c)
	if err := c.err(); err != nil {
		return nil, err
	}
	if k.check2 != nil {
		k.check2(in, &c, m)
	} else {
		in.check(&c, m)
	}
	return in, c.err()
}

// onlyMasked returns a copy of body holding only the properties in mask.
func onlyMasked(body v2Body, mask []string, empty v2Body) v2Body {
	f := fieldsOf(body)
	keepMasked(f, mask)
	raw, _ := json.Marshal(f)
	json.Unmarshal(raw, empty) // raw came from the same type: it decodes
	return empty
}

// keepMasked deletes from f every property mask does not name; a nil mask keeps them all.
func keepMasked(f object, mask []string) {
	if mask != nil {
		maps.DeleteFunc(f, func(k string, _ any) bool { return !slices.Contains(mask, k) })
	}
}

func (s *Store) v2Create(k *v2Kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		in, err := s.readV2Body(w, r, k, creating)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.exec(w, r, func(d *db) (reply, error) {
			o, events, err := k.add(d, in)
			if err != nil {
				return reply{}, err
			}
			return reply{http.StatusCreated, k.render2(d, o), events}, nil
		})
	}
}

func (s *Store) v2Update(k *v2Kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := v2ID(r, k.idVar2)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		in, err := s.readV2Body(w, r, k, patching)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.exec(w, r, func(d *db) (reply, error) {
			o, events, err := k.edit(d, id, in, patching)
			if err != nil {
				return reply{}, err
			}
			return reply{http.StatusOK, k.render2(d, o), events}, nil
		})
	}
}

func (s *Store) v2Get2(k *v2Kind, fields []string) http.HandlerFunc {
	return s.v2Get(k.idVar2, k.table, k.render2, fields)
}

// v2Remove serves a v2 DELETE: 204 and <event>.delete, or v2's 404.
func (s *Store) v2Remove(k *v2Kind) http.HandlerFunc {
	return s.v2Delete(k.idVar2, k.table, func(d *db, id int64) ([]event, error) {
		return k.drop(d, id), nil
	})
}

// v2Delete serves a DELETE of one object by id; remove does the deed (or refuses) and says
// what it emits.
func (s *Store) v2Delete(idVar string, table func(d *db) *table, remove func(d *db, id int64) ([]event, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := v2ID(r, idVar)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.exec(w, r, func(d *db) (reply, error) {
			if _, err := table(d).find(id); err != nil {
				return reply{}, err
			}
			events, err := remove(d, id)
			return reply{status: http.StatusNoContent, events: events}, err
		})
	}
}

package resources

import (
	"net/http"
)

// mode says which write a body is for: Keap's POST creates, PUT replaces every value,
// PATCH changes only the values sent. Required fields are required for the first two.
type mode int

const (
	creating mode = iota
	replacing
	patching
)

func (m mode) full() bool { return m != patching }

// input is a request body that can check itself for one mode.
type input interface {
	check(c *check, m mode)
}

// kind describes one resource with Keap's usual operations, so notes, tasks, appointments,
// companies and products share one implementation of create, get, replace, patch and
// delete, each write emitting <event>.add, .edit or .delete.
type kind struct {
	event    string // event key prefix: "note"; "" for a kind Keap has no events for
	idVar    string // path variable: "noteId"
	table    func(d *db) *table
	newInput func() input
	// apply builds the object to store from the body: old is nil when creating, otherwise
	// a copy of the stored object it may change. It must not touch other state unless it
	// succeeds.
	apply func(d *db, old object, in input, m mode) (object, error)
	// render turns a stored object into its GET body; nil means a plain copy.
	render func(d *db, o object) object
	// createdStatus is what a create answers: 201 for most, 200 where Keap's document says so.
	createdStatus int
	// moreEvents adds events an edit causes besides <event>.edit (a stage move).
	moreEvents func(old, updated object) []event
	// edited records what an edit changed elsewhere in the state (a stage move's history);
	// nil for none.
	edited func(d *db, old, updated object)
}

// events is what a write with verb (add, edit, delete) emits: <event>.<verb>, or nothing.
func (k *kind) events(verb string, id int64) []event {
	if k.event == "" {
		return nil
	}
	return emitted(k.event+"."+verb, id)
}

func (k *kind) show(d *db, o object) object {
	if k.render != nil {
		return k.render(d, o)
	}
	return o.clone()
}

// body decodes and checks a request body for mode m.
func (s *Store) body(w http.ResponseWriter, r *http.Request, in input, m mode) error {
	if err := s.decode(w, r, in); err != nil {
		return err
	}
	var c check
	in.check(&c, m)
	return c.err()
}

func (s *Store) create(k *kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		in := k.newInput()
		if err := s.body(w, r, in, creating); err != nil {
			s.fail(w, r, err)
			return
		}
		s.exec(w, r, func(d *db) (reply, error) {
			o, events, err := k.add(d, in)
			if err != nil {
				return reply{}, err
			}
			return reply{k.createdStatus, k.show(d, o), events}, nil
		})
	}
}

// add builds a new object from a checked input and stores it, for v1's and v2's creates
// alike: the object and its <event>.add.
func (k *kind) add(d *db, in input) (object, []event, error) {
	o, err := k.apply(d, nil, in, creating)
	if err != nil {
		return nil, nil, err
	}
	id, err := k.table(d).insert(o)
	if err != nil {
		return nil, nil, err
	}
	return o, k.events("add", id), nil
}

func (s *Store) get(k *kind) http.HandlerFunc { return s.getter(k.idVar, k.table, k.show) }

// getter serves the GET of one object: its id in the path variable idVar, Keap's 404 when
// table has no such object, else the body render makes of it.
func (s *Store) getter(idVar string, table func(d *db) *table, render func(d *db, o object) object) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, idVar)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.read(w, r, func(d *db) (any, error) {
			o, err := table(d).find(id)
			if err != nil {
				return nil, err
			}
			return render(d, o), nil
		})
	}
}

// update serves PUT (replacing) and PATCH (patching) of one object.
func (s *Store) update(k *kind, m mode) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, k.idVar)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		in := k.newInput()
		if err := s.body(w, r, in, m); err != nil {
			s.fail(w, r, err)
			return
		}
		s.exec(w, r, func(d *db) (reply, error) {
			o, events, err := k.edit(d, id, in, m)
			if err != nil {
				return reply{}, err
			}
			return reply{http.StatusOK, k.show(d, o), events}, nil
		})
	}
}

// edit applies a checked input to the object id and stores the result, for v1's and v2's
// updates alike: the stored object and its <event>.edit (and moreEvents). Callers render the
// answer their version gives.
func (k *kind) edit(d *db, id int64, in input, m mode) (object, []event, error) {
	old, err := k.table(d).find(id)
	if err != nil {
		return nil, nil, err
	}
	o, err := k.apply(d, old.clone(), in, m)
	if err != nil {
		return nil, nil, err
	}
	o["id"] = num(id)
	k.table(d).put(id, o)
	events := k.events("edit", id)
	if k.moreEvents != nil {
		events = append(events, k.moreEvents(old, o)...)
	}
	if k.edited != nil {
		k.edited(d, old, o)
	}
	return o, events, nil
}

func (s *Store) remove(k *kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, k.idVar)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.exec(w, r, func(d *db) (reply, error) {
			if _, err := k.table(d).find(id); err != nil {
				return reply{}, err
			}
			return reply{status: http.StatusNoContent, events: k.drop(d, id)}, nil
		})
	}
}

// drop removes a found object, for v1's and v2's deletes alike, and names its <event>.delete.
func (k *kind) drop(d *db, id int64) []event {
	k.table(d).remove(id)
	return k.events("delete", id)
}

// keep copies the fields a replace must not lose (the id is set by the caller).
func keep(from, to object, fields ...string) {
	for _, f := range fields {
		if v, ok := from[f]; ok {
			to[f] = v
		}
	}
}

package resources

import "net/http"

// noteInput is Keap's RequestNote (POST, PUT) and UpdateNote (PATCH).
type noteInput struct {
	Body      *string `json:"body,omitempty"`
	ContactID *int64  `json:"contact_id,omitempty"`
	Title     *string `json:"title,omitempty"`
	Type      *string `json:"type,omitempty"`
	UserID    *int64  `json:"user_id,omitempty"`
}

var noteTypes = []string{"Appointment", "Call", "Email", "Fax", "Letter", "Other"}

func (in *noteInput) check(c *check, m mode) {
	if m.full() {
		c.required("contact_id", in.ContactID != nil)
		if deref(in.Title) == "" && deref(in.Body) == "" {
			c.bad("a note needs a title or a body")
		}
	}
	c.positive("contact_id", in.ContactID)
	c.positive("user_id", in.UserID)
	c.enum("type", in.Type, noteTypes...)
}

func (s *Store) noteKind() *kind {
	return &kind{
		event: "note", idVar: "noteId", createdStatus: http.StatusCreated,
		table:    func(d *db) *table { return d.notes },
		newInput: func() input { return &noteInput{} },
		apply:    applyNote,
	}
}

func applyNote(d *db, old object, raw input, m mode) (object, error) {
	in := raw.(*noteInput)
	if err := firstErr(ref("contact_id", d.contacts, in.ContactID), ref("user_id", d.users, in.UserID)); err != nil {
		return nil, err
	}
	now := d.stamp()
	o := object{"date_created": now}
	if old != nil && m == patching {
		o = old
	} else if old != nil {
		keep(old, o, "date_created")
	}
	o.merge(fieldsOf(in))
	o["last_updated"] = now
	if id, ok := o.int("user_id"); ok {
		if u, ok := d.users.get(id); ok {
			o["last_updated_by"] = object{"user_id": num(id), "given_name": u.str("given_name"), "family_name": u.str("family_name")}
		}
	}
	return o, nil
}

func (s *Store) noteRoutes() []Route {
	k := s.noteKind()
	return []Route{
		{http.MethodGet, "/notes", s.listNotes},
		{http.MethodPost, "/notes", s.create(k)},
		{http.MethodGet, "/notes/{noteId}", s.get(k)},
		{http.MethodPut, "/notes/{noteId}", s.update(k, replacing)},
		{http.MethodPatch, "/notes/{noteId}", s.update(k, patching)},
		{http.MethodDelete, "/notes/{noteId}", s.remove(k)},
	}
}

// listNotes is GET /notes, filtered by contact_id and user_id.
func (s *Store) listNotes(w http.ResponseWriter, r *http.Request) {
	q := newListQuery(r)
	contact, byContact := q.int("contact_id")
	user, byUser := q.int("user_id")
	s.listed(w, r, q, "notes", func(d *db) ([]object, error) {
		var items []object
		for _, n := range d.notes.all() {
			if intFilter(n, "contact_id", contact, byContact) && intFilter(n, "user_id", user, byUser) {
				items = append(items, n.clone())
			}
		}
		return items, nil
	})
}

package resources

import (
	"net/http"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// Notes through v2 live under their contact (/contacts/{contact_id}/notes); GET /notes
// lists every note. Writes emit note.add, .edit and .delete, as through v1.

func (s *Store) noteRoutes2() []Route {
	k := s.noteKind()
	return []Route{
		{http.MethodGet, "/notes", s.v2List(noteListing2, func(d *db, _ *http.Request) ([]object, error) {
			return mapAll(d.notes.all(), d.note2), nil
		})},
		{http.MethodGet, "/contacts/{contact_id}/notes", s.v2List(noteListing2, (*db).contactNotes2)},
		{http.MethodPost, "/contacts/{contact_id}/notes", s.writeNote2(k, creating)},
		{http.MethodGet, "/contacts/{contact_id}/notes/{note_id}", s.getNote2},
		{http.MethodPatch, "/contacts/{contact_id}/notes/{note_id}", s.writeNote2(k, patching)},
		{http.MethodDelete, "/contacts/{contact_id}/notes/{note_id}", s.deleteNote2(k)},
	}
}

// note2 is a stored note as v2's Note.
func (d *db) note2(n object) object {
	out := object{"id": idString(n["id"])}
	setIf(out, "title", n.str("title"))
	setIf(out, "text", n.str("body"))
	setIf(out, "type", n.str("type"))
	setID(out, "contact_id", n["contact_id"])
	copyAs(n, out, "date_created", "create_time")
	copyAs(n, out, "last_updated", "update_time")
	if id, ok := n.int("user_id"); ok {
		out["last_updated_by_user_id"] = idString(id)
		if u, ok := d.users.get(id); ok {
			out["assigned_to_user"] = basicUser2(u)
		}
	}
	return out
}

// basicUser2 is v2's BasicUser.
func basicUser2(u object) object {
	out := object{"id": idString(u["id"])}
	setIf(out, "given_name", u.str("given_name"))
	setIf(out, "family_name", u.str("family_name"))
	setIf(out, "email_address", u.str("email_address"))
	return out
}

var noteListing2 = &v2Listing{
	key:    "notes",
	fields: []string{"custom_fields"},
	filters: map[string]v2Filter{
		"id":                  {fNumber, idValues},
		"ids":                 {fSet, idValues},
		"title":               {fText, nil},
		"contact_id":          {fSet, nil},
		"assigned_to_user_id": {fSet, func(o object) []string { return valuesOf(o.sub("assigned_to_user")["id"]) }},
		"since_time":          {fSince, func(o object) []string { return valuesOf(o["update_time"]) }},
		"until_time":          {fUntil, func(o object) []string { return valuesOf(o["update_time"]) }},
	},
	orders: orderBy("id", "create_time", "update_time"),
}

func (d *db) contactNotes2(r *http.Request) ([]object, error) {
	contact, err := v2ID(r, "contact_id")
	if err != nil {
		return nil, err
	}
	if _, err := d.contacts.find(contact); err != nil {
		return nil, err
	}
	var out []object
	for _, n := range d.notes.all() {
		if id, _ := n.int("contact_id"); id == contact {
			out = append(out, d.note2(n))
		}
	}
	return out, nil
}

// noteBody2 is v2's CreateNoteRequest and UpdateNoteRequest. is_pinned and custom_fields
// have no v1 counterpart: accepted, not kept.
type noteBody2 struct {
	ContactID    *string         `json:"contact_id,omitempty"`
	CustomFields *[]customField2 `json:"custom_fields,omitempty"`
	IsPinned     *bool           `json:"is_pinned,omitempty"`
	Text         *string         `json:"text,omitempty"`
	Title        *string         `json:"title,omitempty"`
	Type         *string         `json:"type,omitempty"`
	UserID       *string         `json:"user_id,omitempty"`
}

func (b *noteBody2) toV1(c *check) *noteInput {
	c.required("user_id", b.UserID != nil) // Keap requires it on create and update alike
	return &noteInput{Body: b.Text, Title: b.Title, Type: b.Type,
		UserID: c.idField("user_id", b.UserID), ContactID: c.idField("contact_id", b.ContactID)}
}

var noteMask2 = []string{"contact_id", "title", "text", "type", "user_id", "is_pinned", "custom_fields"}

// writeNote2 creates (201) or patches a note of the contact in the path.
func (s *Store) writeNote2(k *kind, m mode) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		contact, note, in, err := s.readNote2(w, r, m)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.exec(w, r, func(d *db) (reply, error) {
			if m == creating {
				if _, err := d.contacts.find(contact); err != nil {
					return reply{}, err
				}
				o, events, err := k.add(d, in)
				if err != nil {
					return reply{}, err
				}
				return reply{http.StatusCreated, d.note2(o), events}, nil
			}
			if _, err := d.noteOf(contact, note); err != nil {
				return reply{}, err
			}
			o, events, err := k.edit(d, note, in, patching)
			if err != nil {
				return reply{}, err
			}
			return reply{http.StatusOK, d.note2(o), events}, nil
		})
	}
}

func (s *Store) readNote2(w http.ResponseWriter, r *http.Request, m mode) (contact, note int64, in *noteInput, err error) {
	if contact, err = v2ID(r, "contact_id"); err != nil {
		return
	}
	if m == patching {
		if note, err = v2ID(r, "note_id"); err != nil {
			return
		}
	}
	var b noteBody2
	if err = s.decode(w, r, &b); err != nil {
		return
	}
	mask, err := parseMask("update_mask", r.URL.Query()["update_mask"], noteMask2)
	if err != nil {
		return
	}
	if mask != nil {
		b = noteBody2{Text: pick(mask, "text", b.Text), Title: pick(mask, "title", b.Title), Type: pick(mask, "type", b.Type),
			UserID: b.UserID, ContactID: pick(mask, "contact_id", b.ContactID)}
	}
	var c check
	in = b.toV1(&c)
	if in.ContactID == nil {
		in.ContactID = &contact
	}
	in.check(&c, m)
	return contact, note, in, c.err()
}

// noteOf finds a note of the contact: a note of another contact is not found here.
func (d *db) noteOf(contact, note int64) (object, error) {
	if _, err := d.contacts.find(contact); err != nil {
		return nil, err
	}
	n, ok := d.notes.get(note)
	if owner, _ := n.int("contact_id"); !ok || owner != contact {
		return nil, httpapi.Errorf(http.StatusNotFound, "note %d of contact %d not found: it does not exist, was deleted or belongs to another contact", note, contact)
	}
	return n, nil
}

func (s *Store) getNote2(w http.ResponseWriter, r *http.Request) {
	contact, note, err := twoIDs(r, "contact_id", "note_id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.read(w, r, func(d *db) (any, error) {
		n, err := d.noteOf(contact, note)
		if err != nil {
			return nil, err
		}
		return d.note2(n), nil
	})
}

// deleteNote2 deletes a note of the contact in the path as v1's DELETE /notes/{noteId} does.
func (s *Store) deleteNote2(k *kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		contact, note, err := twoIDs(r, "contact_id", "note_id")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.exec(w, r, func(d *db) (reply, error) {
			if _, err := d.noteOf(contact, note); err != nil {
				return reply{}, err
			}
			return reply{status: http.StatusNoContent, events: k.drop(d, note)}, nil
		})
	}
}

func twoIDs(r *http.Request, a, b string) (int64, int64, error) {
	x, err := v2ID(r, a)
	if err != nil {
		return 0, 0, err
	}
	y, err := v2ID(r, b)
	return x, y, err
}

package resources

import (
	"net/http"
	"strings"
)

func (s *Store) contactRoutes() []Route {
	getContact := s.getter("id", func(d *db) *table { return d.contacts }, (*db).renderContact)
	return []Route{
		{http.MethodGet, "/contacts", s.listContacts},
		{http.MethodPost, "/contacts", s.createContact},
		{http.MethodPut, "/contacts", s.upsertContact},
		{http.MethodGet, "/contacts/{id}", getContact},
		{http.MethodPatch, "/contacts/{contactId}", s.updateContact},
		{http.MethodDelete, "/contacts/{contactId}", s.deleteContact},
	}
}

func (s *Store) createContact(w http.ResponseWriter, r *http.Request) {
	var in contactInput
	if err := s.decodeContact(w, r, &in, true, false); err != nil {
		s.fail(w, r, err)
		return
	}
	in.fields = in.ownFields()
	s.exec(w, r, func(d *db) (reply, error) {
		c, events, err := d.addContact(&in)
		if err != nil {
			return reply{}, err
		}
		return reply{http.StatusCreated, detached{d.answerContact(c)}, events}, nil
	})
}

// answerContact is renderContact for an answer: a copy of the top level only, since writes
// replace a contact's nested values and never change them in place (so exec may encode it
// after the lock, see detached). The deep copy was a tenth of what a create allocated.
func (d *db) answerContact(c object) object {
	out := make(object, len(c)+2)
	for k, v := range c {
		out[k] = v
	}
	d.linkContact(c, out)
	return out
}

// upsertContact is PUT /contacts: with a duplicate_option it updates the contact that
// matches by email (and name), otherwise it creates one. Keap documents 200 for both.
func (s *Store) upsertContact(w http.ResponseWriter, r *http.Request) {
	var in contactInput
	if err := s.decodeContact(w, r, &in, false, true); err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		c, _, events, err := d.upsertContact(d.duplicateOf(&in), &in, validateNew)
		if err != nil {
			return reply{}, err
		}
		return reply{http.StatusOK, d.renderContact(c), events}, nil
	})
}

func (s *Store) updateContact(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "contactId")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mask, err := updateMask(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in contactInput
	if err := s.decodeContact(w, r, &in, false, false); err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		c, err := d.contacts.find(id)
		if err != nil {
			return reply{}, err
		}
		events, err := d.editContact(c, &in, mask)
		if err != nil {
			return reply{}, err
		}
		return reply{http.StatusOK, d.renderContact(c), events}, nil
	})
}

func (s *Store) deleteContact(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "contactId")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		if _, err := d.contacts.find(id); err != nil {
			return reply{}, err
		}
		return reply{status: http.StatusNoContent, events: d.deleteContact(id)}, nil
	})
}

// validateNew is v1's rule for the contact an upsert creates: what a create requires.
func validateNew(in *contactInput) error { return in.validate(true) }

// decodeContact reads and checks a contact body. duplicate_option belongs to PUT only.
func (s *Store) decodeContact(w http.ResponseWriter, r *http.Request, in *contactInput, creating, upsert bool) error {
	if err := s.decode(w, r, in); err != nil {
		return err
	}
	if in.DuplicateOption != nil && !upsert {
		var c check
		c.bad("duplicate_option is only taken by PUT /contacts (create or update)")
		return c.err()
	}
	return in.validate(creating)
}

// duplicateOf finds the contact a PUT /contacts updates: the first (lowest id) with one of
// the body's email addresses, and with Email And Name also the same given and family name.
func (d *db) duplicateOf(in *contactInput) object {
	if in.DuplicateOption == nil {
		return nil
	}
	return d.duplicateBy(in, *in.DuplicateOption)
}

// duplicateBy finds the first contact (lowest id) that option says in duplicates: one that
// shares an email address with in (Email), also its given and family name (EmailAndName),
// also its company, or the lack of one (EmailAndNameAndCompany, v2's only).
func (d *db) duplicateBy(in *contactInput, option string) object {
	if in.EmailAddresses == nil {
		return nil
	}
	byName := option == "EmailAndName" || option == "EmailAndNameAndCompany"
	for _, c := range d.contacts.all() {
		if !sharesEmail(c, *in.EmailAddresses) {
			continue
		}
		if byName && (c.str("given_name") != deref(in.GivenName) || c.str("family_name") != deref(in.FamilyName)) {
			continue
		}
		if option == "EmailAndNameAndCompany" && !sameCompany(c, in.Company) {
			continue
		}
		return c
	}
	return nil
}

// sameCompany reports whether contact c belongs to the company ref names, or to none when
// ref is nil.
func sameCompany(c object, ref *idRef) bool {
	have, _ := c.sub("company").int("id")
	if ref == nil {
		return have == 0
	}
	return have == *ref.ID
}

func sharesEmail(c object, emails []emailAddress) bool {
	for _, have := range c.list("email_addresses") {
		for _, e := range emails {
			if e.Email != nil && strings.EqualFold(have.str("email"), *e.Email) {
				return true
			}
		}
	}
	return false
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

package resources

import (
	"net/http"
	"time"
)

// listAppliedTags is GET /contacts/{contactId}/tags: Keap's ContactTag items.
func (s *Store) listAppliedTags(w http.ResponseWriter, r *http.Request) {
	contact, err := pathID(r, "contactId")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.listed(w, r, newListQuery(r), "tags", func(d *db) ([]object, error) {
		if _, err := d.contacts.find(contact); err != nil {
			return nil, err
		}
		return d.appliedTags(contact, func(t object, at time.Time) object {
			return object{"tag": simpleTag(t), "date_applied": stamp(at)}
		}), nil
	})
}

// appliedTags is one item per tag on the contact, in tag id order, for v1's and v2's
// lists of a contact's tags: item makes it from the tag and when it was applied.
func (d *db) appliedTags(contact int64, item func(tag object, at time.Time) object) []object {
	var items []object
	for _, tag := range d.tagIDsOf(contact) {
		t, _ := d.tags.get(tag)
		at, _ := d.applied.at(contact, tag)
		items = append(items, item(t, at))
	}
	return items
}

// listTaggedContacts is GET /tags/{tagId}/contacts: Keap's TaggedContact items, by contact id.
func (s *Store) listTaggedContacts(w http.ResponseWriter, r *http.Request) {
	tag, err := pathID(r, "tagId")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.listed(w, r, newListQuery(r), "contacts", func(d *db) ([]object, error) {
		if _, err := d.tags.find(tag); err != nil {
			return nil, err
		}
		var items []object
		for _, contact := range d.applied.contactsOf(tag) {
			c, _ := d.contacts.get(contact)
			at, _ := d.applied.at(contact, tag)
			items = append(items, object{"contact": basicContact(c), "date_applied": stamp(at)})
		}
		return items, nil
	})
}

package resources

import (
	"cmp"
	"net/http"
	"slices"
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
		var items []object
		for _, tag := range d.tagIDsOf(contact) {
			t, _ := d.tags.get(tag)
			at := d.applied[application{contact: contact, tag: tag}]
			items = append(items, object{"tag": simpleTag(t), "date_applied": stamp(at)})
		}
		return items, nil
	})
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
		for a, at := range d.applied {
			if a.tag != tag {
				continue
			}
			c, _ := d.contacts.get(a.contact)
			items = append(items, object{"contact": basicContact(c), "date_applied": stamp(at)})
		}
		slices.SortFunc(items, func(a, b object) int {
			return cmp.Compare(a.sub("contact").id(), b.sub("contact").id())
		})
		return items, nil
	})
}

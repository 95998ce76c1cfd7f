package resources

import (
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Applying and removing tags. Both directions exist in Keap's v1 API (tags on a contact, a
// tag on contacts); the event is contactGroup.applied or .removed, and its ids are the
// tags' ids, as fixtures.Lookup documents. Applying a tag a contact already has, or
// removing one it does not have, changes nothing and emits nothing.

// Outcomes Keap reports per id when applying (its Entry«long,string» items).
const (
	applySuccess       = "SUCCESS"
	applyDuplicate     = "DUPLICATE"
	applyNoContact     = "CONTACT_NOT_FOUND"
	applyNoTag         = "TAG_ID_NOT_FOUND"
	maxIDsPerApplyCall = 1000
)

// apply applies tag to contact and says how it went.
func (d *db) apply(contact, tag int64, at time.Time) string {
	if _, ok := d.contacts.get(contact); !ok {
		return applyNoContact
	}
	if _, ok := d.tags.get(tag); !ok {
		return applyNoTag
	}
	if !d.applied.add(contact, tag, at) {
		return applyDuplicate
	}
	return applySuccess
}

// unapply removes tag from contact, reporting whether it was applied.
func (d *db) unapply(contact, tag int64) bool {
	return d.applied.remove(contact, tag)
}

// entry is one item of Keap's apply answer: {"<id>": "<outcome>"}.
func entry(id int64, outcome string) map[string]string {
	return map[string]string{strconv.FormatInt(id, 10): outcome}
}

type tagIDsInput struct {
	TagIDs *[]int64 `json:"tagIds,omitempty"`
}

type setOfIDs struct {
	IDs *[]int64 `json:"ids,omitempty"`
}

// idList checks a list of ids from a body: present, not empty, at most 1000, positive.
func idList(name string, ids *[]int64) error {
	var c check
	switch {
	case ids == nil || len(*ids) == 0:
		c.bad("%s is required: a non-empty array of ids", name)
	case len(*ids) > maxIDsPerApplyCall:
		c.bad("%s holds %d ids; at most %d per call", name, len(*ids), maxIDsPerApplyCall)
	default:
		for i, id := range *ids {
			if id <= 0 {
				c.bad("%s[%d] must be a positive id, got %d", name, i, id)
			}
		}
	}
	return c.err()
}

// applyTags is POST /contacts/{contactId}/tags {"tagIds": [...]}.
func (s *Store) applyTags(w http.ResponseWriter, r *http.Request) {
	contact, err := pathID(r, "contactId")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in tagIDsInput
	if err := s.decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := idList("tagIds", in.TagIDs); err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		if _, err := d.contacts.find(contact); err != nil {
			return reply{}, err
		}
		now := d.now()
		entries, applied := []any{}, []int64{}
		for _, tag := range *in.TagIDs {
			outcome := d.apply(contact, tag, now)
			entries = append(entries, entry(tag, outcome))
			if outcome == applySuccess {
				applied = append(applied, tag)
			}
		}
		return reply{http.StatusOK, entries, emitted("contactGroup.applied", applied...)}, nil
	})
}

// applyTagToContacts is POST /tags/{tagId}/contacts {"ids": [...]}.
func (s *Store) applyTagToContacts(w http.ResponseWriter, r *http.Request) {
	tag, err := pathID(r, "tagId")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in setOfIDs
	if err := s.decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := idList("ids", in.IDs); err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		outcomes, events, err := d.tag(tag, *in.IDs)
		if err != nil {
			return reply{}, err
		}
		entries := []any{}
		for i, contact := range *in.IDs {
			entries = append(entries, entry(contact, outcomes[i]))
		}
		return reply{http.StatusOK, entries, events}, nil
	})
}

// tag applies a tag to contacts, for v1's POST /tags/{tagId}/contacts and v2's
// contacts:applyTags: each contact's outcome in order, and contactGroup.applied when any
// contact newly has it.
func (d *db) tag(tag int64, contacts []int64) ([]string, []event, error) {
	if _, err := d.tags.find(tag); err != nil {
		return nil, nil, err
	}
	now, outcomes, changed := d.now(), make([]string, len(contacts)), false
	for i, contact := range contacts {
		outcomes[i] = d.apply(contact, tag, now)
		changed = changed || outcomes[i] == applySuccess
	}
	if !changed {
		return outcomes, nil, nil
	}
	return outcomes, emitted("contactGroup.applied", tag), nil
}

// removeTags is DELETE /contacts/{contactId}/tags?ids=1,2.
func (s *Store) removeTags(w http.ResponseWriter, r *http.Request) {
	contact, err := pathID(r, "contactId")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := newQuery(r)
	tags := q.ids("ids")
	if err := q.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		if _, err := d.contacts.find(contact); err != nil {
			return reply{}, err
		}
		var removed []int64
		for _, tag := range tags {
			if d.unapply(contact, tag) && !slices.Contains(removed, tag) {
				removed = append(removed, tag)
			}
		}
		return reply{status: http.StatusNoContent, events: emitted("contactGroup.removed", removed...)}, nil
	})
}

// removeOne removes one tag from one contact; both must exist. It serves both spellings,
// DELETE /contacts/{contactId}/tags/{tagId} and DELETE /tags/{tagId}/contacts/{contactId}.
func (s *Store) removeOne(w http.ResponseWriter, r *http.Request) {
	contact, err := pathID(r, "contactId")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tag, err := pathID(r, "tagId")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		if _, err := d.contacts.find(contact); err != nil {
			return reply{}, err
		}
		return d.untag(tag, []int64{contact})
	})
}

// removeTagFromContacts is DELETE /tags/{tagId}/contacts?ids=1,2.
func (s *Store) removeTagFromContacts(w http.ResponseWriter, r *http.Request) {
	tag, err := pathID(r, "tagId")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := newQuery(r)
	contacts := q.ids("ids")
	if err := q.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		return d.untag(tag, contacts)
	})
}

// untag takes a tag off contacts, for v1's DELETE /tags/{tagId}/contacts and removeOne and
// v2's contacts:removeTags: 204, and contactGroup.removed when any contact had it.
func (d *db) untag(tag int64, contacts []int64) (reply, error) {
	if _, err := d.tags.find(tag); err != nil {
		return reply{}, err
	}
	removed := false
	for _, contact := range contacts {
		removed = d.unapply(contact, tag) || removed
	}
	var events []event
	if removed {
		events = emitted("contactGroup.removed", tag)
	}
	return reply{status: http.StatusNoContent, events: events}, nil
}

package resources

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// Tags through v2. Creating, renaming and deleting a tag emit contactGroup.add, .edit and
// .delete; applying and removing emit contactGroup.applied and .removed with the tag's id,
// as the same writes through v1 do.

func (s *Store) tagRoutes2() []Route {
	tags := func(d *db) *table { return d.tags }
	return []Route{
		{http.MethodGet, "/tags", s.v2List(tagListing2, func(d *db, _ *http.Request) ([]object, error) {
			return mapAll(d.tags.all(), d.tag2), nil
		})},
		{http.MethodPost, "/tags", s.createTag2},
		{http.MethodGet, "/tags/categories", s.v2List(categoryListing2, func(d *db, _ *http.Request) ([]object, error) {
			return d.categoryList(), nil
		})},
		{http.MethodPost, "/tags/categories", s.createCategory2},
		{http.MethodGet, "/tags/categories/{tag_category_id}", s.getCategory2},
		{http.MethodPatch, "/tags/categories/{tag_category_id}", s.updateCategory2},
		{http.MethodDelete, "/tags/categories/{tag_category_id}", s.deleteCategory2},
		{http.MethodGet, "/tags/{tag_id}", s.v2Get("tag_id", tags, (*db).tag2, nil)},
		{http.MethodPatch, "/tags/{tag_id}", s.updateTag2},
		{http.MethodDelete, "/tags/{tag_id}", s.v2Delete("tag_id", tags, func(d *db, id int64) ([]event, error) {
			d.tags.remove(id)
			d.applied.dropTag(id)
			return emitted("contactGroup.delete", id), nil
		})},
		{http.MethodGet, "/tags/{tag_id}/contacts", s.v2List(taggedContactListing2, (*db).taggedContacts2)},
		{http.MethodPost, "/tags/{tag_id}/contacts:applyTags", s.applyTags2},
		{http.MethodPost, "/tags/{tag_id}/contacts:removeTags", s.removeTags2},
		{http.MethodGet, "/contacts/{contact_id}/tags", s.v2List(appliedTagListing2, (*db).appliedTags2)},
	}
}

// tag2 is a tag as v2's Tag: its category by id only.
func (d *db) tag2(t object) object {
	out := object{"id": idString(t["id"]), "name": t.str("name")}
	setIf(out, "description", t.str("description"))
	if id, ok := t.sub("category").int("id"); ok {
		out["category"] = object{"id": idString(id)}
	}
	return out
}

var tagListing2 = &v2Listing{
	key: "tags",
	filters: map[string]v2Filter{
		"name":        {kind: fText},
		"description": {kind: fText},
		"category_id": {fText, func(o object) []string { return valuesOf(o.sub("category")["id"]) }},
		"tag_ids":     {fSet, idValues},
		// The store keeps no creation or update time for tags: these match none.
		"since_create_time": {kind: fSince}, "until_create_time": {kind: fUntil},
		"since_update_time": {kind: fSince}, "until_update_time": {kind: fUntil},
	},
	orders: orderBy("name", "create_time", "update_time"),
}

// tagBody2 is v2's CreateUpdateTagRequest.
type tagBody2 struct {
	Category    *categoryRef2 `json:"category,omitempty"`
	Description *string       `json:"description,omitempty"`
	Name        *string       `json:"name,omitempty"`
}

type categoryRef2 struct {
	ID *string `json:"id,omitempty"`
}

// read decodes and checks a tag body; creating requires a name.
func (s *Store) readTag2(w http.ResponseWriter, r *http.Request, creating bool) (*tagBody2, *int64, error) {
	var b tagBody2
	if err := s.decode(w, r, &b); err != nil {
		return nil, nil, err
	}
	var c check
	if creating || b.Name != nil {
		c.requiredString("name", b.Name)
	}
	var category *int64
	if b.Category != nil {
		c.required("category.id", b.Category.ID != nil)
		category = c.idField("category.id", b.Category.ID)
	}
	return &b, category, c.err()
}

func (d *db) setTag2(t object, b *tagBody2, category *int64) error {
	if category != nil {
		cat, err := d.tagCategory(*category)
		if err != nil {
			return err
		}
		t["category"] = cat
	}
	if b.Name != nil {
		t["name"] = strings.TrimSpace(*b.Name)
	}
	if b.Description != nil {
		t["description"] = *b.Description
	}
	return nil
}

func (s *Store) createTag2(w http.ResponseWriter, r *http.Request) {
	b, category, err := s.readTag2(w, r, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		t := object{}
		if err := d.setTag2(t, b, category); err != nil {
			return reply{}, err
		}
		events, err := d.addTag(t)
		if err != nil {
			return reply{}, err
		}
		return reply{http.StatusCreated, d.tag2(t), events}, nil
	})
}

func (s *Store) updateTag2(w http.ResponseWriter, r *http.Request) {
	id, err := v2ID(r, "tag_id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mask, err := parseMask("update_mask", r.URL.Query()["update_mask"], []string{"name", "description", "category"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, category, err := s.readTag2(w, r, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if mask != nil {
		b = &tagBody2{Name: pick(mask, "name", b.Name), Description: pick(mask, "description", b.Description)}
		if !slices.Contains(mask, "category") {
			category = nil
		}
	}
	s.exec(w, r, func(d *db) (reply, error) {
		t, err := d.tags.find(id)
		if err != nil {
			return reply{}, err
		}
		if err := d.setTag2(t, b, category); err != nil {
			return reply{}, err
		}
		return reply{http.StatusOK, d.tag2(t), emitted("contactGroup.edit", id)}, nil
	})
}

// pick is v when the mask names name, else nil.
func pick[T any](mask []string, name string, v *T) *T {
	if slices.Contains(mask, name) {
		return v
	}
	return nil
}

// applyRemoveBody2 is v2's ApplyRemoveTagRequest.
type applyRemoveBody2 struct {
	ContactIDs *[]string `json:"contact_ids,omitempty"`
}

func (s *Store) readContactIDs2(w http.ResponseWriter, r *http.Request) (tag int64, contacts []int64, err error) {
	if tag, err = v2ID(r, "tag_id"); err != nil {
		return 0, nil, err
	}
	var b applyRemoveBody2
	if err := s.decode(w, r, &b); err != nil {
		return 0, nil, err
	}
	var c check
	switch {
	case b.ContactIDs == nil || len(*b.ContactIDs) == 0:
		c.bad("contact_ids is required: a non-empty array of contact ids such as [\"2001\"]")
	case len(*b.ContactIDs) > maxIDsPerApplyCall:
		c.bad("contact_ids holds %d ids; at most %d per call", len(*b.ContactIDs), maxIDsPerApplyCall)
	default:
		for i, raw := range *b.ContactIDs {
			if id := c.idField(field("contact_ids", i), &raw); id != nil {
				contacts = append(contacts, *id)
			}
		}
	}
	return tag, contacts, c.err()
}

// applyTags2 is POST /tags/{tag_id}/contacts:applyTags: 200 with each contact's outcome.
func (s *Store) applyTags2(w http.ResponseWriter, r *http.Request) {
	tag, contacts, err := s.readContactIDs2(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		outcomes, events, err := d.tag(tag, contacts)
		if err != nil {
			return reply{}, err
		}
		results := object{}
		for i, contact := range contacts {
			results[idString(contact)] = outcomes[i]
		}
		return reply{http.StatusOK, object{"results": results}, events}, nil
	})
}

// removeTags2 is POST /tags/{tag_id}/contacts:removeTags: 204.
func (s *Store) removeTags2(w http.ResponseWriter, r *http.Request) {
	tag, contacts, err := s.readContactIDs2(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		return d.untag(tag, contacts)
	})
}

var appliedTagListing2 = &v2Listing{
	key: "tags",
	filters: map[string]v2Filter{
		"name":               {fText, tagPart("name")},
		"description":        {fText, tagPart("description")},
		"category_id":        {fText, func(o object) []string { return valuesOf(o.sub("tag").sub("category")["id"]) }},
		"since_applied_time": {fSince, appliedTime},
		"until_applied_time": {fUntil, appliedTime},
		"since_create_time":  {fSince, tagPart("create_time")}, "until_create_time": {fUntil, tagPart("create_time")},
		"since_update_time": {fSince, tagPart("update_time")}, "until_update_time": {fUntil, tagPart("update_time")},
	},
	orders: map[string]func(o object) string{
		"name":         func(o object) string { return o.sub("tag").str("name") },
		"create_time":  func(o object) string { return o.sub("tag").str("create_time") },
		"update_time":  func(o object) string { return o.sub("tag").str("update_time") },
		"applied_time": func(o object) string { return o.str("applied_time") },
		"category_id":  func(o object) string { return idString(o.sub("tag").sub("category")["id"]) },
	},
}

func tagPart(key string) func(o object) []string {
	return func(o object) []string { return valuesOf(o.sub("tag")[key]) }
}

func appliedTime(o object) []string { return valuesOf(o["applied_time"]) }

// appliedTags2 is the contact's tags as v2's AppliedTag items, in tag id order.
func (d *db) appliedTags2(r *http.Request) ([]object, error) {
	contact, err := v2ID(r, "contact_id")
	if err != nil {
		return nil, err
	}
	if _, err := d.contacts.find(contact); err != nil {
		return nil, err
	}
	return d.appliedTags(contact, func(t object, at time.Time) object {
		return object{"tag": d.tag2(t), "applied_time": stamp(at)}
	}), nil
}

var taggedContactListing2 = &v2Listing{
	key: "contacts",
	filters: map[string]v2Filter{
		"given_name": {kind: fText}, "family_name": {kind: fText}, "email": {kind: fText},
		"since_applied_time": {fSince, appliedTime}, "until_applied_time": {fUntil, appliedTime},
	},
	orders: orderBy("given_name", "family_name", "email", "applied_time"),
}

// taggedContacts2 is the tag's contacts as v2's TaggedContact items, in contact id order.
func (d *db) taggedContacts2(r *http.Request) ([]object, error) {
	tag, err := v2ID(r, "tag_id")
	if err != nil {
		return nil, err
	}
	if _, err := d.tags.find(tag); err != nil {
		return nil, err
	}
	var items []object
	for _, id := range d.applied.contactsOf(tag) {
		at, _ := d.applied.at(id, tag)
		c, _ := d.contacts.get(id)
		o := object{"id": idString(id), "applied_time": stamp(at)}
		setIf(o, "email", primaryEmail(c))
		setIf(o, "given_name", c.str("given_name"))
		setIf(o, "family_name", c.str("family_name"))
		items = append(items, o)
	}
	return items, nil
}

// errNoCategory is v2's 404 for a tag category.
func errNoCategory(id int64) error {
	return httpapi.Errorf(http.StatusNotFound, "tag category %d not found: it does not exist or was deleted", id)
}

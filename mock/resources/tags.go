package resources

import (
	"net/http"
	"strings"
)

// tagInput is Keap's CreateTag body.
type tagInput struct {
	Category    *idRef  `json:"category,omitempty"`
	Description *string `json:"description,omitempty"`
	Name        *string `json:"name,omitempty"`
}

func (s *Store) tagRoutes() []Route {
	getTag := s.getter("id", func(d *db) *table { return d.tags }, func(_ *db, t object) object { return t.clone() })
	return []Route{
		{http.MethodGet, "/tags", s.listTags},
		{http.MethodPost, "/tags", s.createTag},
		{http.MethodGet, "/tags/{id}", getTag},
		{http.MethodGet, "/tags/{tagId}/contacts", s.listTaggedContacts},
		{http.MethodPost, "/tags/{tagId}/contacts", s.applyTagToContacts},
		{http.MethodDelete, "/tags/{tagId}/contacts", s.removeTagFromContacts},
		{http.MethodDelete, "/tags/{tagId}/contacts/{contactId}", s.removeOne},
		{http.MethodGet, "/contacts/{contactId}/tags", s.listAppliedTags},
		{http.MethodPost, "/contacts/{contactId}/tags", s.applyTags},
		{http.MethodDelete, "/contacts/{contactId}/tags", s.removeTags},
		{http.MethodDelete, "/contacts/{contactId}/tags/{tagId}", s.removeOne},
	}
}

// createTag is POST /tags; Keap answers 200, not 201, and the event is contactGroup.add.
func (s *Store) createTag(w http.ResponseWriter, r *http.Request) {
	var in tagInput
	if err := s.decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	var c check
	c.requiredString("name", in.Name)
	if in.Category != nil {
		c.required("category.id", in.Category.ID != nil)
		c.positive("category.id", in.Category.ID)
	}
	if err := c.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		t := object{"name": strings.TrimSpace(*in.Name)} // as v2's create keeps it
		setIf(t, "description", deref(in.Description))
		if in.Category != nil {
			cat, err := d.tagCategory(*in.Category.ID)
			if err != nil {
				return reply{}, err
			}
			t["category"] = cat
		}
		events, err := d.addTag(t)
		if err != nil {
			return reply{}, err
		}
		return reply{http.StatusOK, t.clone(), events}, nil
	})
}

// tagCategory is a copy of the category a tag's category.id names, for v1's and v2's tag
// writes alike: it must exist.
func (d *db) tagCategory(id int64) (object, error) {
	cat, ok := d.categories[id]
	if !ok {
		return nil, refError("category.id", "tag category", id)
	}
	return cat.clone(), nil
}

// addTag stores a new tag, for v1's and v2's creates alike, and names its contactGroup.add.
func (d *db) addTag(t object) ([]event, error) {
	id, err := d.tags.insert(t)
	if err != nil {
		return nil, err
	}
	return emitted("contactGroup.add", id), nil
}

// listTags is GET /tags, filtered by name (exact, any case) and category id.
func (s *Store) listTags(w http.ResponseWriter, r *http.Request) {
	q := newListQuery(r)
	name := q.str("name")
	category, byCategory := q.int("category")
	s.listed(w, r, q, "tags", func(d *db) ([]object, error) {
		var items []object
		for _, t := range d.tags.all() {
			cat, _ := t.sub("category").int("id")
			if name != "" && !strings.EqualFold(t.str("name"), name) || byCategory && cat != category {
				continue
			}
			items = append(items, t.clone())
		}
		return items, nil
	})
}

// simpleTag is Keap's SimpleTag, the tag inside GET /contacts/{id}/tags: its category is
// the category's name.
func simpleTag(t object) object {
	out := object{"id": t["id"], "name": t.str("name")}
	setIf(out, "category", t.sub("category").str("name"))
	return out
}

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
		t := object{"name": *in.Name}
		setIf(t, "description", deref(in.Description))
		if in.Category != nil {
			cat, ok := d.categories[*in.Category.ID]
			if !ok {
				return reply{}, refError("category.id", "tag category", *in.Category.ID)
			}
			t["category"] = cat.clone()
		}
		id, err := d.tags.insert(t)
		if err != nil {
			return reply{}, err
		}
		return reply{http.StatusOK, t.clone(), emitted("contactGroup.add", id)}, nil
	})
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

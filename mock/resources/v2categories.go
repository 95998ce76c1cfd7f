package resources

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// Tag categories through v2. Keap has no event for them, so these writes emit nothing.

var categoryListing2 = &v2Listing{
	key: "tag_categories",
	filters: map[string]v2Filter{
		"name": {kind: fText}, "description": {kind: fText},
		// The store keeps no creation or update time for categories: these match none.
		"since_create_time": {kind: fSince}, "until_create_time": {kind: fUntil},
		"since_update_time": {kind: fSince}, "until_update_time": {kind: fUntil},
	},
	orders: orderBy("name", "create_time", "update_time"),
}

func category2(cat object) object {
	out := object{"id": idString(cat["id"])}
	setIf(out, "name", cat.str("name"))
	setIf(out, "description", cat.str("description"))
	return out
}

func (d *db) categoryList() []object {
	ids := slices.Sorted(maps.Keys(d.categories))
	out := make([]object, len(ids))
	for i, id := range ids {
		out[i] = category2(d.categories[id])
	}
	return out
}

// categoryBody2 is v2's CreateUpdateTagCategoryRequest.
type categoryBody2 struct {
	Description *string `json:"description,omitempty"`
	Name        *string `json:"name,omitempty"`
}

func (s *Store) readCategory2(w http.ResponseWriter, r *http.Request, creating bool) (*categoryBody2, error) {
	var b categoryBody2
	if err := s.decode(w, r, &b); err != nil {
		return nil, err
	}
	var c check
	if creating || b.Name != nil {
		c.requiredString("name", b.Name)
	}
	return &b, c.err()
}

func (s *Store) createCategory2(w http.ResponseWriter, r *http.Request) {
	b, err := s.readCategory2(w, r, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		return reply{status: http.StatusCreated, body: category2(d.addCategory(*b.Name, deref(b.Description)))}, nil
	})
}

func (s *Store) getCategory2(w http.ResponseWriter, r *http.Request) {
	id, err := v2ID(r, "tag_category_id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.read(w, r, func(d *db) (any, error) {
		cat, ok := d.categories[id]
		if !ok {
			return nil, errNoCategory(id)
		}
		return category2(cat), nil
	})
}

// updateCategory2 renames a category; the tags in it show the new name in v1 too.
func (s *Store) updateCategory2(w http.ResponseWriter, r *http.Request) {
	id, err := v2ID(r, "tag_category_id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mask, err := parseMask("update_mask", r.URL.Query()["update_mask"], []string{"name", "description"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := s.readCategory2(w, r, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if mask != nil {
		b = &categoryBody2{Name: pick(mask, "name", b.Name), Description: pick(mask, "description", b.Description)}
	}
	s.exec(w, r, func(d *db) (reply, error) {
		cat, ok := d.categories[id]
		if !ok {
			return reply{}, errNoCategory(id)
		}
		if b.Name != nil {
			cat["name"] = strings.TrimSpace(*b.Name)
		}
		if b.Description != nil {
			cat["description"] = *b.Description
		}
		for _, t := range d.tags.all() {
			if have, _ := t.sub("category").int("id"); have == id {
				t["category"] = cat.clone()
			}
		}
		return reply{status: http.StatusOK, body: category2(cat)}, nil
	})
}

// deleteCategory2 refuses a category that still holds tags (409): deleting it would change
// tags without a contactGroup.edit Keap could send.
func (s *Store) deleteCategory2(w http.ResponseWriter, r *http.Request) {
	id, err := v2ID(r, "tag_category_id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		if _, ok := d.categories[id]; !ok {
			return reply{}, errNoCategory(id)
		}
		for _, t := range d.tags.all() {
			if have, _ := t.sub("category").int("id"); have == id {
				return reply{}, httpapi.Errorf(http.StatusConflict, "tag category %d still holds tag %d (%s); move or delete its tags first", id, t.id(), t.str("name"))
			}
		}
		delete(d.categories, id)
		return reply{status: http.StatusNoContent}, nil
	})
}

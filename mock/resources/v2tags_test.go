package resources

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestV2TagsApplyAndRemove(t *testing.T) {
	h := newHarness(t, true)
	tag := h.must("POST", "/v2/tags", map[string]any{"name": "Webinar", "category": map[string]any{"id": "10"}}, http.StatusCreated)
	id := v2id(tag)
	wantEvents(t, h.takeEvents(), eventString("contactGroup.add", id))
	if tag.sub("category").str("id") != "10" {
		t.Errorf("created tag: %v", tag)
	}

	got := h.must("POST", fmt.Sprintf("/v2/tags/%d/contacts:applyTags", id), map[string]any{"contact_ids": []string{"2001", "2003", "99999"}}, http.StatusOK)
	results := got.sub("results")
	if results.str("2001") != applySuccess || results.str("99999") != applyNoContact {
		t.Errorf("apply results: %v", got)
	}
	wantEvents(t, h.takeEvents(), eventString("contactGroup.applied", id))
	v1 := h.must("GET", "/v1/contacts/2003", nil, http.StatusOK)
	if !strings.Contains(fmt.Sprint(v1["tag_ids"]), fmt.Sprint(id)) {
		t.Errorf("v1 tag_ids after a v2 apply: %v", v1["tag_ids"])
	}
	tagged := h.must("GET", fmt.Sprintf("/v2/tags/%d/contacts?order_by=given_name%%20desc", id), nil, http.StatusOK).list("contacts")
	if len(tagged) != 2 || tagged[0].str("given_name") < tagged[1].str("given_name") {
		t.Errorf("tagged contacts by given_name desc: %v", tagged)
	}

	h.must("POST", fmt.Sprintf("/v2/tags/%d/contacts:removeTags", id), map[string]any{"contact_ids": []string{"2001"}}, http.StatusNoContent)
	wantEvents(t, h.takeEvents(), eventString("contactGroup.removed", id))
	h.must("POST", fmt.Sprintf("/v2/tags/%d/contacts:removeTags", id), map[string]any{"contact_ids": []string{"2001"}}, http.StatusNoContent)
	wantEvents(t, h.takeEvents()) // removing a tag a contact lacks changes nothing
	h.fail("POST", fmt.Sprintf("/v2/tags/%d/contacts:applyTags", id), map[string]any{"contact_ids": []string{}}, http.StatusBadRequest)
	h.fail("POST", fmt.Sprintf("/v2/tags/%d/contacts:applyTags", id), map[string]any{"contact_ids": []string{"x"}}, http.StatusBadRequest)
	h.fail("POST", "/v2/tags/99999/contacts:applyTags", map[string]any{"contact_ids": []string{"2001"}}, http.StatusNotFound)

	renamed := h.must("PATCH", fmt.Sprintf("/v2/tags/%d?update_mask=name", id), map[string]any{"name": "Webinar 2024", "description": "ignored"}, http.StatusOK)
	if renamed.str("name") != "Webinar 2024" || renamed.str("description") != "" {
		t.Errorf("renamed: %v", renamed)
	}
	wantEvents(t, h.takeEvents(), eventString("contactGroup.edit", id))
	if names := h.must("GET", "/v2/tags?filter=name%3D%3DWebinar%2A", nil, http.StatusOK).list("tags"); len(names) != 2 {
		t.Errorf("tags named Webinar* (the seed has one): %v", names)
	}
	h.must("DELETE", fmt.Sprintf("/v2/tags/%d", id), nil, http.StatusNoContent)
	wantEvents(t, h.takeEvents(), eventString("contactGroup.delete", id))
	h.fail("GET", fmt.Sprintf("/v1/tags/%d", id), nil, http.StatusNotFound)
	if tags := h.must("GET", "/v2/contacts/2003/tags", nil, http.StatusOK).list("tags"); strings.Contains(fmt.Sprint(tags), "Webinar") {
		t.Errorf("a deleted tag is still applied: %v", tags)
	}
}

func TestV2TagCategories(t *testing.T) {
	h := newHarness(t, true)
	cat := h.must("POST", "/v2/tags/categories", map[string]any{"name": "Events", "description": "Who came"}, http.StatusCreated)
	path := "/v2/tags/categories/" + cat.str("id")
	if got := h.must("GET", path, nil, http.StatusOK); got.str("name") != "Events" {
		t.Errorf("category: %v", got)
	}
	h.must("PATCH", "/v2/tags/categories/10", map[string]any{"name": "Lead stage"}, http.StatusOK)
	if v1 := h.must("GET", "/v1/tags/89", nil, http.StatusOK); v1.sub("category").str("name") != "Lead stage" {
		t.Errorf("v1 tag after its category was renamed: %v", v1)
	}
	h.fail("DELETE", "/v2/tags/categories/10", nil, http.StatusConflict)
	h.must("DELETE", path, nil, http.StatusNoContent)
	h.fail("GET", path, nil, http.StatusNotFound)
	if list := h.must("GET", "/v2/tags/categories?filter=name%3D%3DLead%2A", nil, http.StatusOK).list("tag_categories"); len(list) != 1 {
		t.Errorf("categories named Lead*: %v", list)
	}
	wantEvents(t, h.takeEvents())
}

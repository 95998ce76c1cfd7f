package resources

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTagsApplyAndRemoveBothWays(t *testing.T) {
	h := newHarness(t, true)
	tag := h.must("POST", "/v1/tags", map[string]any{"name": "Spring Workshop", "description": "April",
		"category": map[string]any{"id": 14}}, http.StatusOK)
	id := tag.id()
	if tag.sub("category").str("name") != "Interests" {
		t.Errorf("the category is filled from the account's categories: %v", tag)
	}
	wantEvents(t, h.takeEvents(), eventString("contactGroup.add", id))

	// On a contact: several tags at once; the event names the tags newly applied.
	got := h.mustList("POST", "/v1/contacts/2001/tags", map[string]any{"tagIds": []any{id, 91, 999}}, http.StatusOK)
	want := []object{{fmt.Sprint(id): "SUCCESS"}, {"91": "DUPLICATE"}, {"999": "TAG_ID_NOT_FOUND"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("apply outcomes (-want +got):\n%s", diff)
	}
	wantEvents(t, h.takeEvents(), eventString("contactGroup.applied", id))
	c := h.must("GET", "/v1/contacts/2001", nil, http.StatusOK)
	if diff := cmp.Diff([]any{float64(91), float64(101), float64(id)}, toFloats(c["tag_ids"])); diff != "" {
		t.Errorf("tag_ids (-want +got):\n%s", diff)
	}

	// On a tag: several contacts at once; one event for the tag.
	got = h.mustList("POST", fmt.Sprintf("/v1/tags/%d/contacts", id), map[string]any{"ids": []any{2003, 2001, 1}}, http.StatusOK)
	want = []object{{"2003": "SUCCESS"}, {"2001": "DUPLICATE"}, {"1": "CONTACT_NOT_FOUND"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("apply outcomes (-want +got):\n%s", diff)
	}
	wantEvents(t, h.takeEvents(), eventString("contactGroup.applied", id))

	tagged := h.must("GET", fmt.Sprintf("/v1/tags/%d/contacts", id), nil, http.StatusOK)
	if l := tagged.list("contacts"); len(l) != 2 || l[0].sub("contact").id() != 2001 || l[0].sub("contact").str("email") != "dana.whitfield@example.com" {
		t.Errorf("tagged contacts: %v", tagged)
	}
	applied := h.must("GET", "/v1/contacts/2003/tags", nil, http.StatusOK)
	if n, _ := applied.int("count"); n != 3 {
		t.Errorf("contact 2003 has %d tags, want 3: %v", n, applied)
	}

	h.must("DELETE", fmt.Sprintf("/v1/contacts/2001/tags?ids=%d,91", id), nil, http.StatusNoContent)
	wantEvents(t, h.takeEvents(), eventString("contactGroup.removed", id, 91))
	h.must("DELETE", fmt.Sprintf("/v1/tags/%d/contacts/2003", id), nil, http.StatusNoContent)
	wantEvents(t, h.takeEvents(), eventString("contactGroup.removed", id))
	h.must("DELETE", fmt.Sprintf("/v1/tags/%d/contacts?ids=2003&ids=2001", id), nil, http.StatusNoContent)
	wantEvents(t, h.takeEvents()) // neither has the tag any more: nothing changed, nothing emitted
	h.must("DELETE", "/v1/contacts/2005/tags/93", nil, http.StatusNoContent)
	wantEvents(t, h.takeEvents(), "contactGroup.removed:93")
}

func TestTagErrors(t *testing.T) {
	h := newHarness(t, true)
	h.fail("POST", "/v1/tags", map[string]any{"name": "X", "category": map[string]any{"id": 404}}, http.StatusBadRequest)
	h.fail("POST", "/v1/tags", map[string]any{"description": "no name"}, http.StatusBadRequest)
	h.fail("POST", "/v1/contacts/1/tags", map[string]any{"tagIds": []any{91}}, http.StatusNotFound)
	h.fail("POST", "/v1/contacts/2001/tags", map[string]any{"tagIds": []any{}}, http.StatusBadRequest)
	h.fail("POST", "/v1/tags/1/contacts", map[string]any{"ids": []any{2001}}, http.StatusNotFound)
	h.fail("DELETE", "/v1/contacts/2001/tags", nil, http.StatusBadRequest)
	h.fail("DELETE", "/v1/contacts/2001/tags?ids=a,b", nil, http.StatusBadRequest)
	h.fail("DELETE", "/v1/contacts/2001/tags/1", nil, http.StatusNotFound)
	h.fail("GET", "/v1/tags/1", nil, http.StatusNotFound)
	wantEvents(t, h.takeEvents())
	list := h.must("GET", "/v1/tags?category=10", nil, http.StatusOK)
	if n, _ := list.int("count"); n != 3 {
		t.Errorf("category 10 has %d tags, want 3", n)
	}
}

// Deleting a contact takes its tags with it; the tag lists no longer show it.
func TestDeletedContactLeavesTagLists(t *testing.T) {
	h := newHarness(t, true)
	h.must("DELETE", "/v1/contacts/2001", nil, http.StatusNoContent)
	tagged := h.must("GET", "/v1/tags/91/contacts", nil, http.StatusOK)
	for _, c := range tagged.list("contacts") {
		if c.sub("contact").id() == 2001 {
			t.Errorf("deleted contact still tagged: %v", tagged)
		}
	}
}

func toFloats(v any) []any {
	out := []any{}
	for _, x := range asList(v) {
		f := object{"n": x}.float("n")
		out = append(out, f)
	}
	return out
}

package spec

import (
	"strconv"
	"testing"
)

// Deleting ids never seen before leaves a mark per id (so they stay deleted): the marks
// count towards maxObjects, or such deletes would grow the store without bound.
func TestStoreCountsDeletionMarks(t *testing.T) {
	s := newStore()
	c := s.coll("/crm/rest/v2/things")
	for i := range maxObjects - 1 {
		id := strconv.Itoa(i)
		s.put(c, id, map[string]any{}) // as find makes an object on first sight
		s.remove(c, id)
		if s.full() {
			t.Fatalf("full after %d deletes, want full only at %d", i+1, maxObjects)
		}
	}
	s.remove(c, "never-stored")
	if !s.full() {
		t.Fatalf("held %d after %d deletion marks; want the store full", s.held, maxObjects)
	}
	s.put(c, "never-stored", map[string]any{}) // an object back in its mark's place
	if s.held != maxObjects {
		t.Errorf("held %d after re-creating a deleted id, want %d: the object replaces its mark", s.held, maxObjects)
	}
	s.put(c, "never-stored", map[string]any{"again": true})
	if s.held != maxObjects {
		t.Errorf("held %d after replacing an object, want %d", s.held, maxObjects)
	}
}

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

// A collection lists what it holds in creation order, a re-created id last, however its
// deletes fell, and the gaps deletes leave are closed once they are many.
func TestCollectionListsInCreationOrderAcrossDeletes(t *testing.T) {
	s := newStore()
	c := s.coll("/crm/rest/v2/things")
	const n = 100_000
	for i := range n {
		s.put(c, strconv.Itoa(i), map[string]any{"i": i})
	}
	for i := 0; i < n; i += 2 {
		s.remove(c, strconv.Itoa(i))
	}
	s.put(c, "0", map[string]any{"i": -1})   // back, after everything else
	s.put(c, "1", map[string]any{"i": 1000}) // replaced in place
	got := c.list()
	if len(got) != n/2+1 {
		t.Fatalf("listed %d, want %d", len(got), n/2+1)
	}
	for k, o := range got[:n/2] {
		want := 2*k + 1
		if k == 0 {
			want = 1000
		}
		if o["i"] != want {
			t.Fatalf("item %d is %v, want i=%d", k, o, want)
		}
	}
	if last := got[n/2]; last["i"] != -1 {
		t.Errorf("the re-created id is listed as %v, want last", last)
	}
	for i := 1; i < n; i += 2 {
		s.remove(c, strconv.Itoa(i))
	}
	if got := c.list(); len(got) != 1 || got[0]["i"] != -1 || len(c.ids) > 64 {
		t.Errorf("after deleting all but one: listed %v, %d ids kept", got, len(c.ids))
	}
}

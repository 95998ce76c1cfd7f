package resources

import (
	"slices"
	"testing"
	"time"
)

// Both indexes of tagLinks tell the same story through adds, removes and drops.
func TestTagLinks(t *testing.T) {
	l := newTagLinks()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, a := range [][2]int64{{1, 10}, {1, 11}, {2, 10}, {3, 12}} {
		if !l.add(a[0], a[1], at) {
			t.Fatalf("add(%d, %d) said it was already applied", a[0], a[1])
		}
	}
	if l.add(1, 10, at.Add(time.Hour)) {
		t.Error("a second add of the same application succeeded")
	}
	if got, _ := l.at(1, 10); !got.Equal(at) {
		t.Errorf("a repeated add changed when the tag was applied: %v", got)
	}
	if got := l.tagsOf(1); !slices.Equal(got, []int64{10, 11}) {
		t.Errorf("tagsOf(1) = %v", got)
	}
	if got := l.contactsOf(10); !slices.Equal(got, []int64{1, 2}) {
		t.Errorf("contactsOf(10) = %v", got)
	}
	if !l.remove(2, 10) || l.remove(2, 10) {
		t.Error("remove(2, 10) should succeed once")
	}
	l.dropContact(1)
	if got := l.contactsOf(10); len(got) != 0 {
		t.Errorf("after dropping contact 1, tag 10 is still on %v", got)
	}
	l.dropTag(12)
	if got := l.tagsOf(3); len(got) != 0 {
		t.Errorf("after dropping tag 12, contact 3 still has %v", got)
	}
	if len(l.byContact) != 0 || len(l.byTag) != 0 {
		t.Errorf("empty links left entries behind: %v %v", l.byContact, l.byTag)
	}
}

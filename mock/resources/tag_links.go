package resources

import (
	"maps"
	"slices"
	"time"
)

// tagLinks records when each tag was applied to each contact, indexed both ways: a
// contact's tag_ids are built on every read of the contact, and a tag's contacts are
// listed, so neither may cost a walk over every application in the store.
type tagLinks struct {
	byContact map[int64]map[int64]time.Time // contact → tag → applied at
	byTag     map[int64]map[int64]time.Time // tag → contact → applied at
}

func newTagLinks() tagLinks {
	return tagLinks{byContact: map[int64]map[int64]time.Time{}, byTag: map[int64]map[int64]time.Time{}}
}

// at reports when tag was applied to contact, if it is.
func (l tagLinks) at(contact, tag int64) (time.Time, bool) {
	at, ok := l.byContact[contact][tag]
	return at, ok
}

// add applies tag to contact at a time, reporting false (and changing nothing) when it
// already is.
func (l tagLinks) add(contact, tag int64, at time.Time) bool {
	if _, ok := l.at(contact, tag); ok {
		return false
	}
	link(l.byContact, contact, tag, at)
	link(l.byTag, tag, contact, at)
	return true
}

// remove takes tag off contact, reporting whether it was on.
func (l tagLinks) remove(contact, tag int64) bool {
	if _, ok := l.at(contact, tag); !ok {
		return false
	}
	unlink(l.byContact, contact, tag)
	unlink(l.byTag, tag, contact)
	return true
}

// tagsOf lists the tags on contact, ascending.
func (l tagLinks) tagsOf(contact int64) []int64 {
	return slices.Sorted(maps.Keys(l.byContact[contact]))
}

// contactsOf lists the contacts tag is on, ascending.
func (l tagLinks) contactsOf(tag int64) []int64 {
	return slices.Sorted(maps.Keys(l.byTag[tag]))
}

// dropContact forgets every application to contact (the contact is gone).
func (l tagLinks) dropContact(contact int64) {
	for tag := range l.byContact[contact] {
		unlink(l.byTag, tag, contact)
	}
	delete(l.byContact, contact)
}

// dropTag forgets every application of tag (the tag is gone).
func (l tagLinks) dropTag(tag int64) {
	for contact := range l.byTag[tag] {
		unlink(l.byContact, contact, tag)
	}
	delete(l.byTag, tag)
}

func link(index map[int64]map[int64]time.Time, from, to int64, at time.Time) {
	m := index[from]
	if m == nil {
		m = map[int64]time.Time{}
		index[from] = m
	}
	m[to] = at
}

func unlink(index map[int64]map[int64]time.Time, from, to int64) {
	delete(index[from], to)
	if len(index[from]) == 0 {
		delete(index, from)
	}
}

package spec

import (
	"strconv"
	"sync"
)

// store keeps the objects of every collection the document describes and mock/resources
// does not model. A collection is keyed by its path as requested, parents' ids included
// (/crm/rest/v1/contacts/17/creditCards), so each contact has its own.
type store struct {
	mu     sync.Mutex
	colls  map[string]*collection
	lastID int64
	held   int // objects and deletion marks in all collections, bounded by maxObjects
}

type collection struct {
	ids     []string       // in creation order, for lists; "" where an object was removed
	at      map[string]int // each stored id's place in ids
	objects map[string]map[string]any
	deleted map[string]bool
}

// firstID is above every id the seed and mock/resources give out, so an id tells its reader
// it came from this store.
const firstID = 70000

func newStore() *store { return &store{colls: map[string]*collection{}, lastID: firstID} }

func (s *store) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.colls = map[string]*collection{}
	s.lastID = firstID
	s.held = 0
}

// put stores o in c, counting it when c held nothing for id; the caller holds mu.
func (s *store) put(c *collection, id string, o map[string]any) {
	if _, ok := c.objects[id]; !ok && !c.deleted[id] {
		s.held++
	}
	c.put(id, o)
}

// remove deletes id from c; the caller holds mu. The mark that keeps id deleted takes the
// object's place in held: were it not counted, deleting ids never seen before (each made on
// first sight, then deleted) would grow the store without bound.
func (s *store) remove(c *collection, id string) {
	if _, ok := c.objects[id]; !ok && !c.deleted[id] {
		s.held++
	}
	c.remove(id)
}

// full reports whether another object would pass maxObjects; the caller holds mu.
func (s *store) full() bool { return s.held >= maxObjects }

// noObjects stands for a collection no write has made yet; it is only read.
var noObjects = &collection{}

// lookup returns the collection at key, or noObjects, so that reads of paths nothing was
// written to leave nothing behind; the caller holds mu.
func (s *store) lookup(key string) *collection {
	if c, ok := s.colls[key]; ok {
		return c
	}
	return noObjects
}

// coll returns the collection at key, creating it; the caller holds mu.
func (s *store) coll(key string) *collection {
	c, ok := s.colls[key]
	if !ok {
		c = &collection{at: map[string]int{}, objects: map[string]map[string]any{}, deleted: map[string]bool{}}
		s.colls[key] = c
	}
	return c
}

// newID gives out the next id; the caller holds mu.
func (s *store) newID() string {
	s.lastID++
	return strconv.FormatInt(s.lastID, 10)
}

func (c *collection) put(id string, o map[string]any) {
	if _, ok := c.objects[id]; !ok {
		c.at[id] = len(c.ids)
		c.ids = append(c.ids, id)
	}
	c.objects[id] = o
	delete(c.deleted, id)
}

// remove forgets id and leaves a gap in ids, closed once gaps are half of it: a delete costs
// no walk of the ids, however many the collection holds.
func (c *collection) remove(id string) {
	if i, ok := c.at[id]; ok {
		c.ids[i] = ""
		delete(c.at, id)
	}
	delete(c.objects, id)
	c.deleted[id] = true
	if gaps := len(c.ids) - len(c.at); gaps > 32 && gaps > len(c.at) {
		kept := c.ids[:0]
		for _, x := range c.ids {
			if x != "" {
				c.at[x] = len(kept)
				kept = append(kept, x)
			}
		}
		clear(c.ids[len(kept):])
		c.ids = kept
	}
}

func (c *collection) list() []map[string]any {
	out := make([]map[string]any, 0, len(c.at))
	for _, id := range c.ids {
		if id != "" {
			out = append(out, c.objects[id])
		}
	}
	return out
}

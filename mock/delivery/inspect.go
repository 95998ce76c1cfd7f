package delivery

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/keaphook/keaphook/mock/keap"
)

// List returns copies of the deliveries that match f, newest first.
func (e *Engine) List(f Filter) []Delivery {
	e.mu.Lock()
	defer e.mu.Unlock()
	match, ok := e.newestLocked(f)
	if !ok {
		match = e.scanLocked(f)
	}
	out := make([]Delivery, len(match))
	for i, r := range match {
		out[i] = r.snapshot()
	}
	return out
}

// newestLocked finds the f.Limit newest matches by walking back from the newest sequence
// number: a page of the newest costs about the page, not a sort of every delivery held, and
// the engine's lock is held that long (the web inspector asks for its first page on every
// live update). When matches are sparse it gives up after a bounded walk and says so.
func (e *Engine) newestLocked(f Filter) ([]*record, bool) {
	if f.Limit <= 0 {
		return nil, false
	}
	budget := 4*f.Limit + 64
	var out []*record
	for seq := e.nextSeq - 1; seq >= 1 && len(out) < f.Limit; seq-- {
		if budget--; budget < 0 {
			return nil, false
		}
		if r, ok := e.records[seq]; ok && f.match(r) {
			out = append(out, r)
		}
	}
	return out, true
}

// scanLocked finds every match and sorts them newest first.
func (e *Engine) scanLocked(f Filter) []*record {
	var match []*record
	for _, r := range e.records {
		if f.match(r) {
			match = append(match, r)
		}
	}
	slices.SortFunc(match, func(a, b *record) int { return cmp.Compare(b.seq, a.seq) })
	if f.Limit > 0 && len(match) > f.Limit {
		match = match[:f.Limit]
	}
	return match
}

// Get returns a copy of one delivery.
func (e *Engine) Get(id string) (Delivery, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, ok := e.recordLocked(id)
	if !ok {
		return Delivery{}, false
	}
	return r.snapshot(), true
}

// Counts returns how many deliveries the engine holds in each state (every state is present).
func (e *Engine) Counts() map[State]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[State]int, len(States))
	for _, s := range States {
		out[s] = e.counts[s]
	}
	return out
}

// ErrNotFound is returned by Redeliver for an unknown delivery id.
var ErrNotFound = errors.New("no such delivery")

// Redeliver makes a new delivery with the same hook, event key and payload bytes as delivery
// id, due now. It gets its own attempts and retries; its hook must still be Verified when it
// falls due. A Pending delivery cannot be redelivered: it has not been sent yet.
func (e *Engine) Redeliver(id string) (Delivery, error) {
	e.mu.Lock()
	src, ok := e.recordLocked(id)
	if !ok {
		e.mu.Unlock()
		return Delivery{}, fmt.Errorf("redeliver %s: %w", id, ErrNotFound)
	}
	if src.State == Pending {
		e.mu.Unlock()
		return Delivery{}, fmt.Errorf("redeliver %s: it is still Pending, its first attempt is at %s",
			id, src.NextAttemptAt.Format("15:04:05.000"))
	}
	now := e.clock.Now()
	r := e.newRecordLocked(keap.RestHook{Key: src.HookKey, HookURL: src.URL}, src.EventKey, now, Pending)
	r.Payload = slices.Clone(src.Payload)
	r.Objects = src.Objects
	r.NextAttemptAt = now
	r.RedeliveryOf = src.ID
	r.MessageID = src.MessageID // the same message sent again, as Standard Webhooks resends do
	e.queue.push(r)
	sv := e.saveLocked([]*record{r})
	d := r.snapshot()
	e.mu.Unlock()
	e.wake()
	return d, e.reportStoreError(sv.wait())
}

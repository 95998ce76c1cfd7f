package delivery

import (
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strconv"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
)

// record is the engine's own copy of a delivery, guarded by Engine.mu.
type record struct {
	Delivery
	seq  uint64
	keys []keap.ObjectKey // arrival order, while Pending; nil once the payload is frozen
}

// view returns the delivery as shown, sharing memory with the record: a Pending delivery
// shows its payload as it stands.
func (r *record) view() Delivery {
	d := r.Delivery
	if r.Payload == nil {
		d.Payload = renderPayload(r.EventKey, r.keys)
	}
	return d
}

// snapshot returns a copy the caller owns.
func (r *record) snapshot() Delivery {
	d := r.view()
	d.Attempts = slices.Clone(d.Attempts)
	if r.Payload != nil {
		d.Payload = slices.Clone(d.Payload)
	}
	return d
}

// freeze fixes the payload: from here on the exact same bytes are sent, signed and shown.
func (r *record) freeze() {
	if r.Payload == nil {
		r.Payload = renderPayload(r.EventKey, r.keys)
		r.keys = nil
	}
}

// appendID appends the id of delivery seq, "d_" and at least six digits, to b.
func appendID(b []byte, seq uint64) []byte {
	b = append(b, "d_"...)
	for d := uint64(100000); d > 1 && seq < d; d /= 10 {
		b = append(b, '0')
	}
	return strconv.AppendUint(b, seq, 10)
}

// newRunID is 16 random hex digits, drawn once per engine from crypto/rand rather than the
// seeded source: a mock restarted with the same --seed, or reset, must not repeat an id.
func newRunID() string {
	b := make([]byte, 8)
	rand.Read(b) // never fails (see crypto/rand.Read)
	return hex.EncodeToString(b)
}

// ids returns a new delivery's id and its message id (Standard Webhooks' webhook-id: unique
// across restarts and resets, the same for every attempt of the delivery), cut from one
// string: the two live exactly as long as each other, and an emit to many hooks makes one
// object per delivery for them instead of two.
func (e *Engine) ids(seq uint64) (id, messageID string) {
	var buf [64]byte
	b := appendID(buf[:0], seq)
	n := len(b)
	b = append(b, "msg_"...)
	b = append(b, e.runID...)
	b = append(b, '_')
	b = strconv.AppendUint(b, seq, 10)
	both := string(b)
	return both[:n], both[n:]
}

// newRecordLocked files a new delivery for hook h in state s.
func (e *Engine) newRecordLocked(h keap.RestHook, eventKey string, now time.Time, s State) *record {
	seq := e.nextSeq
	e.nextSeq++
	id, messageID := e.ids(seq)
	r := &record{seq: seq, Delivery: Delivery{
		ID: id, MessageID: messageID, HookKey: h.Key, EventKey: eventKey, URL: h.HookURL,
		CreatedAt: now, Attempts: []Attempt{},
	}}
	e.records[r.seq] = r
	e.setStateLocked(r, s)
	return r
}

// setStateLocked moves a delivery to state s, keeping Counts exact.
func (e *Engine) setStateLocked(r *record, s State) {
	if r.State != "" {
		e.counts[r.State]--
	}
	r.State = s
	e.counts[s]++
}

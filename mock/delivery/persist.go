package delivery

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/store"
)

// Store keeps deliveries durable: each delivery is saved, as its JSON, under its id in
// StoreBucket. *store.Store (package mock/store) satisfies it.
//
// The engine never waits for the disk while it holds its lock: under the lock it only
// encodes and submits the changes (Submit must not block), in the order they happen; it
// waits for the commit afterwards. What is durable when a call returns:
//   - Emit and Redeliver: the deliveries they made or joined (a large emit in parts of at
//     most store.TxOps deliveries, each one transaction: a crash before Emit returns keeps
//     the parts already written);
//   - an attempt's outcome, before it is reported and before Advance counts it done: the
//     delivery's new state, the hook's Inactive status when the attempt ended it (both in one
//     transaction), and the forgetting of deliveries beyond the retention;
//   - an attempt's start is not saved at all: a delivery stays on disk as it was (Pending or
//     Retrying, already due) until its outcome, so after a crash an attempt that was never
//     acknowledged is made again, at least once and never lost.
type Store interface {
	Submit(ops ...store.Op) *store.Commit
	ForEach(bucket string, fn func(key string, value []byte) error) error
}

// ErrStopped is why an engine whose Run has returned saves nothing: the mock was reset (its
// Store now belongs to the engine that replaced it) or is closing.
var ErrStopped = errors.New("the delivery engine has stopped (the mock was reset or is closing), so nothing was kept")

// StoreBucket is the Store bucket that holds deliveries.
const StoreBucket = "deliveries"

// saved is a submitted change and the deliveries it saves, to name them if it fails: how
// many, the first and the last (an emit may save thousands).
type saved struct {
	commit      *store.Commit
	n           int
	first, last string
}

// saveLocked submits the deliveries' current state and any other ops in one transaction.
// It does no disk I/O: the caller waits (saved.wait) once it has released the lock. The
// deliveries are encoded here, under the lock, into one buffer: what waits for the writer is
// then one buffer the garbage collector need not look inside, not a snapshot per delivery.
// An engine whose Run has returned saves nothing more (ErrStopped): after a reset, its Store
// belongs to the engine that replaced it.
func (e *Engine) saveLocked(rs []*record, other ...store.Op) saved {
	if e.store == nil {
		return saved{}
	}
	sv := saved{n: len(rs)}
	if len(rs) > 0 {
		sv.first, sv.last = rs[0].ID, rs[len(rs)-1].ID
	}
	if e.retired {
		sv.commit = store.Failed(ErrStopped)
		return sv
	}
	ops, err := encodeRecords(rs, len(other))
	if err != nil {
		sv.commit = store.Failed(err)
		return sv
	}
	sv.commit = e.store.Submit(append(ops, other...)...)
	return sv
}

// encodeRecords returns the ops that save the deliveries as they stand, their values cut
// from one buffer, with room for `more` ops after them.
func encodeRecords(rs []*record, more int) ([]store.Op, error) {
	size := 0
	for _, r := range rs {
		size += encodedSize(&r.Delivery, r.keys)
	}
	buf := make([]byte, 0, size)
	ops := make([]store.Op, 0, len(rs)+more)
	for _, r := range rs {
		from := len(buf)
		var err error
		if buf, err = appendDelivery(buf, &r.Delivery, r.keys); err != nil {
			return nil, fmt.Errorf("encode delivery %s: %w", r.ID, err)
		}
		ops = append(ops, store.PutOp(StoreBucket, r.ID, buf[from:len(buf):len(buf)]))
	}
	return ops, nil
}

// wait returns once the change is on disk, or why it could not be saved.
func (s saved) wait() error {
	if s.commit == nil {
		return nil
	}
	err := s.commit.Wait()
	switch {
	case err == nil:
		return nil
	case s.n == 1:
		return fmt.Errorf("save delivery %s: %w", s.first, err)
	case s.n == 0:
		return fmt.Errorf("forget deliveries: %w", err)
	}
	return fmt.Errorf("save %d deliveries (%s to %s): %w", s.n, s.first, s.last, err)
}

// finishLocked files a final delivery for retention and forgets the oldest beyond it; it
// returns the Store ops that forget them too, for the caller to submit after the save of r.
func (e *Engine) finishLocked(r *record) []store.Op {
	f := finished{r.seq, r.size()}
	e.finished = append(e.finished, f)
	e.finishedBytes += f.size
	var ops []store.Op
	for len(e.finished) > 0 && e.retention.exceeded(len(e.finished), e.finishedBytes) {
		old := e.finished[0]
		e.finished = e.finished[1:]
		e.finishedBytes -= old.size
		r, ok := e.records[old.seq]
		if !ok {
			continue
		}
		delete(e.records, r.seq)
		e.counts[r.State]--
		if e.store != nil {
			ops = append(ops, store.DeleteOp(StoreBucket, r.ID))
		}
	}
	return ops
}

// reportStoreError tells the observer about errors from the Store and returns them joined.
func (e *Engine) reportStoreError(errs ...error) error {
	err := errors.Join(errs...)
	if err != nil {
		e.observe(Notice{Kind: NoticeStoreError, Message: err.Error()})
	}
	return err
}

// load restores the deliveries a Store holds: live ones are queued again (an Attempting one,
// saved by an earlier version, was never acknowledged, so it is attempted again at once);
// final ones are kept for inspection and never sent again. A restored Pending delivery takes
// more changes only if it is not yet due: one already due may have been sent before the
// restart, and a resent payload must not differ from the one its message id first carried.
func (e *Engine) load() error {
	if e.store == nil {
		return nil
	}
	var recs []*record
	err := e.store.ForEach(StoreBucket, func(key string, value []byte) error {
		r, err := decodeRecord(value)
		if err != nil {
			return fmt.Errorf("delivery %s in the store: %w", key, err)
		}
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load deliveries: %w", err)
	}
	slices.SortFunc(recs, func(a, b *record) int { return cmp.Compare(a.seq, b.seq) })
	forget, err := e.restore(recs)
	if err != nil || len(forget) == 0 {
		return err
	}
	// A smaller retention than the last run's: forget the oldest on disk too, waiting for the
	// disk outside the lock.
	return e.store.Submit(forget...).Wait()
}

// restore takes the loaded deliveries in and returns the Store ops that forget those beyond
// the retention.
func (e *Engine) restore(recs []*record) ([]store.Op, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var forget []store.Op
	for _, r := range recs {
		ops, err := e.restoreLocked(r)
		if err != nil {
			return nil, fmt.Errorf("load delivery %s: %w", r.ID, err)
		}
		forget = append(forget, ops...)
	}
	return forget, nil
}

func decodeRecord(b []byte) (*record, error) {
	var d Delivery
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, err
	}
	seq, err := parseID(d.ID)
	if err != nil {
		return nil, err
	}
	if _, err := ParseState(string(d.State)); err != nil {
		return nil, err
	}
	if d.Attempts == nil {
		d.Attempts = []Attempt{}
	}
	if d.MessageID == "" {
		d.MessageID = "msg_" + d.ID // saved before message ids had a run prefix
	}
	return &record{Delivery: d, seq: seq}, nil
}

func parseID(id string) (uint64, error) {
	digits, ok := strings.CutPrefix(id, "d_")
	seq, err := strconv.ParseUint(digits, 10, 64)
	if !ok || err != nil || seq == 0 {
		return 0, fmt.Errorf("malformed delivery id %q", id)
	}
	return seq, nil
}

// recordLocked finds the delivery whose id is exactly id ("d_1" is not d_000001).
func (e *Engine) recordLocked(id string) (*record, bool) {
	seq, err := parseID(id)
	if err != nil {
		return nil, false
	}
	r, ok := e.records[seq]
	if !ok || r.ID != id {
		return nil, false
	}
	return r, true
}

func (e *Engine) restoreLocked(r *record) ([]store.Op, error) {
	state := r.State
	r.State = ""
	e.setStateLocked(r, state)
	e.records[r.seq] = r
	e.nextSeq = max(e.nextSeq, r.seq+1)
	switch state {
	case Pending:
		keys, err := payloadKeys(r.Payload)
		if err != nil {
			return nil, err
		}
		r.keys, r.Payload = keys, nil
		if len(keys) < keap.MaxObjectsPerDelivery && r.NextAttemptAt.After(e.clock.Now()) {
			e.open[batchKey{r.HookKey, r.EventKey}] = r
		}
		e.queue.push(r)
	case Attempting:
		// Sent, perhaps, but never acknowledged: attempt again now.
		e.setStateLocked(r, Retrying)
		if len(r.Attempts) == 0 {
			e.setStateLocked(r, Pending)
		}
		r.NextAttemptAt = e.clock.Now()
		e.queue.push(r)
	case Retrying:
		e.queue.push(r)
	default:
		return e.finishLocked(r), nil
	}
	return nil, nil
}

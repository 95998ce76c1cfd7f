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
)

// Store keeps deliveries durable: each delivery is saved, as its JSON, under its id in
// StoreBucket at every change of state. *store.Store (package mock/store) satisfies it.
type Store interface {
	Put(bucket, key string, value []byte) error
	Delete(bucket, key string) error
	ForEach(bucket string, fn func(key string, value []byte) error) error
}

// StoreBucket is the Store bucket that holds deliveries.
const StoreBucket = "deliveries"

// batchStore is a Store that saves several values in one transaction, as *store.Store does;
// an Emit that reaches many hooks then costs one sync to disk instead of one per hook.
type batchStore interface {
	PutAll(bucket string, values map[string][]byte) error
}

// saveLocked writes a delivery to the Store, synchronously.
func (e *Engine) saveLocked(r *record) error {
	if e.store == nil {
		return nil
	}
	b, err := json.Marshal(r.view())
	if err != nil {
		return fmt.Errorf("save delivery %s: %w", r.ID, err)
	}
	if err := e.store.Put(StoreBucket, r.ID, b); err != nil {
		return fmt.Errorf("save delivery %s: %w", r.ID, err)
	}
	return nil
}

// saveAllLocked writes several deliveries, in one transaction when the Store can.
func (e *Engine) saveAllLocked(rs []*record) error {
	bs, ok := e.store.(batchStore)
	if e.store == nil || !ok || len(rs) < 2 {
		var errs []error
		for _, r := range rs {
			errs = append(errs, e.saveLocked(r))
		}
		return errors.Join(errs...)
	}
	values := make(map[string][]byte, len(rs))
	for _, r := range rs {
		b, err := json.Marshal(r.view())
		if err != nil {
			return fmt.Errorf("save delivery %s: %w", r.ID, err)
		}
		values[r.ID] = b
	}
	if err := bs.PutAll(StoreBucket, values); err != nil {
		return fmt.Errorf("save %d deliveries: %w", len(rs), err)
	}
	return nil
}

// finishLocked files a final delivery for retention, forgetting the oldest beyond Retain.
func (e *Engine) finishLocked(r *record) error {
	e.finished = append(e.finished, r.ID)
	var errs []error
	for e.retain >= 0 && len(e.finished) > e.retain {
		old, ok := e.records[e.finished[0]]
		e.finished = e.finished[1:]
		if !ok {
			continue
		}
		delete(e.records, old.ID)
		e.counts[old.State]--
		if e.store != nil {
			if err := e.store.Delete(StoreBucket, old.ID); err != nil {
				errs = append(errs, fmt.Errorf("forget delivery %s: %w", old.ID, err))
			}
		}
	}
	return errors.Join(errs...)
}

// reportStoreError tells the observer about errors from the Store and returns them joined.
func (e *Engine) reportStoreError(errs ...error) error {
	err := errors.Join(errs...)
	if err != nil {
		e.observe(Report{Kind: ReportStoreError, Message: err.Error()})
	}
	return err
}

// load restores the deliveries a Store holds: live ones are queued again (an Attempting one
// was never acknowledged, so it is attempted again at once); final ones are kept for
// inspection and never sent again.
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
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, r := range recs {
		if err := e.restoreLocked(r); err != nil {
			return fmt.Errorf("load delivery %s: %w", r.ID, err)
		}
	}
	return nil
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

func (e *Engine) restoreLocked(r *record) error {
	state := r.State
	r.State = ""
	e.setStateLocked(r, state)
	e.records[r.ID] = r
	e.nextSeq = max(e.nextSeq, r.seq+1)
	switch state {
	case Pending:
		keys, err := payloadKeys(r.Payload)
		if err != nil {
			return err
		}
		r.keys, r.Payload = keys, nil
		if len(keys) < keap.MaxObjectsPerDelivery {
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
		return e.finishLocked(r)
	}
	return nil
}

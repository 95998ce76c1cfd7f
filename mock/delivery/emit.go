package delivery

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/store"
)

// Emit reports that objects changed: every hook subscribed to eventKey gets the changes.
// For a Verified hook they join its Pending delivery for eventKey (up to
// keap.MaxObjectsPerDelivery object keys) or start a new one; for any other hook they are
// dropped, as Keap drops them, into a delivery in state Dropped. Besides an empty event key,
// the error reports only a failure to save to the Store: the deliveries exist in memory
// regardless.
//
// With a Store, an emit to many hooks takes them in parts of at most store.TxOps deliveries,
// each made under the engine's lock and saved in its own transaction while the next part is
// made: a part is all or nothing on disk, the emit is not (a crash in the middle keeps the
// parts written), and what waits for the disk at any time is at most two parts' worth. Two
// emits at once may take turns by part, so a hook past the first part may get the later
// emit's changes first, as two calls at once may reach Keap in either order.
func (e *Engine) Emit(eventKey string, changes ...Change) (Emitted, error) {
	out := Emitted{Queued: []string{}, Dropped: []string{}}
	if eventKey == "" {
		return out, errors.New("delivery: empty event key")
	}
	if len(changes) == 0 {
		return out, nil
	}
	subs := e.hooks.Subscribers(eventKey)
	if len(subs) == 0 {
		return out, nil // nothing to queue or drop: no lock taken, nothing saved, no wake-up
	}
	now := e.clock.Now()
	keys := make([]keap.ObjectKey, len(changes))
	for i, c := range changes {
		keys[i] = e.objectKey(eventKey, c, now)
	}
	// Sized for the common case (each hook takes every change in one delivery) so that a large
	// fan-out does not copy these slices over and over as they grow.
	out.Queued = make([]string, 0, len(subs))
	part := len(subs)
	if e.store != nil {
		part = hooksPerPart(len(keys))
	}
	// A part is made while the writer saves the one before; the one before that must be on
	// disk first, and its dropped deliveries are reported once it is.
	var (
		errs     []error
		inFlight []emitted
	)
	settle := func(p emitted) {
		errs = append(errs, p.save.wait())
		e.report(p.reports...)
	}
	for from := 0; from < len(subs); from += part {
		if len(inFlight) == 2 {
			settle(inFlight[0])
			inFlight = inFlight[1:]
		}
		hooks, left := subs[from:min(from+part, len(subs))], len(subs)-from
		inFlight = append(inFlight, e.emitPart(&out, hooks, left, eventKey, keys, now))
	}
	for _, p := range inFlight {
		settle(p)
	}
	return out, e.reportStoreError(errs...)
}

// hooksPerPart is how many hooks a part of an emit of n changes takes so that it saves at
// most store.TxOps deliveries: a hook takes one delivery per keap.MaxObjectsPerDelivery
// changes, and one more when the changes first top up its open delivery.
func hooksPerPart(n int) int {
	perHook := 1 + (n-1+keap.MaxObjectsPerDelivery-1)/keap.MaxObjectsPerDelivery
	return max(1, store.TxOps/perHook)
}

// emitted is a part of an emit: its save and the reports of the deliveries it dropped.
type emitted struct {
	save    saved
	reports []Notice
}

// emitPart queues (or drops) the changes for hooks, adding the deliveries to out, and
// submits their save. left is how many hooks the emit has still to reach, these included.
func (e *Engine) emitPart(out *Emitted, hooks []keap.RestHook, left int, eventKey string, keys []keap.ObjectKey, now time.Time) emitted {
	touched := make([]*record, 0, len(hooks))
	var reports []Notice
	e.mu.Lock()
	// Room in the due queue for the whole emit at once, rather than a copy of it at every growth.
	e.queue = slices.Grow(e.queue, left)
	for _, h := range hooks {
		from := len(touched)
		if h.Status == keap.StatusVerified {
			touched = e.queueLocked(touched, h, eventKey, keys, now)
		} else {
			touched = e.dropNewLocked(touched, h, eventKey, keys, now)
		}
		for _, r := range touched[from:] {
			if r.State == Dropped {
				out.Dropped = append(out.Dropped, r.ID)
				reports = append(reports, e.dropNotice(r))
			} else {
				out.Queued = append(out.Queued, r.ID)
			}
		}
	}
	// The dropped ones are filed for retention, which may forget (and delete from the Store)
	// the oldest of them: the deletes follow the saves in one transaction.
	var forget []store.Op
	for _, r := range touched {
		if r.State == Dropped {
			forget = append(forget, e.finishLocked(r)...)
		}
	}
	sv := e.saveLocked(touched, forget...)
	e.mu.Unlock()
	e.wake()
	return emitted{sv, reports}
}

// queueLocked adds keys to the hook's open delivery for eventKey, opening new ones as each
// fills, and appends the deliveries it changed to touched. A new delivery shares keys rather
// than copying them (they never change, and its own later appends copy): one emit to many
// hooks holds its object keys once.
func (e *Engine) queueLocked(touched []*record, h keap.RestHook, eventKey string, keys []keap.ObjectKey, now time.Time) []*record {
	bk := batchKey{h.Key, eventKey}
	from := len(touched)
	for rest := keys; len(rest) > 0; {
		r := e.open[bk]
		if r == nil || len(r.keys) >= keap.MaxObjectsPerDelivery {
			r = e.newRecordLocked(h, eventKey, now, Pending)
			r.NextAttemptAt = now.Add(e.policy.firstDelay(eventKey).Pick(e.rnd) + e.chaosDelayLocked(eventKey))
			e.open[bk] = r
			e.queue.push(r)
		}
		n := min(len(rest), keap.MaxObjectsPerDelivery-len(r.keys))
		if len(r.keys) == 0 {
			r.keys = rest[:n:n]
		} else {
			r.keys = append(r.keys, rest[:n]...)
		}
		r.Objects = len(r.keys)
		rest = rest[n:]
		if len(touched) == from || touched[len(touched)-1] != r {
			touched = append(touched, r)
		}
	}
	return touched
}

// dropNewLocked records the changes as Dropped deliveries for a hook that is not Verified and
// appends them to recs. Emit saves them, then files them for retention.
func (e *Engine) dropNewLocked(recs []*record, h keap.RestHook, eventKey string, keys []keap.ObjectKey, now time.Time) []*record {
	for chunk := range slices.Chunk(keys, keap.MaxObjectsPerDelivery) {
		r := e.newRecordLocked(h, eventKey, now, Dropped)
		r.keys = chunk
		r.Objects = len(chunk)
		r.freeze()
		r.Reason = fmt.Sprintf("hook %s is %s: Keap delivers nothing to a hook that is not Verified and drops the event", h.Key, h.Status)
		recs = append(recs, r)
	}
	return recs
}

func (e *Engine) dropNotice(r *record) Notice {
	return Notice{Kind: NoticeDropped, DeliveryID: r.ID, HookKey: r.HookKey, EventKey: r.EventKey,
		State: Dropped, Message: fmt.Sprintf("%s dropped (%s, %s): %s", r.ID, r.EventKey, objects(r.Objects), r.Reason)}
}

func (e *Engine) report(rs ...Notice) {
	for _, r := range rs {
		e.observe(r)
	}
}

func objects(n int) string {
	if n == 1 {
		return "1 object"
	}
	return fmt.Sprintf("%d objects", n)
}

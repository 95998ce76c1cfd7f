package delivery

import (
	"context"
	"errors"
	"sync"
	"time"
)

// dueQueue is a min-heap of deliveries by next attempt time (ties: the older delivery first).
// Each entry holds the time and sequence number it is ordered by, so that keeping the order
// never visits the records themselves: an emit to many hooks pushes tens of thousands of
// them, scattered over memory. A record's NextAttemptAt does not change while it is queued.
type dueQueue []dueEntry

type dueEntry struct {
	at  time.Time
	seq uint64
	r   *record
}

func (a *dueEntry) before(b *dueEntry) bool {
	if c := a.at.Compare(b.at); c != 0 {
		return c < 0
	}
	return a.seq < b.seq
}

func (q *dueQueue) push(r *record) {
	*q = append(*q, dueEntry{r.NextAttemptAt, r.seq, r})
	h := *q
	for i := len(h) - 1; i > 0; {
		parent := (i - 1) / 2
		if !h[i].before(&h[parent]) {
			break
		}
		h[i], h[parent] = h[parent], h[i]
		i = parent
	}
}

// pop removes the earliest delivery and returns it; the queue must not be empty.
func (q *dueQueue) pop() *record {
	h := *q
	top, last := h[0].r, len(h)-1
	h[0], h[last] = h[last], dueEntry{}
	h = h[:last]
	*q = h
	for i := 0; ; {
		least := i
		for _, c := range [2]int{2*i + 1, 2*i + 2} {
			if c < len(h) && h[c].before(&h[least]) {
				least = c
			}
		}
		if least == i {
			return top
		}
		h[i], h[least] = h[least], h[i]
		i = least
	}
}

// due reports whether the earliest delivery is due at now.
func (q dueQueue) due(now time.Time) bool { return len(q) > 0 && !q[0].at.After(now) }

// next returns the earliest due time, if anything is queued.
func (q dueQueue) next() (time.Time, bool) {
	if len(q) == 0 {
		return time.Time{}, false
	}
	return q[0].at, true
}

// job is one attempt handed to a worker, with every random choice already drawn so that a
// seeded engine makes the same choices whatever order the workers run in.
type job struct {
	rec  *record
	plan plan
}

// Run delivers until ctx is done: one scheduler goroutine waits for the next due time, a
// wake-up or ctx, and hands due attempts to a pool of Workers. A worker that takes an attempt
// to a hook also makes the hook's later ones that fall due meanwhile, so one hook's attempts
// never overlap and go out in due-time order. Attempts cut short by ctx are
// not counted (after a restart from a Store they are made again). Run may be called once.
func (e *Engine) Run(ctx context.Context) error {
	e.mu.Lock()
	if e.ran {
		e.mu.Unlock()
		return errors.New("delivery: Run called twice")
	}
	e.ran = true
	e.mu.Unlock()
	close(e.started)
	defer close(e.stopped)

	jobs := make(chan job)
	var wg sync.WaitGroup
	for range e.workers {
		wg.Go(func() { e.work(ctx, jobs) })
	}
	wg.Go(func() { e.acknowledger(ctx) })
	e.schedule(ctx, jobs)
	wg.Wait()
	e.mu.Lock()
	e.retired = true // see saveLocked
	e.mu.Unlock()
	return nil
}

func (e *Engine) work(ctx context.Context, jobs <-chan job) {
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-jobs:
			for ok := true; ok && ctx.Err() == nil; j, ok = e.nextForHook(j.rec.HookKey) {
				e.attempt(ctx, j)
			}
		}
	}
}

// nextForHook hands the worker that just made an attempt to hook the hook's next due
// attempt, if one is waiting; otherwise the hook is free again.
func (e *Engine) nextForHook(hook string) (job, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	waiting := e.busyHooks[hook]
	if len(waiting) == 0 {
		delete(e.busyHooks, hook)
		return job{}, false
	}
	e.busyHooks[hook] = waiting[1:]
	return waiting[0], true
}

// schedule is the scheduler loop. It never polls: between due times it sleeps on one timer.
func (e *Engine) schedule(ctx context.Context, jobs chan<- job) {
	for {
		due, next, ok := e.takeDue()
		for i, j := range due {
			select {
			case jobs <- j:
			case <-ctx.Done():
				e.requeue(due[i:])
				return
			}
		}
		if len(due) > 0 {
			continue // dispatching took time: look again before sleeping
		}
		var fire <-chan time.Time
		var t Timer
		if ok {
			t = e.clock.NewTimer(next.Sub(e.clock.Now()))
			fire = t.C()
		}
		select {
		case <-ctx.Done():
		case <-e.wakeCh:
		case <-fire:
		}
		if t != nil {
			t.Stop()
		}
		if ctx.Err() != nil {
			return
		}
	}
}

// takeDue removes every delivery now due from the queue and plans its attempt, in due-time
// order; it returns those to hand to workers, the rest waiting behind an earlier attempt to
// the same hook (see nextForHook), and the next due time still queued.
func (e *Engine) takeDue() ([]job, time.Time, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.clock.Now()
	var due []*record
	for e.queue.due(now) {
		r := e.queue.pop()
		if bk := (batchKey{r.HookKey, r.EventKey}); e.open[bk] == r {
			delete(e.open, bk) // its first attempt is starting: later changes start a new delivery
		}
		due = append(due, r)
	}
	e.shuffleLocked(due)
	var jobs []job
	for _, r := range due {
		j := job{rec: r, plan: e.planLocked(r)}
		if waiting, busy := e.busyHooks[r.HookKey]; busy {
			e.busyHooks[r.HookKey] = append(waiting, j)
			continue
		}
		e.busyHooks[r.HookKey] = nil
		jobs = append(jobs, j)
	}
	e.outstanding += len(due)
	next, ok := e.queue.next()
	return jobs, next, ok
}

// requeue puts back attempts that were taken but never handed to a worker.
func (e *Engine) requeue(js []job) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, j := range js {
		e.queue.push(j.rec)
	}
	e.outstanding -= len(js)
}

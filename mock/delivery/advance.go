package delivery

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Advance moves a virtual clock forward by d and returns once every attempt that fell due in
// that window has been made and its outcome recorded, including retries that fell due inside
// the same window and hooks made Inactive. It returns the clock's new time.
//
// The clock moves in rounds no longer than the shortest retry delay: no retry can fall due
// inside the round whose attempt caused it, so every attempt due in a round is made at once,
// up to Workers at a time. Attempts to one hook are made one after another in due-time order,
// each stamped with the time it fell due; every random choice is drawn in due-time order
// before the round starts, so with a seeded Rand the outcome does not depend on which
// receiver answers first.
//
// Attempts themselves run in real time (a receiver is a real server), so Advance takes as
// long as the slowest receiver, at most the attempt timeout per attempt. Advance needs
// TimingVirtual; it waits for Run to start, and fails once Run has returned. Concurrent
// calls take turns; every wait, including one for a turn, ends when ctx does.
func (e *Engine) Advance(ctx context.Context, d time.Duration) (time.Time, error) {
	vc, ok := e.clock.(*VirtualClock)
	if !ok {
		return e.clock.Now(), fmt.Errorf("delivery: the clock can only be advanced with timing virtual, not %s", e.timing)
	}
	if d < 0 {
		return vc.Now(), fmt.Errorf("delivery: cannot advance the clock by %s: time only moves forward", d)
	}
	if err := e.takeTurn(ctx); err != nil {
		return vc.Now(), err
	}
	defer func() { <-e.turn }()
	target := vc.Now().Add(d)
	for {
		if err := e.waitIdle(ctx); err != nil {
			return vc.Now(), err
		}
		e.mu.Lock()
		next, ok := e.queue.next()
		e.mu.Unlock()
		if !ok || next.After(target) {
			break
		}
		vc.set(e.roundEnd(next, target))
		e.wake()
	}
	vc.set(target)
	return vc.Now(), nil
}

// roundEnd is where a round that starts with an attempt due at next ends: just before the
// earliest time a retry caused in the round could fall due, and never past target.
func (e *Engine) roundEnd(next, target time.Time) time.Time {
	if e.policy.MaxAttempts == 1 {
		return target // no retries
	}
	gap := e.policy.Retry.shortest()
	if gap <= 0 {
		return next
	}
	return minTime(target, next.Add(gap-1))
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// takeTurn waits until no other Advance is running, or until ctx is done. A free turn is
// taken at once even when ctx is done: the error then comes from what Advance waits on next.
func (e *Engine) takeTurn(ctx context.Context) error {
	select {
	case e.turn <- struct{}{}:
		return nil
	default:
	}
	select {
	case e.turn <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("delivery: waiting for another Advance to finish: %w", ctx.Err())
	}
}

var errStopped = errors.New("delivery: the engine stopped (Run has returned)")

// waitIdle returns once Run has started, nothing is due and no attempt is in flight.
func (e *Engine) waitIdle(ctx context.Context) error {
	select {
	case <-e.started:
	case <-ctx.Done():
		return fmt.Errorf("delivery: the engine never started (is Run running?): %w", ctx.Err())
	}
	select {
	case <-e.stopped:
		return errStopped
	default:
	}
	e.mu.Lock()
	if e.idleLocked() {
		e.mu.Unlock()
		return nil
	}
	ch := make(chan struct{})
	e.idleWaiters = append(e.idleWaiters, ch)
	e.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-e.stopped:
		return errStopped
	}
}

func (e *Engine) idleLocked() bool {
	if e.outstanding > 0 {
		return false
	}
	next, ok := e.queue.next()
	return !ok || next.After(e.clock.Now())
}

// notifyIdleLocked releases the waitIdle callers once the engine is idle.
func (e *Engine) notifyIdleLocked() {
	if len(e.idleWaiters) == 0 || !e.idleLocked() {
		return
	}
	for _, ch := range e.idleWaiters {
		close(ch)
	}
	e.idleWaiters = nil
}

// attemptTimeLocked is when an attempt is made. Advance takes every attempt due in a window
// at once, so on a virtual clock an attempt is stamped with the time it fell due, as if the
// clock had stopped there; on a real clock it is now.
func (e *Engine) attemptTimeLocked(r *record) time.Time {
	now := e.clock.Now()
	if _, virtual := e.clock.(*VirtualClock); virtual && !r.NextAttemptAt.IsZero() && r.NextAttemptAt.Before(now) {
		return r.NextAttemptAt
	}
	return now
}

// retryBase is the time a failed attempt's retry delay counts from: the attempt's own time on
// a virtual clock (see attemptTimeLocked), now on a real one.
func (e *Engine) retryBase(a Attempt, now time.Time) time.Time {
	if _, virtual := e.clock.(*VirtualClock); virtual {
		return a.At
	}
	return now
}

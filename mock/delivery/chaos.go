package delivery

import (
	"fmt"
	"math"
	"time"
)

// Chaos makes deliveries misbehave on purpose, for testing a receiver's robustness. The zero
// value is no chaos. Every random choice comes from the engine's seeded source.
type Chaos struct {
	// Duplicate is the probability (0..1) that an attempt is sent twice, the same bytes and
	// signature headers both times, as a sender does after a lost acknowledgement.
	Duplicate float64 `json:"duplicate"`
	// Reorder is the probability (0..1) that an attempt is held back by an extra random wait
	// of up to the batch window, so later batches overtake it. Above 0, deliveries falling
	// due together also go out in shuffled order.
	Reorder float64 `json:"reorder"`
	// Delay is an extra wait added to every attempt, drawn from the range (in Keap's real
	// durations: TimingFast scales it like the rest).
	Delay Range `json:"delay"`
	// DropFirst is the probability (0..1) that a delivery's first attempt is not sent at all
	// and counts as a failure with the error "dropped by chaos".
	DropFirst float64 `json:"dropFirst"`
}

// ErrDroppedByChaos is the error text of an attempt DropFirst did not send.
const ErrDroppedByChaos = "dropped by chaos"

// Validate reports a rate outside 0..1 or a bad delay range.
func (c Chaos) Validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"duplicate", c.Duplicate}, {"reorder", c.Reorder}, {"drop-first", c.DropFirst}} {
		if math.IsNaN(f.v) || f.v < 0 || f.v > 1 {
			return fmt.Errorf("chaos %s rate %v: want a number from 0 to 1", f.name, f.v)
		}
	}
	if err := c.Delay.Validate(); err != nil {
		return fmt.Errorf("chaos delay: %w", err)
	}
	return nil
}

// SetChaos replaces the chaos setting; it applies to attempts planned from now on.
func (e *Engine) SetChaos(c Chaos) error {
	if err := c.Validate(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.chaos = c
	return nil
}

// Chaos returns the chaos setting in force.
func (e *Engine) Chaos() Chaos {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.chaos
}

// plan is every random choice for one attempt, drawn when the scheduler takes it.
type plan struct {
	drop      bool          // chaos: do not send, count as failed
	duplicate bool          // chaos: send twice
	retry     time.Duration // the wait before the next attempt, if this one fails
}

func (e *Engine) planLocked(r *record) plan {
	n := len(r.Attempts) + 1
	p := plan{
		drop:      n == 1 && e.chance(e.chaos.DropFirst),
		duplicate: e.chance(e.chaos.Duplicate),
	}
	if n < e.policy.MaxAttempts {
		p.retry = e.policy.Retry.Delay(n).Pick(e.rnd) + e.chaosDelayLocked(r.EventKey)
	}
	return p
}

// chaosDelayLocked is the extra wait chaos adds to one attempt: the Delay range, plus a
// random hold of up to the batch window when Reorder strikes.
func (e *Engine) chaosDelayLocked(eventKey string) time.Duration {
	var d time.Duration
	if e.chaos.Delay != (Range{}) {
		d = e.chaos.Delay.scaleFor(e.timing).Pick(e.rnd)
	}
	if e.chance(e.chaos.Reorder) {
		d += Range{Max: e.policy.firstDelay(eventKey).Max}.Pick(e.rnd)
	}
	return d
}

// shuffleLocked puts deliveries that fell due together in random order when Reorder is on.
func (e *Engine) shuffleLocked(rs []*record) {
	if e.chaos.Reorder > 0 && len(rs) > 1 {
		e.rnd.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
	}
}

// chance draws true with probability p, consuming randomness only when 0 < p < 1 so that a
// setting of 0 or 1 does not disturb the other draws.
func (e *Engine) chance(p float64) bool {
	switch {
	case p <= 0:
		return false
	case p >= 1:
		return true
	}
	return e.rnd.Float64() < p
}

func (r Range) scaleFor(t Timing) Range {
	if t == TimingFast {
		return r.scale(FastFactor)
	}
	return r
}

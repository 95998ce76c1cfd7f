package delivery

import (
	"slices"
	"sync"
	"time"
)

// Clock is the only way delivery code learns the time or waits for it. RealClock follows the
// wall clock; VirtualClock stands still until Engine.Advance moves it.
type Clock interface {
	// Now is the current time on this clock.
	Now() time.Time
	// NewTimer returns a timer whose channel receives once the clock has moved d past Now.
	NewTimer(d time.Duration) Timer
	// AfterFunc calls f in its own goroutine once the clock has moved d past Now.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending wake-up on a Clock.
type Timer interface {
	// C receives the time when the timer fires; it is nil for AfterFunc timers.
	C() <-chan time.Time
	// Stop prevents the timer from firing; it reports whether it stopped a pending timer.
	Stop() bool
}

// RealClock is the wall clock (inside a testing/synctest bubble, the bubble's fake clock).
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// NewTimer wraps time.NewTimer.
func (RealClock) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

// AfterFunc wraps time.AfterFunc.
func (RealClock) AfterFunc(d time.Duration, f func()) Timer {
	return realTimer{time.AfterFunc(d, f)}
}

type realTimer struct{ t *time.Timer }

func (r realTimer) C() <-chan time.Time { return r.t.C }
func (r realTimer) Stop() bool          { return r.t.Stop() }

// VirtualClock stands still at its start time until it is moved forward. Engine.Advance moves
// it (stepping through every due attempt), so callers never move it directly.
type VirtualClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*virtualTimer
}

// NewVirtualClock returns a clock standing at start (its monotonic reading is dropped, so the
// clock compares and prints like any wall time).
func NewVirtualClock(start time.Time) *VirtualClock {
	return &VirtualClock{now: start.Round(0)}
}

// Now returns the time the clock stands at.
func (c *VirtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// NewTimer returns a timer that fires when the clock is moved to or past Now()+d.
func (c *VirtualClock) NewTimer(d time.Duration) Timer {
	return c.add(&virtualTimer{clock: c, ch: make(chan time.Time, 1)}, d)
}

// AfterFunc calls f (in a new goroutine) when the clock is moved to or past Now()+d.
func (c *VirtualClock) AfterFunc(d time.Duration, f func()) Timer {
	return c.add(&virtualTimer{clock: c, f: f}, d)
}

func (c *VirtualClock) add(t *virtualTimer, d time.Duration) Timer {
	c.mu.Lock()
	t.at = c.now.Add(d)
	if d <= 0 {
		now := c.now
		c.mu.Unlock()
		t.fire(now)
		return t
	}
	c.timers = append(c.timers, t)
	c.mu.Unlock()
	return t
}

// set moves the clock forward to t (never back) and fires every timer now due, earliest first.
func (c *VirtualClock) set(t time.Time) {
	c.mu.Lock()
	if t.After(c.now) {
		c.now = t.Round(0)
	}
	now := c.now
	var due []*virtualTimer
	c.timers = slices.DeleteFunc(c.timers, func(v *virtualTimer) bool {
		if v.at.After(now) {
			return false
		}
		due = append(due, v)
		return true
	})
	c.mu.Unlock()
	slices.SortStableFunc(due, func(a, b *virtualTimer) int { return a.at.Compare(b.at) })
	for _, v := range due {
		v.fire(now)
	}
}

func (c *VirtualClock) remove(t *virtualTimer) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	i := slices.Index(c.timers, t)
	if i < 0 {
		return false
	}
	c.timers = slices.Delete(c.timers, i, i+1)
	return true
}

type virtualTimer struct {
	clock *VirtualClock
	at    time.Time
	ch    chan time.Time
	f     func()
}

func (t *virtualTimer) fire(now time.Time) {
	if t.f != nil {
		go t.f()
		return
	}
	select {
	case t.ch <- now:
	default:
	}
}

func (t *virtualTimer) C() <-chan time.Time { return t.ch }
func (t *virtualTimer) Stop() bool          { return t.clock.remove(t) }

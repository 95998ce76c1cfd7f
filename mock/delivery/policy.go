package delivery

import (
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
)

// Policy is a sender's delivery rules. KeapPolicy gives Keap's; other senders' rules are the
// same fields set differently (see ParseSchedule and ParseSuccess for the flag strings).
type Policy struct {
	// FirstDelay is the wait between a change and the first attempt of the delivery it starts.
	// Changes arriving meanwhile join that delivery, so it is also the batch window.
	FirstDelay Range
	// FirstDelays overrides FirstDelay for some event keys (Keap is slower for tag events).
	FirstDelays map[string]Range
	// Retry is the wait after each failed attempt; its last element repeats.
	Retry Schedule
	// MaxAttempts is how many attempts a delivery gets before it fails and its hook goes Inactive.
	MaxAttempts int
	// Success is the range of status codes that count as success.
	Success Success
	// AttemptTimeout is how long an attempt waits for the receiver's answer.
	AttemptTimeout time.Duration
}

// KeapPolicy returns Keap's rules: the first attempt 30-60 s after the change (5-10 min for
// contactGroup.applied and contactGroup.delete), retries after 30-60 s, 5 min and 30 min, four
// attempts, success for 200-399, 30 s to answer.
func KeapPolicy() Policy {
	slow := Range{Min: 5 * time.Minute, Max: 10 * time.Minute}
	return Policy{
		FirstDelay:     Range{Min: 30 * time.Second, Max: 60 * time.Second},
		FirstDelays:    map[string]Range{"contactGroup.applied": slow, "contactGroup.delete": slow},
		Retry:          append(Schedule(nil), KeapSchedule...),
		MaxAttempts:    keap.Attempts,
		Success:        KeapSuccess,
		AttemptTimeout: keap.AttemptTimeout,
	}
}

// MaxAttemptsLimit bounds Policy.MaxAttempts.
const MaxAttemptsLimit = 1000

// Validate reports the first rule that cannot work.
func (p Policy) Validate() error {
	if err := p.FirstDelay.Validate(); err != nil {
		return fmt.Errorf("first delay: %w", err)
	}
	for key, r := range p.FirstDelays {
		if err := r.Validate(); err != nil {
			return fmt.Errorf("first delay for %s: %w", key, err)
		}
	}
	for i, r := range p.Retry {
		if err := r.Validate(); err != nil {
			return fmt.Errorf("retry schedule, delay %d: %w", i+1, err)
		}
	}
	switch {
	case p.MaxAttempts < 1 || p.MaxAttempts > MaxAttemptsLimit:
		return fmt.Errorf("max attempts %d: want 1 to %d", p.MaxAttempts, MaxAttemptsLimit)
	case p.MaxAttempts > 1 && len(p.Retry) == 0:
		return errors.New("a retry schedule is needed when max attempts is more than 1")
	case p.AttemptTimeout <= 0:
		return fmt.Errorf("attempt timeout %s: want a positive duration", p.AttemptTimeout)
	}
	return p.Success.Validate()
}

// firstDelay is the batch window for eventKey.
func (p Policy) firstDelay(eventKey string) Range {
	if r, ok := p.FirstDelays[eventKey]; ok {
		return r
	}
	return p.FirstDelay
}

// Timing chooses how the engine's time runs.
type Timing string

const (
	// TimingKeap runs Keap's real durations on the wall clock.
	TimingKeap Timing = "keap"
	// TimingFast runs the same shape scaled down by FastFactor, so a whole 4-attempt story
	// ends well under a second. The default for local play.
	TimingFast Timing = "fast"
	// TimingVirtual runs Keap's real durations on a VirtualClock that stands still until
	// Engine.Advance moves it. Receivers still answer in real time, so the attempt timeout
	// is measured on the real clock.
	TimingVirtual Timing = "virtual"
)

// FastFactor is how much faster TimingFast runs than Keap: 30 s becomes 3 ms, 30 min 180 ms.
const FastFactor = 10_000

// FastMinAttemptTimeout is the shortest attempt timeout under TimingFast. Scaling Keap's 30 s
// would give 3 ms, which a real receiver on loopback misses under -race or on a busy machine;
// 2 s keeps "no answer" meaning a receiver that truly does not answer.
const FastMinAttemptTimeout = 2 * time.Second

// ParseTiming reads "keap", "fast" or "virtual".
func ParseTiming(s string) (Timing, error) {
	switch t := Timing(s); t {
	case TimingKeap, TimingFast, TimingVirtual:
		return t, nil
	}
	return "", fmt.Errorf("timing %q: want keap, fast or virtual", s)
}

// clone returns a copy that shares no map or slice with p.
func (p Policy) clone() Policy {
	q := p
	q.FirstDelays = maps.Clone(p.FirstDelays)
	q.Retry = append(Schedule(nil), p.Retry...)
	return q
}

// under returns the policy as it runs under timing t: TimingFast divides every delay by
// FastFactor and the attempt timeout too, but never below FastMinAttemptTimeout.
func (p Policy) under(t Timing) Policy {
	q := p.clone()
	if t != TimingFast {
		return q
	}
	q.FirstDelay = p.FirstDelay.scale(FastFactor)
	for k, r := range q.FirstDelays {
		q.FirstDelays[k] = r.scale(FastFactor)
	}
	for i, r := range q.Retry {
		q.Retry[i] = r.scale(FastFactor)
	}
	q.AttemptTimeout = max(p.AttemptTimeout/FastFactor, FastMinAttemptTimeout)
	return q
}

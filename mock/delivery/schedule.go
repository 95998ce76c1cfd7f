package delivery

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// MaxDelay bounds every delay a schedule may hold. It keeps the arithmetic on due times far
// from overflow, and nothing sensible waits longer than a year between attempts.
const MaxDelay = 365 * 24 * time.Hour

// Range is a delay drawn uniformly from [Min, Max]; Min == Max is a fixed delay.
type Range struct {
	Min time.Duration
	Max time.Duration
}

// Fixed returns the Range that always gives d.
func Fixed(d time.Duration) Range { return Range{Min: d, Max: d} }

// Pick draws a delay from the range.
func (r Range) Pick(rnd *rand.Rand) time.Duration {
	if r.Max <= r.Min {
		return r.Min
	}
	return r.Min + time.Duration(rnd.Int64N(int64(r.Max-r.Min)+1))
}

// String formats the range the way ParseRange reads it: "30s" or "30s-1m0s".
func (r Range) String() string {
	if r.Min == r.Max {
		return r.Min.String()
	}
	return r.Min.String() + "-" + r.Max.String()
}

// MarshalText writes the range as String does, so JSON shows "30s-1m0s".
func (r Range) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads what ParseRange reads.
func (r *Range) UnmarshalText(b []byte) error {
	v, err := ParseRange(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// Validate reports a range that is negative, reversed or longer than MaxDelay.
func (r Range) Validate() error {
	switch {
	case r.Min < 0 || r.Max < 0:
		return fmt.Errorf("delay %s is negative", r)
	case r.Min > r.Max:
		return fmt.Errorf("delay range %s runs backwards: the minimum is larger than the maximum", r)
	case r.Max > MaxDelay:
		return fmt.Errorf("delay %s is longer than the limit of %s", r, MaxDelay)
	}
	return nil
}

func (r Range) scale(factor int64) Range {
	return Range{Min: r.Min / time.Duration(factor), Max: r.Max / time.Duration(factor)}
}

// ParseRange reads a delay ("5m") or a range of delays ("30s-60s") in Go duration syntax.
func ParseRange(s string) (Range, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Range{}, errors.New("empty delay: want a duration such as 5m or a range such as 30s-60s")
	}
	if strings.HasPrefix(s, "-") {
		return Range{}, fmt.Errorf("delay %q is negative", s)
	}
	lo, hi, isRange := strings.Cut(s, "-")
	low, err := parseDelay(lo, s)
	if err != nil {
		return Range{}, err
	}
	high := low
	if isRange {
		if high, err = parseDelay(hi, s); err != nil {
			return Range{}, err
		}
	}
	r := Range{Min: low, Max: high}
	return r, r.Validate()
}

func parseDelay(part, whole string) (time.Duration, error) {
	part = strings.TrimSpace(part)
	if part == "" {
		return 0, fmt.Errorf("delay %q: a range needs a duration on both sides of the dash, such as 30s-60s", whole)
	}
	d, err := time.ParseDuration(part)
	if err != nil {
		return 0, fmt.Errorf("delay %q: %q is not a duration (use Go syntax such as 30s, 5m, 1h30m)", whole, part)
	}
	return d, nil
}

// Schedule is the list of delays between attempts: element i is the wait after attempt i+1
// fails. When a delivery has more attempts than the schedule has elements, the last element
// repeats, so "15m" with 10 attempts waits 15 minutes between each of them.
type Schedule []Range

// KeapSchedule is Keap's wait after the 1st, 2nd and 3rd failed attempts.
var KeapSchedule = Schedule{{30 * time.Second, 60 * time.Second}, Fixed(5 * time.Minute), Fixed(30 * time.Minute)}

// Delay returns the wait after failed attempt number n (1-based).
func (s Schedule) Delay(n int) Range {
	if len(s) == 0 {
		return Range{}
	}
	if n < 1 {
		n = 1
	}
	return s[min(n, len(s))-1]
}

// String formats the schedule the way ParseSchedule reads it.
func (s Schedule) String() string {
	parts := make([]string, len(s))
	for i, r := range s {
		parts[i] = r.String()
	}
	return strings.Join(parts, ",")
}

// maxScheduleLen bounds a parsed schedule; longer lists are almost certainly a mistake.
const maxScheduleLen = 100

// ParseSchedule reads a comma-separated retry schedule such as "30s-60s,5m,30m" or "15m".
func ParseSchedule(s string) (Schedule, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("empty retry schedule: want delays between attempts such as 30s-60s,5m,30m")
	}
	parts := strings.Split(s, ",")
	if len(parts) > maxScheduleLen {
		return nil, fmt.Errorf("retry schedule has %d delays; the limit is %d", len(parts), maxScheduleLen)
	}
	sched := make(Schedule, 0, len(parts))
	for i, p := range parts {
		r, err := ParseRange(p)
		if err != nil {
			return nil, fmt.Errorf("retry schedule, delay %d: %w", i+1, err)
		}
		sched = append(sched, r)
	}
	return sched, nil
}

// shortest is the shortest delay the schedule can give.
func (s Schedule) shortest() time.Duration {
	if len(s) == 0 {
		return 0
	}
	d := s[0].Min
	for _, r := range s[1:] {
		d = min(d, r.Min)
	}
	return d
}

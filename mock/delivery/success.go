package delivery

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Success is the range of HTTP status codes that count as a successful attempt, inclusive.
type Success struct {
	Min int
	Max int
}

// The two success policies the project knows: Keap counts any status from 200 to 399 as
// success; some senders (the seed-002 one) accept only 200.
var (
	KeapSuccess = Success{Min: 200, Max: 399}
	OnlyOK      = Success{Min: 200, Max: 200}
)

// OK reports whether status counts as success.
func (s Success) OK(status int) bool { return status >= s.Min && status <= s.Max }

// String formats the policy the way ParseSuccess reads it: "200-399" or "200".
func (s Success) String() string {
	if s.Min == s.Max {
		return strconv.Itoa(s.Min)
	}
	return fmt.Sprintf("%d-%d", s.Min, s.Max)
}

// MarshalText writes the policy as String does.
func (s Success) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads what ParseSuccess reads.
func (s *Success) UnmarshalText(b []byte) error {
	v, err := ParseSuccess(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Validate reports a policy outside the HTTP status codes 100-599 or running backwards.
func (s Success) Validate() error {
	if s.Min < 100 || s.Max > 599 {
		return fmt.Errorf("success policy %s: status codes run from 100 to 599", s)
	}
	if s.Min > s.Max {
		return fmt.Errorf("success policy %s runs backwards", s)
	}
	return nil
}

// ParseSuccess reads a success policy: one status code ("200") or an inclusive range ("200-399").
func ParseSuccess(s string) (Success, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Success{}, errors.New("empty success policy: want a status code such as 200 or a range such as 200-399")
	}
	lo, hi, isRange := strings.Cut(s, "-")
	low, err := parseStatus(lo, s)
	if err != nil {
		return Success{}, err
	}
	high := low
	if isRange {
		if high, err = parseStatus(hi, s); err != nil {
			return Success{}, err
		}
	}
	p := Success{Min: low, Max: high}
	return p, p.Validate()
}

func parseStatus(part, whole string) (int, error) {
	part = strings.TrimSpace(part)
	n, err := strconv.Atoi(part)
	if err != nil || len(part) != 3 {
		return 0, fmt.Errorf("success policy %q: %q is not a three-digit HTTP status code", whole, part)
	}
	return n, nil
}

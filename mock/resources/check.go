package resources

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// check collects what is wrong with a request body that decoded fine but says something
// Keap would refuse: a missing required field, a value outside an enum, a malformed date.
// Every problem is reported at once, so a caller fixes them in one round.
type check struct{ errs []string }

func (c *check) bad(format string, args ...any) {
	c.errs = append(c.errs, fmt.Sprintf(format, args...))
}

// err is one 400 naming every problem, or nil.
func (c *check) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return httpapi.Errorf(http.StatusBadRequest, "%s: %s", httpapi.KeapMalformed, strings.Join(c.errs, "; "))
}

// required reports a missing or empty required field.
func (c *check) required(field string, present bool) {
	if !present {
		c.bad("%s is required", field)
	}
}

func (c *check) requiredString(field string, v *string) {
	c.required(field, v != nil && strings.TrimSpace(*v) != "")
}

// enum reports a value outside the allowed ones; nil passes.
func (c *check) enum(field string, v *string, allowed ...string) {
	if v != nil && !slices.Contains(allowed, *v) {
		c.bad("%s must be one of %s, got %q", field, strings.Join(allowed, ", "), *v)
	}
}

// dateTime reports a value that is not an RFC 3339 date-time; nil passes.
func (c *check) dateTime(field string, v *string) {
	if v == nil {
		return
	}
	if _, err := time.Parse(time.RFC3339Nano, *v); err != nil {
		c.bad("%s must be a date-time such as 2024-03-14T16:20:58.000Z, got %q", field, *v)
	}
}

// date reports a value that is not a calendar date (2024-03-14); nil passes.
func (c *check) date(field string, v *string) {
	if v == nil {
		return
	}
	if _, err := time.Parse(time.DateOnly, *v); err != nil {
		c.bad("%s must be a date such as 2024-03-14, got %q", field, *v)
	}
}

// positive reports an id that is zero or negative; nil passes.
func (c *check) positive(field string, v *int64) {
	if v != nil && *v <= 0 {
		c.bad("%s must be a positive id, got %d", field, *v)
	}
}

// email reports a string that cannot be an email address; nil passes.
func (c *check) email(field string, v *string) {
	if v == nil {
		return
	}
	local, domain, ok := strings.Cut(*v, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") || strings.ContainsAny(*v, " \t\r\n") {
		c.bad("%s must be an email address, got %q", field, *v)
	}
}

// stampOf normalises a date-time the caller sent to Keap's own form (UTC, milliseconds, Z).
// The value was checked already.
func stampOf(v string) string {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return v
	}
	return stamp(t)
}

// refError is the 400 for a body that names an object that does not exist.
func refError(field, noun string, id int64) error {
	return httpapi.Errorf(http.StatusBadRequest, "%s: %s %d does not exist", field, noun, id)
}

// Package testkit holds the test doubles this module's tests share across packages: a clock
// a test moves by hand, a hook endpoint that records every request, a decoder for Keap's
// deliveries, and HTTPS servers on loopback with certificates of mock/localca. It imports only
// mock/keap and mock/localca (neither has in-package tests that use it), so any package's tests
// can use it; it is not for production code.
package testkit

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
)

// Epoch is where a Clock starts unless told otherwise: the timestamp of Keap's own
// documentation examples, so payloads in tests look like Keap's.
var Epoch = time.Date(2026, 3, 29, 10, 55, 37, 0, time.UTC)

// Clock is a clock a test moves by hand. It is safe for concurrent use; pass its Now where
// code takes a func() time.Time.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock standing at start, or at Epoch for the zero time.
func NewClock(start time.Time) *Clock {
	if start.IsZero() {
		start = Epoch
	}
	return &Clock{now: start}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// DecodeEvent decodes a delivery body as Keap's event, failing the test when it is not one.
func DecodeEvent(t testing.TB, body []byte) keap.Event {
	t.Helper()
	var ev keap.Event
	if err := json.Unmarshal(body, &ev); err != nil {
		t.Fatalf("testkit: the delivery %s is not Keap's format: %v", body, err)
	}
	return ev
}
